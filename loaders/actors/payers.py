"""Who pays from each begroting hoofdstuk: core/data/payers.toml, one payer per ministry or
fund. A hoofdstuk the table does not list is an error naming it, never a guess."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from pydantic import ValidationError

from geldstroom.errors import InputError
from geldstroom.kinds import PAYER_KINDS, Origin
from geldstroom.listed import Actor
from geldstroom.loaders.actors.claims import NameClaim, bundled_path, toml_id_lines
from geldstroom.loaders.actors.names import identity_key
from geldstroom.loaders.files import read_toml_tables


class UnknownHoofdstuk(InputError):
    """A hoofdstuk no payer is listed for; carries the code and the codes that are known."""

    def __init__(self, hoofdstuk: str, known: Iterable[str], source: str | None = None) -> None:
        self.hoofdstuk = hoofdstuk
        self.known = tuple(sorted(known))
        super().__init__(f"no payer for hoofdstuk {hoofdstuk!r}: add it to payers.toml "
                         f"(known: {', '.join(self.known)})", source)


class HoofdstukNameMismatch(InputError):
    """A row whose hoofdstuk code and begroting name belong to different payers
    (the 2017 B-tabel writes A for the Deltafonds)."""

    def __init__(self, hoofdstuk: str, begroting: str, expected: str, named: str | None,
                 source: str | None = None, line: int | None = None) -> None:
        self.hoofdstuk, self.begroting = hoofdstuk, begroting
        self.expected, self.named = expected, named
        said = f"the begroting of {named!r}" if named else "no known begroting"
        super().__init__(f"hoofdstuk {hoofdstuk!r} is paid by {expected!r}, but "
                         f"{begroting!r} is {said}", source, line)


@dataclass(frozen=True)
class Payers:
    """The payer of each hoofdstuk, and the begroting names that belong to it."""

    actors: tuple[Actor, ...]
    by_hoofdstuk: dict[str, str]
    begrotingen: tuple[tuple[str, str], ...]  # (a begroting's name as listed, payer id)
    source: str

    @cached_property
    def by_begroting(self) -> dict[str, str]:
        """Identity key of a begroting name -> payer id. Keyed when first asked: the
        summary reads the payers' names only, and keying loads the name libraries."""
        return {identity_key(name): payer for name, payer in self.begrotingen}

    @classmethod
    def load(cls, path: Path | str | None = None) -> Payers:
        file = Path(path) if path is not None else bundled_path("payers.toml")
        entries = read_toml_tables(file, "payer", "payer table")
        actors: list[Actor] = []
        by_hoofdstuk: dict[str, str] = {}
        begrotingen: list[tuple[str, str]] = []
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                raise InputError(f"[[payer]] number {number} is not a table", str(file))
            fields = dict(entry)
            codes = fields.pop("hoofdstukken", None)
            names = fields.pop("begrotingen", [])
            who = fields.get("id", f"number {number}")
            if not isinstance(codes, list) or not codes or not all(
                isinstance(c, str) and c for c in codes
            ):
                raise InputError(f"[[payer]] {who}: expected hoofdstukken = [\"VII\", ...]",
                                 str(file))
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise InputError(f"[[payer]] {who}: expected begrotingen = [\"Deltafonds\", "
                                 "...]", str(file))
            try:
                actor = Actor(**fields, hoofdstuk=codes[0])
            except ValidationError as err:
                first = err.errors()[0]
                place = ".".join(str(p) for p in first["loc"])
                raise InputError(f"[[payer]] {who}: {place}: {first['msg']}", str(file)) from err
            if actor.kind not in PAYER_KINDS:
                raise InputError(f"[[payer]] {who}: kind {actor.kind.value!r} does not pay; "
                                 "expected minister, fund or payer", str(file))
            for code in codes:
                if code in by_hoofdstuk:
                    raise InputError(f"hoofdstuk {code!r} has two payers: "
                                     f"{by_hoofdstuk[code]!r} and {actor.id!r}", str(file))
                by_hoofdstuk[code] = actor.id
            begrotingen += [(name, actor.id) for name in names]
            actors.append(actor)
        return cls(tuple(actors), by_hoofdstuk, tuple(begrotingen), str(file))

    def payer_for(self, hoofdstuk: str, begroting: str | None = None, *,
                  source: str | None = None, line: int | None = None) -> str:
        """The payer id of a hoofdstuk; with the begroting's name as a row writes it, also
        checks that code and name agree. UnknownHoofdstuk / HoofdstukNameMismatch else."""
        code = hoofdstuk.strip()
        if code not in self.by_hoofdstuk:
            raise UnknownHoofdstuk(code, self.by_hoofdstuk, source or self.source)
        payer = self.by_hoofdstuk[code]
        if begroting is not None:
            named = self.by_begroting.get(identity_key(begroting))
            if named != payer:
                raise HoofdstukNameMismatch(code, begroting, payer, named, source, line)
        return payer

    def payer_of_begroting(self, begroting: str) -> str | None:
        """The payer a begroting name belongs to ('Deltafonds' -> deltafonds), if known."""
        return self.by_begroting.get(identity_key(begroting))


@cache
def bundled_payers() -> Payers:
    return Payers.load()


def payer_claims(path: Path | str | None = None) -> list[NameClaim]:
    """The payers as curated claims for the actor register."""
    payers = bundled_payers() if path is None else Payers.load(path)
    at = toml_id_lines(Path(payers.source))
    return [NameClaim(name=a.name, source=payers.source, line=at.get(a.id),
                      origin=Origin.CURATED, aliases=a.aliases, kind=a.kind,
                      ministry=a.ministry, curated=a)
            for a in payers.actors]


def hoofdstukken_of(actor: Actor) -> tuple[str, ...]:
    """Every hoofdstuk a payer pays from: its own, and those payers.toml lists for it."""
    listed = tuple(code for code, payer in bundled_payers().by_hoofdstuk.items()
                   if payer == actor.id)
    own = (actor.hoofdstuk,) if actor.hoofdstuk else ()
    return tuple(dict.fromkeys((*own, *listed)))


def _abbreviation(actor: Actor) -> str | None:
    """'VWS' from the alias 'minister van VWS', 'IenM' from 'ministerie van IenM': the one
    word after van/voor with two capitals or more; None when the payer has none."""
    for form in (actor.name, *actor.aliases):
        head, _, rest = form.partition(" ")
        if head.lower() not in ("minister", "ministerie"):
            continue
        word = rest.removeprefix("van ").removeprefix("voor ")
        if " " not in word and sum(c.isupper() for c in word) >= 2:
            return word
    return None


def _plain(name: str) -> str:
    """'Financiën' from 'Minister van Financiën', 'Wonen en Rijksdienst' from 'Minister voor
    Wonen en Rijksdienst'; a fund's name as it is."""
    for prefix in ("minister van ", "minister voor ", "ministerie van ", "ministerie voor "):
        if name.lower().startswith(prefix):
            return name[len(prefix):]
    return name


@dataclass(frozen=True)
class SpokenPayers:
    """How people name each payer: short name per payer id, and the full names a file may
    write (longest first) with the short name to say instead."""

    short: dict[str, str]  # payer id -> 'VWS', 'Gemeentefonds', 'Financiën'
    codes: dict[str, tuple[str, ...]]  # payer id -> its hoofdstukken, own first
    written: tuple[tuple[str, str], ...]  # ('Binnenlandse Zaken en Koninkrijksrelaties', 'BZK')


@cache
def _spoken() -> SpokenPayers:
    payers = bundled_payers()
    short: dict[str, str] = {}
    written: dict[str, str] = {}
    for actor in payers.actors:
        say = _abbreviation(actor) or _plain(actor.name)
        short[actor.id] = say
        for form in (actor.name, *actor.aliases):
            full = _plain(form)
            if full != say and " " in full:
                written[full] = say
    codes = {actor.id: hoofdstukken_of(actor) for actor in payers.actors}
    return SpokenPayers(short, codes, tuple(sorted(written.items(), key=lambda kv: -len(kv[0]))))


def payer_label(payer: str) -> str:
    """A payer as people say it, the one place that says it: from a hoofdstuk code
    ('XVI' -> 'VWS (XVI)', 'B' -> 'Gemeentefonds (B)'), a payer's id ('minister-bzk' ->
    'BZK (VII, IV)'), or a ministry's name as a file writes it, without a hoofdstuk
    ('Ministerie van Binnenlandse Zaken en Koninkrijksrelaties en Wonen en Rijksdienst' ->
    'BZK en Wonen en Rijksdienst': no hoofdstuk is added that the file does not give).
    Anything else (the agencies' 'overige departementen') as it is."""
    payers, spoken = bundled_payers(), _spoken()
    code = payer.strip()
    if code in payers.by_hoofdstuk:
        return f"{spoken.short[payers.by_hoofdstuk[code]]} ({code})"
    if code in spoken.short:
        return f"{spoken.short[code]} ({', '.join(spoken.codes[code])})"
    said = _plain(" ".join(code.split()))
    if said == code:  # not a ministry's written name
        return payer
    for full, short in spoken.written:
        said = said.replace(full, short)
    return said
