"""The command line at its edges: input beyond what the stores hold, empty answers that are
really errors, overrides that contradict the text, Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli import app
from geldstroom.loaders.documents import bundled_documents

runner = CliRunner()
BEGROTING = next(d for d in bundled_documents() if d.id.startswith("001_"))


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
    assert result.stderr.strip() == (
        "error: begroting.txt:195: amount '9.999.999.999.999.999.999' (x € 1.000) in row "
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
