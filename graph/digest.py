"""The digest a store is keyed on: everything the default graph is built from.

The bundled documents and their manifest, the open-data sources manifest and its data files,
the actor register (actors.toml, overrides, payers.toml, the ZBO/RWT registers), the
geldstroom version, and the code that reads them and builds the graph (so an edited loader
in a development install is a new store too). Files are hashed as stored (gzipped), in
chunks: about 10 MB, a few tens of milliseconds (bench/summary_store.py prints it).

Imports nothing heavy: a command checks the digest before it knows it needs the loaders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import geldstroom
from geldstroom import __version__

# Bumped when the store's tables change shape: its own (graph/store.py: StoreInfo,
# ArticleTotal, ActorKey, ActorForm) and, though hashing graph/schema.py covers them too,
# the graph's (4: PAYS without `id`, schema.store_fields; ActorKey's id a SERIAL).
STORE_FORMAT = 4
_CHUNK = 1 << 20


def _package_root() -> Path:
    return Path(geldstroom.__file__).resolve().parent


def bundled_inputs() -> list[Path]:
    """Every file the default (bundled) graph is built from, in a fixed order."""
    core = _package_root()
    data = [p for p in (core / "samples").rglob("*") if p.is_file()]
    data += [p for p in (core / "data").rglob("*") if p.is_file()]
    code = [p for folder in _code_folders() for p in folder.rglob("*.py")]
    code += [core / "model.py", core / "listed.py", core / "kinds.py", core / "dutch.py"]
    return sorted({p for p in data + code if "__pycache__" not in p.parts})


def _code_folders() -> list[Path]:
    from importlib.util import find_spec

    folders = []
    for package in ("geldstroom.graph", "geldstroom.loaders"):
        spec = find_spec(package)
        if spec and spec.submodule_search_locations:
            folders += [Path(p) for p in spec.submodule_search_locations]
    return folders


def shape_digest() -> str:
    """corpus_digest() of what gives a store its shape: the version, the store format and the
    graph's tables (graph/schema.py). A store of given documents records it, so that one
    whose tables differ from those this code reads is refused, not read as it is. Narrower
    than the code: a store of a 700 000-row file must outlive an edit to a query."""
    return corpus_digest([Path(__file__).with_name("schema.py")])  # beside this file


def corpus_digest(files: Iterable[Path] | None = None) -> str:
    """sha256 over the files (name relative to the package, size, bytes), the geldstroom
    version and the store format. Default: bundled_inputs()."""
    paths = sorted(files) if files is not None else bundled_inputs()
    root = _package_root()
    digest = hashlib.sha256(f"geldstroom {__version__}\nstore format {STORE_FORMAT}\n".encode())
    for path in paths:
        try:
            name = path.resolve().relative_to(root.parent)
        except ValueError:
            name = path
        size = path.stat().st_size
        digest.update(f"{name.as_posix()}\0{size}\0".encode())
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()
