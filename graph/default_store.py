"""The default store: where it lives, whether it is current, and building it.

One location for every command: --db, else the environment variable GELDSTROOM_DB, else
($XDG_CACHE_HOME or ~/.cache)/geldstroom/geldstroom.lbug. A store built from the bundled
corpus records corpus_digest(); when the bundled inputs (or the code that reads them) change,
the digest differs and the store is built again. Building writes beside and renames
(load_store), so two processes rebuilding at once each put a whole store in place.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from geldstroom.errors import StoreError
from geldstroom.graph.digest import corpus_digest, shape_digest
from geldstroom.graph.store import (
    BUNDLED,
    LoadReport,
    Store,
    check_store_target,
    load_store,
    read_store_info,
    store_exists,
)
from geldstroom.inputs import path_problem

if TYPE_CHECKING:
    import networkx as nx

    from geldstroom.graph.build import GraphInputs
    from geldstroom.loaders.actors.claims import NameClaim
    from geldstroom.loaders.actors.register import ActorRegister
    from geldstroom.loaders.opendata.corpus import OpenCorpus

T = TypeVar("T")
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
    OTHER_TABLES = "other tables"  # built from --file/--manifest by other code: refused


@dataclass(frozen=True)
class StoreCheck:
    path: Path
    freshness: Freshness
    digest: str  # of the bundled inputs now
    previous_seconds: float  # how long the store there took to build (0: not known)
    inputs: str = ""  # what it was built from, as StoreInfo.inputs says

    @property
    def needs_build(self) -> bool:
        return self.freshness in (Freshness.MISSING, Freshness.STALE)


def check_store(path: Path, digest: str | None = None) -> StoreCheck:
    """Whether the store at `path` answers for the bundled corpus as it is now."""
    check, store = open_checked(path, digest)
    if store is not None:
        store.close()
    return check


def open_checked(path: Path, digest: str | None = None) -> tuple[StoreCheck, Store | None]:
    """check_store, and the store it read, still open, where it can be read as it is (the
    caller closes it); None where it needs building. A command that reads the store then
    opens it once, not once for the check and again for the answer."""
    digest = digest or corpus_digest()
    if not store_exists(path):
        return StoreCheck(path, Freshness.MISSING, digest, 0.0), None
    store = Store(path)
    try:
        info = read_store_info(store)
    except BaseException:
        store.close()
        raise
    if info is None:
        check = StoreCheck(path, Freshness.STALE, digest, 0.0)
    elif info.inputs != BUNDLED:
        # only a store of the bundled corpus can be rebuilt: given inputs may be gone
        same_shape = info.shape == shape_digest()
        check = StoreCheck(path, Freshness.GIVEN_INPUTS if same_shape else Freshness.OTHER_TABLES,
                           digest, info.build_seconds, info.inputs)
    else:
        freshness = Freshness.CURRENT if info.digest == digest else Freshness.STALE
        check = StoreCheck(path, freshness, digest, info.build_seconds)
    if check.needs_build or check.freshness is Freshness.OTHER_TABLES:
        store.close()
        return check, None
    return check, store


def default_graph(*, open_manifest: Path | None = None,
                  open_data: OpenCorpus | None = None) -> nx.MultiDiGraph:
    """The default graph, the one the default store holds: the bundled documents, the
    bundled open data (or the sources manifest at `open_manifest`, or `open_data` already
    read) and the register with every recipient both name. InputError names a bad file."""
    # late: the graph pulls networkx, pydantic and every reader; finding and checking a
    # store needs none of them (and a Ctrl-C while they load is inside `load`'s guard)
    from geldstroom.graph.build import build_graph_of
    from geldstroom.loaders.opendata.csv_files import kept_out_of_gc_passes

    with kept_out_of_gc_passes():
        # handed over, no reference kept here: the records and the register go once the
        # graph no longer needs them (GraphInputs)
        return build_graph_of(_default_inputs(open_manifest, open_data))


def default_register(store: Path | None = None) -> ActorRegister:
    """The register the default graph is built with: the bundled register, every recipient
    the bundled open data names, and those the bundled documents' texts name (each claim
    with its file and line), for `actors explain` on the default store's actors. The open
    data's claims are the ones kept beside `store` (cached_open_data_claims): reading the
    open data for them takes seconds."""
    # late: as default_graph
    from geldstroom.loaders.actors.register import ActorRegister
    from geldstroom.loaders.documents.corpus import read_corpus
    from geldstroom.loaders.documents.manifest import bundled_documents
    from geldstroom.loaders.opendata.csv_files import without_gc_passes

    claims = cached_open_data_claims(store)
    with without_gc_passes():  # as open_register(open data), from the kept claims
        return read_corpus(bundled_documents(), ActorRegister.load().with_claims(claims))[1]


def _default_inputs(open_manifest: Path | None, open_data: OpenCorpus | None
                    ) -> GraphInputs:
    # late: as default_graph
    from geldstroom.graph.build import GraphInputs
    from geldstroom.graph.open_data import open_register
    from geldstroom.loaders.documents.corpus import read_corpus
    from geldstroom.loaders.documents.manifest import bundled_documents
    from geldstroom.loaders.opendata.corpus import load_open_corpus

    open_data = open_data or load_open_corpus(open_manifest)
    corpus, register = read_corpus(bundled_documents(), open_register(open_data))
    return GraphInputs(corpus, open_data, register)


def graph_cache_path(store: Path) -> Path:
    """Where the default graph is kept beside the store, for the commands that draw or
    export the graph itself (diagram, chart, export, lines): reading it takes a second,
    building it many."""
    return store.with_name(store.name + ".graph.pickle")


def claims_cache_path(store: Path) -> Path:
    """Where the recipients the bundled open data names are kept beside the store, as
    register claims, for the actors commands (candidates, list and explain --open-data):
    reading them takes a tenth of a second, reading the open data for them seconds."""
    return store.with_name(store.name + ".claims.pickle")


def cached_default_graph(store: Path | None = None,
                         digest: str | None = None) -> nx.MultiDiGraph:
    """The default graph: read from beside the store at `store` (default_store_path) when
    it was built from the bundled inputs as they are now (their digest), else built and
    kept there for the next command. The file is the user's own cache, written only here."""
    return _kept(graph_cache_path(default_store_path(store)), digest, default_graph)


def cached_open_data_claims(store: Path | None = None,
                            digest: str | None = None) -> list[NameClaim]:
    """graph/open_data.open_data_claims of the bundled open data, kept as the default graph
    is (cached_default_graph): the same claims, without reading the open data again."""
    def read() -> list[NameClaim]:
        # late: as default_graph
        from geldstroom.graph.open_data import open_data_claims
        from geldstroom.loaders.opendata.corpus import load_open_corpus
        from geldstroom.loaders.opendata.csv_files import without_gc_passes

        with without_gc_passes():
            return open_data_claims(load_open_corpus())

    return _kept(claims_cache_path(default_store_path(store)), digest, read)


def _kept(cache: Path, digest: str | None, build: Callable[[], T]) -> T:
    """What `build` gives for the bundled inputs as they are now (their digest): read from
    `cache` when it was kept for that digest, else built and kept there."""
    digest = digest or corpus_digest()
    try:
        with cache.open("rb") as handle:
            kept_digest, kept = pickle.load(handle)
        if kept_digest == digest:
            return kept
    except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError,
            ImportError, TypeError):
        pass  # no cache, or one an older geldstroom wrote (its classes changed): build anew
    built = build()
    _keep(built, cache, digest)
    return built


def _keep(value: object, cache: Path, digest: str) -> None:
    """Written beside, then renamed: a killed command leaves no half file. A folder that
    cannot be written only costs the next command the build."""
    try:
        if cache.parent == cache_store_path().parent:
            cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(cache.name + f".{os.getpid()}.partial")
        with partial.open("wb") as handle:
            pickle.dump((digest, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cache)
    except OSError:
        pass


def make_cache_folder(path: Path) -> None:
    """The default cache folder is made when missing (a fresh machine has none); any other
    store's folder must exist already."""
    if path != cache_store_path():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(path, f"cannot make the cache folder {path.parent}: "
                         f"{path_problem(err)}") from None


def build_default_store(path: Path, *, digest: str | None = None,
                        progress: Callable[[str], None] | None = None) -> LoadReport:
    """Build the default graph and load it at `path` (written beside, then renamed), with
    the digest it was built from. The default cache folder is made when missing."""
    digest = digest or corpus_digest()
    make_cache_folder(path)
    check_store_target(path)  # before the graph is built, not after
    started = time.perf_counter()
    graph = default_graph()
    return load_store(graph, path, progress, digest=digest, inputs=BUNDLED, clear_graph=True,
                      build_seconds=round(time.perf_counter() - started, 2))
