"""A real Neo4j 5.26 Community server for the tests, from Neo4j's own artifacts on Maven
Central (tools/neo4j-server): Maven resolves the jars once, javac compiles the launcher once,
and each server is a JVM that serves Bolt on 127.0.0.1 until its standard input closes, so it
never outlives the test run that started it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from geldstroom.graph import neo4j_store

TOOL = Path(__file__).resolve().parent.parent / "tools" / "neo4j-server"
TARGET = TOOL / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
CLASSES = TARGET / "classes"
LAUNCHER = "Neo4jTestServer"
START_TIMEOUT = 180.0  # seconds; a cold JVM on two busy cores takes 15-40 s
JAVA_OPTIONS = ["-Xms256m", "-Xmx1g", "-XX:+UseSerialGC"]


class ServerUnavailable(Exception):
    """No server can be started here (no Java or Maven, or the artifacts did not resolve)."""


def unavailable_reason() -> str | None:
    """Why no server can be started on this machine, or None when it can."""
    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"no {' or '.join(missing)} on this machine: cannot start Neo4j from Maven Central"
    return None


def _newer(built: Path, *sources: Path) -> bool:
    return built.exists() and all(built.stat().st_mtime >= s.stat().st_mtime for s in sources)


def classpath() -> str:
    """The launcher's classes and Neo4j's jars; resolved and compiled only when out of date."""
    pom, source = TOOL / "pom.xml", TOOL / f"{LAUNCHER}.java"
    if not _newer(CLASSPATH_FILE, pom):
        done = subprocess.run(
            ["mvn", "-q", "-B", "-f", str(pom), "dependency:build-classpath",
             f"-Dmdep.outputFile={CLASSPATH_FILE}"],
            capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ServerUnavailable("Maven could not resolve Neo4j: "
                                    + (done.stdout + done.stderr).strip()[-2000:])
    jars = CLASSPATH_FILE.read_text().strip()
    compiled = CLASSES / f"{LAUNCHER}.class"
    if not _newer(compiled, source, CLASSPATH_FILE):
        CLASSES.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-cp", jars, "-d", str(CLASSES), str(source)],
                       check=True, capture_output=True, text=True)
    return f"{CLASSES}{os.pathsep}{jars}"


@dataclass
class Neo4jServer:
    """One server process on its own home directory; stop() and start() keep the data."""

    home: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    port: int = 0  # 0: a free port on the first start, the same port on every restart
    process: subprocess.Popen[str] | None = field(default=None, repr=False)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def connection(self, password: str | None = None) -> neo4j_store.Connection:
        return neo4j_store.Connection(uri=self.uri, user="neo4j",
                                      password=self.password if password is None else password)

    def start(self) -> Neo4jServer:
        self.home.mkdir(parents=True, exist_ok=True)
        log = (self.home / "launcher.log").open("a")
        self.process = subprocess.Popen(
            ["java", *JAVA_OPTIONS, "-cp", classpath(), LAUNCHER, str(self.home), self.password,
             str(self.port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if not line or not line[0].startswith("bolt://"):
            self.stop()
            tail = (self.home / "launcher.log").read_text()[-2000:]
            raise ServerUnavailable(f"Neo4j did not start in {START_TIMEOUT:.0f} s: {tail}")
        self.port = int(line[0].strip().rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        """Close the server's standard input: it shuts down cleanly; killed if it hangs."""
        process, self.process = self.process, None
        if process is None:
            return
        try:
            process.stdin.close()
            process.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()

    def kill(self) -> None:
        """End the server at once: for a throwaway home, where a clean shutdown buys nothing."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait()

    def admin_command(self) -> Path:
        """A `neo4j-admin` executable for this home, as the exported import script calls it."""
        script = self.home / "neo4j-admin"
        script.write_text(
            "#!/bin/sh\n"
            f"NEO4J_HOME='{self.home}' exec java {' '.join(JAVA_OPTIONS)} "
            f"-cp '{classpath()}' org.neo4j.cli.AdminTool \"$@\"\n")
        script.chmod(0o755)
        return script
