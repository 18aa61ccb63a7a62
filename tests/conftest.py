"""Shared fixtures: the real Neo4j server every Neo4j test runs against, the bundled
open data read once, the session's default store built once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j_server import Neo4jServer, ServerUnavailable, unavailable_reason

from geldstroom.graph import neo4j_store
from geldstroom.graph.default_store import build_default_store, check_store, default_store_path
from geldstroom.loaders.opendata.corpus import OpenCorpus, load_open_corpus


def _no_server(reason: str) -> None:
    """Skip with one line here; in CI a Neo4j test may not be skipped, so fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"CI runs every Neo4j test, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def store_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands that read the default store build it in the session's own cache, never in
    the user's (~/.cache/geldstroom): built once, then current for every later test."""
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "GELDSTROOM_DB")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("GELDSTROOM_DB", None)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def default_store(store_cache: None) -> Path:
    """The session's default store, built: a test that checks a command's whole stderr
    must not see the build's own line ("no store at ...: building it") when it runs first."""
    path = default_store_path()
    if check_store(path).needs_build:
        build_default_store(path)
    return path


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer | None]:
    """The session's server: started from Maven Central's artifacts, or the one NEO4J_URI
    names (then None: tests that stop or restart a server need their own)."""
    if os.environ.get("NEO4J_URI"):
        yield None
        return
    reason = unavailable_reason()
    if reason:
        _no_server(reason)
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j"))
    try:
        server.start()
    except ServerUnavailable as err:
        _no_server(str(err).splitlines()[0])
    yield server
    server.kill()


@pytest.fixture
def neo4j(neo4j_server: Neo4jServer | None) -> neo4j_store.Connection:
    """A connection to an empty database (constraints stay): each test sees only its own push."""
    if neo4j_server is None:
        connection = neo4j_store.Connection(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USER", neo4j_store.DEFAULT_USER),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE") or None)
    else:
        connection = neo4j_server.connection()
    from neo4j import GraphDatabase

    with GraphDatabase.driver(connection.uri, auth=(connection.user, connection.password)) as d:
        d.execute_query("MATCH (n) DETACH DELETE n", database_=connection.database)
    return connection


@pytest.fixture
def own_neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """A server of the test's own, to stop, restart or import into; stopped afterwards."""
    reason = unavailable_reason()
    if reason:
        _no_server(reason)
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j-own"))
    yield server
    server.kill()


@pytest.fixture(scope="session")
def open_corpus() -> OpenCorpus:
    """The bundled open data, read once: the shipped gzipped copies of the published files."""
    return load_open_corpus()
