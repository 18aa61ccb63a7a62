"""`geldstroom sources` and `geldstroom validate` on the open data."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.loaders.opendata.corpus import bundled_sources_manifest

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
    changed = [f for f in out if f["line"] == 712 and f["finding"] == "mismatch"]
    assert changed == [{
        "source": "budgettaire tabellen", "file": "budgettaire_tabellen_owb_2017.csv",
        "line": 712, "finding": "mismatch", "subject": "VIII > artikel 14 > U > Subsidies",
        "detail": "instrument", "year": 2015, "stage": None, "stated_euros": 37_156_000,
        "found_euros": 37_155_000, "difference_euros": -1_000, "other": ""}]
    strict = runner.invoke(app, ["validate", "--manifest", str(manifest), "--strict"])
    assert strict.exit_code == 1 and "budgettaire_tabellen_owb_2017.csv" in strict.stdout
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
    assert "recipient named by the label" in result.output
    assert "Same money seen by two sources" in result.output


def _finding(rows: list[dict[str, str]], **wanted: str) -> dict[str, str]:
    (row,) = [r for r in rows if all(r[k] == v for k, v in wanted.items())]
    return row


def test_validate_lists_the_open_data_findings_one_row_each() -> None:
    """`validate -f csv` listed only the documents' mismatches, none of the open data's."""
    result = runner.invoke(app, ["validate", "--format", "csv"])
    assert result.exit_code == 0, result.output  # findings in published data: exit 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["source", "file", "line", "finding", "subject", "detail", "year",
                             "stage", "stated_euros", "found_euros", "difference_euros",
                             "other"]
    # OWB 2016 lines 3651 and 5455: IXB artikel 1 O Belastingontvangsten, t-2 (2014)
    # "114,549,910" in the first pass, "115,402,186" in the IXB block again.
    conflict = _finding(rows, finding="conflict", line="3651", year="2014")
    assert conflict == {
        "source": "budgettaire tabellen", "file": "budgettaire_tabellen_owb_2016_origineel.csv",
        "line": "3651", "finding": "conflict",
        "subject": "IXB > artikel 1 > O > Belastingontvangsten", "detail": "", "year": "2014",
        "stage": "realisatie", "stated_euros": "114549910000", "found_euros": "115402186000",
        "difference_euros": "852276000",
        "other": "budgettaire_tabellen_owb_2016_origineel.csv:5455"}
    # OWB 2015 line 242 is line 241 again (IV artikel 1, Bijdragen aan andere begrotingen).
    repeated = _finding(rows, finding="repeated row",
                        file="budgettaire_tabellen_owb_2015_origineel.csv", line="242")
    assert repeated["other"] == "budgettaire_tabellen_owb_2015_origineel.csv:241"
    # subsidies line 20117: OCW, Uwv Amsterdam, Beleid 1, Realisatie empty.
    skipped = _finding(rows, source="subsidies", finding="skipped row")
    assert (skipped["line"], skipped["detail"]) == ("20117", "no amount, or not a number")
    # begrotingsstaten line 2248 (IXA 1 = artikel 11, 2017): 45152957 against OWB 2017 line
    # 1015 on: 46,911, the sum of the article's lines (that file gives IXA in € mln).
    differs = _finding(rows, finding="reconciliation difference", line="2248")
    assert (differs["subject"], differs["stage"], differs["stated_euros"]) == (
        "IXA artikel 11 U", "ontwerpbegroting", "45152957000")
    assert differs["other"] == "budgettaire_tabellen_owb_2017_origineel.csv:1015"
    unclear = _finding(rows, finding="reconciliation candidates differ", line="339")
    assert unclear["other"] == ("budgettaire_tabellen_owb_2015_origineel.csv:1526 | "
                                "budgettaire_tabellen_owb_2015_origineel.csv:1527")
    # owb 2017:536: VIII "SBB", two registered SBBs of OCW and EZ's Staatsbosbeheer
    ambiguous = _finding(rows, finding="recipient ambiguous")
    assert (ambiguous["file"], ambiguous["line"]) == (
        "budgettaire_tabellen_owb_2017_origineel.csv", "536")
    assert "staatsbosbeheer" in ambiguous["other"]
    # agentschappen.csv:257: Logius 2015, omzet moeder departement (VII) 88.599 (x 1.000);
    # VII's lines "Agentschap Logius" owb 2017:2591 and :2601: 5,209 + 75,009
    same = _finding(rows, finding="same money, two sources", subject="logius", year="2015",
                    stated_euros="88599000")
    assert (same["file"], same["line"], same["found_euros"], same["difference_euros"]) == (
        "agentschappen.csv", "257", "80218000", "-8381000")
    as_json = json.loads(runner.invoke(app, ["validate", "--format", "json"]).stdout)
    assert len(as_json) == len(rows)
    assert {r["source"] for r in as_json} == {
        "budgettaire tabellen", "begrotingsstaten", "subsidies",
        "bijdragen aan medeoverheden", "agentschappen"}


def test_strict_fails_on_the_open_data_findings() -> None:
    result = runner.invoke(app, ["validate", "--format", "csv", "--strict"])
    assert result.exit_code == 1
    assert "--strict" in runner.invoke(app, ["validate", "--help"],
                                       env={"COLUMNS": "200"}).stdout
