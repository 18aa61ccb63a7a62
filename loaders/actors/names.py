"""Organisation names reduced to what identifies them, and the aliases a name carries.

Two normalisations, for two uses:
- `name_tokens`: the words as a text writes them, without case, diacritics and punctuation.
  Finding a name in running text compares these, word for word.
- `identity_key`: the tokens without articles and without a legal form ("Stichting CAOP" is
  the CAOP). Two names with the same key are one organisation. Nothing else merges: no
  prefixes, no fuzzy similarity ("VNG" is not "VNG Afdeling Groningen").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# "b.v.", "N.V.", "U.A.": letters with dots written as one word, before dots become spaces.
_DOTTED = re.compile(r"\b(?:\w\.){2,}(?!\w)")
# Apostrophes belong to the word ("regio's", "veiligheidsregio’s"): dropped, not split on.
_APOSTROPHES = re.compile(r"['’‘`´]")
_WORD = re.compile(r"\w+")

ARTICLES = frozenset({"de", "het", "t", "den", "der"})
# Legal forms, as written -> one name for the form ("STG" is how some write Stichting).
LEGAL_FORMS = {
    "stichting": "stichting", "stg": "stichting", "vereniging": "vereniging",
    "cooperatie": "cooperatie", "cooperatieve": "cooperatie", "vzw": "vzw", "bv": "bv",
    "nv": "nv", "vof": "vof", "cv": "cv",
    # U.A., W.A., B.A.: the liability of a coöperatie's members, so a coöperatie.
    "ua": "cooperatie", "wa": "cooperatie", "ba": "cooperatie",
}
# A legal form at the start of a name ("Stichting ICTU"), unless a preposition follows:
# then it is the name's own head word ("Vereniging van Nederlandse Gemeenten").
LEADING_FORMS = frozenset({
    "stichting", "stg", "vereniging", "cooperatie", "cooperatieve", "vzw", "bv", "nv",
})
# A legal form at the end ("Rendac BV", "De Nederlandsche Bank NV", "Coöperatie X U.A.").
# "Stichting" at the end is part of the name: Nederlandse Omroep Stichting (NOS).
TRAILING_FORMS = frozenset({"bv", "nv", "ua", "wa", "ba", "vof", "cv", "vzw"})
PREPOSITIONS = frozenset({
    "van", "voor", "tot", "ter", "ten", "in", "op", "aan", "bij", "met", "uit", "over", "de",
    "het", "der",
})


def fold(text: str) -> str:
    """Lower case without diacritics: 'Coöperatie' -> 'cooperatie', 'Financiën' -> 'financien'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name: folded, punctuation gone, dotted initials joined ('B.V.' -> 'bv')."""
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), name)
    text = _APOSTROPHES.sub("", text)
    return tuple(_WORD.findall(fold(text).replace("_", " ")))


@lru_cache(maxsize=1 << 16)
def _split_forms(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(identity tokens, legal forms taken off). An article inside a name goes ('Centraal
    Bureau voor de Statistiek'); one at the end stays, as it marks a cut-off name
    ('ZORG- EN RECREATIEBOERDERIJ DE' is not 'Zorg- en recreatieboerderij')."""
    tokens = list(name_tokens(name))
    if not tokens:
        return (), ()
    core = [t for t in tokens[:-1] if t not in ARTICLES] + tokens[-1:]
    if len(core) > 1 and core[0] in ARTICLES:
        core = core[1:]
    forms: list[str] = []
    while len(core) > 1 and core[0] in LEADING_FORMS and core[1] not in PREPOSITIONS:
        forms.append(LEGAL_FORMS[core.pop(0)])
    while len(core) > 1 and core[-1] in TRAILING_FORMS:
        forms.append(LEGAL_FORMS[core.pop()])
    return tuple(core), tuple(sorted(set(forms)))


def identity_tokens(name: str) -> tuple[str, ...]:
    """The tokens that identify the organisation: no articles inside, no legal form.
    Never empty when the name has a word: a name that is only a legal form keeps it."""
    return _split_forms(name)[0]


def legal_forms(name: str) -> tuple[str, ...]:
    """The legal forms a name states ('Stichting X' -> ('stichting',)), () if none."""
    return _split_forms(name)[1]


def identity_key(name: str) -> str:
    """One organisation, one key: 'Stichting CAOP', 'CAOP' and 'caop.' all give 'caop'.
    A name without any letter or digit keys on its folded text, so it is never empty."""
    tokens = identity_tokens(name)
    return " ".join(tokens) if tokens else " ".join(fold(name).split()) or name


_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_CLUSTER = re.compile(r"^cluster$", re.IGNORECASE)


def is_abbreviation(form: str) -> bool:
    """One token with two or more capitals (CBS, SSC-ICT, NAKTuinbouw): matched
    case-sensitively in text, so 'ipo' or 'vom' inside ordinary words never count."""
    return not re.search(r"\s", form.strip()) and sum(c.isupper() for c in form) >= 2


# Provinces as names qualify them ('Gemeente Bergen (NH)', '(Gld)', '(Limburg)'), folded and
# without dots, hyphens or spaces.
_PLACES = frozenset({
    "gld", "gelderland", "utr", "utrecht", "ov", "ovl", "overijssel", "dr", "drenthe", "gr",
    "gn", "gron", "groningen", "fr", "frl", "friesland", "fryslan", "fl", "flev", "flevoland",
    "zl", "zee", "zeeland", "nh", "noordholland", "zh", "zuidholland", "nb", "nbr",
    "noordbrabant", "l", "lb", "lim", "limburg",
})


def is_qualifier(text: str) -> bool:
    """A parenthesised part that says which of several, not an alias: one or two letters, or
    a province ('Gemeente Bergen (NH)' and 'Gemeente Bergen (L)' are two municipalities)."""
    letters = re.sub(r"[\W_]", "", fold(text))
    return len(letters) <= 2 or letters in _PLACES


def looks_like_short_name(text: str) -> bool:
    """A parenthesised part that names the organisation: an abbreviation (SAIP, Ctgb, RvA),
    or a short proper name (Stichting Cito, Commissie MER, Kadaster)."""
    words = text.split()
    if not words or len(words) > 3 or len(text) > 30:
        return False
    last = words[-1].strip(".,")
    return bool(last) and (is_abbreviation(last) or (last[0].isupper() and len(words) <= 2))


def _abbreviates(short: str, long: str) -> bool:
    """'Stichting NAK' abbreviates 'Nederlandse Algemene Keuringsdiensten voor ...': the
    short name's letters are the long one's initials, in order (some may be skipped)."""
    letters = identity_key(short).replace(" ", "")
    initials = iter(word[0] for word in name_tokens(long))
    words = long.split()
    return (len(words) >= 3 and words[0][:1].isupper() and len(letters) >= 2
            and all(letter in initials for letter in letters))


def split_name(written: str) -> tuple[str, tuple[str, ...], bool]:
    """(name, aliases, is_cluster) of a name as a register writes it:
    'Stichting Administratie Indonesische Pensioenen (SAIP)' -> name without the part in
    parentheses and alias 'SAIP'; '(cluster)' marks a group of organisations, which takes
    no alias (the 'PO' of '... primair onderwijs (PO) (cluster)' names a sector, not it).
    A long parenthesised part ('(Nederlandse Algemene Keuringsdiensten voor ...)') is the
    full name: the alias is then the part before it."""
    name = " ".join(written.split())
    cluster = False
    aliases: list[str] = []
    while match := _PAREN.search(name):
        inside = match[1].strip()
        head = name[: match.start()].strip()
        if not head:
            break
        if _CLUSTER.match(inside):
            cluster = True
        elif cluster:
            pass  # an abbreviation inside a cluster's name names the sector
        elif is_qualifier(inside):
            break  # '(NH)': part of the name, or two Bergens would be one
        elif looks_like_short_name(inside):
            aliases.append(inside)
        elif _abbreviates(head, inside):
            aliases.append(head)  # 'Skal (Stichting Keur Alternatief ...)': the head is short
            head = inside
        else:
            break  # a remark in parentheses ('(van de AOC Raad)'): part of the name
        name = head
    return name, tuple(dict.fromkeys(aliases)), cluster
