"""`summary NAME` as an answer in every format: -f csv carries what -f json carries (the
totals per year by payer, source and stage, and every row with file:line and the source's
words), one `row_kind` a row. Values checked by hand against the files (zcat
core/data/minfin/...; line numbers count the header as 1)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from geldstroom.cells import LIST_SEPARATOR
from geldstroom.cli.app import app

runner = CliRunner()


def _summary(*args: str) -> str:
    result = runner.invoke(app, ["summary", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_summary(*args, "-f", "csv"))))


def _euros_by(rows: list[dict[str, str]], kind: str, column: str) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["row_kind"] == kind:
            out[row[column]] += int(row["euros"])
    return dict(out)


def test_vng_2015_adds_up_in_the_csv() -> None:
    # owb 2016:2336 B artikel 1 "Bijdrage aan VNG" t-1 (2015) 70,428 (x 1.000); the
    # subsidies file 2015: BZK-WenR rows 173, 174, 182, 183 (105.000 + 5.000.000 + 1.340.000
    # + 570.000), VWS 24792-24795, IenM 16504-16505, SZW 20902-20903, OCW 20156 and 20174.
    rows = _csv("VNG", "--year", "2015")
    (total,) = [r for r in rows if r["row_kind"] == "total"]
    assert (total["year"], int(total["euros"])) == ("2015", 88_440_987)
    assert _euros_by(rows, "by_payer", "payer") == {
        "Gemeentefonds (B)": 70_428_000, "BZK en Wonen en Rijksdienst": 7_015_000,
        "VWS (XVI)": 6_997_663, "IenM (XII)": 3_000_000, "SZW (XV)": 640_324,
        "OCW (VIII)": 360_000}
    assert _euros_by(rows, "by_source", "source") == {"budget table line": 70_428_000,
                                                      "subsidy": 18_012_987}
    assert _euros_by(rows, "by_stage", "stage") == {"vastgestelde begroting": 70_428_000,
                                                    "realisatie": 18_012_987}
    details = [r for r in rows if r["row_kind"] == "detail"]
    assert sum(int(r["euros"]) for r in details) == 88_440_987
    assert {(r["where"], int(r["euros"]), r["quote"]) for r in details} >= {
        ("budgettaire_tabellen_owb_2016_origineel.csv:2336", 70_428_000, "Bijdrage aan VNG"),
        ("subsidiesministeries2015.csv:174", 5_000_000, "Ver van Nederlandse Gemeenten"),
        ("subsidiesministeries2015.csv:16505", 2_000_000,
         "VERENIGING VAN NEDERLANDSE GEMEENTE"),
        ("subsidiesministeries2015.csv:20174", 355_000, "Vng")}


def test_caop_2015_adds_up_in_the_csv() -> None:
    # subsidiesministeries2015.csv:107 "Stichting CAOP" BZK 2.786.000; :21310 "CAOP CENTRUM
    # VOOR ARBEIDSVERHOUDINGEN OVERHEIDS PER CENTRUM" VWS 4.050.239; :17600 and :17601
    # "Caop Stichting" OCW 49.950 + 516.958
    rows = [r for r in _csv("Stichting CAOP") if r["year"] == "2015"]
    (total,) = [r for r in rows if r["row_kind"] == "total"]
    assert int(total["euros"]) == 7_403_147
    assert _euros_by(rows, "by_payer", "payer") == {
        "VWS (XVI)": 4_050_239, "BZK (VII)": 2_786_000, "OCW (VIII)": 566_908}
    details = [r for r in rows if r["row_kind"] == "detail"]
    assert sorted((r["where"], int(r["euros"]), r["quote"]) for r in details) == [
        ("subsidiesministeries2015.csv:107", 2_786_000, "Stichting CAOP"),
        ("subsidiesministeries2015.csv:17600", 49_950, "Caop Stichting"),
        ("subsidiesministeries2015.csv:17601", 516_958, "Caop Stichting"),
        ("subsidiesministeries2015.csv:21310", 4_050_239,
         "CAOP CENTRUM VOOR ARBEIDSVERHOUDINGEN OVERHEIDS PER CENTRUM")]


def _cells(value: object) -> str:
    """A JSON value as the CSV writes it."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else str(value)


@pytest.mark.parametrize("name", ["VNG", "Logius", "ICTU", "Stichting CAOP"])
def test_the_csv_drops_nothing_the_json_has(name: str) -> None:
    """Every total, split, row, per-instrument row and stated amount of -f json is a row
    of -f csv; and each kind's rows add up to the total they split. Logius has lines not
    added (same money as its turnover), ICTU shared lines."""
    data = json.loads(_summary(name, "-f", "json"))
    rows = _csv(name)
    kinds = {r["row_kind"] for r in rows}
    assert kinds <= {"total", "by_payer", "by_source", "by_stage", "shared_total",
                     "not_added_total", "detail", "shared_line", "same_money", "instrument"}
    of_kind: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        of_kind[(row["row_kind"], row["year"])].append(row)

    def have(kind: str, year: int, **cells: object) -> None:
        wanted = {k: _cells(v) for k, v in cells.items()}
        found = [r for r in of_kind[(kind, str(year))]
                 if all(r[k] == v for k, v in wanted.items())]
        assert len(found) == 1, (kind, year, wanted)

    got = data["received"]
    assert got["years"]
    for y in got["years"]:
        year = y["year"]
        have("total", year, euros=y["total_euros"])
        for kind, column in (("by_payer", "payer"), ("by_source", "source"),
                             ("by_stage", "stage")):
            for key, euros in y[kind].items():
                have(kind, year, euros=euros, **{column: key})
            assert sum(int(r["euros"]) for r in of_kind[(kind, str(year))]) == y["total_euros"]
        assert sum(int(r["euros"]) for r in of_kind[("detail", str(year))]) == y["total_euros"]
        if y["shared_lines"]:
            have("shared_total", year, euros=y["shared_euros"], count=y["shared_lines"])
            assert sum(int(r["euros"]) for r in of_kind[("shared_line", str(year))]) \
                == y["shared_euros"]
        if y["not_added_euros"]:
            have("not_added_total", year, euros=y["not_added_euros"])
    kind_of = {"counted": "detail", "shared: not added": "shared_line",
               "same money as a stated amount: not added": "same_money"}
    for r in got["rows"]:
        have(kind_of[r["status"]], r["year"], payer=r["payer"], source=r["source"],
             stage=r["stage"], euros=r["euros"], status=r["status"], label=r["label"],
             where=r["where"], quote=r["quote"], instrument=r["instrument"],
             line_id=r["line_id"])
    for r in data["recipients"]:
        have("instrument", r["year"], instrument=r["instrument"], euros=r["alone_euros"],
             shared_euros=r["shared_euros"], shared_with=r["shared_with"], stage=r["stage"],
             label=r["lines"])
    for u in data["unplaced"]:
        (evidence,) = u["evidence"]
        where, _, written = evidence.partition(": ")
        have("detail", u["year"], euros=u["euros"], line_id=u["line_id"], where=where,
             quote=written)
