"""`-o` paths and standard output: what is at the path decides how it is written, and a write
that fails ends in one line, never a traceback (tests run the installed console script)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from geldstroom.loaders.documents.manifest import bundled_manifest

EXE = shutil.which("geldstroom")


# The bundled documents alone: a small graph to write (the national one is the default).
DOCUMENTS = ("--manifest", str(bundled_manifest()))


def geldstroom(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    assert EXE, "the geldstroom console script is installed with the package"
    return subprocess.run([EXE, *args], capture_output="stdout" not in kwargs, text=True,
                          check=False, timeout=120, **kwargs)


def _json_nodes(data: bytes) -> set[str]:
    return {node["id"] for node in json.loads(data)["nodes"]}


def test_regular_file_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    out.write_text("old")
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert {"ictu", "unattributed", "minister-bzk"} <= _json_nodes(out.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]  # no temporary file left


def test_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(Path("data") / "real.json")
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == "data/real.json"
    assert "ictu" in _json_nodes(target.read_bytes())
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["real.json"]


def test_fifo_is_written_as_a_stream(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(pipe))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # still a pipe, not a file in its place
    assert "ictu" in _json_nodes(received[0])


def test_dash_writes_standard_output() -> None:
    done = geldstroom("export", *DOCUMENTS, "json", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert "saip" in _json_nodes(done.stdout.encode())
    assert done.stderr.strip() == "wrote standard output"
    several = geldstroom("export", *DOCUMENTS, "csv", "-o", "-")
    assert several.returncode == 2
    assert several.stderr.strip() == ("error: cannot write standard output: this output is 2 "
                                      "files; give -o a file name")


def test_full_device_is_one_line_and_stays_a_device(tmp_path: Path) -> None:
    full = tmp_path / "full.json"
    try:  # our own /dev/full (major 1, minor 7), so a failing test cannot replace the real one
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making a device node needs root")
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(full))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: cannot write {full}: No space left on device"
    assert stat.S_ISCHR(os.stat(full).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["full.json"]


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full")
@pytest.mark.parametrize("args", [("summary", "-f", "csv"), ("summary",), ("lines", "-f", "json"),
                                  ("export", *DOCUMENTS, "json", "-o", "-")])
def test_full_standard_output_is_one_line(args: tuple[str, ...], default_store: Path) -> None:
    with open("/dev/full", "w") as full:
        done = geldstroom(*args, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: cannot write standard output: No space left on device"


def test_load_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "stores").mkdir()
    link = tmp_path / "graph.lbug"
    link.symlink_to(Path("stores") / "real.lbug")
    done = geldstroom("load", "--db", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and (tmp_path / "stores" / "real.lbug").is_file()
    answer = geldstroom("cypher", "--db", str(link), "-f", "csv",
                        "MATCH (a:Actor {id: 'saip'}) RETURN a.name AS name")
    assert answer.stdout.splitlines() == ["name", "Stichting Administratie Indonesische "
                                          "Pensioenen"]


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    private = tmp_path / "priv.json"
    private.write_text("old")
    private.chmod(0o600)
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(private), umask=0o077)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert "ictu" in _json_nodes(private.read_bytes())


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "new.json"
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(out), umask=umask)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == mode


def test_a_failing_part_writes_no_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    full = tmp_path / "full"
    try:  # our own /dev/full (major 1, minor 7), never the real one
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making a device node needs root")
    edges = tmp_path / "x.csv"
    edges.write_text("old")
    (tmp_path / "x.nodes.csv").symlink_to(full)
    done = geldstroom("export", *DOCUMENTS, "csv", "-o", str(edges))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: cannot write {tmp_path / 'x.nodes.csv'}: "
                                   "No space left on device")
    assert edges.read_text() == "old"  # whole or nothing: the edges file was not replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "x.csv", "x.nodes.csv"]


def test_a_symlink_loop_is_refused_and_stays_a_loop(tmp_path: Path) -> None:
    loop1, loop2 = tmp_path / "loop1", tmp_path / "loop2"
    loop1.symlink_to("loop2")
    loop2.symlink_to("loop1")
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(loop1))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: cannot write {loop1}: "
                                   "Too many levels of symbolic links")
    assert os.readlink(loop1) == "loop2" and os.readlink(loop2) == "loop1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop1", "loop2"]


def test_a_dangling_symlink_makes_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    done = geldstroom("export", *DOCUMENTS, "json", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and "ictu" in _json_nodes((tmp_path / "made.json").read_bytes())
