"""`geldstroom actors`: list and explain, with one-line errors."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.graph.default_store import (
    cached_open_data_claims,
    claims_cache_path,
    default_register,
)
from geldstroom.graph.open_data import open_data_claims, open_register
from geldstroom.loaders.documents.corpus import read_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.loaders.opendata.corpus import OpenCorpus

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_explain_cites_file_and_line() -> None:
    result = run("actors", "explain", "Stichting CAOP")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("caop: Stichting Centrum voor Arbeidsverhoudingen Overheidspersoneel")
    assert "geldstroom/data/actors.toml:23:" in out
    assert ("geldstroom/data/minfin/registers/stichtingen_BZK_05112012.csv.gz:5: "
            "'Centrum Arbeidsverhoudingen Overheidpersoneel'") in out
    assert "override geldstroom/data/actor_overrides.toml [[merge]] 1" in out


def test_explain_as_json() -> None:
    result = run("actors", "explain", "CBS", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["id"], data["kind"], data["ministry"]) == ("cbs", "RWT", "Economische Zaken")
    sources = [c["source"] for c in data["claims"]]
    assert sources == ["geldstroom/data/actors.toml:17",
                       "geldstroom/data/minfin/registers/rwt-register.csv.gz:22"]


def test_explain_errors_are_one_line() -> None:
    result = run("actors", "explain", "SBB")
    assert result.exit_code == 2
    assert "'SBB' is the abbreviation of 3 organisations" in result.stderr
    assert "staatsbosbeheer" in result.stderr
    result = run("actors", "explain", "VNG Afdeling Groningen")
    assert result.exit_code == 2 and "no actor 'VNG Afdeling Groningen'" in result.stderr


def test_list_by_kind() -> None:
    result = run("actors", "list", "--actor-kind", "fund", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == [
        "bes-fonds", "deltafonds", "diergezondheidsfonds", "gemeentefonds",
        "infrastructuurfonds", "provinciefonds"]
    result = run("actors", "list", "--format", "csv")
    assert result.stdout.startswith("id,name,kind,ministry,origin,aliases\n")


def test_registers_report_rows_read_and_skipped() -> None:
    result = run("actors", "registers", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in json.loads(result.stdout)}
    assert (rows["rwt-register.csv.gz"]["rows"], rows["rwt-register.csv.gz"]["names"]) == (126, 125)
    assert rows["rwt-register.csv.gz"]["reasons"] == ["no name (line 58)"]
    assert rows["zbo-register.csv.gz"]["names"] == 122


def test_a_broken_register_names_file_and_line(tmp_path) -> None:
    from geldstroom.loaders.actors.registers import bundled_registers_dir

    for path in bundled_registers_dir().glob("*.csv.gz"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "zbo-register.csv.gz").unlink()
    (tmp_path / "zbo-register.csv").write_text("Name,Afkorting\nX,Y\n", encoding="utf-8")
    result = run("actors", "registers", "--folder", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'zbo-register.csv'}:1: missing columns" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_list_and_explain_take_the_register_options_from_one_group() -> None:
    """The four register options were written out in both commands; now one option_group."""
    import inspect

    from geldstroom.cli import actors as cli_actors

    names = ("register", "overrides", "texts", "open_data")
    for command in (cli_actors.list_actors, cli_actors.explain):
        params = inspect.signature(command).parameters
        assert all(params[n].kind is inspect.Parameter.KEYWORD_ONLY for n in names)
        assert "choice" not in params and "documents" not in params
    listed = inspect.signature(cli_actors.list_actors).parameters
    explained = inspect.signature(cli_actors.explain).parameters
    assert [listed[n] for n in names] == [explained[n] for n in names]
    assert cli_actors.RegisterChoice(texts=True).texts


def test_the_grouped_options_reach_both_commands() -> None:
    # subsidiesministeries2015.csv line 3: BZK ... ,Overige niet onder regeling vallend,ACOM,
    # 7.1,5000,2015 -- a recipient only the open data names.
    assert run("actors", "explain", "ACOM").exit_code == 2
    explained = run("actors", "explain", "ACOM", "--open-data", "--format", "json")
    assert explained.exit_code == 0, explained.output
    claims = json.loads(explained.stdout)["claims"]
    assert [(c["name"], c["source"]) for c in claims] == [
        ("ACOM", "subsidiesministeries2015.csv:3")]
    listed = run("actors", "list", "--open-data", "--origin", "data", "--format", "json")
    assert "acom" in {a["id"] for a in json.loads(listed.stdout)}


def test_candidates_list_near_names_and_merge_none(tmp_path: Path) -> None:
    rules = tmp_path / "overrides.toml"
    result = run("actors", "candidates", "--limit", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.stdout)
    assert pairs and all(p["one"] != p["other"] and p["score"] >= 85 for p in pairs)
    found = {frozenset((p["one_name"], p["other_name"])): p for p in pairs}
    # subsidiesministeries2015.csv:24140 and :24141: VWS cuts one at 35 characters.
    cut = found[frozenset(("STG VRIJWILLIGE THUISZORG OVERIJSSE",
                           "STG VRIJWILLIGE THUISZORG OVERIJSSEL"))]
    assert cut["hint"] == "cut at 35 characters?"
    # A person decides: a [[merge]] in an overrides file takes the pair off the list.
    rules.write_text('[[merge]]\nnames = ["STG VRIJWILLIGE THUISZORG OVERIJSSE", '
                     '"STG VRIJWILLIGE THUISZORG OVERIJSSEL"]\nreason = "cut"\n')
    decided = run("actors", "candidates", "--limit", "0", "--format", "json",
                  "--overrides", str(rules))
    assert decided.exit_code == 0, decided.output
    assert frozenset(("STG VRIJWILLIGE THUISZORG OVERIJSSE",
                      "STG VRIJWILLIGE THUISZORG OVERIJSSEL")) not in {
        frozenset((p["one_name"], p["other_name"])) for p in json.loads(decided.stdout)}


def test_the_open_data_claims_are_kept_beside_the_store(tmp_path: Path,
                                                        open_corpus: OpenCorpus) -> None:
    """The actors commands read the recipients the open data names from beside the store:
    the same claims as reading the open data, and read from there while the inputs' digest
    is the one they were kept for (built again for another)."""
    store = tmp_path / "store.lbug"
    claims = cached_open_data_claims(store, digest="inputs now")
    assert claims == open_data_claims(open_corpus)
    assert len(claims) == 16_928  # every named payment row of the three bundled files
    kept = claims_cache_path(store)
    with kept.open("wb") as handle:  # what is read back is what the file holds
        pickle.dump(("inputs now", claims[:2]), handle)
    assert cached_open_data_claims(store, digest="inputs now") == claims[:2]
    kept.write_bytes(b"not a pickle")
    assert cached_open_data_claims(store, digest="inputs now") == claims


def test_the_default_register_from_the_kept_claims_is_the_one_the_graph_is_built_with(
        tmp_path: Path, open_corpus: OpenCorpus) -> None:
    """The explorer's register (default_register: the kept claims) and the default graph's
    (open_register over the open data read, then the texts): the same actors with the same
    names and sources, claim for claim."""
    kept = default_register(tmp_path / "store.lbug")
    read = read_corpus(bundled_documents(), open_register(open_corpus))[1]
    assert kept.claims == read.claims
    assert [a.model_dump() for a in kept] == [a.model_dump() for a in read]
    assert len(list(kept)) > 12_000
