"""The command line at its edges: input beyond what the stores hold, empty answers that are
really errors, overrides that contradict the text, Ctrl-C."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.loaders.documents.manifest import bundled_documents, bundled_manifest

runner = CliRunner()
BEGROTING = next(d for d in bundled_documents() if d.kind.value == "begroting")


def run(*args: str):
    return runner.invoke(app, list(args))


def _copy_with(tmp_path: Path, line: int, text: str) -> Path:
    lines = Path(BEGROTING.path).read_text(encoding="utf-8").splitlines()
    lines[line - 1] = text
    path = tmp_path / "begroting.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [("load", "--db", "{dir}/graph.lbug"), ("summary",),
                                     ("export", "neo4j-admin", "-o", "{dir}/import.sh")])
def test_amounts_beyond_64_bits_are_refused_when_read(tmp_path: Path,
                                                      command: tuple[str, ...]) -> None:
    # Overlegstelsel 2024 (line 195, x € 1.000): 9.999.999.999.999.999.999.000 euros.
    path = _copy_with(tmp_path, 195, "9.999.999.999.999.999.999")
    args = [a.replace("{dir}", str(tmp_path)) for a in command]
    result = run(*args, "--file", str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (  # the file as given: a document's id is no path
        f"error: {path}:195: amount '9.999.999.999.999.999.999' (x € 1.000) in row "
        "'Overlegstelsel' is beyond € 9.223.372.036.854.775.807, the largest amount a 64-bit "
        "whole number holds")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["begroting.txt"]


def test_the_largest_64_bit_amount_in_thousands_is_read(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, 195, "9.223.372.036.854.775")  # x 1.000 still fits
    result = run("lines", "--file", str(path), "--year", "2024", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert ",2024,9223372036854775000,ontwerpbegroting," in result.stdout
    over = run("lines", "--file", str(_copy_with(tmp_path, 195, "9.223.372.036.854.776")))
    assert over.exit_code == 2 and "begroting.txt:195: amount" in over.stderr


def _interrupt_after(delay: float, *args: str) -> tuple[int, list[str]]:
    exe = shutil.which("geldstroom")
    assert exe, "the geldstroom console script is installed with the package"
    process = subprocess.Popen([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return process.returncode, err.strip().splitlines()


def _handler_installed_after() -> float:
    """How long the interpreter takes to reach the console script's first line (where the
    Ctrl-C handler goes in), measured now: before it, Python itself owns the signal."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import geldstroom.cli.main"], check=True)
    return time.perf_counter() - started


@pytest.mark.parametrize("later", [0.02, 0.08, 0.15, 0.3])
def test_ctrl_c_during_start_up_is_one_line_and_130(later: float) -> None:
    # Documents in memory: a first `summary` on the store would also say it builds one.
    code, err = _interrupt_after(1.5 * _handler_installed_after() + later, "summary",
                                 "--manifest", str(bundled_manifest()))
    assert (code, err) == (130, ["interrupted"])


def test_ctrl_c_during_load_leaves_the_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "graph.lbug"
    # The documents (a second's load), not the default corpus: the loop below waits longer
    # each time until a load finishes before the signal.
    documents = ("--manifest", str(bundled_manifest()))
    assert run("load", "--db", str(db), *documents).exit_code == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    said = set()
    delay = 0.4
    while delay < 6:  # later and later, until the load finishes before the signal
        code, err = _interrupt_after(delay, "load", "--db", str(db), *documents)
        delay += 0.08
        if code == 0:  # finished before the signal: a new, whole store
            break
        assert code == 130 and len(err) == 1, err
        said.add(err[0])
        if err[0].endswith("holds the new store, written whole before the interruption"):
            before = hashlib.sha256(db.read_bytes()).hexdigest()  # the Ctrl-C came too late
            continue
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
        assert [p.name for p in tmp_path.iterdir()] == ["graph.lbug"]  # nothing half-built
    assert f"interrupted; {db} was left unchanged" in said
    assert said <= {"interrupted", f"interrupted; {db} was left unchanged",
                    f"interrupted; {db} holds the new store, written whole before the "
                    "interruption"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("edges") / "graph.lbug"  # the documents' 20 actors
    assert run("load", "--db", str(path), "--manifest", str(bundled_manifest())).exit_code == 0
    return path


KNOWN = ("known: caop, cbs, eipa, i-vakmanschap, ictu, ipo, ipse, koop, logius, minister-bzk, "
         "op-rijk, radboud, rodi, saip, ssc-ict, unattributed, vng, vom, waterschappen, "
         "waterschapshuis")


@pytest.mark.parametrize(("args", "message"), [
    (["cypher", "MATCH (:BudgetLine)-[p:PAYS]->(r:Actor {id: $who}) RETURN p.year, count(p)"],
     "the statement uses $who but no value was given for it: give --param who=VALUE"),
    (["cypher", "MATCH (r:Actor {id: $who}) RETURN r.name", "--param", "who=ictu",
      "--param", "year=2024"], "the statement does not use year; it uses $who"),
    (["query", "recipient_summary", "--param", "recipient=nobody"],
     f"no recipient 'nobody' in the store; {KNOWN}"),
    (["query", "year_over_year", "--param", "recipient=Universiteit Leiden"],
     f"no recipient 'Universiteit Leiden' in the store; {KNOWN}"),
    (["query", "top_recipients", "--param", "year=1999"],
     "no amounts for 1999; the store covers 2022-2028"),
    (["query", "shared_lines", "--param", "year=2030"],
     "no amounts for 2030; the store covers 2022-2028"),
])
def test_empty_answers_that_are_errors(store_path: Path, args: list[str], message: str) -> None:
    result = run(*args, "--db", str(store_path))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: {message}"
    assert result.stdout == ""


def test_query_recipient_by_name_and_a_year_with_data(store_path: Path) -> None:
    result = run("query", "recipient_summary", "--param", "recipient=Stichting ICTU",
                 "--param", "year=2024", "--db", str(store_path), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "recipient,name,year,instrument,alone_euros,shared_euros",
        "ictu,Stichting ICTU,2024,Bijdrage aan ZBO's/RWT's,4702000,0"]


@pytest.mark.parametrize(("args", "said"), [
    (["summary", "ictu", "--year", "2023"],
     "ictu: no budget line names it as recipient for 2023; lines name it for 2022, 2024, 2025, "
     "2026, 2027, 2028; money of 2023 whose recipient is not named is under 'unattributed'"),
    (["summary", "ipse"],
     "ipse: no budget line names it as recipient in any year; its money comes through ictu, "
     "which passes money on to it in 2024-2028 (the amount is not published; see "
     "`geldstroom summary ictu`)"),
    (["summary", "Logius", "--year", "2022"],
     "logius: no budget line names it as recipient for 2022; lines name it for 2023-2024; "
     "money of 2022 whose recipient is not named is under 'unattributed'; money to its part "
     "koop is listed there"),
])
@pytest.mark.parametrize("source", ["documents in memory", "their store"])
def test_empty_summaries_say_why(args: list[str], said: str, source: str,
                                 store_path: Path) -> None:
    # The documents' own answers, read in memory and from a store loaded from them (the
    # default store holds more sources, with more years).
    args = [*args, *(["--manifest", str(bundled_manifest())] if source.endswith("memory")
                     else ["--db", str(store_path)])]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert " ".join(result.stdout.split()) == said
    as_csv = run(*args, "-f", "csv")
    assert " ".join(as_csv.stderr.split()) == said


def test_document_year_that_cannot_be_is_refused() -> None:
    result = run("lines", "--file", BEGROTING.path, "--document-year", "1800")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "001_1ef586f7da9213de.txt: document year 1800 cannot be: budget documents in this form "
        f"cover 1999 to {date.today().year + 1}")


def test_overrides_that_contradict_the_text_warn(tmp_path: Path) -> None:
    year = run("lines", "--file", BEGROTING.path, "--document-year", "2023", "--year", "2024",
               "-f", "csv")
    assert year.exit_code == 0, year.output
    assert " ".join(year.stderr.split()) == (
        f"warning: {BEGROTING.path}: --document-year 2023, but its text says 2024; going by "
        "--document-year")
    # As begroting 2023, 2024 is a raming: the override is used, and said.
    assert ",2024,1347000,raming," in year.stdout
    kind = run("lines", "--file", BEGROTING.path, "--kind", "jaarverslag", "--document-year",
               "2024", "--year", "2024", "-f", "csv")
    assert kind.exit_code == 0, kind.output
    assert " ".join(kind.stderr.split()) == (
        f"warning: {BEGROTING.path}: --kind jaarverslag, but its text says begroting; going by "
        "--kind")
    agrees = run("lines", "--file", BEGROTING.path, "--kind", "begroting", "--document-year",
                 "2024", "-f", "csv")
    assert agrees.exit_code == 0 and agrees.stderr == ""


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_standard_input_is_read_once(name: str) -> None:
    text = Path(BEGROTING.path).read_text(encoding="utf-8")
    result = runner.invoke(app, ["lines", "--file", name, "--year", "2024", "-f", "json"],
                           input=text)
    assert result.exit_code == 0, result.output
    lines = json.loads(result.stdout)
    assert sum(line["euros"] for line in lines) == 86_189_000
    # hoofdstuk/kind-year/name; web text does not say its hoofdstuk
    assert {line["document"] for line in lines} == {"?/begroting-2024/stdin"}


def test_a_pipe_is_read_once(tmp_path: Path) -> None:
    pipe = tmp_path / "begroting.txt"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_bytes(Path(BEGROTING.path).read_bytes()))
    writer.start()
    result = run("lines", "--file", str(pipe), "--year", "2024", "-f", "json")
    writer.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert sum(line["euros"] for line in json.loads(result.stdout)) == 86_189_000


def test_tables_follow_the_terminal_width() -> None:
    exe = shutil.which("geldstroom")
    assert exe
    # A table too wide for the terminal prints stacked, 'column: value' a line, wrapped at
    # the width; a wide terminal gets the table, as wide as the terminal.
    for width in (60, 80, 120, 250):
        done = subprocess.run([exe, "links"], capture_output=True, text=True, check=True,
                              env={**os.environ, "COLUMNS": str(width)})
        widest = max(len(line) for line in done.stdout.splitlines())
        assert widest == width if width == 250 else widest <= width
        assert ("│" in done.stdout) is (width == 250)


def test_validate_csv_with_nothing_to_report_keeps_its_header() -> None:
    for strict in ((), ("--strict",)):  # nothing found: --strict passes too
        result = run("validate", "--file", BEGROTING.path, "-f", "csv", *strict)
        assert result.exit_code == 0
        assert result.stdout == ("source,file,line,finding,subject,detail,year,stage,"
                                 "stated_euros,found_euros,difference_euros,other\n")


def test_wording() -> None:
    one = run("validate", "--file", BEGROTING.path)
    assert one.stdout.splitlines()[-1] == (
        "1 document, 1 table, 0 mismatches, 40 actor links (17 recipients)")
    vom = runner.invoke(app, ["summary", "vom", "--year", "2024"], env={"COLUMNS": "200"})
    assert ("1.347.000  shared with European Institute of Public Administration and "
            "others not named: the whole line, not added") in vom.stdout
    as_json = json.loads(run("summary", "vom", "--year", "2024", "-f", "json").stdout)
    assert as_json["recipients"][0]["shared_with"] == ["eipa", "(others not named)"]


def test_booleans_in_tables_are_words(store_path: Path) -> None:
    result = run("query", "shared_lines", "--param", "year=2024", "--db", str(store_path))
    assert result.exit_code == 0
    # a table, or at 80 columns stacked 'column: value' rows
    cells = {c.strip() for line in result.stdout.splitlines()
             for c in re.split(r"│|: ", line)}
    assert {"yes", "no"} <= cells and not {"True", "False"} & cells
    as_csv = run("query", "shared_lines", "--param", "year=2024", "--db", str(store_path),
                 "-f", "csv")
    assert as_csv.stdout.splitlines()[1].endswith(",eipa | vom,true")
