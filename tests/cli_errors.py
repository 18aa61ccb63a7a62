"""What every refused command must look like, shared by the guard tests."""

from __future__ import annotations


def one_line_error(result: object, *parts: str) -> None:
    """Exit 2, one line on stderr containing each part, no traceback."""
    assert result.exit_code == 2, (result.output, result.exception)  # type: ignore[attr-defined]
    stderr = result.stderr  # type: ignore[attr-defined]
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    for part in parts:
        assert part in stderr, stderr
