"""The command line as a user meets it: output, exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.loaders.documents.manifest import bundled_documents, bundled_manifest

runner = CliRunner()
BEGROTING = next(d for d in bundled_documents() if d.kind.value == "begroting")


def run(*args: str):
    return runner.invoke(app, list(args))


def test_summary_json_reconciles_every_year() -> None:
    # The documents read in memory (--manifest): the per-year check of the documents.
    result = run("summary", "--manifest", str(bundled_manifest()), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    totals = {t["year"]: t for t in data["totals"]}
    assert totals[2024]["uitgaven_euros"] == 86_189_000
    assert all(t["reconciles"] for t in totals.values())
    caop = [r for r in data["recipients"] if r["recipient"] == "caop" and r["year"] == 2024]
    assert caop[0]["alone_euros"] == 1_201_000  # Overlegstelsel 2024


def test_summary_of_one_recipient_by_alias() -> None:
    result = run("summary", "Stichting Administratie Indonesische Pensioenen", "--year", "2028",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["row_kind"], r["recipient"], r["euros"]) for r in rows
            if r["row_kind"] in ("total", "instrument")] == [
        ("total", "saip", "3638000"), ("instrument", "saip", "3638000")]


def test_summary_table_for_people() -> None:
    result = run("summary", "--manifest", str(bundled_manifest()))
    assert result.exit_code == 0
    assert "Recipient funding summary" in result.stdout
    assert "86.189.000" in result.stdout  # Uitgaven 2024 in the closing check
    assert "DIFFERS" not in result.stdout


def test_links_csv_gives_every_recipient_with_evidence() -> None:
    result = run("links", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["role"] for r in rows} == {"recipient", "passed on"}
    woo = [r for r in rows if r["budget_line"].endswith("Ondersteuning koepels implementatie Woo")]
    assert {r["recipient"] for r in woo} == {"vng", "ipo", "waterschapshuis"}
    vng = next(r for r in woo if r["recipient"] == "vng")
    assert vng["shared_with"] == "ipo | waterschapshuis"  # one list separator everywhere
    assert vng["years"] == "2022-2026" and vng["line"] == "1167"
    assert vng["evidence"].startswith("De VNG, het IPO en het Waterschapshuis ontvangen")
    cbs = next(r for r in rows if r["recipient"] == "cbs")
    assert (cbs["document"], cbs["line"], cbs["years"]) == (
        "VII/jaarverslag-2022/000_18b475cc328f5857.txt", "48", "2022")


def test_lines_of_one_year() -> None:
    result = run("lines", "--manifest", str(bundled_manifest()), "--year", "2024",
                 "--format", "json")
    assert result.exit_code == 0
    lines = json.loads(result.stdout)
    assert len(lines) == 43
    assert sum(line["euros"] for line in lines) == 86_189_000
    overleg = next(x for x in lines if x["label"] == "Overlegstelsel")
    assert (overleg["euros"], overleg["stage"], overleg["line"]) == (1_201_000, "ontwerpbegroting",
                                                                     195)


def test_national_lines_by_payer_largest_first() -> None:
    # owb 2017:2038: XVI artikel 8, Inkomensoverdracht, "1. Zorgtoeslag", t-2 (2015)
    # "4,741,888" (x 1.000), the largest VWS line of 2015
    result = run("lines", "--year", "2015", "--payer", "VWS", "--top", "1", "-f", "json")
    assert result.exit_code == 0, result.output
    (line,) = json.loads(result.stdout)
    assert (line["label"], line["euros"], line["stage"], line["document"], line["line"]) == (
        "1. Zorgtoeslag", 4_741_888_000, "realisatie",
        "budgettaire_tabellen_owb_2017_origineel.csv", 2038)
    refused = run("lines", "--manifest", str(bundled_manifest()), "--payer", "VWS")
    assert refused.exit_code == 2 and "national corpus" in refused.output


def test_validate_seed_is_clean() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert "every level adds up" in result.stdout
    assert "0 mismatches" in result.stdout


def _copy_with(tmp_path: Path, line: int, text: str) -> Path:
    lines = Path(BEGROTING.path).read_text(encoding="utf-8").splitlines()
    lines[line - 1] = text
    path = tmp_path / "begroting.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_reports_a_changed_amount_and_fails(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, 195, "1.202")
    result = run("validate", "--file", str(path), "--format", "json")
    assert result.exit_code == 1
    (mismatch,) = json.loads(result.stdout)
    assert mismatch == {
        "source": "document", "file": "?/begroting-2024/begroting.txt", "line": 159,
        "finding": "mismatch", "subject": "Subsidies (regelingen)", "detail": "instrument",
        "year": 2024, "stage": None, "stated_euros": 7_179_000, "found_euros": 7_180_000,
        "difference_euros": 1_000, "other": "",
    }
    # Within a stated tolerance it is still listed but does not fail; --strict fails on it.
    assert run("validate", "--file", str(path), "--tolerance", "1000").exit_code == 0
    assert run("validate", "--file", str(path), "--tolerance", "1000",
               "--strict").exit_code == 1


def test_document_metadata_is_read_from_the_text(tmp_path: Path) -> None:
    path = tmp_path / "copy.txt"
    shutil.copy(BEGROTING.path, path)
    result = run("lines", "--file", str(path), "--year", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)[0]
    assert first["stage"] == "realisatie"  # year 2024 read from the header: 2022 is N-2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"\xff\xfeBudgettaire", "not UTF-8"),
        ("Een tekst zonder tabel.\n", "cannot tell whether this is a begroting"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content, expected: str) -> None:
    path = tmp_path / "input.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("summary", "--file", str(path))
    assert result.exit_code == 2
    assert expected in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_begroting_without_table(tmp_path: Path) -> None:
    path = tmp_path / "leeg.txt"
    path.write_text("Alleen tekst.\n", encoding="utf-8")
    result = run("validate", "--file", str(path), "--kind", "begroting", "--document-year", "2024")
    assert result.exit_code == 2
    assert "leeg.txt: no 'Budgettaire gevolgen van beleid' table" in result.stderr


def test_broken_number_names_file_and_line(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, 195, "1.2O1")
    result = run("lines", "--file", str(path))
    assert result.exit_code == 2
    assert "begroting.txt:195: broken number '1.2O1'" in result.stderr


def test_unknown_recipient_and_year() -> None:
    documents = ("--manifest", str(bundled_manifest()))
    result = run("summary", "Nobody B.V.", *documents)
    assert result.exit_code == 2 and "no recipient 'Nobody B.V.'" in result.stderr
    result = run("summary", "--year", "1999", *documents)
    assert result.exit_code == 2 and "the documents cover 2022-2028" in result.stderr
    result = run("summary", "--year", "1999")  # the default store
    assert result.exit_code == 2 and "no amounts for 1999; the store covers " in result.stderr


def test_console_script_prints_no_traceback(tmp_path: Path) -> None:
    exe = shutil.which("geldstroom")
    assert exe, "the geldstroom console script is installed with the package"
    done = subprocess.run([exe, "validate", "--file", str(tmp_path / "missing.txt")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "missing.txt: no such file" in done.stderr and "Traceback" not in done.stderr


def test_files_given_by_path_keep_the_jaarverslag_evidence() -> None:
    jaarverslag = next(d for d in bundled_documents() if d.kind.value == "jaarverslag")
    args = ("summary", "cbs", "--year", "2022", "--file", BEGROTING.path,
            "--file", jaarverslag.path, "--format", "json")
    # The begroting's text does not say its hoofdstuk: no payer is guessed for it.
    result = run(*args)
    assert result.exit_code == 2 and "pass --hoofdstuk" in result.stderr
    result = run(*args, "--hoofdstuk", "VII")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["recipients"]
    assert (row["shared_euros"], row["shared_with"]) == (1_650_000, ["ictu"])
