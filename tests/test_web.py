"""The web explorer's pages and JSON API, in process, on the national store: the same
records as the command line, one-line 400s, 404s with the closest names, nothing written."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_fixtures import cli_json

from geldstroom.cli.app import app as cli_app
from geldstroom.cli.common import current_store
from geldstroom.web.app import create_app
from geldstroom.web.explorer import Explorer


@pytest.fixture(scope="module")
def explorer() -> Iterator[Explorer]:
    found = Explorer(current_store(None))
    yield found
    found.close()


@pytest.fixture(scope="module")
def client(explorer: Explorer) -> TestClient:
    return TestClient(create_app(explorer))


def _ids(response) -> list[str]:
    return [s["id"] for s in response.json()]


def test_suggestions_find_any_spelling(client: TestClient) -> None:
    assert _ids(client.get("/api/search?q=caop"))[0] == "caop"
    # Accents and case do not matter: the ministry writes itself "Financiën".
    assert "minister-fin" in _ids(client.get("/api/search?q=ministerie van financien"))
    # A name written with its abbreviation, as the subsidies file writes it.
    rvo = client.get("/api/search", params={
        "q": "Rijksdienst voor Ondernemend Nederland (RVO)"}).json()[0]
    assert rvo["kind"] == "recipient"
    assert rvo["name"].startswith("Rijksdienst voor Ondernemend Nederland")
    # A typo still finds the agency.
    assert "logius" in _ids(client.get("/api/search?q=Logus"))
    # Budget lines too, with the page to go to.
    lines = [s for s in client.get("/api/search?q=overlegstelsel").json() if s["kind"] == "line"]
    assert lines and lines[0]["url"].startswith("/line/")


def _summary(answer: dict) -> dict:
    """The API's recipient answer without its `actor` (actors explain): `summary -f json`."""
    return {k: v for k, v in answer.items() if k != "actor"}


def test_recipient_api_is_the_cli_summary(client: TestClient) -> None:
    assert _summary(client.get("/api/recipient/caop").json()) == \
        cli_json("summary", "Stichting CAOP")
    assert _summary(client.get("/api/recipient/vng?year=2015").json()) == \
        cli_json("summary", "VNG", "--year", "2015")


def test_recipient_answer_downloads_as_the_cli_csv(client: TestClient) -> None:
    """One place makes the answer's rows: the page's download is `summary NAME -f csv`."""
    cli = CliRunner().invoke(cli_app, ["summary", "VNG", "--year", "2015", "-f", "csv"])
    assert cli.exit_code == 0, cli.output
    web = client.get("/api/recipient/vng?year=2015&list=answer&format=csv").text
    assert list(csv.reader(io.StringIO(web))) == list(csv.reader(io.StringIO(cli.stdout)))


def test_recipient_names_and_sources_are_actors_explain(client: TestClient) -> None:
    """The store's register is the bundled inputs' with their open data and texts: the
    API's `actor` is `actors explain --open-data --texts -f json`, one function for both."""
    actor = client.get("/api/recipient/caop").json()["actor"]
    assert actor == cli_json("actors", "explain", "caop", "--open-data", "--texts")
    # core/data/actors.toml:23 (its [[actor]]'s id line) names it; BZK's 2012 list of
    # stichtingen writes it without 'voor' (an override merges it); the subsidies file's
    # rows 107, 17600, 17601 and 21310.
    assert [c["source"] for c in actor["claims"]] == [
        "geldstroom/data/actors.toml:23",
        "geldstroom/data/minfin/registers/stichtingen_BZK_05112012.csv.gz:5",
        "subsidiesministeries2015.csv:107", "subsidiesministeries2015.csv:17600",
        "subsidiesministeries2015.csv:17601", "subsidiesministeries2015.csv:21310"]
    page = client.get("/recipient/caop").text
    names = page.split('id="names-h"')[1]
    assert "Centrum Arbeidsverhoudingen Overheidpersoneel" in names
    assert "override geldstroom/data/actor_overrides.toml [[merge]] 1" in names
    assert 'href="/source/geldstroom%2Fdata%2Factors.toml?line=23"' in names
    cited = client.get("/source/geldstroom%2Fdata%2Factors.toml?line=23").text
    assert "id = &#34;caop&#34;" in cited.split('class="cited"')[1].split("</tr>")[0]
    # TNO: the abbreviation another actor has too is said, linked, not used to find it.
    tno = client.get("/recipient/tno").text.split('id="names-h"')[1]
    assert "is also the abbreviation of" in tno
    assert 'href="/recipient/toegepast-natuurwetenschappelijk-onderzoek"' in tno
    csv_names = client.get("/api/recipient/caop?list=names&format=csv").text
    assert csv_names.startswith("name,aliases,source,origin,kind,ministry,joined,quote")


def test_national_api_is_the_cli_summary(client: TestClient) -> None:
    assert client.get("/api/national?year=2015&top=5").json() == \
        cli_json("summary", "--year", "2015", "--top", "5")
    # summary --year's filters, as query parameters: the same ranking
    assert client.get("/api/national?year=2015&top=5&payer=BZ&source=subsidy"
                      "&exclude_kind=agentschap").json() == \
        cli_json("summary", "--year", "2015", "--top", "5", "--payer", "BZ", "--source",
                 "subsidy", "--exclude-kind", "agentschap")


def test_the_national_page_ranks_with_the_filters(client: TestClient) -> None:
    page = client.get("/?year=2015&top=3&source=subsidy&instrument=")
    assert page.status_code == 200
    assert "OXFAM NOVIB" in page.text and 'selected>subsidy<' in page.text
    assert "source=subsidy" in page.text  # the downloads keep the filters
    bad = client.get("/api/national?year=2015&source=grants")
    assert bad.status_code == 400
    assert "no source 'grants'" in bad.text and "agency turnover" in bad.text


def test_named_query_api_is_the_cli_query(client: TestClient) -> None:
    assert client.get("/api/query/top_recipients?year=2015&limit=3").json() == \
        cli_json("query", "top_recipients", "--param", "year=2015", "--param", "limit=3")


def test_a_name_redirects_to_the_id(client: TestClient) -> None:
    response = client.get("/recipient/Stichting CAOP", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/recipient/caop"


def test_recipient_page_shows_every_amount_with_its_source(client: TestClient) -> None:
    page = client.get("/recipient/caop").text
    assert "€ 1.201.000" in page  # Overlegstelsel 2024, the begroting's line 195
    assert 'href="/source/VII%2Fbegroting-2024%2F001_1ef586f7da9213de.txt?line=195"' in page
    # The 2015 subsidy is stated on no known line: apart, with its row of the file.
    assert "€ 2.786.000" in page
    assert 'href="/source/subsidiesministeries2015.csv?line=107"' in page
    # issue 14: the page leads with what it received, counted once (queries/received.py)
    assert "Received per year, counted once" in page
    received = client.get("/api/recipient/caop").json()["received"]
    # subsidiesministeries2015.csv: Stichting CAOP (BZK) 2.786.000, Caop Stichting (OCW)
    # 566.908, CAOP CENTRUM VOOR ARBEIDSVERHOUDINGEN ... (VWS) 4.050.239
    first = received["years"][0]
    assert (first["year"], first["total_euros"]) == (2015, 7_403_147)
    assert first["by_payer"] == {"VWS (XVI)": 4_050_239, "BZK (VII)": 2_786_000,
                                 "OCW (VIII)": 566_908}


def test_source_page_marks_the_cited_line(client: TestClient) -> None:
    page = client.get("/source/subsidiesministeries2015.csv?line=107").text
    cited = page.split('class="cited"')[1].split("</tr>")[0]
    assert "Stichting CAOP" in cited and ">107<" in cited


def test_unknown_ids_are_404_with_the_closest_names(client: TestClient) -> None:
    page = client.get("/recipient/Logus")
    assert page.status_code == 404
    assert 'href="/recipient/logius"' in page.text
    api = client.get("/api/payer/minister-bzx")
    assert api.status_code == 404
    assert api.json()["error"] == "no payer 'minister-bzx' in the store"
    assert "minister-bzk" in [c["id"] for c in api.json()["closest"]]
    assert client.get("/line/no such line").status_code == 404
    assert client.get("/no/such/page").status_code == 404


@pytest.mark.parametrize(("url", "message"), [
    ("/api/national?year=abc", "year: Input should be a valid integer"),
    ("/api/national?year=1999", "no amounts for 1999; the store covers 2013-2028"),
    ("/api/recipient/caop?list=rows", "list 'rows': this answer's lists are answer, "
     "recipients, unplaced, flows, received_years, received_rows"),
    ("/api/recipient/caop?format=xml", "format: String should match pattern"),
    ("/api/cypher?statement=CREATE (a:Actor {id: 'x'})", "CREATE"),
    ("/api/cypher?statement=MATCH (a:Actor) WHERE a.id = $who RETURN a.name",
     "who"),
    ("/api/query/no_such_query", "no_such_query"),
])
def test_bad_parameters_are_400_with_one_line(client: TestClient, url: str,
                                                message: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert message in error and "\n" not in error


def test_cypher_console_runs_read_only_statements(client: TestClient) -> None:
    statement = "MATCH (a:Actor) WHERE a.id = $who RETURN a.id AS id, a.name AS name"
    rows = client.get("/api/cypher", params={"statement": statement,
                                             "param": "who=caop"}).json()
    assert rows == [{"id": "caop",
                     "name": "Stichting Centrum voor Arbeidsverhoudingen Overheidspersoneel"}]
    page = client.get("/cypher", params={"statement": statement, "params": "who=caop"})
    assert page.status_code == 200 and "Overheidspersoneel" in page.text
    refused = client.get("/cypher", params={"statement": "MATCH (a) DETACH DELETE a"})
    assert refused.status_code == 400 and "DELETE" in refused.text
    # Each named query is an example that runs as it is.
    example = client.get("/cypher?example=top_recipients", follow_redirects=True)
    assert example.status_code == 200 and "row" in example.text


def test_cypher_console_answers_the_readme_example_as_the_command_does(
        client: TestClient) -> None:
    """Issue 15: unguarded, Ladybug summed 'unattributed' wrong in this two-hop statement;
    the console gets the rewritten form, as `geldstroom cypher` does."""
    statement = ("MATCH (:Actor)-[a:ALLOCATES {chosen: true}]->(:BudgetLine)-[p:PAYS]->"
                 "(r:Actor {id: $who}) WHERE p.year = a.year RETURN a.year AS year, "
                 "sum(a.euros) AS euros")
    rows = client.get("/api/cypher", params={"statement": statement,
                                             "param": "who=unattributed"}).json()
    # No ORDER BY: the engine's order is no order, on either side.
    by_year = sorted(rows, key=lambda row: row["year"])
    assert by_year == sorted(cli_json("cypher", statement, "--param", "who=unattributed"),
                             key=lambda row: row["year"])
    assert len(rows) >= 10


def test_every_list_downloads_as_csv_and_json(client: TestClient) -> None:
    pages = {"/api/national?top=5": ["totals", "top_recipients"],
             "/api/recipient/caop": ["answer", "recipients", "unplaced", "flows",
                                     "received_years", "received_rows"],
             "/api/payer/minister-bzk?year=2024": ["totals", "articles", "flows"],
             "/api/line/" + "VII > artikel 7 > 1 > Subsidies > (regel niet bekend)":
                 ["figures", "pays"]}
    for url, lists in pages.items():
        sep = "&" if "?" in url else "?"
        for name in lists:
            as_json = client.get(f"{url}{sep}list={name}").json()
            response = client.get(f"{url}{sep}list={name}&format=csv")
            assert response.status_code == 200, (url, name, response.text)
            assert response.headers["content-type"] == "text/csv; charset=utf-8"
            assert "attachment" in response.headers["content-disposition"]
            rows = list(csv.DictReader(io.StringIO(response.text)))
            assert len(rows) == len(as_json), (url, name)
    caop = client.get("/api/recipient/caop?list=unplaced&format=csv").text
    # The subsidies file's own rows (line 107, 17600, 17601, 21310: checked by hand).
    assert caop.splitlines() == [
        "recipient,year,euros,line_id,evidence",
        "caop,2015,2786000,VII > artikel 7 > 1 > Subsidies > (regel niet bekend),"
        "subsidiesministeries2015.csv:107: Stichting CAOP",
        "caop,2015,49950,VIII > artikel 9 > - > Subsidies > (regel niet bekend),"
        "subsidiesministeries2015.csv:17600: Caop Stichting",
        "caop,2015,516958,VIII > artikel 9 > - > Subsidies > (regel niet bekend),"
        "subsidiesministeries2015.csv:17601: Caop Stichting",
        "caop,2015,4050239,XVI > artikel 4 > (regel niet bekend),"
        "subsidiesministeries2015.csv:21310: CAOP CENTRUM VOOR ARBEIDSVERHOUDINGEN OVERHEIDS "
        "PER CENTRUM"]


def test_payer_page_reconciles_against_uitgaven(client: TestClient) -> None:
    data = client.get("/api/payer/minister-bzk").json()
    by_year = {t["year"]: t for t in data["totals"]}
    assert by_year[2024]["uitgaven_euros"] == 86_189_000  # BZK artikel 7, Begroting 2024
    assert by_year[2024]["reconciles"] is True
    assert data["year"] == 2028  # the last year with lines, when none is asked
    page = client.get("/payer/minister-bzk?year=2024").text
    assert "Overlegstelsel" in page and "ok" in page


def test_payer_page_draws_the_diagram_commands_sankey(client: TestClient,
                                                      tmp_path: Path) -> None:
    """The payer page's Sankey is `diagram --payer VII --year 2024 --top 15 -o x.svg`, byte
    for byte: the same data (queries/diagram.py, here from the store's flows, there from
    the graph) and the same drawing, at its own URL, which the page embeds (so the page's
    HTML never waits for a drawing)."""
    drawn = tmp_path / "bzk-2024.svg"
    result = CliRunner().invoke(cli_app, ["diagram", "--payer", "VII", "--year", "2024",
                                          "--top", "15", "-o", str(drawn)])
    assert result.exit_code == 0, result.output
    page = client.get("/payer/minister-bzk?year=2024").text
    assert '<object data="/payer/minister-bzk/sankey.svg?year=2024" type="image/svg+xml"' \
        in page
    svg = client.get("/payer/minister-bzk/sankey.svg?year=2024")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.content == drawn.read_bytes()
    assert client.get("/payer/minister-bzk/sankey.svg?year=2024&top=15").content == \
        drawn.read_bytes()
    # Another top is another drawing, and the page points at it.
    assert 'sankey.svg?year=2024&amp;top=3"' in client.get(
        "/payer/minister-bzk?year=2024&top=3").text
    assert b"grootste 3 stromen" in client.get(
        "/payer/minister-bzk/sankey.svg?year=2024&top=3").content
    sankey = client.get("/api/payer/minister-bzk?year=2024").json()["sankey"]
    # Every euro once: the bands out of the minister add up to its lines, the Uitgaven of
    # BZK artikel 7 in the Begroting 2024 (86 189 000, reconciled above).
    assert sankey["total_euros"] == 86_189_000
    assert sum(link["euros"] for link in sankey["links"]
               if link["source"] == "m:minister-bzk") == 86_189_000
    assert sankey["title"].startswith("Minister van Binnenlandse Zaken en "
                                      "Koninkrijksrelaties: geldstromen 2024")
    bands = client.get("/api/payer/minister-bzk?year=2024&list=sankey&format=csv").text
    assert bands.startswith("source,target,euros,source_id,target_id\n"
                            "Minister van BZK,Opdrachten,52706000,")
    # VWS 2016 has a taakstelling of -53 497 000 (a cut; budgettaire_tabellen_owb_2017
    # _origineel.csv:2077, t-1 "-53,497"): no band can show it, so the page says so with
    # the amount, rather than leave a drawing that silently lacks it.
    vws = client.get("/payer/minister-vws?year=2016").text
    assert "Negative amounts (cuts, corrections) cannot be drawn as bands" in vws
    assert "Minister van VWS &rarr; Taakstelling: € -53.497.000" in vws
    # --top is in the URL, checked as the command checks it.
    assert client.get("/api/payer/minister-bzk?year=2024&top=3").json()["sankey"]["top"] == 3
    assert client.get("/payer/minister-bzk?year=2024&top=0").status_code == 400


def test_pages_answer_without_javascript(client: TestClient) -> None:
    for url in ("/", "/?year=2015&top=5", "/recipient/caop", "/payer/minister-bzk",
                "/line/VII > artikel 7 > 1 > Subsidies > (regel niet bekend)", "/cypher",
                "/docs", "/search?q=caop", "/static/suggest.js", "/static/style.css",
                "/openapi.json"):
        assert client.get(url).status_code == 200, url
    # The search form without JavaScript: a whole name goes to its page.
    whole = client.get("/search?q=Logius", follow_redirects=False)
    assert whole.status_code == 303 and whole.headers["location"] == "/recipient/logius"


def test_no_asset_comes_from_elsewhere(client: TestClient) -> None:
    for url in ("/", "/recipient/caop", "/cypher", "/docs"):
        page = client.get(url).text
        assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_requests_write_nothing(client: TestClient, explorer: Explorer, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the store's folder, not the cache (where `diagram` keeps its graph and
    matplotlib its font list), not the working directory: a request draws a Sankey, reads
    the register and runs Cypher that would write, and nothing changes on the disk."""
    import matplotlib

    monkeypatch.chdir(tmp_path)
    watched = [explorer.path.parent, Path(os.environ["XDG_CACHE_HOME"]),
               Path(matplotlib.get_cachedir()), Path(matplotlib.get_configdir())]

    def files() -> dict[str, int]:
        return {str(p): p.stat().st_mtime_ns for folder in watched if folder.exists()
                for p in [folder, *folder.rglob("*")]}

    before = files()
    for url in ("/", "/recipient/caop", "/api/recipient/caop?list=flows&format=csv",
                "/recipient/tno", "/payer/minister-vws?year=2016&top=9",
                "/payer/minister-vws/sankey.svg?year=2016&top=9",  # drawn by this request
                "/api/payer/minister-ocw?year=2015&list=sankey&format=csv",
                "/cypher?example=top_recipients", "/api/cypher?statement=MATCH (a:Actor) "
                "RETURN count(a)", "/api/cypher?statement=COPY Actor TO 'x.csv'",
                "/api/cypher?statement=CALL checkpoint()"):
        answer = client.get(url, follow_redirects=True)
        assert answer.status_code in (200, 400), url  # the writing Cypher is refused
        assert ".svg" not in url or answer.headers["content-type"] == "image/svg+xml"
    assert files() == before
    assert list(tmp_path.iterdir()) == []


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "geldstroom", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})


def test_serve_prints_its_address_and_stops_on_ctrl_c() -> None:
    current_store(None)  # built before: the server starts on a current store
    server = _serve("--port", "0")
    try:
        line = server.stdout.readline()
        assert line.startswith("geldstroom explorer on http://127.0.0.1:"), line
        address = line.split()[3]
        with urllib.request.urlopen(f"{address}api/search?q=caop") as answer:
            assert json.load(answer)[0]["id"] == "caop"
        busy = _serve("--port", address.rstrip("/").rsplit(":", 1)[1])
        _, err = busy.communicate(timeout=60)
        assert busy.returncode == 2
        assert err.strip().startswith("error: cannot listen on 127.0.0.1:")
        assert len(err.strip().splitlines()) == 1
    finally:
        server.send_signal(signal.SIGINT)
        started = time.monotonic()
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert err.strip().endswith("stopped")
    assert time.monotonic() - started < 10


def test_serve_warns_for_another_host() -> None:
    server = _serve("--host", "0.0.0.0", "--port", "0")
    try:
        assert server.stdout.readline().startswith("geldstroom explorer on http://0.0.0.0:")
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert err.startswith("warning: listening on 0.0.0.0")


def test_a_name_that_fits_several_links_each(client: TestClient) -> None:
    """The resolver's 'fits several' (a person decides) is a 400 listing each, linked:
    on the bundled corpus 'SBB' is an alias of Staatsbosbeheer and of the Stichting
    Samenwerking Beroepsonderwijs Bedrijfsleven, the id of neither."""
    page = client.get("/recipient/SBB")
    assert page.status_code == 400
    assert 'href="/recipient/staatsbosbeheer"' in page.text
    assert 'href="/recipient/samenwerking-beroepsonderwijs-bedrijfsleven"' in page.text
    api = client.get("/api/recipient/SBB")
    assert api.status_code == 400
    assert [c["id"] for c in api.json()["closest"]] == [
        "samenwerking-beroepsonderwijs-bedrijfsleven", "staatsbosbeheer"]


def test_an_actor_id_is_that_actor_though_another_has_it_as_alias(
        client: TestClient) -> None:
    """'tno' is TNO's id and an alias of the subsidies file's 'Toegepast-
    Natuurwetenschappelijk Onderzoek': the id wins, on the page and in the API, as in
    `summary tno`."""
    assert client.get("/recipient/tno").status_code == 200
    assert client.get("/recipient/TNO", follow_redirects=False).headers["location"] == \
        "/recipient/tno"
    assert _summary(client.get("/api/recipient/tno").json()) == cli_json("summary", "tno")


_BAD_PARAMETERS = [
    # top: the CLI's `summary --top 0` and `diagram --top 0` are refused; so here
    "/?top=0", "/?top=-1", "/?top=x", "/api/national?top=0", "/api/national?top=1001",
    "/payer/minister-bzk?top=0", "/api/payer/minister-bzk?top=-3",
    "/payer/minister-bzk/sankey.svg?top=0", "/payer/minister-bzk/sankey.svg?top=abc",
    # year: a number, and one the store holds
    "/?year=0", "/?year=-2015", "/?year=2015.5", "/api/national?year=1999",
    "/recipient/caop?year=x", "/api/recipient/caop?year=3000",
    "/payer/minister-bzk?year=1", "/payer/minister-bzk/sankey.svg?year=1999",
    "/api/payer/minister-bzk?year=nineteen",
    # the ranking's filters: values the CLI knows (summary --payer/--source/--exclude-kind)
    "/?payer=nope", "/api/national?payer=XCIX", "/api/national?source=gift",
    "/?exclude_kind=planet", "/api/national?year=2015&exclude_kind=gemeente,planet",
    # enums: format, list
    "/api/national?format=xml", "/api/recipient/caop?list=nope",
    "/api/payer/minister-bzk?format=csv", "/api/line/VII > artikel 7 > 1 > Subsidies > "
    "(regel niet bekend)?list=figures&format=pdf",
    # the rest
    "/source/subsidiesministeries2015.csv?line=0", "/source/subsidiesministeries2015.csv"
    "?line=-5", "/api/search?q=caop&limit=0", "/api/search?q=caop&limit=x",
    "/api/query/top_recipients?limit=-1", "/api/query/top_recipients?year=x",
]


@pytest.mark.parametrize("url", _BAD_PARAMETERS)
def test_a_bad_parameter_is_a_400_with_one_line(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 400, (url, answer.status_code)
    if url.startswith("/api/"):
        message = answer.json()["error"]
        assert message and "\n" not in message, message
