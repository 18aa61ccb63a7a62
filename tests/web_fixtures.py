"""The web explorer on the session's national store (built once by conftest's cache), shared
by the API tests and the browser tests."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from geldstroom.cli.app import app as cli_app

_runner = CliRunner()


def cli_json(*args: str) -> Any:
    """What `geldstroom ARGS -f json` prints, parsed: the answer the API must equal."""
    result = _runner.invoke(cli_app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
