"""The `serve` command: the web explorer on the graph store, on this machine."""

from __future__ import annotations

import signal
import socket
import threading
from typing import Annotated

import typer

from geldstroom.cli.common import DbOpt, current_store, err_console, user_errors
from geldstroom.errors import InputError

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@user_errors
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(
        help="The address to listen on. Only this machine can reach 127.0.0.1; another "
        "address shows the data to the network, with a warning.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(
        min=0, max=65535, help="The port (0: any free one, printed).")] = 8000,
) -> None:
    """Explore the graph store in a web browser: search as you type, a page per
    organisation, ministry and budget line, a Cypher console, JSON and CSV downloads.

    Reads the store (--db; built first when missing or out of date, said on stderr) and
    writes nothing. Prints the address; Ctrl-C stops it.
    """
    # The web server, FastAPI and the store's engine load late: only `serve` pays for them.
    import uvicorn

    from geldstroom.web.app import create_app
    from geldstroom.web.explorer import Explorer

    path = current_store(db)
    if host not in LOCAL_HOSTS:
        err_console().print(f"warning: listening on {host}: anyone who can reach this machine "
                            "on the network can read the store", style="yellow",
                            highlight=False, soft_wrap=True)
    listener = _listen(host, port)
    explorer = Explorer(path)
    bound_host, bound_port = listener.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    typer.echo(f"geldstroom explorer on http://{shown}:{bound_port}/ "
               f"({len(explorer.index)} names from {explorer.path}, read in "
               f"{explorer.startup_seconds:.1f} s); Ctrl-C stops it")
    threading.Thread(target=explorer.warm, name="warm", daemon=True).start()
    config = uvicorn.Config(create_app(explorer), log_level="warning", access_log=False,
                            lifespan="off")
    server = uvicorn.Server(config)
    # uvicorn takes Ctrl-C itself (it finishes open requests and stops), then hands the
    # signal back to the handler it found: make that one quiet, a stop is no error here.
    previous = signal.signal(signal.SIGINT, lambda *_: None)
    try:
        server.run(sockets=[listener])
    finally:
        signal.signal(signal.SIGINT, previous)
        explorer.close()
        listener.close()
    err_console().print("stopped", highlight=False)


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, made before anything is served so that a port in use or an
    unknown address is one line, not a server's traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise InputError(f"--host {host}: {err.strerror}") from None
    family, kind, proto, _, address = infos[0]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
        listener.listen(128)
    except OSError as err:
        listener.close()
        raise InputError(f"cannot listen on {host}:{port}: {err.strerror}") from None
    return listener


def register(app: typer.Typer) -> None:
    app.command()(serve)
