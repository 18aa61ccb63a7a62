"""The embedded graph store: one Ladybug database file (Kùzu-family engine, Cypher, no server).

A load builds a new database file beside the target and renames it over the target when it
is complete, so a failed or killed load leaves the previous store as it was. Data goes in with
the engine's bulk COPY from Arrow tables: per-row UNWIND/MERGE is two orders of magnitude
slower at a million edges (docs/decisions.md).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geldstroom.errors import InputError, StoreDamaged, StoreError
from geldstroom.inputs import path_problem
from geldstroom.output import link_target

if TYPE_CHECKING:
    import networkx as nx
    import pyarrow as pa


def _engine() -> Any:
    # Imported late: the CLI's other commands should not pay for loading the engine.
    import ladybug

    return ladybug


def _arrow(data: dict[str, list[Any]], columns: list[tuple[str, pa.DataType]]) -> pa.Table:
    import pyarrow as pa  # late: only a load pays for Arrow

    # The system's allocator, not Arrow's own (mimalloc): it reuses what the records read
    # and let go before the load left free, 117 MB less at the peak at 100 000 FI rows.
    pool = pa.system_memory_pool()
    return pa.table({name: pa.array(data[name], type=kind, memory_pool=pool)
                     for name, kind in columns})


def _columns(model: Any) -> list[tuple[str, pa.DataType]]:
    # late: the schema pulls pydantic; a query on the store needs none of it
    import pyarrow as pa

    from geldstroom.graph import schema

    arrow_types = {str: pa.string(), int: pa.int64(), bool: pa.bool_()}
    return [
        (name, pa.list_(arrow_types[base]) if is_list else arrow_types[base])
        for name, base, is_list in schema.store_fields(model)
    ]


@dataclass(frozen=True)
class LoadReport:
    path: Path
    counts: dict[str, int]
    size_bytes: int


@dataclass(frozen=True)
class StoreInfo:
    """What a store was built from, written in the same load as the graph.

    `inputs` is BUNDLED for the default corpus (then `digest` is corpus_digest() of the
    bundled inputs and a command rebuilds the store when they change), else a description of
    the --file/--manifest inputs, which are read as they are. `shape` is shape_digest() of the
    code that built it: a store of given inputs with other tables is refused (a store made
    before stores recorded it has "")."""

    digest: str
    inputs: str
    version: str
    build_seconds: float
    years: list[int]
    shape: str = ""


BUNDLED = "bundled"

# The store's own tables beside the graph's (graph/schema.py): what it was built from, the
# tables' own Uitgaven per article and year (the reconciliation check), and every actor's
# names reduced to identity keys (loaders/actors/resolve.lookup_key), so a name finds its actor
# without loading the register, and as written (resolve.written_form), so a name written as
# the data writes it finds its actor without keying it (the name libraries take longer to
# load than the whole answer).
_OWN_DDL = (
    "CREATE NODE TABLE StoreInfo(id STRING, digest STRING, inputs STRING, version STRING, "
    "build_seconds DOUBLE, years INT64[], shape STRING, PRIMARY KEY(id))",
    "CREATE NODE TABLE ArticleTotal(id STRING, hoofdstuk STRING, artikel STRING, year INT64, "
    "euros INT64, PRIMARY KEY(id))",
    # read by scanning `key` (store_flows.StoreActors), never by its id: a SERIAL id has no
    # hash index to build (at 389 000 actors half of the table's copy and file)
    "CREATE NODE TABLE ActorKey(id SERIAL, key STRING, actor STRING, PRIMARY KEY(id))",
    "CREATE NODE TABLE ActorForm(form STRING, actors STRING[], PRIMARY KEY(form))",
)


def _info_table(info: StoreInfo) -> pa.Table:
    import pyarrow as pa  # late: only a load pays for Arrow

    return pa.table({
        "id": ["store"], "digest": [info.digest], "inputs": [info.inputs],
        "version": [info.version], "build_seconds": [info.build_seconds],
        "years": pa.array([info.years], type=pa.list_(pa.int64())),
        "shape": [info.shape]})


def _own_tables(graph: nx.MultiDiGraph) -> dict[str, pa.Table]:
    """The store's own tables but StoreInfo (_info_table), which says how long the load
    took."""
    # late: the schema pulls pydantic; a query on the store needs none of it
    import pyarrow as pa

    from geldstroom.graph.schema import BUDGET_LINE_KIND
    from geldstroom.loaders.actors.resolve import lookup_key, written_form

    totals = sorted(graph.graph.get("uitgaven", {}).items())
    # Built as flat columns: no tuple, list or dict per row for the collector to walk (an
    # actor's names come one after another, so a form's actors are told apart by the last).
    key_ids: set[str] = set()
    key_rows: tuple[list[str], list[str]] = ([], [])
    forms: dict[str, str | list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") == BUDGET_LINE_KIND:
            continue
        for name in (node, data.get("name") or "", *(data.get("aliases") or [])):
            key = lookup_key(name) if name else ""
            if key and (row_id := f"{key}\0{node}") not in key_ids:
                key_ids.add(row_id)
                key_rows[0].append(key)
                key_rows[1].append(node)
            if form := written_form(name):
                found = forms.get(form)
                if found is None:
                    forms[form] = node
                elif isinstance(found, str):
                    if found != node:
                        forms[form] = [found, node]
                elif found[-1] != node:
                    found.append(node)
    offsets, actors = [0], []
    for found in forms.values():
        if isinstance(found, str):
            actors.append(found)
        else:
            actors += found
        offsets.append(len(actors))
    return {
        "ArticleTotal": pa.table({
            "id": pa.array([f"{h}|{a}|{y}" for (h, a, y), _ in totals], type=pa.string()),
            "hoofdstuk": pa.array([h for (h, _, _), _ in totals], type=pa.string()),
            "artikel": pa.array([a for (_, a, _), _ in totals], type=pa.string()),
            "year": pa.array([y for (_, _, y), _ in totals], type=pa.int64()),
            "euros": pa.array([e for _, e in totals], type=pa.int64())}),
        "ActorKey": pa.table({
            "key": pa.array(key_rows[0], type=pa.string()),
            "actor": pa.array(key_rows[1], type=pa.string())}),
        "ActorForm": pa.table({
            "form": pa.array(list(forms), type=pa.string()),
            "actors": pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()),
                                               pa.array(actors, type=pa.string()))}),
    }


def load_store(graph: nx.MultiDiGraph, path: Path,
               progress: Callable[[str], None] | None = None, *,
               digest: str = "", inputs: str = "", build_seconds: float = 0.0,
               clear_graph: bool = False) -> LoadReport:
    """Write the graph to a new store at `path`, replacing what was there only on success.
    A symlink stays a link: the store is written beside, and renamed onto, its target.
    `digest` and `inputs` say what the graph was built from (see StoreInfo); the store
    records `build_seconds` (building the graph) plus its own load time. `clear_graph`:
    the caller has no more use for the graph, it is emptied once its tables are staged,
    before the engine copies them in (at 700 000 payments its memory and the engine's
    were the peak together)."""
    path = check_store_target(path)
    _clear_leftovers(path)
    load_started = time.perf_counter()
    engine = _engine()
    # late: the schema pulls pydantic, the readers' module csv and the compressors; a
    # query on the store needs none of them
    import pyarrow as pa

    from geldstroom.graph.schema import NODES, RELATIONSHIPS, graph_columns, kuzu_ddl
    from geldstroom.loaders.actors.names import clear_kept_splits
    from geldstroom.loaders.opendata.csv_files import kept_out_of_gc_passes

    # millions of column values, no cycles among them; the graph is in use
    with kept_out_of_gc_passes(collect_first=False):
        data = graph_columns(graph, store=True)
        # keys every actor's names (identity_key keeps each split in its cache); those
        # splits are let go before the biggest tables are copied in (at 700 000 payments
        # the memory's peak)
        own = _own_tables(graph)
    clear_kept_splits()
    years = list(graph.graph.get("years", []))
    types = {label: _columns(model) for label, model in NODES.items()}
    types |= {rel: [("source", pa.string()), ("target", pa.string()), *_columns(spec.model)]
              for rel, spec in RELATIONSHIPS.items()}
    staged_tables: dict[str, pa.Table] = {}
    if clear_graph:  # every table in Arrow first, then the graph and its lists let go
        for name, columns_types in types.items():
            staged_tables[name] = _arrow(data.pop(name), columns_types)
        graph.clear()
    building = _new_building_file(path)
    try:
        db = engine.Database(str(building))
        conn = engine.Connection(db)
        for statement in kuzu_ddl():
            conn.execute(statement)
        # Each table's columns are let go once copied: at 700 000 payments the PAYS
        # columns alone are hundreds of MB, as lists and again as Arrow.
        for name, columns_types in types.items():
            staged = staged_tables.pop(name, None)
            if staged is None:
                staged = _arrow(data.pop(name), columns_types)
            if progress:
                what = "nodes" if name in NODES else "relationships"
                progress(f"{name}: {staged.num_rows} {what}")
            if staged.num_rows:
                conn.execute(f"COPY {name} FROM staged")  # COPY reads `staged`
            del staged
        # late: the schema pulls pydantic; a query on the store needs none of it
        from geldstroom import __version__
        from geldstroom.graph.digest import shape_digest

        info = StoreInfo(digest=digest, inputs=inputs, version=__version__,
                         build_seconds=round(build_seconds + time.perf_counter() - load_started,
                                             2),
                         years=years, shape=shape_digest())
        for statement in _OWN_DDL:
            conn.execute(statement)
        own["StoreInfo"] = _info_table(info)
        for table, staged in own.items():  # COPY reads `staged`
            if staged.num_rows:
                conn.execute(f"COPY {table} FROM staged")
        del own, staged
        counts = _counts(conn)
        conn.close()
        db.close()
        # The old store's side files (a .wal left by a killed writer) would not match the
        # new file: the engine refuses to open a store beside a foreign WAL.
        _remove_side_files(path)
        os.replace(building, path)  # atomic: readers see the old store or the new one
    except BaseException as err:
        _remove(building)
        if isinstance(err, RuntimeError | OSError):  # the engine's IO errors: a full disk
            raise StoreError(path, f"{StoreError.NOT_WRITTEN}: {_engine_reason(err)}") from None
        raise
    return LoadReport(path=path, counts=counts, size_bytes=path.stat().st_size)


_MAGIC = b"LBUG"  # the first bytes of every Ladybug database file


def store_exists(path: Path) -> bool:
    """Whether anything is at `path`; StoreError for a path the system cannot use (a NUL
    byte, a name too long, a link loop), which Path.exists() hides or raises."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as err:
        raise StoreError(path, path_problem(err)) from None
    return True


def check_store_target(path: Path) -> Path:
    """Where a load writes the store at `path` (a symlink's target), or StoreError before
    any work is done: a folder, a pipe or device, a file that is not a store, a folder
    that does not exist or cannot be written."""
    store_exists(path)  # a path the system cannot use
    path = link_target(Path(path))  # the one rule for links, as every -o write follows it
    try:
        if path.is_dir():
            raise StoreError(path, StoreError.FOLDER)
        if store_exists(path) and not _is_store(path):
            raise StoreError(path, StoreError.NOT_A_STORE)
        folder = path.parent
        if not folder.is_dir():
            raise StoreError(path, StoreError.NO_FOLDER)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(path, f"the folder {folder} is not writable")
    except (OSError, ValueError) as err:  # a name too long, a link loop, a NUL byte
        raise StoreError(path, path_problem(err)) from None
    return path


def _new_building_file(path: Path) -> Path:
    """A new, empty file beside the store for the engine to build in: made with O_EXCL (and
    so never through a link someone planted) under a name no one can guess beforehand."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                    suffix=".building")
    except OSError as err:
        raise StoreError(path, f"{StoreError.NOT_WRITTEN}: {err.strerror or err}") from None
    os.close(fd)
    return Path(name)


def _engine_reason(err: BaseException) -> str:
    """The engine's message without its class prefix, on one line."""
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text.removeprefix("IO exception: ").removeprefix("Runtime exception: ")


# The files the engine writes beside a database (strings in its library: WAL, shadow pages,
# checkpoint locks). Only these, by exact name: a user's `store.lbug.bak` is not ours.
_SIDE_SUFFIXES = (".wal", ".shadow", ".checkpoint", ".checkpoint.intent.lock",
                  ".checkpoint.apply.lock", ".wal.checkpoint")


def _remove_side_files(database: Path) -> None:
    for suffix in _SIDE_SUFFIXES:
        database.with_name(database.name + suffix).unlink(missing_ok=True)


def check_store_file(path: Path) -> None:
    """StoreError unless `path` is a store to read: the one wording for a folder, a pipe or
    device, a missing file and a file that is not a store (`summary --db DIR` and
    `load --db DIR` say the same)."""
    try:
        if path.is_dir():
            raise StoreError(path, StoreError.FOLDER)
        if not store_exists(path):
            raise StoreError(path, StoreError.MISSING)
        if not _is_store(path):
            raise StoreError(path, StoreError.NOT_A_STORE_TO_READ)
    except (OSError, ValueError) as err:  # a name too long, a link loop, a NUL byte
        raise StoreError(path, path_problem(err)) from None


def _is_store(path: Path) -> bool:
    # stat first: opening a FIFO or a device to read the magic bytes would block or read forever.
    if not stat.S_ISREG(path.stat().st_mode):
        raise StoreError(path, StoreError.NOT_A_FILE)
    with path.open("rb") as head:
        return head.read(len(_MAGIC)) == _MAGIC


def _clear_leftovers(path: Path) -> None:
    """Remove what killed loads left beside the store (their process is gone)."""
    # The building file and the engine's side files (.wal, checkpoint locks) beside it.
    for leftover in path.parent.glob(f".{path.name}.*.building*"):
        pid = leftover.name.removeprefix(f".{path.name}.").split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(database: Path) -> None:
    """The database file and the engine's side files (.wal, checkpoint locks)."""
    with contextlib.suppress(OSError):
        database.unlink(missing_ok=True)
        _remove_side_files(database)


def _counts(conn: Any) -> dict[str, int]:
    # late: the schema pulls pydantic; a query on the store needs none of it
    from geldstroom.graph.schema import NODES, RELATIONSHIPS

    counts = {}
    for label in NODES:
        counts[label] = conn.execute(f"MATCH (n:{label}) RETURN count(n)").get_all()[0][0]
    for rel in RELATIONSHIPS:
        counts[rel] = conn.execute(f"MATCH ()-[r:{rel}]->() RETURN count(r)").get_all()[0][0]
    return counts


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def plain(value: Any) -> Any:
    """Engine values as plain Python: sums of INT64 come back as Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def read_store_info(store: Store) -> StoreInfo | None:
    """What the store was built from; None for a store made before stores said so. Read
    once per connection: the check that opened the store read it already."""
    return store.kept("StoreInfo", lambda: _read_store_info(store))


def _read_store_info(store: Store) -> StoreInfo | None:
    try:  # the node whole: a store of an older format lacks the newer properties
        rows = store.rows("MATCH (s:StoreInfo) RETURN s")
    except InputError:  # no StoreInfo table: an older store
        return None
    if not rows:
        return None
    info = rows[0][0]
    return StoreInfo(digest=info["digest"], inputs=info["inputs"], version=info["version"],
                     build_seconds=float(info["build_seconds"] or 0.0),
                     years=list(info["years"] or []), shape=info.get("shape") or "")


# Every statement on a store runs within these (docs/decisions.md, "Limits"): a query that
# would take longer, or more memory, ends with one line saying which limit it met.
QUERY_SECONDS = 60
QUERY_MEMORY_BYTES = 2 << 30
LIMIT_ENV = ("GELDSTROOM_QUERY_SECONDS", "GELDSTROOM_QUERY_MEMORY_MB")  # to change them


def query_limits() -> tuple[float, int]:
    """(seconds, bytes) a statement may take: the defaults, or the environment's."""
    seconds, megabytes = (os.environ.get(name, "") for name in LIMIT_ENV)
    try:
        return (float(seconds) if seconds else QUERY_SECONDS,
                int(megabytes) << 20 if megabytes else QUERY_MEMORY_BYTES)
    except ValueError:
        raise InputError(f"{LIMIT_ENV[0]} is seconds and {LIMIT_ENV[1]} whole megabytes; "
                         f"got {seconds!r} and {megabytes!r}") from None


@contextlib.contextmanager
def _memory_limit(extra: int) -> Iterator[None]:
    """At most `extra` more bytes of memory for the process while a statement runs and its
    rows are read: the engine's memory is not all in its buffer pool (UNWIND range(1, 3e8)
    took 4.4 GB). RLIMIT_DATA counts what is mapped already, the engine's reserved
    address space included, so the limit is set above that."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            data_kb = next(int(line.split()[1]) for line in status
                           if line.startswith("VmData:"))
    except (OSError, StopIteration, ValueError):  # not Linux: no limit
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = data_kb * 1024 + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


# How the engine words a store it cannot read: a query on a good store never says these.
_DAMAGE_SIGNS = ("may be corrupted", "Checksum", "Storage exception")


class Store:
    """A read-only connection to a store made by load_store. The engine gets no home folder
    (extensions can be neither installed nor loaded, so it never reaches the network or
    writes $HOME/.lbdb) and no folder to read files from; each statement runs within
    query_limits()."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._kept: dict[str, Any] = {}
        check_store_file(self.path)
        engine = _engine()
        self._seconds, self._memory = query_limits()
        try:
            # The buffer pool's pages are reserved up front, out of RLIMIT_DATA's sight: it
            # gets the same size as the limit (the national store is 34 MB).
            self._db = engine.Database(str(self.path), read_only=True,
                                       buffer_pool_size=self._memory)
            self._conn = engine.Connection(self._db)
            for setting in ("home_directory", "file_search_path"):
                self._conn.execute(f"CALL {setting}='{os.devnull}'")
        except RuntimeError as err:
            raise self._damaged(err) from None
        self._conn.set_query_timeout(max(1, round(self._seconds * 1000)))

    def kept(self, key: str, read: Callable[[], Any]) -> Any:
        """What the store answers the same as long as it is open (it is read-only: its info,
        a table's properties), read once per connection under `key`."""
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]

    def _damaged(self, err: BaseException) -> StoreDamaged:
        return StoreDamaged(self.path, _engine_reason(err))

    def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one Cypher statement; values only ever travel as parameters."""
        with self._bounded():
            result = self._execute(cypher, parameters)
            columns = result.get_column_names()
            return QueryResult(columns, [[plain(v) for v in row] for row in result.get_all()])

    def rows(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """The rows as the engine gives them, for a statement that returns no sum (a sum
        comes back as Decimal): run() without its conversion, half the time at 100 000 rows."""
        with self._bounded():
            return self._execute(cypher, parameters).get_all()

    @contextlib.contextmanager
    def _bounded(self) -> Iterator[None]:
        """The memory limit around a statement and the reading of its rows; the limits and
        a damaged store in one line each."""
        limit = f"{self._memory >> 20} MB"
        try:
            with _memory_limit(self._memory):
                yield
        except MemoryError:
            raise InputError(f"the query needs more memory than its limit of {limit} "
                             f"(set {LIMIT_ENV[1]} to change it)") from None
        except UnicodeDecodeError as err:
            raise self._damaged(err) from None
        except InputError as err:
            if any(sign in err.message for sign in _DAMAGE_SIGNS):
                raise StoreDamaged(self.path, err.message.removeprefix(
                    "the query failed: ")) from None
            if "std::bad_alloc" in err.message or "Buffer manager exception" in err.message:
                raise InputError(f"the query needs more memory than its limit of {limit} "
                                 f"(set {LIMIT_ENV[1]} to change it)") from None
            if err.message.endswith("the query failed: Interrupted."):
                raise InputError(f"the query ran longer than its limit of "
                                 f"{self._seconds:g} s (set {LIMIT_ENV[0]} to change it)"
                                 ) from None
            raise

    def _execute(self, cypher: str, parameters: Mapping[str, Any] | None) -> Any:
        values = dict(parameters or {})
        try:
            result = self._conn.execute(cypher, values)
        except (ValueError, TypeError, OverflowError) as err:
            raise self._unbindable(values, err) from None
        except RuntimeError as err:
            if str(err).startswith("Unable to cast"):  # pybind11: a value with no engine type
                raise self._unbindable(values, err) from None
            if "vector with ANY type" in str(err):  # an empty list: no type for its items
                raise InputError("the store cannot take an empty list ([]) as a parameter "
                                 "value: it cannot tell what the list would hold") from None
            raise InputError(f"the query failed: {err}") from None
        if isinstance(result, list):  # the engine ran several statements, one result each
            raise InputError("the query has more than one statement; run one at a time")
        return result

    def close(self) -> None:
        self._conn.close()
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _unbindable(self, values: dict[str, Any], err: Exception) -> InputError:
        """The engine's binding errors name no parameter: find which value it cannot take."""
        names = []
        for name, value in values.items():
            try:
                self._conn.execute("RETURN $value", {"value": value})
            except (ValueError, TypeError, OverflowError, RuntimeError):
                names.append(name)
        shown = ", ".join(f"{name}={values[name]!r}" for name in names) or str(err)
        return InputError(f"the store cannot take the parameter value {shown} (a list holds "
                          "one type; whole numbers fit in 64 bits)")
