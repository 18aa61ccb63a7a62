"""`summary NAME`: what a recipient received per year, counted once (queries/received.py),
on the default store. Values checked by hand against the files (zcat core/data/minfin/...;
line numbers count the header as 1)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.loaders.actors.payers import payer_label

runner = CliRunner()


def _received(*args: str) -> dict:
    result = runner.invoke(app, ["summary", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["received"]


def test_a_line_named_by_its_label_counts_for_its_recipient() -> None:
    # owb 2017:2637: VII artikel 7 "... overzeese gebiedsdelen (SAIP)", t-2 (2015) 14,101;
    # owb 2017:2031: XVI artikel 7 "Stichting Administratie Indonesische Pensioenen", 37
    got = _received("SAIP", "--year", "2015")
    (year,) = got["years"]
    assert year["total_euros"] == 14_138_000
    assert year["by_payer"] == {"BZK (VII)": 14_101_000, "VWS (XVI)": 37_000}
    assert year["by_source"] == {"budget table line": 14_138_000}
    assert {(r["where"], r["euros"], r["status"]) for r in got["rows"]} == {
        ("budgettaire_tabellen_owb_2017_origineel.csv:2637", 14_101_000, "counted"),
        ("budgettaire_tabellen_owb_2017_origineel.csv:2031", 37_000, "counted")}


def test_agency_turnover_counts_once_beside_the_lines_that_show_it() -> None:
    # agentschappen.csv:257: Logius 2015, Omzet moeder departement 88599, Omzet overige
    # departementen 51249 (x 1.000). The lines labelled Logius in 2015 (owb 2017:2591 and
    # :2601, 5,209 + 75,009 of VII; owb 2016:1573 and owb 2017:1440 of XIII) are not added.
    got = _received("Logius", "--year", "2015")
    (year,) = got["years"]
    assert year["total_euros"] == 139_848_000
    assert year["by_payer"] == {"BZK (VII)": 88_599_000,
                                "overige departementen (niet genoemd)": 51_249_000}
    assert year["by_source"] == {"agency turnover": 139_848_000}
    assert year["not_added_euros"] == 84_586_000
    assert sum(r["euros"] for r in got["rows"] if r["status"] == "counted") == 139_848_000


def test_subsidies_count_for_their_recipient() -> None:
    # subsidiesministeries2015.csv: "OXFAM NOVIB" rows add up to 87.314.803,32 and
    # "Stichting Oxfam Novib" 64.821 (BZ, 2015); "OXFAM" alone is kept apart
    got = _received("Oxfam Novib")
    (year,) = got["years"]
    assert (year["year"], year["total_euros"], year["by_source"]) == (
        2015, 87_379_624, {"subsidy": 87_379_624})


def test_the_table_leads_with_the_total_and_cuts_no_number() -> None:
    for columns in ("60", "80", "120"):
        result = runner.invoke(app, ["summary", "Logius", "--year", "2015"],
                               env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0].startswith("Logius: received per year, counted once")
        assert "2015  total received 139.848.000" in lines
        assert "     88.599.000  BZK (VII)" in lines


def test_payers_as_people_say_them() -> None:
    assert [payer_label(code) for code in ("XVI", "VII", "B", "IXB")] == [
        "VWS (XVI)", "BZK (VII)", "Gemeentefonds (B)", "Financiën (IXB)"]
