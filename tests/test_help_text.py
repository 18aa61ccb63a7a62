"""--help as a terminal shows it: rich markup must not eat text such as TOML's [[source]]."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.mark.parametrize("command", ["validate", "sources"])
def test_help_shows_the_manifest_tables(command: str) -> None:
    exe = shutil.which("geldstroom")
    assert exe, "the geldstroom console script is installed with the package"
    done = subprocess.run([exe, command, "--help"], capture_output=True, text=True, check=False,
                          timeout=60, env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    assert "manifest of [[source]] tables" in done.stdout


@pytest.mark.parametrize("command", ["list", "explain"])
def test_actors_help_shows_the_overrides_tables(command: str) -> None:
    exe = shutil.which("geldstroom")
    assert exe
    done = subprocess.run([exe, "actors", command, "--help"], capture_output=True, text=True,
                          check=False, timeout=60,
                          env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "A TOML file of [[merge]] names = [...] and [[split]] name = \"...\"" in text
    assert "(TOML [[actor]] tables)" in text
