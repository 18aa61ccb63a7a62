"""Organisation names reduced to what identifies them, and the aliases a name carries.

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
import string
from collections.abc import Callable
from functools import cache, lru_cache

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
    """Lower case without diacritics: 'Coöperatie' -> 'cooperatie', 'Financiën' -> 'financien'.
    normality's ascii_text (ICU) decides; text of Latin letters, punctuation and symbols is
    folded from a table of ICU's answer for each character alone (30 µs a name through ICU,
    at 700 000 rows seconds): the same text, as tests/test_names_speed.py shows."""
    if text.isascii():
        return text.lower()
    by_character = text.translate(_latin_table())
    if by_character.isascii():
        return by_character.lower()
    from normality import ascii_text  # late: 0.1 s of imports, for non-ASCII text only

    return ascii_text(text).lower()


# Where ICU's transliteration of a text is the sum of that of its characters: ASCII (ICU
# drops its symbols, '+', '$', '|', in a non-ASCII text), Latin-1 and Latin Extended-A/B,
# Latin Extended Additional (Vietnamese), general punctuation and currency signs. Not the
# combining marks and the spacing modifier letters (U+02B0-U+02FF): ICU reads those with
# their neighbours.
_LATIN_RANGES = ((0x20, 0x7F), (0xA0, 0x2B0), (0x1E00, 0x1F00), (0x2000, 0x2070),
                 (0x20A0, 0x20C1))


@lru_cache(maxsize=1)
def _latin_table() -> dict[int, str]:
    """Character -> what normality's ascii_text makes of it alone, where that is ASCII."""
    import unicodedata

    from icu import Transliterator  # normality's own transliterator, with its script
    from normality.transliteration import ASCII_SCRIPT

    transliterate = Transliterator.createInstance(ASCII_SCRIPT).transliterate
    table = {}
    for low, high in _LATIN_RANGES:
        for code in range(low, high):
            character = chr(code)
            if unicodedata.category(character)[0] in "MC":
                continue
            ascii = transliterate(character)
            if ascii.isascii():
                table[code] = ascii
    return table


def _name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name: folded, punctuation gone, dotted initials joined ('B.V.' -> 'bv')."""
    # each pattern only where its characters are: most names have neither
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), name) if "." in name else name
    if not text.isascii() or "'" in text or "`" in text:
        text = _APOSTROPHES.sub("", text)
    return tuple(_WORD.findall(fold(text).replace("_", " ")))


# Kept for text: finding names in a document asks for the same words again and again.
name_tokens = lru_cache(maxsize=1 << 16)(_name_tokens)

# Every ASCII character but a lower-case letter or a digit (bytes.translate deletes them at
# a fifth of the cost of str.translate).
_ASCII_NOT_ALNUM = bytes(
    code for code in range(128) if chr(code) not in string.ascii_lowercase + string.digits)


def joined_tokens(name: str) -> str:
    """The words of name_tokens joined without spaces: the letters and digits of the name
    folded (name_tokens splits at every other character, and joins only where it drops dots
    and apostrophes, which fold to neither), at a fifth of the cost of its words."""
    if not name.isascii():
        folded = name.translate(_latin_table())  # as fold() folds it, where it can
        if not folded.isascii():
            return "".join(_name_tokens(name))
        name = folded
    return name.lower().encode().translate(None, _ASCII_NOT_ALNUM).decode()


def without_numbering(name: str) -> str:
    """'Universiteit van Amsterdam(1)' -> 'Universiteit van Amsterdam'."""
    if not name.rstrip().endswith(")"):
        return name  # what the pattern, which ends in ')' and spaces, leaves of it
    return _NUMBERING.sub("", name) or name


def _company_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens with every spelling of a company form rigour knows put as its comparison
    form ('limited' -> 'ltd', 'besloten vennootschap' -> 'bv', 'b v' -> 'bv'). A short word
    rigour reads as another form is left alone: it takes Dutch 'in' for 'inc'."""
    text = " ".join(tokens)
    found = _extract_org_types()(text)
    if not found:
        return tokens  # what splitting the joined text again gives: tokens have no spaces
    for matched, compare in found:
        bare = matched.replace(" ", "")
        if matched == compare:
            continue  # 'bv' put as 'bv'
        if compare in _COMPANY_FORMS and (bare == compare or len(bare) >= 4):
            text = re.sub(rf"(?<!\w){re.escape(matched)}(?!\w)", compare, text)
    return tuple(text.split())


@cache
def _extract_org_types() -> Callable[[str], list[tuple[str, str]]]:
    from rigour.names import extract_org_types  # late: rigour's tables load on first use

    return extract_org_types


# The legal form a token states at a name's start, and at its end: the Dutch forms first,
# then rigour's, then the abbreviations that are a form only there (one lookup a token).
_FORM_LEADING = {**LEADING_ONLY, **{f: f for f in _COMPANY_FORMS}, **LEGAL_FORMS}
_FORM_TRAILING = {**TRAILING_ONLY, **{f: f for f in _COMPANY_FORMS}, **LEGAL_FORMS}


_DROPPED = ARTICLES | OPTIONAL_WORDS
_INNER_FORMS = frozenset(LEGAL_FORMS) - {"ua", "wa", "ba"}  # taken out inside a name


# Every form of a 700 000-row file's register (450 000 names) stays: its key, its legal
# forms and its readable key are asked at different times, and each miss costs 30 µs.
@lru_cache(maxsize=1 << 20)
def _split_forms(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(identity tokens, legal forms taken off). An article inside a name goes ('Centraal
    Bureau voor de Statistiek'); one at the end stays, as it marks a cut-off name
    ('ZORG- EN RECREATIEBOERDERIJ DE' is not 'Zorg- en recreatieboerderij')."""
    # name_tokens without its cache: this split is kept, and a register's forms are each
    # split once (at 700 000 rows its cache of 65 536 hit 5 of 441 000 forms)
    words = _name_tokens(without_numbering(name).replace("&", " en "))
    if not words:
        return (), ()
    if len(words) > 1:
        words = _company_tokens(words) or words
    tokens = list(words)
    forms: list[str] = []
    # Head words: a leading form followed by a preposition is the name's own.
    head: list[str] = []
    if len(tokens) > 2 and tokens[1] in PREPOSITIONS and (form := _FORM_LEADING.get(tokens[0])):
        head = [form]
        tokens = tokens[1:]
    else:
        while len(tokens) > 1 and (form := _FORM_LEADING.get(tokens[0])):
            forms.append(form)
            tokens.pop(0)
    while len(tokens) > 1 and (form := _FORM_TRAILING.get(tokens[-1])):
        forms.append(form)
        tokens.pop()
    # Dutch legal forms inside the name ("RIJNSTATE STG ZIEKENHUIS").
    if not _INNER_FORMS.isdisjoint(tokens):  # (most names have none: skipped at C speed)
        inner = [t for t in tokens if t not in _INNER_FORMS]
        if inner:
            forms += [LEGAL_FORMS[t] for t in tokens if t in _INNER_FORMS]
            tokens = inner
    if head:
        tokens = head + tokens
    if _DROPPED.isdisjoint(tokens):
        core = tokens
    else:
        core = [t for t in tokens[:-1] if t not in _DROPPED] + tokens[-1:]
        core = core or tokens
    if len(forms) > 1:
        return tuple(core), tuple(sorted(set(forms)))
    return tuple(core), tuple(forms)


def identity_tokens(name: str) -> tuple[str, ...]:
    """The words that identify the organisation: no articles, no "van"/"voor", no legal
    form. Never empty when the name has a word: a name that is only a legal form keeps it."""
    return _split_forms(name)[0]


def legal_forms(name: str) -> tuple[str, ...]:
    """The legal forms a name states ('Stichting X' -> ('stichting',)), () if none."""
    return _split_forms(name)[1]


def identity_key(name: str) -> str:
    """One organisation, one key: 'Stichting CAOP', 'CAOP', 'caop.' and 'Caop Stichting'
    all give 'caop'; 'Grotius College' and 'Grotiuscollege' both 'grotiuscollege'. A name
    without any letter or digit keys on its folded text, so it is never empty."""
    tokens = _split_forms(name)[0]  # kept there (no cache of its own: a join is as cheap)
    return "".join(tokens) if tokens else _bare_key(name)


def display_key(name: str) -> str:
    """The identity words with spaces, for ids people read ('caop', 'nederlandse gemeenten')."""
    tokens = _split_forms(name)[0]
    return " ".join(tokens) if tokens else _bare_key(name)


def name_keys(name: str) -> tuple[str, tuple[str, ...], str]:
    """(identity_key, legal_forms, display_key) of a name from its one split: what the
    register asks of each of 450 000 forms, in one call. Not kept: the register keeps what
    it asks (the kept splits were a tenth of a 700 000-row register's time and memory)."""
    tokens, forms = _split_forms.__wrapped__(name)
    if not tokens:
        bare = _bare_key(name)
        return bare, forms, bare
    return "".join(tokens), forms, " ".join(tokens)


def _bare_key(name: str) -> str:
    """The key of a name without any letter or digit: its folded text, never empty."""
    return " ".join(fold(name).split()) or name


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
    while ")" in name and (match := _PAREN.search(name)):  # (most names have none)
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
    starts = {word[0] for word in _name_tokens(long)} | _PUT_IN_INITIALS
    return all(letter in starts for letter in letters)


_ASCII_ALNUM = (string.ascii_letters + string.digits).encode()


def _cannot_abbreviate(letters: str, long: str) -> bool:
    """For an ASCII `long`, tests cheaper than its words that `letters` are not its
    initials: more letters than it has words (each initial starts a word, and a word ends
    at a character other than a letter or digit), or a letter that is nowhere in it and
    starts no form put in a word's place. At 700 000 rows nine in ten go here."""
    if not long.isascii():
        return False
    if len(letters) > len(long.encode().translate(None, _ASCII_ALNUM)) + 1:
        return True
    lower = long.lower()
    return any(letter not in lower and letter not in _PUT_IN_INITIALS for letter in letters)


def _may_end_short(name: str) -> bool:
    r"""Whether `name` ends as _TRAILING_SHORT needs: two letters or digits (its `[^\W_]`,
    what str.isalnum is), then maybe ')', '.' and a line end. Where the pattern cannot
    match it tries every place in the name: half the names of a file end in 'B.V.'."""
    end = name.removesuffix("\n").removesuffix(".").removesuffix(")")
    return len(end) >= 2 and end[-2:].isalnum()


def _edge_abbreviation(name: str) -> tuple[str, str] | None:
    """(long name, abbreviation) where a name is both, side by side: the short one's letters
    are exactly the initials of the other's words (legal forms and small words aside)."""
    for pattern, short_at in ((_LEADING_SHORT, 1), (_TRAILING_SHORT, 2)):
        if short_at == 2 and not _may_end_short(name):
            continue
        match = pattern.match(name)
        if not match:
            continue
        short, long = match[short_at], match[3 - short_at]
        letters = fold(short)
        # the cheap tests first (each is a test of the text only: the order decides nothing)
        if (len(letters) >= 3 and not _cannot_abbreviate(letters, long)
                and len(long.split()) >= 2 and _may_abbreviate(letters, long)
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


def clear_kept_splits() -> None:
    """Let go of the splits the functions above keep: hundreds of MB for the 450 000 names of
    a 700 000-row file, of no more use once every name is keyed (the store's index is
    written before its biggest tables are copied in)."""
    for kept in (split_name, _split_forms, name_tokens):
        kept.cache_clear()
