"""The default store: where it lives, whether it is current, and building it.

One location for every command: --db, else the environment variable GELDSTROOM_DB, else
($XDG_CACHE_HOME or ~/.cache)/geldstroom/geldstroom.lbug. A store built from the bundled
corpus records corpus_digest(); when the bundled inputs (or the code that reads them) change,
the digest differs and the store is built again. Building writes beside and renames
(load_store), so two processes rebuilding at once each put a whole store in place.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from geldstroom.graph.digest import corpus_digest

if TYPE_CHECKING:
    import networkx as nx

    from geldstroom.graph.store import LoadReport

STORE_FILE = "geldstroom.lbug"
DB_ENV = "GELDSTROOM_DB"


def cache_store_path() -> Path:
    """($XDG_CACHE_HOME or ~/.cache)/geldstroom/geldstroom.lbug: not the working directory,
    where a store appearing after `geldstroom summary` would surprise."""
    cache = os.environ.get("XDG_CACHE_HOME") or ""
    base = Path(cache) if cache and Path(cache).is_absolute() else Path.home() / ".cache"
    return base / "geldstroom" / STORE_FILE


def default_store_path(db: Path | None = None) -> Path:
    """--db, else GELDSTROOM_DB, else cache_store_path()."""
    if db is not None:
        return Path(db)
    from_env = os.environ.get(DB_ENV)
    return Path(from_env) if from_env else cache_store_path()


class Freshness(StrEnum):
    CURRENT = "current"  # built from the bundled inputs as they are now
    MISSING = "missing"  # no store at the path
    STALE = "stale"  # built from other bundled inputs, or by an older geldstroom
    GIVEN_INPUTS = "given inputs"  # built from --file/--manifest: read as it is


@dataclass(frozen=True)
class StoreCheck:
    path: Path
    freshness: Freshness
    digest: str  # of the bundled inputs now
    previous_seconds: float  # how long the store there took to build (0: not known)

    @property
    def needs_build(self) -> bool:
        return self.freshness in (Freshness.MISSING, Freshness.STALE)


def check_store(path: Path, digest: str | None = None) -> StoreCheck:
    """Whether the store at `path` answers for the bundled corpus as it is now."""
    from geldstroom.graph.store import BUNDLED, Store, read_store_info, store_exists

    digest = digest or corpus_digest()
    if not store_exists(path):
        return StoreCheck(path, Freshness.MISSING, digest, 0.0)
    with Store(path) as store:
        info = read_store_info(store)
    if info is None:
        return StoreCheck(path, Freshness.STALE, digest, 0.0)
    if info.inputs != BUNDLED:
        return StoreCheck(path, Freshness.GIVEN_INPUTS, digest, info.build_seconds)
    freshness = Freshness.CURRENT if info.digest == digest else Freshness.STALE
    return StoreCheck(path, freshness, digest, info.build_seconds)


def default_graph(progress: Callable[[str], None] | None = None) -> nx.MultiDiGraph:
    """The graph of the default corpus, the one the default store holds: the national graph
    (bundled documents, bundled open data and the register: graph/open_data.national_graph)
    where this geldstroom has it, else the bundled documents as DocumentChoice().graph()
    reads them.

    TODO(integrator): once branch opengraph is merged, call national_graph() directly and
    drop the documents-only fallback.
    """
    from importlib.util import find_spec

    if find_spec("geldstroom.graph.open_data") is not None:
        from geldstroom.graph.open_data import national_graph  # type: ignore[import-not-found]

        return national_graph()
    from geldstroom.graph.build import build_graph
    from geldstroom.loaders.corpus import load_corpus
    from geldstroom.loaders.documents import bundled_documents

    return build_graph(load_corpus(bundled_documents(), progress=progress))


def build_default_store(path: Path, *, digest: str | None = None,
                        progress: Callable[[str], None] | None = None) -> LoadReport:
    """Build the default graph and load it at `path` (written beside, then renamed), with
    the digest it was built from. The default cache folder is made when missing."""
    from geldstroom.errors import StoreError
    from geldstroom.graph.store import BUNDLED, check_store_target, load_store
    from geldstroom.inputs import path_problem

    digest = digest or corpus_digest()
    if path == cache_store_path():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(path, f"cannot make the cache folder {path.parent}: "
                             f"{path_problem(err)}") from None
    check_store_target(path)  # before the graph is built, not after
    started = time.perf_counter()
    graph = default_graph(progress)
    return load_store(graph, path, progress, digest=digest, inputs=BUNDLED,
                      build_seconds=round(time.perf_counter() - started, 2))
