"""The sources manifest: which published files the open data is read from (the bundled
core/data/minfin/sources.toml, or a user's with newer files in the same formats), and what
each file is. Apart from the readers (corpus.py), so that what a file is can be told without
loading them: the summary on the store asks it of every amount it shows."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from geldstroom.errors import InputError
from geldstroom.inputs import not_utf8
from geldstroom.listed import OpenSource
from geldstroom.loaders.files import listed_file, read_toml, read_toml_tables
from geldstroom.loaders.opendata.csv_files import open_text


def bundled_sources_manifest() -> Path:
    return Path(str(resources.files("geldstroom") / "data" / "minfin" / "sources.toml"))


def is_sources_manifest(path: Path) -> bool:
    """A TOML file listing [[source]] tables (rather than [[document]] tables)."""
    try:
        read_toml_tables(path, "source", "sources manifest")
    except InputError:
        return False
    return True


def extends_bundled(path: Path) -> bool:
    """Whether a sources manifest says `bundled = true`: its sources join the bundled ones.
    InputError where `bundled` is not true or false."""
    flag = read_toml(path, "sources manifest").get("bundled", False)
    if not isinstance(flag, bool):
        raise InputError(f"bundled = {flag!r}: expected true (extend the bundled open data) "
                         "or false (replace it)", str(path))
    return flag


def read_sources(path: Path | None = None) -> list[OpenSource]:
    """The sources a manifest lists (with the bundled ones first where it says `bundled =
    true`); file paths are relative to the manifest."""
    if path is not None and extends_bundled(path):
        return [*read_sources(None), *_listed_sources(path)]
    return _listed_sources(path or bundled_sources_manifest())


def source_files(path: Path) -> list[Path]:
    """The manifest and the data files it adds (not the bundled ones): what a store loaded
    from it is keyed on, beside the bundled inputs."""
    own = _listed_sources(path)
    return [path, *(Path(s.path) for s in own)]


def _listed_sources(path: Path) -> list[OpenSource]:
    sources = []
    for number, entry in enumerate(read_toml_tables(path, "source", "sources manifest"), 1):
        if not isinstance(entry, dict) or "file" not in entry:
            raise InputError(f"[[source]] number {number} has no 'file'", str(path))
        fields = {k: v for k, v in entry.items() if k != "file"}
        try:
            file = listed_file(entry["file"], f"[[source]] number {number}", path)
            sources.append(OpenSource(path=str(path.parent / file), **fields))
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise InputError(f"[[source]] number {number}: {field}: {first['msg']}",
                             str(path)) from err
    return sources


def count_rows(source: OpenSource) -> int:
    """Data rows below the header, as the csv module counts them."""
    with open_text(Path(source.path)) as handle:
        try:
            return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
        except UnicodeDecodeError as err:
            raise not_utf8(Path(source.path)) from err
        except (csv.Error, OSError) as err:
            raise InputError(f"not a readable CSV file ({err})", source.path) from err
