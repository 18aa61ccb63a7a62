"""Recipients named by an open-data line's own label.

The budgettaire tabellen name no recipients, but a line whose instrument pays an organisation
(a ZBO or RWT, an agency, a medeoverheid, an (inter)national organisation, a bekostigde
instelling, another begroting) usually names it in its label or "nadere omschrijving":
"CAK", "Dienst Uitvoering Onderwijs", "Bijdrage Logius", "Rijksvastgoedbedrijf (RVB)". This
module finds that name, and only that: a known actor's name or alias (the curated register,
the ZBO/RWT registers, the payers), an abbreviation in parentheses, or the whole label as a
name the register knows. Every link carries its evidence (file:line of the row, the label).

Never a guess: an abbreviation that two registered organisations share is resolved by the
paying ministry (the register's parent ministry of the one candidate that belongs to it) and
otherwise left unresolved with its candidates; a label that names no organisation ("Overig",
"Diverse subsidies", "03 Bijdrage aan agentschappen") stays unattributed. A name found only
in the open data's own payment rows (a subsidy recipient) is accepted for a whole label, never
for a word inside one: "Bijdrage aan gemeenten" is not paid to a recipient named "Gemeenten".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from geldstroom.loaders.actors.names import is_abbreviation, split_name
from geldstroom.loaders.documents.instruments import instrument_key, normalise
from geldstroom.model import (
    PAYER_KINDS,
    Actor,
    BudgetLine,
    Finding,
    FindingKind,
    OpenDataset,
    Origin,
    SourceRow,
)

# The instruments whose lines pay an organisation (instrument_key forms, as the three OWB
# files write them: "Bijdragen aan ZBO’s /RWT’s", "BIJDRAGE BATENLASTENDIENSTEN", ...).
_PAYING = re.compile(
    r"zbo|rwt|agentschap|batenlasten|baten lasten|mede ?overheden|andere overheden"
    r"|nationale organisaties|bekostiging|andere begroting|andere hoofdstuk"
)
# Words that name a kind of recipient, a purpose or a remainder, not an organisation: a label
# made only of these (after its numbering) stays unattributed.
_GENERIC_WORDS = """
    overig overige overigen diverse divers diversen subsidies subsidie bijdrage bijdragen aan
    en van voor de het t in op a b c agentschappen agentschap zbo zbos zbo's rwt rwts rwt's
    medeoverheden mede overheden andere organisaties organisatie internationale nationale
    inter bekostiging begroting begrotingen hoofdstukken uitvoering uitvoeringsinstanties
    instellingen programma's programma
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
# Words a label puts before the name it pays: "Bijdrage Logius", "Agentschap Logius" (the
# register knows Logius, not "Agentschap Logius").
_LEAD = re.compile(r"^(?:\d+\s+)?(?:(?:bijdragen?|agentschap|apparaatskosten|apparaat)\s+"
                   r"(?:aan\s+(?:het\s+|de\s+)?)?)+", re.IGNORECASE)
_PARENTHESISED = re.compile(r"\(([^()]{2,40})\)")
# What follows these names what the line does NOT pay ("m.u.v. NVAO", "excl. TNO") or a
# former name ("SBB voorheen Aequor"): the label is read up to them.
_EXCEPT = re.compile(r"\b(?:m\.?\s?u\.?\s?v\.?|excl\.?|exclusief|behalve|voorheen)(?!\w)",
                     re.IGNORECASE)
_CAPITALS = re.compile(r"\b[A-Z][A-Za-z&\-]*[A-Z][A-Za-z&\-]*\b")


def pays_an_organisation(instrument: str | None) -> bool:
    """Whether lines of this instrument pay an organisation their label may name."""
    return bool(instrument) and bool(_PAYING.search(instrument_key(instrument or "")))


class NameRegister(Protocol):
    """What the linking needs of the actor register (loaders/actors/register.ActorRegister)."""

    def resolve(self, name: str) -> str | None: ...
    def ambiguous(self, name: str) -> tuple[str, ...]: ...
    def get(self, actor_id: str) -> Actor: ...
    def find(self, text: str) -> list: ...


@dataclass(frozen=True)
class LabelLink:
    """An open-data line paying an actor its label names."""

    line: BudgetLine
    actor: str
    form: str  # the words of the label that name it
    how: str  # "label is its name", "name in label", "abbreviation in parentheses", ...
    label: str  # the line's label as the file writes it (uitsplitsing | nadere omschrijving)
    evidence: tuple[str, ...]  # "file:line" of every row of this line

    @property
    def quote(self) -> str:
        return f"{self.evidence[0]}: {self.label}"


@dataclass(frozen=True)
class Unresolved:
    """A label naming a form the register cannot tell apart: its candidates, never chosen."""

    line: BudgetLine
    form: str
    candidates: tuple[str, ...]
    label: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Unattributed:
    line: BudgetLine
    label: str
    evidence: tuple[str, ...]
    reason: str  # "names no organisation", "no known name in the label"


@dataclass
class HoofdstukCounts:
    linked: list[LabelLink] = field(default_factory=list)
    unattributed: list[Unattributed] = field(default_factory=list)
    ambiguous: list[Unresolved] = field(default_factory=list)


@dataclass
class LabelLinking:
    """Every open-data line of a paying instrument, linked, unattributed or ambiguous."""

    links: dict[BudgetLine, tuple[LabelLink, ...]] = field(default_factory=dict)
    unattributed: list[Unattributed] = field(default_factory=list)
    ambiguous: list[Unresolved] = field(default_factory=list)

    def recipients(self, line: BudgetLine) -> tuple[LabelLink, ...]:
        return self.links.get(line, ())

    def by_hoofdstuk(self) -> dict[str, HoofdstukCounts]:
        out: dict[str, HoofdstukCounts] = defaultdict(HoofdstukCounts)
        for found in self.links.values():
            out[found[0].line.hoofdstuk].linked.extend(found)
        for item in self.unattributed:
            out[item.line.hoofdstuk].unattributed.append(item)
        for unresolved in self.ambiguous:
            out[unresolved.line.hoofdstuk].ambiguous.append(unresolved)
        return dict(sorted(out.items(), key=lambda kv: _hoofdstuk_order(kv[0])))


def label_of(line: BudgetLine) -> str:
    """The line's own words: its uitsplitsing, and its nadere omschrijving where different."""
    parts = [p for p in (line.line, line.detail) if p]
    if len(parts) == 2 and normalise(parts[0]) == normalise(parts[1]):
        parts = parts[:1]
    return " | ".join(parts)


def names_no_organisation(text: str) -> bool:
    """'Overig', 'Diverse subsidies', '03 Bijdrage aan agentschappen': only generic words."""
    words = re.findall(r"[^\W\d_]+(?:'s)?", normalise(text))
    return all(w in _GENERIC for w in words)


def link_labels(
    lines: Mapping[BudgetLine, Iterable[SourceRow]],
    register: NameRegister,
    ministry_of: Callable[[str], str | None],
    payer_of: Callable[[str], str | None],
) -> LabelLinking:
    """Link every line of a paying instrument to the actors its label names. `lines` gives
    each line its source rows (the evidence); `ministry_of(hoofdstuk)` the paying
    ministry's name as the registers write it (for a shared abbreviation), `payer_of` its
    payer's actor id (a ministry is no recipient of its own lines)."""
    out = LabelLinking()
    for line, rows in sorted(lines.items(), key=lambda kv: _line_order(kv[0])):
        if not pays_an_organisation(line.instrument):
            continue
        evidence = tuple(sorted({f"{r.file}:{r.line}" for r in rows},
                                key=lambda s: (s.rsplit(":", 1)[0], int(s.rsplit(":", 1)[1]))))
        label = label_of(line)
        if not label or names_no_organisation(label):
            out.unattributed.append(Unattributed(line, label, evidence,
                                                 "names no organisation"))
            continue
        found, unresolved = _names_in(label, register, ministry_of(line.hoofdstuk),
                                      payer_of(line.hoofdstuk))
        if found:
            out.links[line] = tuple(LabelLink(line, actor, form, how, label, evidence)
                                    for actor, (form, how) in found.items())
        elif unresolved:
            form, candidates = unresolved[0]
            out.ambiguous.append(Unresolved(line, form, candidates, label, evidence))
        else:
            out.unattributed.append(Unattributed(line, label, evidence,
                                                 "no known name in the label"))
    return out


def _names_in(label: str, register: NameRegister, ministry: str | None, payer: str | None,
              ) -> tuple[dict[str, tuple[str, str]], list[tuple[str, tuple[str, ...]]]]:
    """(actor -> (form, how)) the label names, and the forms two organisations share."""
    found: dict[str, tuple[str, str]] = {}
    unresolved: list[tuple[str, tuple[str, ...]]] = []

    def consider(form: str, how: str, *, whole: bool) -> bool:
        form = " ".join(form.split()).strip(" .,:;-")
        if len(form) < 2:
            return False
        actor = register.resolve(form)
        if actor == payer:
            return False
        if actor is not None:
            if _trusted(register.get(actor)) or whole:
                found.setdefault(actor, (form, how))
                return True
            return False
        candidates = register.ambiguous(form)
        if candidates:
            own = [c for c in candidates if ministry and register.get(c).ministry == ministry]
            if len(own) == 1:
                found.setdefault(own[0], (form, f"{how}; shared by {len(candidates)} "
                                                 "registered organisations, the paying "
                                                 "ministry's"))
                return True
            unresolved.append((form, tuple(candidates)))
        return False

    for part in label.split(" | "):
        part = _EXCEPT.split(part, maxsplit=1)[0].strip()
        # The whole label, or the label after 'Bijdrage'/'Agentschap', is a name; so is the
        # head of "CIBG: Landelijk Meldpunt Zorg".
        bare = _LEAD.sub("", part).strip()
        if consider(part, "label is its name", whole=True):
            continue
        if bare != part and consider(bare, "label is its name", whole=True):
            continue
        head = bare.split(":", 1)[0]
        if head != bare and consider(head, "label names it before ':'", whole=True):
            continue
        # "Naam (ABC)": the name before the parentheses names it, and then the abbreviation
        # is its own; otherwise the abbreviation alone ("Regelingen ... (SAIP)").
        name, aliases, _ = split_name(bare)
        if aliases and consider(name, "name before its abbreviation", whole=False):
            continue
        for inside in _PARENTHESISED.findall(part):
            consider(inside, "abbreviation in parentheses", whole=False)
        # A known name inside the label, from the curated register, the registers or payers;
        # not a word of a compound ("SVB-Z" is a register, not the SVB).
        for mention in register.find(part):
            actor = register.get(mention.actor)
            if (_trusted(actor) and actor.id != payer
                    and not re.match(r"-\w", part[mention.end:])):
                found.setdefault(actor.id, (mention.text, "name in label"))
        # Capitals the register knows case-insensitively only ("ZONMW" for ZonMw).
        for word in _CAPITALS.findall(part):
            if is_abbreviation(word) and word.upper() == word:
                consider(word, "abbreviation in label", whole=False)
    return found, unresolved


def _trusted(actor: Actor) -> bool:
    """An actor whose names may be read inside a label: curated, registered, or a payer."""
    return actor.origin in (Origin.CURATED, Origin.REGISTER) or actor.kind in PAYER_KINDS


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _hoofdstuk_order(code: str) -> tuple[int, int, str]:
    letters = re.match(r"[IVXLC]+", code)
    if not letters:
        return (1, 0, code)
    total, previous = 0, 0
    for ch in reversed(letters.group()):
        value = _ROMAN[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return (0, total, code)


def _line_order(line: BudgetLine) -> tuple:
    return (_hoofdstuk_order(line.hoofdstuk), line.artikel, line.instrument or "",
            line.line or "", line.detail or "", line.occurrence)


def label_findings(linking: LabelLinking) -> list[Finding]:
    """`validate`'s rows: each label naming a form several registered organisations share."""
    out = []
    for item in linking.ambiguous:
        file, line = item.evidence[0].rsplit(":", 1)
        out.append(Finding(
            source=OpenDataset.BUDGETTAIRE_TABELLEN.value, file=file, line=int(line),
            finding=FindingKind.AMBIGUOUS_RECIPIENT, subject=f"{item.line.hoofdstuk} artikel "
            f"{item.line.artikel} {item.line.instrument}: {item.label}",
            detail=f"{item.form!r} names {len(item.candidates)} registered organisations, "
            "none of them the paying ministry's alone: left unattributed",
            other=", ".join(item.candidates)))
    return out
