"""The registers of organisations at a distance from the state, as actor-register claims:
the ZBO register, the Algemene Rekenkamer's RWT register and BZK's 2012 list of stichtingen
it has a financial relation with (copies in core/data/minfin/registers/, see source.toml).

Each gives names, abbreviations, a kind and (ZBO, RWT) a parent ministry. Every row read
is a claim citing its file and line; a row that cannot be one is skipped with its reason.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from geldstroom.errors import InputError
from geldstroom.inputs import open_data_text
from geldstroom.loaders.actors.claims import NameClaim
from geldstroom.loaders.actors.names import split_name
from geldstroom.model import ActorKind, Origin

ZBO_FILE = "zbo-register.csv"
RWT_FILE = "rwt-register.csv"
STICHTINGEN_FILE = "stichtingen_BZK_05112012.csv"
_BZK = "Binnenlandse Zaken en Koninkrijksrelaties"
# A control character where the source lost a typographic quote (U+2019 -> 0x19).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class RegisterRead:
    """What one register file gave: claims, and the rows skipped with their reasons."""

    file: str
    claims: list[NameClaim] = field(default_factory=list)
    rows: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    notes: list[tuple[int, str]] = field(default_factory=list)  # read, but worth saying

    def skipped_reasons(self) -> Counter[str]:
        return Counter(reason for _, reason in self.skipped)


def bundled_registers_dir() -> Path:
    return Path(str(resources.files("geldstroom") / "data" / "minfin" / "registers"))


def _open(path: Path) -> io.TextIOBase:
    """A register as text: plain .csv or .csv.gz, UTF-8 with or without BOM."""
    try:
        with open_data_text(path) as stream:
            raw = stream.buffer.read()
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(f"cannot read the register ({err})", str(path)) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", str(path), line) from err
    return io.StringIO(text, newline="")


def _rows(path: Path, expected: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the row starts, row) for every record; InputError when the header
    lacks a column the reader needs."""
    reader = csv.reader(_open(path))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("empty file, expected a header row", str(path), 1) from None
    missing = expected - set(header)
    if missing:
        raise InputError(f"missing columns {sorted(missing)}; the header has {header}",
                         str(path), 1)
    start = reader.line_num + 1
    for cells in reader:
        yield start, dict(zip(header, cells, strict=False))
        start = reader.line_num + 1


def ministry_name(written: str) -> str | None:
    """'Ministerie van Economische Zaken (EZ)', 'Veiligheid en Justitie (V&J)' ->
    the ministry's name without 'Ministerie van' and abbreviation."""
    name = re.sub(r"\s*\([^()]*\)\s*$", "", " ".join(written.split()))
    name = re.sub(r"^Ministerie van\s+", "", name, flags=re.IGNORECASE)
    return name or None


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub("'", text).split())


def read_zbo(path: Path) -> RegisterRead:
    read = RegisterRead(str(path))
    for line, row in _rows(path, {"Naam", "Afkorting", "Relatie met ministerie", "Type ZBO"}):
        read.rows += 1
        written = _clean(row.get("Naam", ""))
        if not written:
            read.skipped.append((line, "no name"))
            continue
        if written != " ".join(row["Naam"].split()):
            read.notes.append((line, "control character in the name, read as '"))
        name, aliases, cluster = split_name(written)
        abbreviations = [a.strip() for a in _clean(row.get("Afkorting", "")).split(" / ")]
        cluster = cluster or row.get("Type ZBO", "").startswith("Cluster")
        aliases = (*aliases, *(a for a in abbreviations if a and not cluster))
        read.claims.append(NameClaim(
            name=name, source=str(path), line=line, origin=Origin.REGISTER,
            aliases=tuple(dict.fromkeys(a for a in aliases if a != name)),
            kind=ActorKind.ZBO, ministry=ministry_name(row.get("Relatie met ministerie", "")),
        ))
    return read


def read_rwt(path: Path) -> RegisterRead:
    read = RegisterRead(str(path))
    for line, row in _rows(path, {"rwt", "ministerie"}):
        read.rows += 1
        written = _clean(row.get("rwt", ""))
        if not written:
            read.skipped.append((line, "no name"))
            continue
        name, aliases, _ = split_name(written)
        ministry = ministry_name(row.get("ministerie", ""))
        if ministry is None:
            read.notes.append((line, "no ministry"))
        read.claims.append(NameClaim(
            name=name, source=str(path), line=line, origin=Origin.REGISTER,
            aliases=aliases, kind=ActorKind.RWT, ministry=ministry,
        ))
    return read


def read_stichtingen(path: Path) -> RegisterRead:
    """BZK's list: names written without 'Stichting'; every one has a financial relation."""
    read = RegisterRead(str(path))
    for line, row in _rows(path, {"Stichting", "Financiële relatie"}):
        read.rows += 1
        written = _clean(row.get("Stichting", ""))
        if not written:
            read.skipped.append((line, "no name"))
            continue
        name, aliases, _ = split_name(written)
        read.claims.append(NameClaim(
            name=name, source=str(path), line=line, origin=Origin.REGISTER,
            aliases=aliases, kind=ActorKind.STICHTING, ministry=_BZK,
        ))
    return read


READERS = {ZBO_FILE: read_zbo, RWT_FILE: read_rwt, STICHTINGEN_FILE: read_stichtingen}


def read_registers(folder: Path | None = None) -> list[RegisterRead]:
    """The three registers in `folder` (plain or .gz), or the bundled copies."""
    folder = folder or bundled_registers_dir()
    reads = []
    for name, reader in READERS.items():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                reads.append(reader(candidate))
                break
        else:
            raise InputError(f"no {name} (or {name}.gz) in this folder", str(folder))
    return reads


@cache
def _bundled() -> tuple[NameClaim, ...]:
    return tuple(claim for read in read_registers() for claim in read.claims)


def bundled_register_claims() -> list[NameClaim]:
    return list(_bundled())
