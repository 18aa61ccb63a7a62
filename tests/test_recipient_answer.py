"""`summary NAME` as an answer in every format: -f csv carries what -f json carries (the
totals per year by payer, source and stage, and every row with file:line and the source's
words), one `row_kind` a row. Values checked by hand against the files (zcat
core/data/minfin/...; line numbers count the header as 1)."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import termios
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from geldstroom.cells import LIST_SEPARATOR
from geldstroom.cli.app import app
from geldstroom.cli.common import resolve_recipient
from geldstroom.dutch import format_thousands, format_whole
from geldstroom.graph.default_store import cached_default_graph
from geldstroom.loaders.documents.manifest import bundled_manifest
from geldstroom.queries.diagram import PLANNED, chart_data, chart_series, render_chart

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


def _run_cli(args: list[str], columns: int | None) -> str:
    """The installed `geldstroom` as a person runs it: at a terminal `columns` wide (a
    pseudo-terminal of that size), or piped (`columns` None). The text, escapes removed."""
    exe = shutil.which("geldstroom")
    assert exe, "the geldstroom console script is installed with the package"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if columns is None:
        done = subprocess.run([exe, *args], env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen([exe, *args], env={**env, "TERM": "xterm"}, stdout=follower,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(follower)
    out = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert process.wait(timeout=300) == 0
    text = out.decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", text)


def _amounts(data: object) -> set[int]:
    """Every amount (a *_euros or euros value) in a JSON answer."""
    found: set[int] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("euros") and isinstance(value, int):
                found.add(value)
            elif key.startswith("by_") and isinstance(value, dict):
                found.update(v for v in value.values() if isinstance(v, int))
            else:
                found |= _amounts(value)
    elif isinstance(data, list):
        for value in data:
            found |= _amounts(value)
    return found


@pytest.mark.parametrize("args", [["VNG", "--year", "2015"], ["Logius", "--year", "2015"],
                                  ["ICTU"]])
def test_no_number_is_cut_at_any_width(args: list[str]) -> None:
    """At 60, 80 and 120 columns and piped: every amount of the JSON answer stands whole in
    the text (a whole token, not '3.6…'), every file:line whole on one line, and no line is
    wider than the terminal."""
    data = json.loads(_summary(*args, "-f", "json"))
    amounts = _amounts(data["received"]) - {0}  # a zero apart is not said
    places = {r["where"] for r in data["received"]["rows"]}
    assert amounts and places
    for columns in (60, 80, 120, None):
        text = _run_cli(["summary", *args], columns)
        tokens = set(re.findall(r"(?<![\d.,])-?\d{1,3}(?:\.\d{3})*(?![\d.,]\d)", text))
        missing = {a for a in amounts if format_whole(a) not in tokens}
        assert not missing, (columns, sorted(missing))
        lines = text.splitlines()
        assert not places - {line.strip() for line in lines}, columns
        assert max(len(line) for line in lines) <= (columns or 80), columns
        assert "…" not in text, columns


@pytest.mark.parametrize("name", ["Logius", "VNG", "Stichting CAOP"])
def test_chart_totals_are_the_summary_totals(name: str) -> None:
    """`chart NAME` reads the national graph; per year its bars that are the recipient's
    own (not a shared line) add up to what `summary NAME` says it received, in every year
    the summary has: agency turnover (Logius 2010-2015), subsidies (VNG, CAOP 2015) and
    lines alike. A year with only shared lines has a total of 0."""
    graph = cached_default_graph()
    actor = resolve_recipient(graph, name)
    charted: dict[int, int] = defaultdict(int)
    for bar in chart_data(graph, actor):
        charted[bar.year] += 0 if bar.shared_with else bar.euros
    said = {y["year"]: y["total_euros"]
            for y in json.loads(_summary(name, "-f", "json"))["received"]["years"]}
    assert dict(charted) == said
    if name == "Logius":  # agentschappen.csv:257, 88.599 + 51.249 (x 1.000)
        assert said[2015] == 139_848_000 and min(said) == 2010


def test_chart_stripes_each_bar_by_its_own_stage() -> None:
    """VNG's 2016 money is a budget table's vastgestelde begroting (owb2016), standing in
    the panel of years with realisatie: striped as planned, never shown as realised. Its
    2015 subsidies are realisatie: plain."""
    import xml.etree.ElementTree as ET

    graph = cached_default_graph()
    actor = resolve_recipient(graph, "VNG")
    bars = chart_data(graph, actor)
    series = chart_series(bars)
    stage = {(b.year, b.series): b.group for b in bars}
    svg = ET.fromstring(render_chart(graph, actor, "svg"))
    drawn = {e.get("id"): ET.tostring(e).decode() for e in svg.iter() if e.get("id")}
    checked = 0
    for number, each in enumerate(series):
        for year in (2015, 2016):
            if (year, each) not in stage or each[1]:
                continue
            striped = "fill: url(#" in drawn[f"bar-{number}-{year}"]
            assert striped == (stage[(year, each)] == PLANNED), (year, each)
            checked += 1
    assert stage.get((2016, next(s for s in series if "budget table" in s[0]))) == PLANNED
    assert checked >= 3


def test_top_level_help_says_what_reads_the_national_corpus() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    said = text.split("these read the national corpus")[1].split("validate checks")[0]
    for command in ("summary", "query", "cypher", "serve", "load", "lines", "diagram",
                    "chart", "export", "neo4j push"):
        assert command in said, command
    assert "links reads the bundled documents only" in text
    assert text.count("x € 1.000") == 1 and "Amounts are whole euros" in text


@pytest.mark.parametrize("args", [[], ["ICTU"]])
def test_documents_summary_cuts_no_number(args: list[str]) -> None:
    """The documents read in memory (--manifest): the per-instrument table with a column
    per year, the lines and the check, at 60 and 120 columns and piped: every amount of the
    JSON whole, no '…'."""
    manifest = ["--manifest", str(bundled_manifest())]
    data = json.loads(_summary(*args, *manifest, "-f", "json"))
    amounts = _amounts(data["recipients"] if args else data) - {0}
    assert amounts
    for columns in (60, 120, None):
        text = _run_cli(["summary", *args, *manifest], columns)
        tokens = set(re.findall(r"(?<![\d.,])-?\d{1,3}(?:\.\d{3})*(?![\d.,]\d)", text))
        assert not {a for a in amounts if format_whole(a) not in tokens}, columns
        assert "…" not in text, columns


def test_national_summary_cuts_no_number_and_keeps_the_recipients() -> None:
    """`summary --year 2015 --top 10` at 60, 80 and 120 columns and piped: each payer's
    lines and Uitgaven (x € 1.000) and each ranked recipient's total (euros, as the titles
    say) stand whole, and every recipient is named."""
    data = json.loads(_summary("--year", "2015", "--top", "10", "-f", "json"))
    amounts = {format_thousands(t[k]) for t in data["totals"]
               for k in ("total_euros", "uitgaven_euros")}
    amounts |= {format_thousands(t["difference_euros"]) for t in data["totals"]
                if not t["reconciles"]}  # "off by 21.340"
    amounts |= {format_whole(r["total_euros"]) for r in data["top_recipients"]}
    names = [r["name"] for r in data["top_recipients"]]
    for columns in (60, 80, 120, None):
        text = _run_cli(["summary", "--year", "2015", "--top", "10"], columns)
        tokens = set(re.findall(r"(?<![\d.,])-?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\d.,]\d)",
                                text))
        assert not amounts - tokens, (columns, sorted(amounts - tokens))
        words = " ".join(text.split())
        assert all(n.split()[0] in words for n in names), columns
        assert "…" not in text, columns
