"""`geldstroom sources` and `geldstroom validate` on the open data."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from geldstroom.cli import app
from geldstroom.loaders.minfin_corpus import bundled_sources_manifest

runner = CliRunner()


def test_sources_lists_every_file_with_its_rows() -> None:
    result = runner.invoke(app, ["sources", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["file"]: r for r in json.loads(result.stdout)}
    # Data rows as SOURCES.md gives them for the budget files (records below the header).
    assert {f: r["rows"] for f, r in rows.items() if r["dataset"] != "register"} == {
        "budgettaire_tabellen_owb_2015_origineel.csv.gz": 3052,
        "budgettaire_tabellen_owb_2016_origineel.csv.gz": 6520,
        "budgettaire_tabellen_owb_2017_origineel.csv.gz": 3089,
        "begrotingsstaten.csv.gz": 2629,
        "subsidiesministeries2015.csv.gz": 25163,
        "bijdragen_aan_medeoverheden.csv.gz": 879,
        "agentschappen.csv.gz": 283,
    }
    first = rows["begrotingsstaten.csv.gz"]
    assert first["publisher"] == "Ministerie van Financiën"
    assert first["address"] == "http://opendata.rijksbegroting.nl/begrotingsstaten.csv"
    assert first["unit"] == "x € 1.000"
    assert "without restrictions" in first["licence"]


def _newer_copy(tmp_path: Path) -> Path:
    """A manifest naming copies of two bundled files, one with a total changed."""
    bundled = bundled_sources_manifest().parent
    for folder in ("budgettaire-tabellen", "begrotingsstaten"):
        (tmp_path / folder).mkdir()
    with gzip.open(bundled / "budgettaire-tabellen" /
                   "budgettaire_tabellen_owb_2017_origineel.csv.gz", "rt",
                   encoding="utf-8") as handle:
        text = handle.read()
    lines = text.split("\n")
    # line 712: the Subsidies total of VIII artikel 14, "37,155" for 2015; make it 37,156
    assert ',Subsidies,,,"37,155",' in lines[711]
    lines[711] = lines[711].replace('"37,155"', '"37,156"')
    (tmp_path / "budgettaire-tabellen" / "budgettaire_tabellen_owb_2017.csv").write_text(
        "\n".join(lines), encoding="utf-8")
    shutil.copy(bundled / "begrotingsstaten" / "begrotingsstaten.csv.gz",
                tmp_path / "begrotingsstaten")
    manifest = tmp_path / "sources.toml"
    manifest.write_text("\n".join(f"""
[[source]]
dataset = "{dataset}"
file = "{file}"
title = "t"
publisher = "p"
address = "a"
unit = "x € 1.000"
licence = "l"
""" for dataset, file in (
        ("budgettaire tabellen", "budgettaire-tabellen/budgettaire_tabellen_owb_2017.csv"),
        ("begrotingsstaten", "begrotingsstaten/begrotingsstaten.csv.gz"))), encoding="utf-8")
    return manifest


def test_validate_a_sources_manifest_reports_a_changed_total(tmp_path: Path) -> None:
    manifest = _newer_copy(tmp_path)
    result = runner.invoke(app, ["validate", "--manifest", str(manifest), "--format", "json"])
    # Findings in published data are reported, not a failure of the command.
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    (tabellen,) = (s for s in out["sources"] if s["dataset"] == "budgettaire tabellen")
    changed = [m for m in tabellen["mismatch_list"] if m["line"] == 712]
    assert changed == [{
        "document": "budgettaire_tabellen_owb_2017.csv", "line": 712, "level": "instrument",
        "label": "VIII > artikel 14 > U > Subsidies", "year": 2015,
        "expected": 37_156_000, "found": 37_155_000}]
    listed = runner.invoke(app, ["sources", "--manifest", str(manifest), "--format", "json"])
    assert [r["rows"] for r in json.loads(listed.stdout)] == [3089, 2629]


def test_validate_names_a_missing_file_in_one_line(tmp_path: Path) -> None:
    manifest = tmp_path / "sources.toml"
    manifest.write_text('[[source]]\ndataset = "agentschappen"\nfile = "gone.csv"\n'
                        'title = "t"\npublisher = "p"\naddress = "a"\nunit = "u"\n'
                        'licence = "l"\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", "--manifest", str(manifest)])
    assert result.exit_code == 2
    assert "gone.csv: no such data file" in result.output
    assert "Traceback" not in result.output


def test_a_sources_manifest_with_an_unknown_dataset_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "sources.toml"
    manifest.write_text('[[source]]\ndataset = "PDF"\nfile = "x.csv"\ntitle = "t"\n'
                        'publisher = "p"\naddress = "a"\nunit = "u"\nlicence = "l"\n',
                        encoding="utf-8")
    result = runner.invoke(app, ["sources", "--manifest", str(manifest)])
    assert result.exit_code == 2
    assert "[[source]] number 1: dataset" in result.output


def test_validate_shows_the_open_data_beside_the_documents() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "0 mismatches" in result.output  # the bundled BZK documents, as before
    assert "Begrotingsstaten against the budgettaire tabellen" in result.output
    assert "Recipient coverage per article" in result.output
