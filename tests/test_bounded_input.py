"""Bounded input (issue 15): every reader stops at a documented limit (geldstroom.inputs)
with one line naming the file and the limit; devices are refused and a silent named pipe is
given up, never waited on; manifests and paths that cannot be used are one line, exit 2."""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cli_errors import one_line_error
from peak_memory import OWN_PEAK_KB
from typer.testing import CliRunner

from geldstroom import inputs
from geldstroom.cli.app import app
from geldstroom.loaders.documents.manifest import bundled_manifest
from geldstroom.loaders.opendata.corpus import bundled_sources_manifest

runner = CliRunner()
SAMPLES = bundled_manifest().parent
BEGROTING = SAMPLES / "001_1ef586f7da9213de.txt"
DOCUMENT = ('kind = "begroting"\nhoofdstuk = "VII"\nyear = 2024\ntitle = "t"\nform = "web"\n'
            'source = "s"\n')



def validate(*args: str) -> object:
    return runner.invoke(app, ["validate", *args])


def test_a_device_is_refused_not_read() -> None:
    # c8c6632: read /dev/zero until MemoryError at 6 GB.
    one_line_error(validate("--file", "/dev/zero"), "/dev/zero: is a device or socket")


def test_a_sparse_2_gb_file_is_refused_by_its_size(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.txt"
    with sparse.open("wb") as f:
        f.truncate(2 << 30)
    started = time.perf_counter()
    one_line_error(validate("--file", str(sparse)),
                   f"{sparse}: the file is larger than the limit of 32 MB")
    assert time.perf_counter() - started < 5


def test_a_silent_named_pipe_is_given_up(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "PIPE_WAIT_SECONDS", 1)
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    started = time.perf_counter()
    one_line_error(validate("--file", str(pipe)), "nothing came through this named pipe")
    assert time.perf_counter() - started < 10


def test_a_named_pipe_with_a_writer_is_still_read(tmp_path: Path) -> None:
    pipe = tmp_path / "begroting.txt"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_bytes(BEGROTING.read_bytes()))
    writer.start()
    result = runner.invoke(app, ["lines", "--file", str(pipe), "--year", "2024", "-f", "csv"])
    writer.join()
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) > 10


def _sources_manifest(folder: Path, file: str) -> Path:
    text = bundled_sources_manifest().read_text(encoding="utf-8")
    first = text[text.index("[[source]]"):]
    first = first[:first.index("\n\n")]  # the first source: budgettaire tabellen 2015
    entry = "\n".join(f'file = "{file}"' if line.startswith("file =") else line
                      for line in first.splitlines())
    manifest = folder / "sources.toml"
    manifest.write_text(entry + "\n", encoding="utf-8")
    return manifest


def _header() -> bytes:
    bundled = bundled_sources_manifest().parent
    path = next((bundled / "budgettaire-tabellen").glob("*2015*.csv.gz"))
    with gzip.open(path, "rb") as stream:
        return stream.readline()


def test_a_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    # c8c6632: 6.4 GB before its error. 400 MB of zeros in one line stop at the 256 MB
    # limit, and the process's peak memory stays near it.
    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as stream:
        stream.write(_header())
        block = b"0" * (1 << 20)
        for _ in range(400):
            stream.write(block)
    manifest = _sources_manifest(tmp_path, "bomb.csv.gz")
    code = ("import sys; from geldstroom.cli.main import main; "
            "sys.argv = ['geldstroom', 'validate', '--manifest', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit as e:\n"
            f"    print(e.code, {OWN_PEAK_KB})")
    done = subprocess.run([sys.executable, "-c", code, str(manifest)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.stderr == (f"error: {bomb}: the data file, unpacked, is larger than the "
                           "limit of 256 MB\n")
    code, peak_kb = done.stdout.split()
    assert code == "2" and int(peak_kb) < 700 * 1024


def test_a_latin_1_csv_names_its_line(tmp_path: Path) -> None:
    data = tmp_path / "latin.csv"
    data.write_bytes(_header() + b'"2015","VII","1","U","Caf\xe9",1,2,3,4,5,6,7\n')
    one_line_error(validate("--manifest", str(_sources_manifest(tmp_path, "latin.csv"))),
                   f"{data}:2: not UTF-8 text (byte 0xe9)")


def test_a_file_of_garbage_rows_is_refused(tmp_path: Path) -> None:
    # c8c6632: "read", most rows skipped one by one, exit 0.
    rng = random.Random(3)
    rows = [",".join(rng.choice(["zz", str(rng.randrange(999))]) for _ in range(12))
            for _ in range(5000)]
    (tmp_path / "garbage.csv").write_bytes(_header() + "\n".join(rows).encode() + b"\n")
    result = validate("--manifest", str(_sources_manifest(tmp_path, "garbage.csv")))
    one_line_error(result, "garbage.csv: 5000 of 5000 rows could not be read as budgettaire "
                   "tabellen", "is it that dataset?")


@pytest.mark.parametrize(("file_line", "says"), [
    ("file = 123", "file: expected a path in quotes, got 123"),
    ('file = [["a"]]', "file: expected a path in quotes"),
    ('file = "a\\u0000b"', "file: the path has a NUL byte"),
    ('file = "' + "x" * 300 + '"', "File name too long"),
    ('file = "loop1"', "Too many levels of symbolic links"),
    ('file = "/dev/zero"', "is a device or socket"),
    ("file = \"001_1ef586f7da9213de.txt\"\nextra = " + "[" * 400 + "]" * 400,
     "nested more than 32 deep"),
])
def test_manifest_entries_that_cannot_be_read(tmp_path: Path, file_line: str,
                                              says: str) -> None:
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "001_1ef586f7da9213de.txt").write_bytes(BEGROTING.read_bytes())
    manifest = tmp_path / "m.toml"
    manifest.write_text(f"[[document]]\n{file_line}\n{DOCUMENT}", encoding="utf-8")
    one_line_error(validate("--manifest", str(manifest)), says)


@pytest.mark.parametrize(("path", "says"), [
    ("y" * 300, "File name too long"),
    ("loop1", "Too many levels of symbolic links"),
])
def test_file_paths_that_cannot_be_used(tmp_path: Path, path: str, says: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    for option in ("--file", "--manifest"):
        one_line_error(validate(option, path), says)
