"""REFERENCE, not the product: loaders/actors/names.py as it was at 5ec3c79, before the speed
pass of issue 17 (fast paths for ASCII and Latin text, fewer caches). Kept verbatim so that
tests/test_names_speed.py can show, name by name, that the fast rules decide as these did.
A deliberate change of a name rule changes both this copy and names.py, or drops the test.

Organisation names reduced to what identifies them, and the aliases a name carries.

Two normalisations, for two uses:
- `name_tokens`: the words as a text writes them, without case, diacritics and punctuation.
  Finding a name in running text compares these, word for word.
- `identity_key`: what is left of a name once its dress is taken off: legal forms anywhere
  (Stichting, Stg, Ver., B.V., N.V., U.A., Ltd, GmbH, ...), articles, the words "van",
  "voor" and "en" (or "&"), a numbering suffix an export adds ("(1)"), and the spaces between the
  words ("Grotius College" is "Grotiuscollege"). Two names with the same key are one
  organisation. Nothing else merges: no prefixes, no fuzzy similarity ("VNG" is not
  "VNG Afdeling Groningen"); near names are candidates for a person (loaders/actors/candidates.py).

Folding is normality's, the world's company forms are rigour's (ISO 20275 and more, with
their spellings: "Limited", "Ltd.", "Sociedad Anonima", "besloten vennootschap"); rigour
has no Dutch stichting, vereniging or coöperatie, so those are listed here (docs/decisions.md
"Name identity" says what was measured).
"""

from __future__ import annotations

import re
from functools import lru_cache

# "b.v.", "N.V.", "U.A.": letters with dots written as one word, before dots become spaces.
_DOTTED = re.compile(r"\b(?:\w\.){2,}(?!\w)")
# Apostrophes belong to the word ("regio's", "veiligheidsregio’s"): dropped, not split on.
_APOSTROPHES = re.compile(r"['’‘`´]")
_WORD = re.compile(r"\w+")
# A number in parentheses at the end is the export's, not the name's: "Universiteit van
# Amsterdam(1)". Letters in parentheses are the name's ("Gemeente Bergen (NH)").
_NUMBERING = re.compile(r"\s*\(\s*\d{1,3}\s*\)\s*$")

ARTICLES = frozenset({"de", "het", "t", "den", "der"})
# Inserted or left out as the writer likes: "Universiteit (van) Tilburg", "Centrum (voor)
# Arbeidsverhoudingen", "Life Sciences (&) Health", "Vallei & Veluwe" / "Vallei en Veluwe".
OPTIONAL_WORDS = frozenset({"van", "voor", "en"})
# Dutch legal forms and their abbreviations, as written -> one name for the form. rigour
# gives the rest of the world's (see _COMPANY_FORMS).
LEGAL_FORMS = {
    "stichting": "stichting", "stg": "stichting", "vereniging": "vereniging",
    "cooperatie": "cooperatie", "cooperatieve": "cooperatie", "vzw": "vzw",
    # U.A., W.A., B.A.: the liability of a coöperatie's members, so a coöperatie.
    "ua": "cooperatie", "wa": "cooperatie", "ba": "cooperatie",
}
# Abbreviations that are a legal form only in one place: "Ver van Nederlandse Gemeenten"
# (leading: "ver" is no other first word); "Nuffic St" (trailing: "St" at the start is as
# often Sint as Stichting, "St Lukasschool", so there it stays a word of the name and the
# register decides from the other names the data gives: loaders/actors.py).
LEADING_ONLY = {"ver": "vereniging"}
TRAILING_ONLY = {"st": "stichting"}
# rigour's comparison forms taken as legal forms. Only these: rigour also knows forms that
# are Dutch words or initials ("vos", "is", "at", "nl", "pr", "ab", "sc"), and "Agentschap NL"
# or "Barbara Vos" must keep their last word. Taken at either end of a name only.
_COMPANY_FORMS = frozenset({
    "bv", "nv", "vof", "cv", "ltd", "inc", "gmbh", "llc", "plc", "sa", "sacv", "sarl", "sas",
    "ag", "ev", "aps", "kgaa", "coltd", "pvtltd", "ltda", "srl", "spa", "bvba", "gbr",
})
# A legal form at the start followed by a preposition is the name's head word: the
# "Vereniging van Nederlandse Gemeenten" is not "Nederlandse Gemeenten".
# An article there is not: "Stichting De Oase" is the Oase.
PREPOSITIONS = frozenset({
    "van", "voor", "tot", "ter", "ten", "in", "op", "aan", "bij", "met", "uit", "over",
})
# Kept for the callers that ask which forms lead or trail (tests, the register).
LEADING_FORMS = frozenset({*LEGAL_FORMS, *LEADING_ONLY} - {"ua", "wa", "ba"})
TRAILING_FORMS = frozenset({*LEGAL_FORMS, *TRAILING_ONLY, *_COMPANY_FORMS})


def fold(text: str) -> str:
    """Lower case without diacritics: 'Coöperatie' -> 'cooperatie', 'Financiën' -> 'financien'."""
    if text.isascii():
        return text.lower()
    from normality import ascii_text  # late: 0.1 s of imports, for non-ASCII text only

    return ascii_text(text).lower()


@lru_cache(maxsize=1 << 16)
def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name: folded, punctuation gone, dotted initials joined ('B.V.' -> 'bv')."""
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), name)
    text = _APOSTROPHES.sub("", text)
    return tuple(_WORD.findall(fold(text).replace("_", " ")))


def without_numbering(name: str) -> str:
    """'Universiteit van Amsterdam(1)' -> 'Universiteit van Amsterdam'."""
    return _NUMBERING.sub("", name) or name


@lru_cache(maxsize=1 << 16)
def _company_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens with every spelling of a company form rigour knows put as its comparison
    form ('limited' -> 'ltd', 'besloten vennootschap' -> 'bv', 'b v' -> 'bv'). A short word
    rigour reads as another form is left alone: it takes Dutch 'in' for 'inc'."""
    from rigour.names import extract_org_types

    text = " ".join(tokens)
    for matched, compare in extract_org_types(text):
        bare = matched.replace(" ", "")
        if compare in _COMPANY_FORMS and (bare == compare or len(bare) >= 4):
            text = re.sub(rf"(?<!\w){re.escape(matched)}(?!\w)", compare, text)
    return tuple(text.split())


def _form_at(tokens: list[str], at: int) -> str | None:
    """The legal form the token at `at` (0 or -1) states, if it states one there."""
    token = tokens[at]
    if token in LEGAL_FORMS:
        return LEGAL_FORMS[token]
    if token in _COMPANY_FORMS:
        return token
    return (LEADING_ONLY if at == 0 else TRAILING_ONLY).get(token)


# Every form of a 700 000-row file's register (450 000 names) stays: its key, its legal
# forms and its readable key are asked at different times, and each miss costs 30 µs.
@lru_cache(maxsize=1 << 20)
def _split_forms(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(identity tokens, legal forms taken off). An article inside a name goes ('Centraal
    Bureau voor de Statistiek'); one at the end stays, as it marks a cut-off name
    ('ZORG- EN RECREATIEBOERDERIJ DE' is not 'Zorg- en recreatieboerderij')."""
    tokens = list(name_tokens(without_numbering(name).replace("&", " en ")))
    if not tokens:
        return (), ()
    if len(tokens) > 1:
        tokens = list(_company_tokens(tuple(tokens))) or tokens
    forms: list[str] = []
    # Head words: a leading form followed by a preposition is the name's own.
    head: list[str] = []
    if len(tokens) > 2 and tokens[1] in PREPOSITIONS and (form := _form_at(tokens, 0)):
        head = [form]
        tokens = tokens[1:]
    else:
        while len(tokens) > 1 and (form := _form_at(tokens, 0)):
            forms.append(form)
            tokens.pop(0)
    while len(tokens) > 1 and (form := _form_at(tokens, -1)):
        forms.append(form)
        tokens.pop()
    # Dutch legal forms inside the name ("RIJNSTATE STG ZIEKENHUIS").
    inner = [t for t in tokens if t not in LEGAL_FORMS or t in ("ua", "wa", "ba")]
    if inner and len(inner) < len(tokens):
        forms += [LEGAL_FORMS[t] for t in tokens if t in LEGAL_FORMS and t not in inner]
        tokens = inner
    tokens = head + tokens
    dropped = ARTICLES | OPTIONAL_WORDS
    core = [t for t in tokens[:-1] if t not in dropped] + tokens[-1:]
    core = core or tokens
    return tuple(core), tuple(sorted(set(forms)))


def identity_tokens(name: str) -> tuple[str, ...]:
    """The words that identify the organisation: no articles, no "van"/"voor", no legal
    form. Never empty when the name has a word: a name that is only a legal form keeps it."""
    return _split_forms(name)[0]


def legal_forms(name: str) -> tuple[str, ...]:
    """The legal forms a name states ('Stichting X' -> ('stichting',)), () if none."""
    return _split_forms(name)[1]


@lru_cache(maxsize=1 << 17)
def identity_key(name: str) -> str:
    """One organisation, one key: 'Stichting CAOP', 'CAOP', 'caop.' and 'Caop Stichting'
    all give 'caop'; 'Grotius College' and 'Grotiuscollege' both 'grotiuscollege'. A name
    without any letter or digit keys on its folded text, so it is never empty."""
    tokens = identity_tokens(name)
    return "".join(tokens) if tokens else " ".join(fold(name).split()) or name


def display_key(name: str) -> str:
    """The identity words with spaces, for ids people read ('caop', 'nederlandse gemeenten')."""
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


# A name is split where a dataset's claim is made and again where a payment resolves it: at
# 700 000 rows each of 450 000 names, so the split is kept (as _split_forms's above).
@lru_cache(maxsize=1 << 19)
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
    if not cluster and (edge := _edge_abbreviation(name)):
        name, alias = edge
        aliases.append(alias)
    return name, tuple(dict.fromkeys(aliases)), cluster


# "CILC - CENTER FOR ...", "... POLICY DEV.-ICMPD", "(ICG) INTERNATIONAL CRISIS GROUP",
# "ISA STICHTING INTERNATIONAL SPORTS ALLIANCE", "Dienst Uitvoering Onderwijs Duo".
_LEADING_SHORT = re.compile(r"^\(?([^\W_]{2,8})\)?\s*(?:[-–/]\s*)?(\S.*)$")
_TRAILING_SHORT = re.compile(r"^(.*\S)\s*(?:[-–/]\s*)?\(?\b([^\W_]{2,8})\)?\.?$")
# Small words an abbreviation skips ("Center for International Legal Cooperation": CILC).
_SKIPPED = frozenset({"for", "of", "the", "and", "en", "van", "voor", "de", "het", "der"})


def _initials(name: str) -> str:
    return "".join(t[0] for t in identity_tokens(name) if t not in _SKIPPED)


# The first letters an identity token can have that no word of the name starts with: the
# forms _split_forms puts in a word's place (a leading "Stg" is the head word "stichting",
# "Besloten Vennootschap" is "bv"; "&" is "en").
_PUT_IN_INITIALS = frozenset(
    form[0] for form in (*LEGAL_FORMS.values(), *LEADING_ONLY.values(),
                         *TRAILING_ONLY.values(), *_COMPANY_FORMS, "en"))


def _may_abbreviate(letters: str, long: str) -> bool:
    """Whether `letters` can be the initials of `long`'s identity words: each letter starts
    one of its words (or a form put in a word's place). Nine names in ten fail this, and
    it costs a fraction of the identity words, which _edge_abbreviation then needs."""
    starts = {word[0] for word in name_tokens(long)} | _PUT_IN_INITIALS
    return all(letter in starts for letter in letters)


def _edge_abbreviation(name: str) -> tuple[str, str] | None:
    """(long name, abbreviation) where a name is both, side by side: the short one's letters
    are exactly the initials of the other's words (legal forms and small words aside)."""
    for pattern, short_at in ((_LEADING_SHORT, 1), (_TRAILING_SHORT, 2)):
        match = pattern.match(name)
        if not match:
            continue
        short, long = match[short_at], match[3 - short_at]
        letters = fold(short)
        if (len(long.split()) >= 2 and len(letters) >= 3 and _may_abbreviate(letters, long)
                and letters == _initials(long)
                and letters != "".join(identity_tokens(long))):
            return long.strip(" -–/"), short
    return None


def typed_forms(text: str) -> list[str]:
    """The forms a typed name is looked up by: as typed, then without a parenthesised
    abbreviation ('Rijksdienst voor Ondernemend Nederland (RVO)', as the subsidies file
    writes it, is also looked up as 'Rijksdienst voor Ondernemend Nederland')."""
    whole = " ".join(text.split())
    name, _, _ = split_name(whole)
    return list(dict.fromkeys(f for f in (whole, name) if f))
