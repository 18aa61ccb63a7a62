"""Where a Neo4j server is and how to log in: plain data, so that the command line can
declare its options without loading the driver or the schema (graph/neo4j_store.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
# Rows per write transaction: the push's and the cypher-shell script's batches.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Connection:
    uri: str = field(default=DEFAULT_URI, repr=False)  # may hold user:password@
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
    database: str | None = None  # None: the server's default database
    retry_seconds: float = 30.0  # how long the driver retries a batch on transient errors

    @property
    def shown_uri(self) -> str:
        """The URI for messages, without any user:password@ part."""
        try:
            parts = urlsplit(self.uri)
        except ValueError:  # check_uri reports it
            return self.uri
        host = parts.netloc.rpartition("@")[2]
        return parts._replace(netloc=host).geturl() if parts.scheme else self.uri
