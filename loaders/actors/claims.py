"""Name claims: one source saying that a name (and its aliases) is one organisation. Every
source of the actor register (the curated list, the payers, the ZBO/RWT registers, the open
data, the documents' sentences) feeds the register claims made here, so this sits below
them all and imports none of them."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from geldstroom.errors import InputError
from geldstroom.kinds import ActorKind, Origin
from geldstroom.listed import Actor
from geldstroom.loaders.actors.names import split_name
from geldstroom.loaders.files import read_toml_tables


# A named tuple: a claim per payment row, 700 000 of them, each made in 0.5 µs (a frozen
# dataclass's __init__ took 1.8: seven tenths of a second at 700 000 rows). Immutable and
# compared field by field as the dataclass was; read by field name only.
class NameClaim(NamedTuple):
    """One source saying that a name (and its aliases) is one organisation."""

    name: str
    source: str  # the file
    line: int | None  # its line (of the row's start), None where the format has none
    origin: Origin
    aliases: tuple[str, ...] = ()
    kind: ActorKind | None = None  # what the source says it is, if it says
    ministry: str | None = None  # the parent ministry the source gives
    curated: Actor | None = None  # the whole record, for a curated actor
    quote: str = ""  # the text the name was found in (a payment sentence)
    kvk: str | None = None  # the KvK number the source gives: one number, one organisation
    legal_form: str | None = None
    place: str | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


def claim_from(written: str, source: str, line: int | None, origin: Origin = Origin.DATA, *,
               kind: ActorKind | None = None, ministry: str | None = None,
               kvk: str | None = None, legal_form: str | None = None,
               place: str | None = None) -> NameClaim:
    """A name as a dataset writes it, as a claim: 'Stichting Administratie Indonesische
    Pensioenen (SAIP)' gives the name and the alias SAIP. What a loader feeds in."""
    name, aliases, _ = split_name(written)
    # by position, in the fields' order (a fifth of a claim's cost at 700 000 rows)
    return NameClaim(name or written, source, line, origin, aliases, kind, ministry, None, "",
                     kvk, legal_form, place)


def bundled_path(name: str) -> Path:
    return Path(str(resources.files("geldstroom") / "data" / name))


def bundled_register_path() -> Path:
    return bundled_path("actors.toml")


def toml_id_lines(file: Path) -> dict[str, int]:
    """The line of each `id = "..."` in a register file, so that claims can cite it."""
    lines: dict[str, int] = {}
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return lines
    for number, line in enumerate(text.splitlines(), start=1):
        if match := re.match(r"""\s*id\s*=\s*["']([^"']+)["']""", line):
            lines.setdefault(match[1], number)
    return lines


def curated_claims(path: Path | str, what: str = "actor register", table: str = "actor"
                   ) -> list[NameClaim]:
    """The [[actor]] tables of a register file, as claims; InputError names a bad file."""
    file = Path(path)
    entries = read_toml_tables(file, table, what)
    at = toml_id_lines(file)
    claims = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise InputError(f"[[{table}]] number {number} is not a table", str(file))
        try:
            actor = Actor(**entry)
        except ValidationError as err:
            first = err.errors()[0]
            place = ".".join(str(p) for p in first["loc"])
            who = entry.get("id", f"number {number}")
            raise InputError(f"[[{table}]] {who}: {place}: {first['msg']}", str(file)) from err
        claims.append(NameClaim(name=actor.name, source=str(file), line=at.get(actor.id),
                                origin=Origin.CURATED, aliases=actor.aliases, kind=actor.kind,
                                ministry=actor.ministry, curated=actor))
    return claims
