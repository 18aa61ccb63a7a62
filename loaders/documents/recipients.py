"""Who gets the money: actors tied to budget lines by the sentences of the narrative.

Generic Dutch patterns, no per-document cases:
- only a payment sentence (bijdrage, subsidie, opdracht gegund/verstrekt, middelen
  verstrekt, ontvangt/ontvangen) can name a recipient;
- the recipient is the actor after "aan (de|het)" (and the actors listed after it), or
  the subject of ontvangt/ontvangen: actors before the verb not governed by a preposition,
  or the actor right after it;
- in such a sentence an actor after "door" performs the work: the recipient passes the
  money on to it;
- the minister is the payer, never a recipient; every other actor named is a mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geldstroom.loaders.actors.claims import NameClaim
from geldstroom.loaders.actors.register import ActorMention, ActorRegister, text_actor_id
from geldstroom.loaders.documents.narrative import Paragraph, Sentence, read_narrative, tables_for
from geldstroom.model import (
    ActorKind,
    BudgetTable,
    Document,
    DocumentKind,
    LinkScope,
    Origin,
    Provenance,
    RecipientLink,
    Role,
    RowLevel,
)

_MONEY = re.compile(
    r"\b(?:bijdrage|rijksbijdrage|subsidie|subsidies|ontvangt|ontvangen|lening|leningen"
    r"|uitkering|uitkeringen|bekostiging|vergoeding|vergoedingen|garantie|garanties)\b"
    r"|\bopdracht(?:en)?\b.*\b(?:gegund|verstrekt)\b"
    r"|\b(?:gegund|verstrekt)\b.*\bopdracht(?:en)?\b"
    r"|\bmiddelen\b.*\bverstrekt\b|\bverstrekt\b.*\bmiddelen\b",
    re.IGNORECASE,
)
_RECEIVE = re.compile(r"\b(?:ontvangt|ontvangen)\b", re.IGNORECASE)
# Words that put an actor in a phrase of its own, so it cannot be the one receiving.
_PREPOSITIONS = {
    "van", "door", "met", "voor", "bij", "uit", "op", "in", "tot", "naar", "aan", "naast",
    "namens", "via", "zoals", "over", "om", "onder", "tussen", "binnen", "na", "tegen", "zonder",
    "volgens", "ten", "te",
}
_ARTICLES = {"de", "het", "een"}
_TOKEN = re.compile(r"[\w’']+|[^\w\s]")
_LIST_GAP = re.compile(r"^\s*(?:,|en|of|,\s*en)\s*(?:(?:de|het)\s+)?$", re.IGNORECASE)
# "ontvangt (ook|daartoe|jaarlijks ...) (de|het) X"
_AFTER_VERB = re.compile(
    r"^\s+(?:(?:ook|daartoe|daarvoor|hiervoor|jaarlijks|eveneens|tevens|nu|dan)\s+)*"
    r"(?:(?:de|het)\s+)?$",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\([^()]*\)")

_YEAR = r"((?:19|20)\d\d)"
# A range counts when it reads as a period ("over de periode 2022-2026", "(2022 - medio
# 2026)", "van 2022 tot en met 2026"), not when it is part of a name ("I-strategie 2021-2025").
_RANGE = re.compile(
    r"(?:\bperiode|\bjaren|\bvan|\btussen|\()\s*" + _YEAR
    + r"\s*(?:-|–|t/m|tot en met|tot)\s*(?:(?:medio|eind|begin|half)\s+)?" + _YEAR + r"\b",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(r"\bin\s+" + _YEAR + r"\b((?:\s*(?:,|en)\s*(?:19|20)\d\d\b)*)", re.IGNORECASE)
_FROM_YEAR = re.compile(r"\b(?:vanaf|sinds|per)\s+" + _YEAR + r"\b", re.IGNORECASE)


def is_payment_sentence(text: str) -> bool:
    return bool(_MONEY.search(text))


def years_said(text: str, last_year: int | None = None) -> tuple[int, ...]:
    """The years a sentence limits itself to; () when it does not say."""
    years: set[int] = set()
    for match in _RANGE.finditer(text):
        first, last = int(match[1]), int(match[2])
        if first <= last:
            years.update(range(first, last + 1))
    for match in _IN_YEAR.finditer(text):
        years.add(int(match[1]))
        years.update(int(y) for y in re.findall(r"(?:19|20)\d\d", match[2]))
    for match in _FROM_YEAR.finditer(text):
        first = int(match[1])
        years.update(range(first, max(first, last_year or first) + 1))
    return tuple(sorted(years))


@dataclass(frozen=True)
class _Occurrence:
    """One actor named once: "Het Centraal Bureau voor Statistiek (CBS)" is one."""

    actor: str
    start: int
    end: int


def _merge(text: str, mentions: Sequence[ActorMention]) -> list[_Occurrence]:
    merged: list[_Occurrence] = []
    for mention in mentions:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.actor == mention.actor
            and re.fullmatch(r"\s*\(\s*", text[last.end : mention.start])
        ):
            close = re.match(r"\s*\)", text[mention.end :])
            end = mention.end + (close.end() if close else 0)
            merged[-1] = _Occurrence(last.actor, last.start, end)
        else:
            merged.append(_Occurrence(mention.actor, mention.start, mention.end))
    return merged


def _governing_word(text: str, start: int) -> str | None:
    """The word an actor follows, skipping articles: 'aan de VOM' -> 'aan'."""
    tokens = _TOKEN.findall(text[:start])
    while tokens and tokens[-1].lower() in _ARTICLES:
        tokens.pop()
    return tokens[-1].lower() if tokens else None


def _continues(sentence: str, occurrences: list[_Occurrence]) -> list[bool]:
    """Whether each occurrence continues a list begun by the one before ("X, Y en Z")."""
    flags = [False] * len(occurrences)
    for k in range(1, len(occurrences)):
        gap = _PARENS.sub("", sentence[occurrences[k - 1].end : occurrences[k].start])
        flags[k] = bool(_LIST_GAP.match(gap))
    return flags


def _governing(sentence: str, occurrences: list[_Occurrence], continues: list[bool]
               ) -> list[str | None]:
    """The word each actor follows; a list continuation shares its head's ("aan de VOM en
    het EIPA": both after "aan")."""
    words: list[str | None] = []
    for k, occ in enumerate(occurrences):
        words.append(words[-1] if continues[k] else _governing_word(sentence, occ.start))
    return words


def _with_list(k: int, continues: list[bool], backwards: bool) -> set[int]:
    """Occurrence k and the list it belongs to, in one direction."""
    members = {k}
    if backwards:
        while k > 0 and continues[k]:
            k -= 1
            members.add(k)
    else:
        while k + 1 < len(continues) and continues[k + 1]:
            k += 1
            members.add(k)
    return members


def _subjects(sentence: str, occurrences: list[_Occurrence], continues: list[bool],
              governing: list[str | None]) -> set[int]:
    """The actors that ontvangt/ontvangen: the nearest one before the verb that no
    preposition governs ("KOOP (onderdeel van Logius) ontvangt" -> KOOP) with its list,
    or the one right after the verb ("ontvangt de Stichting ICTU")."""
    found: set[int] = set()
    for verb in _RECEIVE.finditer(sentence):
        before = [
            k for k, occ in enumerate(occurrences)
            if occ.end <= verb.start() and governing[k] not in _PREPOSITIONS
        ]
        if before:
            found |= _with_list(before[-1], continues, backwards=True)
        after = [
            k for k, occ in enumerate(occurrences)
            if occ.start >= verb.end() and _AFTER_VERB.match(sentence[verb.end() : occ.start])
        ]
        if after:
            found |= _with_list(after[0], continues, backwards=False)
    return found


def _roles_in(sentence: str, occurrences: list[_Occurrence], register: ActorRegister
              ) -> list[tuple[_Occurrence, Role, str | None]]:
    """(occurrence, role, via) for every non-payer actor the sentence names."""
    continues = _continues(sentence, occurrences)
    governing = _governing(sentence, occurrences, continues)
    recipients: set[int] = set()
    if is_payment_sentence(sentence):
        recipients = {k for k, word in enumerate(governing) if word == "aan"}
        recipients |= _subjects(sentence, occurrences, continues, governing)
        recipients = {k for k in recipients if not register.is_payer(occurrences[k].actor)}
    first_recipient = occurrences[min(recipients)].actor if recipients else None
    out: list[tuple[_Occurrence, Role, str | None]] = []
    for k, occ in enumerate(occurrences):
        if register.is_payer(occ.actor):
            continue  # the payer of every line; naming it says nothing about a recipient
        if k in recipients:
            out.append((occ, Role.RECIPIENT, None))
        elif first_recipient and governing[k] == "door" and occ.actor != first_recipient:
            out.append((occ, Role.PASSED_ON, first_recipient))
        else:
            out.append((occ, Role.MENTION, None))
    return out


_STRENGTH = {Role.RECIPIENT: 3, Role.PASSED_ON: 2, Role.MENTION: 1}


# An organisation's name as a sentence writes it: capitalised words, with the small words
# that join them ("Universiteit van Amsterdam", "Huis voor de Democratie").
_WORD = re.compile(r"[^\W\d_]\w*(?:[’'&-]\w+)*|\d\w*(?:-\w+)*")
_JOINERS = {"van", "voor", "de", "der", "den", "het", "op", "in", "tot", "'t"}
_ARTICLE_WORDS = {"de", "het", "een", "'t"}
_ADVERBS = {"ook", "daartoe", "daarvoor", "hiervoor", "jaarlijks", "eveneens", "tevens", "nu",
            "dan"}


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _name_at(words: list[re.Match[str]], sentence: str, first: int, step: int) -> tuple[int, int]:
    """The run of name words from words[first] on, forwards (step 1) or backwards (-1):
    (index of its first word, index after its last). Empty when words[first] cannot start
    one. Words must touch (only spaces between): a comma or bracket ends the name."""
    if not (0 <= first < len(words)) or not _is_capitalised(words[first].group()):
        return first, first
    lo = hi = first
    k = first
    while 0 <= k + step < len(words):
        nxt = k + step
        gap = sentence[words[min(k, nxt)].end() : words[max(k, nxt)].start()]
        word = words[nxt].group()
        # "en" joins two capitalised words ("Aa en Maas"), not a list ("X en de Y").
        joins = word in _JOINERS or (
            word == "en" and 0 <= nxt + step < len(words)
            and _is_capitalised(words[nxt + step].group())
        )
        if gap.strip() or not (_is_capitalised(word) or joins):
            break
        k = nxt
        if _is_capitalised(word):
            lo, hi = min(lo, k), max(hi, k)
    return lo, hi + 1


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w’'&-]*)")


def _occurrences(sentence: str, register: ActorRegister) -> list[_Occurrence]:
    """The actors a sentence names, each once; a registered name that a capitalised word
    continues is part of a longer name ("VNG Afdeling Groningen" is not the VNG)."""
    kept = []
    for occ in _merge(sentence, register.find(sentence)):
        after = _NEXT_WORD.match(sentence, occ.end)
        if after and _is_capitalised(after[1]):
            continue
        kept.append(occ)
    return kept


def unregistered_names(sentence: str, register: ActorRegister) -> list[tuple[int, int]]:
    """Spans of organisation names the register does not know, in the recipient places of
    a payment sentence: "De Universiteit Leiden ontvangt", "ontvangt de X", "aan de X".
    A lone capitalised first word ("Hiervoor ontvangt") is not a name."""
    if not is_payment_sentence(sentence):
        return []
    taken = [(occ.start, occ.end) for occ in _occurrences(sentence, register)]
    words = list(_WORD.finditer(sentence))
    lowered = [w.group().lower() for w in words]
    runs: list[tuple[int, int]] = []
    for k, word in enumerate(lowered):
        if word in ("ontvangt", "ontvangen"):
            runs.append(_name_at(words, sentence, k - 1, -1))
            after = k + 1
            while after < len(words) and lowered[after] in _ADVERBS | _ARTICLE_WORDS:
                after += 1
            runs.append(_name_at(words, sentence, after, 1))
        elif word == "aan":
            after = k + 1
            while True:  # "aan de X, de Y en de Z": each in the list
                while after < len(words) and lowered[after] in _ARTICLE_WORDS:
                    after += 1
                lo, hi = _name_at(words, sentence, after, 1)
                if lo == hi:
                    break
                runs.append((lo, hi))
                if hi >= len(words):
                    break
                gap = sentence[words[hi - 1].end() : words[hi].start()]
                if lowered[hi] == "en" and not gap.strip():
                    after = hi + 1
                elif gap.strip() == ",":
                    after = hi
                else:
                    break
    spans = []
    for lo, hi in runs:
        while lo < hi and lowered[lo] in _ARTICLE_WORDS:
            lo += 1
        # A registered name ends the run ("Universiteit Utrecht en TNO"), with its joiners.
        while lo < hi and any(s < words[hi - 1].end() and words[lo].start() < e
                              for s, e in taken):
            hi -= 1
        while lo < hi and not _is_capitalised(words[hi - 1].group()):
            hi -= 1
        if lo >= hi or (hi - lo == 1 and lo == 0):
            continue
        start, end = words[lo].start(), words[hi - 1].end()
        if any(s < end and start < e for s, e in taken) or (start, end) in spans:
            continue
        spans.append((start, end))
    return spans


def sentence_roles(sentence: str, register: ActorRegister) -> list[tuple[str, Role, str | None]]:
    """(actor id, role, via) per actor named in the sentence, strongest role kept,
    in order of first appearance."""
    occurrences = _occurrences(sentence, register)
    best: dict[str, tuple[Role, str | None]] = {}
    for occ, role, via in _roles_in(sentence, occurrences, register):
        if occ.actor not in best or _STRENGTH[role] > _STRENGTH[best[occ.actor][0]]:
            best[occ.actor] = (role, via)
    return [(actor, role, via) for actor, (role, via) in best.items()]


def _default_years(document: Document, scope: LinkScope, tables: Sequence[BudgetTable]
                   ) -> tuple[int, ...]:
    if scope is LinkScope.INSTRUMENT:
        flexible = sorted({share.year for t in tables for share in t.flexibility})
        if flexible:
            return tuple(flexible)
    # A begroting's narrative describes its own year and the estimates after it; what was
    # realised or adopted in earlier years is for the jaarverslagen to say.
    years = sorted({year for t in tables for year in t.years if year >= document.year})
    return tuple(years) or (document.year,)


# The sentence names examples of the recipients, not all of them.
_NON_EXHAUSTIVE = re.compile(r"\b(?:o\.a\.|onder (?:andere|anderen|meer))(?:\s|$)",
                             re.IGNORECASE)


def _years(document: Document, sentence: Sentence, scope: LinkScope,
           tables: Sequence[BudgetTable]) -> tuple[int, ...]:
    if document.kind is DocumentKind.JAARVERSLAG:
        return (document.year,)  # a jaarverslag speaks for its own year only
    default = _default_years(document, scope, tables)
    # A year said in passing ("het programma dat in 2019 is gestart") cannot move the
    # evidence outside the table's columns.
    columns = {year for table in tables for year in table.years}
    said = tuple(y for y in years_said(sentence.text, max(default)) if not columns or y in columns)
    return said or default


def _owner(document: Document, path: tuple[str, ...], tables: Sequence[BudgetTable]
           ) -> tuple[str, str | None]:
    """Hoofdstuk and artikel of the table the path was found in: a link's identity is its
    budget line's, whatever the narrative's own document says of itself."""
    for table in tables:
        rows = table.budget_lines() if len(path) > 1 else table.rows()
        if any(row.path == path or (len(path) == 1 and row.label == path[0]) for row in rows):
            return table.hoofdstuk, table.artikel
    return document.hoofdstuk, document.artikel


def _found_in_text(document: Document, sentence: Sentence, register: ActorRegister,
                   found: list[NameClaim]) -> list[tuple[str, Role, str | None]]:
    """Recipients a payment sentence names that no register knows: each becomes an actor
    found in the text, with the sentence as its evidence (a claim the corpus registers)."""
    out: list[tuple[str, Role, str | None]] = []
    for start, end in unregistered_names(sentence.text, register):
        name = sentence.text[start:end]
        known = register.resolve(name)
        if known is not None and register.is_payer(known):
            continue
        if known is None:
            known = text_actor_id(name)
            found.append(NameClaim(name=name, source=document.id, line=sentence.line,
                                   origin=Origin.TEXT, kind=ActorKind.FOUND_IN_TEXT,
                                   quote=sentence.text))
        out.append((known, Role.RECIPIENT, None))
    return out


def _paragraph_links(document: Document, paragraph: Paragraph, tables: Sequence[BudgetTable],
                     register: ActorRegister, found: list[NameClaim]) -> list[RecipientLink]:
    hoofdstuk, artikel = _owner(document, paragraph.path, tables)
    links = []
    for sentence in paragraph.sentences:
        roles = sentence_roles(sentence.text, register)
        roles += _found_in_text(document, sentence, register, found)
        for actor, role, via in roles:
            links.append(
                RecipientLink(
                    actor=actor,
                    role=role,
                    scope=paragraph.scope,
                    hoofdstuk=hoofdstuk,
                    artikel=artikel,
                    path=paragraph.path,
                    heading_path=paragraph.headings,
                    years=_years(document, sentence, paragraph.scope, tables),
                    via=via,
                    non_exhaustive=role is Role.RECIPIENT
                    and bool(_NON_EXHAUSTIVE.search(sentence.text)),
                    evidence=Provenance(
                        document=document.id, line=sentence.line, quote=sentence.text
                    ),
                )
            )
    return links


def _label_links(document: Document, tables: Sequence[BudgetTable], narrative: list[RecipientLink],
                 register: ActorRegister) -> list[RecipientLink]:
    """A budget line named after an actor ("KOOP", "Stichting Administratie Indonesische
    Pensioenen") pays that actor, unless the narrative of the line names another."""
    links = []
    for table in tables:
        if table.document != document.id:
            continue  # the row's line is evidence only in its own document
        for row in table.budget_lines():
            if row.level is not RowLevel.REGELING:
                continue
            named = [m.actor for m in register.find(row.label) if not register.is_payer(m.actor)]
            told: dict[int, set[str]] = {year: set() for year in table.years}
            for link in narrative:
                if (link.role is Role.RECIPIENT and link.scope is LinkScope.LINE
                        and link.path == row.path):
                    for year in link.years:
                        told.setdefault(year, set()).add(link.actor)
            for actor in dict.fromkeys(named):
                # Per year: the label's actor is the recipient unless the narrative names
                # someone else for that year.
                paid = tuple(y for y in table.years if not told[y] or actor in told[y])
                named_only = tuple(y for y in table.years if y not in paid)
                for role, years in ((Role.RECIPIENT, paid), (Role.MENTION, named_only)):
                    if not years:
                        continue
                    links.append(
                        RecipientLink(
                            actor=actor,
                            role=role,
                            scope=LinkScope.LINE,
                            hoofdstuk=table.hoofdstuk,
                            artikel=table.artikel,
                            path=row.path,
                            heading_path=row.path,
                            years=years,
                            evidence=Provenance(
                                document=document.id, line=row.provenance.line, quote=row.label
                            ),
                        )
                    )
    return links


def extract_links(document: Document, lines: Sequence[str], tables: Sequence[BudgetTable],
                  register: ActorRegister, found: list[NameClaim] | None = None
                  ) -> list[RecipientLink]:
    """Every actor the document ties to a budget line or instrument, with its role.
    Recipients no register knows are added to `found` as claims (feed them to the
    register: ActorRegister.with_claims) and linked by the id they will get."""
    relevant = tables_for(document, tables)
    narrative = read_narrative(document, lines, relevant)
    found = [] if found is None else found
    links = [
        link
        for paragraph in narrative.paragraphs
        for link in _paragraph_links(document, paragraph, relevant, register, found)
    ]
    return links + _label_links(document, relevant, links, register)
