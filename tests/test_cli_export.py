"""The diagram, chart and export commands: files written whole, or a one-line error and none."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
import typer
from typer.testing import CliRunner

from geldstroom.cli.export import register
from geldstroom.loaders.documents.manifest import bundled_manifest
from geldstroom.queries import export as export_module


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # a group, so the commands keep their names
        pass

    register(app)
    return app


# The bundled documents alone (--manifest): these tests check the documents' own figures;
# the national corpus, the commands' default, is tested below (test_national_*).
DOCUMENTS = ("--manifest", str(bundled_manifest()))


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    chosen = {"--file", "--manifest", "--help"} & set(args)
    argv = [args[0], *DOCUMENTS, *args[1:]] if args and not chosen else list(args)
    result = CliRunner().invoke(app, argv)
    return result.exit_code, result.output


def national(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_diagram_svg_for_2024(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "flows.svg"
    code, _ = run(app, "diagram", "--year", "2024", "-o", str(out))
    assert code == 0
    root = ET.fromstring(out.read_bytes())
    targets: dict[str, int] = defaultdict(int)  # one band per line into each recipient
    for g in root.iter():
        if g.get("class") == "flow" and g.get("data-target", "").startswith("r:"):
            targets[g.get("data-target")] += int(g.get("data-euros"))
    assert targets["r:unattributed"] == 60_204_000
    assert targets["r:ipo+vng+waterschapshuis"] == 863_000
    assert [p.name for p in tmp_path.iterdir()] == ["flows.svg"]  # no temp file left


def test_same_command_same_bytes(app: typer.Typer, tmp_path: Path) -> None:
    for name in ("a.html", "b.html", "a.png", "b.png"):
        assert run(app, "diagram", "--top", "10", "-o", str(tmp_path / name))[0] == 0
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_chart_for_a_recipient(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "ictu.svg"
    assert run(app, "chart", "Stichting ICTU", "-o", str(out))[0] == 0
    assert b"ICTU: ontvangen per jaar en bron" in out.read_bytes()


def test_export_graphml_and_csv(app: typer.Typer, tmp_path: Path) -> None:
    graphml = tmp_path / "g.graphml"
    assert run(app, "export", "graphml", "--year", "2024", "-o", str(graphml))[0] == 0
    parsed = nx.read_graphml(graphml)
    assert sum(d["counted_euros"] for *_, d in parsed.edges(data=True)
               if d["kind"] == "flow") == 86_189_000
    assert run(app, "export", "csv", "-o", str(tmp_path / "g.csv"))[0] == 0
    assert (tmp_path / "g.nodes.csv").read_text().startswith("id,name,kind")


@pytest.mark.parametrize(("args", "message"), [
    (["diagram", "--year", "1999"], "no amounts for 1999; the documents cover 2022-2028"),
    (["diagram", "--recipient", "Nobody"], "no recipient 'Nobody' in these documents"),
    (["diagram", "--beleidsartikel", "99"], "no beleidsartikel '99' in these documents; known: 7"),
    (["chart", "Nobody"], "no recipient 'Nobody'"),
    (["export", "yaml"], "unknown export format 'yaml'; use one of graphml, gexf"),
    (["export", "json", "--year", "2040"], "no amounts for 2040"),
])
def test_bad_arguments_one_line_and_no_file(app: typer.Typer, tmp_path: Path, args: list[str],
                                            message: str) -> None:
    out = tmp_path / "out.svg"
    code, output = run(app, *args, "-o", str(out))
    assert code == 2
    assert message in output and output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_unknown_extension_and_unwritable_path(app: typer.Typer, tmp_path: Path) -> None:
    code, output = run(app, "diagram", "-o", str(tmp_path / "flows.pdf"))
    assert code == 2 and "give -o a file ending in .html, .svg, .png" in output
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, output = run(app, "diagram", "-o", str(blocker / "flows.svg"))
    assert code == 2 and "does not exist" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_failed_write_leaves_old_file_and_no_temp(app: typer.Typer, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "flows.svg"
    out.write_text("old")

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, output = run(app, "diagram", "-o", str(out))
    assert code == 2 and "No space left on device" in output
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["flows.svg"]


def test_a_new_format_is_one_registry_entry(app: typer.Typer, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    count = export_module.Exporter(".txt", "edge count", lambda g: [
        (None, str(g.number_of_edges()).encode())])
    monkeypatch.setitem(export_module.EXPORTERS, "count", count)
    out = tmp_path / "n.txt"
    assert run(app, "export", "count", "--year", "2024", "-o", str(out))[0] == 0
    assert int(out.read_text()) > 34


def test_diagram_of_a_recipient_defaults_to_a_year_it_is_funded(app: typer.Typer,
                                                                tmp_path: Path) -> None:
    # CAOP is named from 2024 on; the documents' latest realised year, 2022, has no CAOP flow.
    out = tmp_path / "caop.svg"
    code, output = run(app, "diagram", "--recipient", "caop", "-o", str(out))
    assert code == 0, output
    assert "geldstromen 2024" in out.read_text(encoding="utf-8")


def test_export_refuses_an_extension_of_another_format(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    code, output = run(app, "export", "graphml", "-o", str(out))
    assert code == 2
    assert ".json is the extension of json, not of graphml" in output
    assert not out.exists()


def test_diagram_filter_and_document_artikel_are_told_apart(app: typer.Typer,
                                                             tmp_path: Path) -> None:
    code, output = run(app, "diagram", "--help")
    assert code == 0
    assert "--article" not in output  # one letter away from --artikel: renamed
    assert "--beleidsartikel" in output and "--artikel" in output
    out = tmp_path / "a7.svg"
    code, output = run(app, "diagram", "--year", "2024", "--beleidsartikel", "7", "-o", str(out))
    assert code == 0, output
    assert "artikel 7" in out.read_text(encoding="utf-8")
    code, output = run(app, "diagram", "--article", "7", "-o", str(tmp_path / "b.svg"))
    assert code == 2  # the old name says what it became, instead of suggesting --artikel
    assert "--article is now --beleidsartikel" in output and output.count("\n") == 1
    assert not (tmp_path / "b.svg").exists()


def test_csv_export_writes_the_files_the_readme_and_help_name(app: typer.Typer,
                                                              tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`-o (\S+)` writes the edges to `(\S+)` and the nodes to `(\S+)`", readme)
    assert said, "README does not say which files export csv writes"
    output, edges, nodes = said.groups()
    code, out = run(app, "export", "csv", "-o", str(tmp_path / output))
    assert code == 0, out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([edges, nodes])
    assert (tmp_path / nodes).read_text().startswith("id,name,kind,")
    assert (tmp_path / edges).read_text().startswith("source,target,key,kind,")
    code, text = run(app, "export", "--help")
    assert f"writes the edges to {edges} and the nodes to {nodes}" in " ".join(text.split())


def test_mermaid_to_markdown_file_is_fenced(app: typer.Typer, tmp_path: Path) -> None:
    code, output = run(app, "export", "mermaid", "--year", "2024", "-o", str(tmp_path / "f.md"))
    assert code == 0, output
    text = (tmp_path / "f.md").read_text(encoding="utf-8")
    assert text.startswith("```mermaid\nflowchart LR\n") and text.endswith("\n```\n")
    assert text.count("```") == 2
    code, output = run(app, "export", "json", "-o", str(tmp_path / "g.md"))
    assert code == 2 and ".md is the extension of mermaid, not of json" in output


def test_national_diagram_stays_readable_with_top_and_payer(app: typer.Typer,
                                                            tmp_path: Path) -> None:
    """The default is the national corpus: --top folds payers and instruments no kept flow
    passes through, so 2015 (21 payers, about 1 500 lines) draws 15 lines and one 'overige'
    node per level; widths still add up to the year's flows."""
    out = tmp_path / "national.svg"
    code, output = national(app, "diagram", "--year", "2015", "--top", "15", "-o", str(out))
    assert code == 0, output
    root = ET.fromstring(out.read_bytes())
    into: dict[str, int] = defaultdict(int)
    for g in root.iter():
        if g.get("class") == "flow" and g.get("data-target", "").startswith("r:"):
            into[g.get("data-target")] += int(g.get("data-euros"))
    from geldstroom.graph.default_store import cached_default_graph
    from geldstroom.graph.flows import select_flows

    year = select_flows(cached_default_graph(), 2015)
    assert sum(into.values()) == sum(f.euros for f in year)
    payers = {g.get("data-source") for g in root.iter()
              if g.get("class") == "flow" and g.get("data-source", "").startswith("m:")}
    assert "m:overig" in payers and len(payers) <= 16
    vws = tmp_path / "vws.svg"
    code, output = national(app, "diagram", "--year", "2015", "--payer", "XVI", "--top", "12",
                            "-o", str(vws))
    assert code == 0, output
    assert b"Minister van Volksgezondheid, Welzijn en Sport: geldstromen 2015" in (
        vws.read_bytes())
    assert national(app, "diagram", "--payer", "XCIX", "-o", str(vws))[1].startswith(
        "error: no payer 'XCIX': give a hoofdstuk (")


def test_national_chart_shows_every_year_the_corpus_has(app: typer.Typer,
                                                        tmp_path: Path) -> None:
    # owb 2015, 2016, 2017 name Logius in VII, XIII and XVIII lines: 2013-2021, and the
    # BZK documents 2023-2024
    out = tmp_path / "logius.svg"
    code, output = national(app, "chart", "Logius", "-o", str(out))
    assert code == 0, output
    text = out.read_bytes()
    assert all(str(year).encode() in text for year in (2013, 2015, 2021, 2023, 2024))
