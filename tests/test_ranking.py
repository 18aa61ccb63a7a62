"""`summary --year Y` ranks recipients by total received, counted once (queries/ranking.py),
with payer, source, instrument and kind filters; on the default store (the bundled corpus).

The subsidy totals were summed by hand over the raw subsidies file with DuckDB
(/work/shared/data/minfin/subsidies-2015/subsidiesministeries2015.csv, every spelling of
the organisation, `sum(Realisatie)` grouped by Ontvanger):
- RVO 212.341.016 = "Rijksdienst voor Ondernemend Nederland (RVO)" 188.825.000 (OCW)
  + "RVO" 9.747.000 (BZK, 3 rows) + "Rijksdienst voor Ondernemend Nederland" 7.057.000
  (IenM) + "RIJKSDIENST VOOR ONDERNEMEND NEDERL" 6.712.016 (VWS);
- Oxfam Novib 87.379.624 = "OXFAM NOVIB" 87.314.803,32 (8 rows) + "Stichting Oxfam Novib"
  64.821 ("OXFAM" and "Oxfam GB" are kept apart);
- Cordaid 81.119.933 = "CORDAID" 80.918.113,45 + "Stichting Cordaid" 115.708 + "St. Cordaid"
  86.112 (SZW);
- Hivos 74.249.274 = "HIVOS" 72.591.062 + "Stichting Hivos" 1.658.212;
- SNV 51.786.626 = "SNV" 50.409.595 + "Netherlands Development Organisation (SNV)" 1.377.031;
- Vilans 31.708.873 = "STG VILANS" 22.947.674 + "VILANS" 8.761.199.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.dutch import format_whole
from geldstroom.queries.ranking import RankingFilters

runner = CliRunner()

# 2015's top ten subsidy recipients, checked by hand (above; ESA 55.268.789,54 in cents,
# ICCO 54.018.851,25, Nationaal Programma Griep 37.273.483, IKNL 34.333.966,08 and the Red
# Cross 32.714.172 are one spelling each).
SUBSIDIES_2015 = [
    ("rijksdienst-ondernemend-nederland", 212_341_016),
    ("oxfam-novib", 87_379_624),
    ("cordaid", 81_119_933),
    ("hivos", 74_249_274),
    ("eurpean-space-agency", 55_268_790),
    ("icco-interchurch-organization-for-development-cooperation", 54_018_851),
    ("netherlands-development-organisation", 51_786_626),
    ("nationaal-programma-griep", 37_273_483),
    ("integraal-kankercentrum-ned", 34_333_966),
    ("red-cross-croix-rouge-rode-kruis", 32_714_172),
]


def _ranking(*args: str) -> dict:
    result = runner.invoke(app, ["summary", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_top_ten_subsidy_recipients_of_2015() -> None:
    got = _ranking("--year", "2015", "--source", "subsidy", "--top", "10")
    assert [(r["recipient"], r["total_euros"]) for r in got["top_recipients"]] == \
        SUBSIDIES_2015
    assert got["ranking"]["years"] == [2015]
    assert got["ranking"]["filters"]["sources"] == ["subsidy"]


def test_a_ranked_total_is_the_total_of_the_recipients_own_summary() -> None:
    # RVO 2015 over every source: its turnover (agentschappen.csv) and its subsidies; the
    # lines labelled RVO that show the turnover again are not added (graph/same_money.py).
    top = {r["recipient"]: r for r in _ranking("--year", "2015", "--top", "10")[
        "top_recipients"]}
    rvo = top["rijksdienst-ondernemend-nederland"]
    own = json.loads(runner.invoke(app, ["summary", "RVO", "--year", "2015", "-f", "json"])
                     .stdout)["received"]["years"][0]
    assert rvo["total_euros"] == own["total_euros"] == 647_077_016
    assert own["by_source"] == {"agency turnover": 434_736_000, "subsidy": 212_341_016}


def test_payer_filter_takes_the_names_people_use() -> None:
    by_code = _ranking("--year", "2015", "--payer", "XVI", "--top", "5")
    assert [t["payer"] for t in by_code["totals"]] == ["minister-vws"]
    for same in ("VWS", "minister-vws", "VWS (XVI)", "xvi", "Ministerie van VWS"):
        assert _ranking("--year", "2015", "--payer", same, "--top", "5") == by_code
    # Vilans 2015: VWS subsidies only, "STG VILANS" and "VILANS" (above).
    vilans = _ranking("--year", "2015", "--payer", "VWS", "--source", "subsidy", "--top", "3")
    assert ("vilans", 31_708_873) in [(r["recipient"], r["total_euros"])
                                       for r in vilans["top_recipients"]]


def test_exclude_kind_leaves_those_recipients_out() -> None:
    every = _ranking("--year", "2015", "--top", "40")["top_recipients"]
    assert any(r["kind"] == "agentschap" for r in every)
    without = _ranking("--year", "2015", "--top", "40", "--exclude-kind",
                       "agentschappen,gemeente")["top_recipients"]
    assert not any(r["kind"] in ("agentschap", "gemeente") for r in without)
    # the others keep their order and totals
    kept = [r for r in every if r["kind"] not in ("agentschap", "gemeente")]
    assert without[:len(kept)] == kept


@pytest.mark.parametrize(("option", "value", "names"), [
    ("--payer", "VWZ", "VWS (XVI)"),
    # the 2015 subsidies name two ministries without a hoofdstuk; --payer takes them, so the
    # error lists them too
    ("--payer", "VWZ", "BZK en Wonen en Rijksdienst (as the data writes it, no hoofdstuk)"),
    ("--source", "grants", "agency turnover"),
    ("--exclude-kind", "ministerie", "agentschap"),
])
def test_an_unknown_filter_value_is_one_line_with_the_values_there_are(
        option: str, value: str, names: str, default_store: Path) -> None:
    result = runner.invoke(app, ["summary", "--year", "2015", option, value])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    message = " ".join(result.stderr.split())
    assert repr(value) in message and names in message
    assert "Traceback" not in result.output


def test_filters_rank_the_national_corpus_only() -> None:
    result = runner.invoke(app, ["summary", "RVO", "--source", "subsidy"])
    assert result.exit_code == 2
    assert "give no recipient" in result.stderr


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_the_ranking_fits_and_cuts_no_number(columns: str) -> None:
    result = runner.invoke(app, ["summary", "--year", "2015", "--source", "subsidy",
                                 "--top", "10"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert all(len(line) <= int(columns) for line in result.stdout.splitlines())
    flat = result.stdout
    for _, euros in SUBSIDIES_2015:  # in whole euros, whole on one line
        assert format_whole(euros) in flat, euros
    assert "VWS (XVI)" in flat and "minister-vws" not in flat  # payers as people say them
    assert "2015" in flat and "2013" not in flat  # the range of the data it read


# --- the named query gives the same ranking --------------------------------------------

COMBINATIONS = [
    (2015, {}),
    (2015, {"sources": {"subsidy"}}),
    (2015, {"hoofdstukken": {"XVI"}}),
    (2015, {"sources": {"agency turnover", "budget table line"},
            "exclude_kinds": {"agentschap"}}),
    (None, {"instrument": "ZBO"}),
    (2016, {"hoofdstukken": {"VII", "XIII"}, "exclude_kinds": {"gemeente", "ZBO/RWT"}}),
    (2015, {"hoofdstukken": {"XIII", "XVI"}, "instrument": "subsidies"}),
    (2015, {"hoofdstukken": {"V", "Ministerie van Buitenlandse Zaken"}}),
    (2017, {"sources": {"budget table line", "document line"}}),
]


@pytest.fixture(scope="module")
def default_store():
    from geldstroom.cli.common import current_store
    from geldstroom.graph.store import Store

    with Store(current_store(None)) as store:
        yield store


def _filters(given: dict) -> RankingFilters:
    return RankingFilters(**{k: frozenset(v) if isinstance(v, set) else v
                             for k, v in given.items()})


def _by_rows(store, year: int | None, filters: RankingFilters) -> list:
    """The ranking as the rule in Python gives it: every row read (ranked_by_rows)."""
    from geldstroom.graph.store_flows import StoreFlows
    from geldstroom.queries.ranking import ranked_by_rows

    return sorted(ranked_by_rows(StoreFlows(store), year, filters),
                  key=lambda r: (-r.total_euros, -r.shared_euros, r.recipient))


@pytest.mark.parametrize(("year", "given"), COMBINATIONS)
def test_query_top_recipients_equals_the_summary_ranking(default_store, year: int | None,
                                                          given: dict) -> None:
    from geldstroom.queries.named import named_query
    from geldstroom.queries.ranking import RANKING_COLUMNS

    filters = _filters(given)
    ranked = _by_rows(default_store, year, filters)[:150]
    assert ranked, "a combination that ranks nobody tests nothing"
    query = named_query("top_recipients")
    text = {**filters.query_parameters(), "limit": "150",
            **({"year": str(year)} if year is not None else {})}
    rows = default_store.run(query.cypher, query.bind(text)).records()
    columns = [c for c in RANKING_COLUMNS if c not in ("years", "name")]
    assert [[row[c] for c in columns] for row in rows] == [
        [getattr(r, c) for c in columns] for r in ranked]


# `summary --year Y` on the store sums in the engine (ranked_in_store, the named query per
# year); it must rank exactly as the rule applied to every row does, in every year of the
# corpus and for all years together, with and without filters.
EVERY_YEAR = [*range(2013, 2029), None]
FILTERS = [
    {},
    *({"sources": {source}} for source in ("subsidy", "agency turnover",
                                           "bijdrage medeoverheid", "budget table line",
                                           "document line")),
    {"hoofdstukken": {"XVI"}},
    {"hoofdstukken": {"B", "C", "VII"}, "sources": {"budget table line", "subsidy"}},
    {"hoofdstukken": {"V", "Ministerie van Buitenlandse Zaken"}},
    {"instrument": "subsidies"},
    {"instrument": "Bijdrage aan agentschappen", "hoofdstukken": {"XIII", "XVI"}},
    {"exclude_kinds": {"agentschap", "gemeente"}},
    {"exclude_kinds": {"unknown"}, "sources": {"subsidy", "document line"},
     "instrument": "o"},
]


@pytest.fixture(scope="module")
def rows_by_year(default_store) -> dict:
    from geldstroom.graph.store_flows import StoreFlows
    from geldstroom.queries.ranking import received_rows

    return {year: received_rows(StoreFlows(default_store), year) for year in EVERY_YEAR}


@pytest.mark.parametrize("given", FILTERS)
def test_the_engine_ranks_as_the_rule_on_every_row(default_store, rows_by_year,
                                                   given: dict) -> None:
    from geldstroom.queries.ranking import ranked_in_store, ranked_of_rows

    filters = _filters(given)
    ranked = 0
    for year in EVERY_YEAR:
        in_engine = ranked_in_store(default_store, year, filters)
        by_rows = ranked_of_rows(rows_by_year[year], filters)
        assert sorted(in_engine, key=repr) == sorted(by_rows, key=repr), (year, given)
        ranked += len(by_rows)
    assert ranked, "filters that rank nobody in any year test nothing"


def test_the_summary_ranks_with_the_engine_on_the_store(default_store) -> None:
    from geldstroom.graph.store_flows import StoreFlows
    from geldstroom.queries.ranking import rank_recipients

    got = rank_recipients(StoreFlows(default_store), 2015, _filters({}), top=5)
    assert [r.recipient for r in got.recipients] == [
        r.recipient for r in _by_rows(default_store, 2015, _filters({}))[:5]]
    assert got.ranked == len(_by_rows(default_store, 2015, _filters({})))


def test_a_filter_value_with_a_comma_is_never_split(default_store) -> None:
    # The named query takes its lists as comma text; a payer written "XVI,B" is no payer
    # of the corpus (the rule in Python admits nothing), never XVI and B.
    from geldstroom.graph.store_flows import StoreFlows
    from geldstroom.queries.ranking import rank_recipients

    assert _by_rows(default_store, 2015, _filters({"hoofdstukken": {"XVI"}}))
    odd = _filters({"hoofdstukken": {"XVI,B"}})
    assert not odd.fit_query_parameters
    assert rank_recipients(StoreFlows(default_store), 2015, odd).ranked == 0
