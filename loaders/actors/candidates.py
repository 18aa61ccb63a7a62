"""Near names the identity rule kept apart: pairs of actors for a person to decide.

The rule (loaders/actors/names.identity_key) joins only names that are the same once their dress is
off. Names that are merely close ("VERENIGING VAN NEDERLANDSE GEMEENTE", cut at 35
characters; "Vereninging Nederlandse Gemeenten", a typo) stay apart and come out here, best
first, so that a person can write [[merge]] or [[split]] into core/data/actor_overrides.toml.

Pairs are found through the words they share (a word that more than `_COMMON` actors use,
"school" or "gemeente", finds nothing on its own) and scored with rapidfuzz on their
identity keys, so the whole corpus (12 000 actors) takes a second, not the hours a
comparison of every pair would.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from geldstroom.kinds import Origin
from geldstroom.loaders.actors.names import (
    display_key,
    identity_key,
    is_abbreviation,
    legal_forms,
)
from geldstroom.model import Actor

# A word shared by more actors than this says nothing about two of them being one.
_COMMON = 60
# Names cut by an export's field length end exactly there (VWS and IenM: 35 characters).
_CUT_LENGTHS = frozenset({35})


@dataclass(frozen=True)
class NamedActor:
    """An actor as the candidates see it: its id and every name it goes by."""

    id: str
    names: tuple[str, ...]
    curated: bool = False


@dataclass(frozen=True)
class Candidate:
    """Two actors whose names are close: `score` 0-100 (rapidfuzz's normalised Indel
    similarity of the identity keys), the two names that are closest, and what makes them
    look alike."""

    score: float
    one: str
    other: str
    one_name: str
    other_name: str
    hint: str


def _hint(a: str, b: str, ka: str, kb: str) -> str:
    if ka == kb:
        return "same words, kept apart (legal forms, a shared abbreviation, a split)"
    short = a if len(ka) <= len(kb) else b
    k_short, k_long = sorted((ka, kb), key=len)
    if k_long.startswith(k_short) and len(" ".join(short.split())) in _CUT_LENGTHS:
        return f"cut at {len(' '.join(short.split()))} characters?"
    if k_long.startswith(k_short) or k_long.endswith(k_short):
        return "one name inside the other"
    if sorted(k_short) == sorted(k_long) or len(k_short) == len(k_long):
        return "spelling"
    return "similar"


def near_pairs(actors: Iterable[NamedActor], *, min_score: float = 85.0,
               limit: int | None = None) -> list[Candidate]:
    """The pairs of different actors whose names come closest, best first. Two curated
    actors are never a candidate (a person has decided them), nor two names the data gives
    with different legal forms (a stichting and a B.V. of one name are two legal persons)."""
    from rapidfuzz import fuzz

    listed = list(actors)
    forms: list[tuple[int, str, str, str, tuple[str, ...]]] = []  # actor, name, key, words
    for number, actor in enumerate(listed):
        for name in dict.fromkeys(actor.names):
            if len(name) < 3 or is_abbreviation(name):
                continue  # "SBB" of three organisations: their full names are compared
            forms.append((number, name, identity_key(name), display_key(name),
                          legal_forms(name)))
    by_word: dict[str, set[int]] = defaultdict(set)
    for at, (_, _, _, words, _) in enumerate(forms):
        for word in set(words.split()):
            if len(word) >= 3:
                by_word[word].add(at)
    best: dict[tuple[int, int], Candidate] = {}
    seen: set[tuple[int, int]] = set()
    for members in by_word.values():
        if len(members) > _COMMON:
            continue
        for i, j in combinations(sorted(members), 2):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            ai, _, key_i, _, forms_i = forms[i]
            aj, _, key_j, _, forms_j = forms[j]
            if ai == aj or (listed[ai].curated and listed[aj].curated):
                continue
            if forms_i and forms_j and forms_i != forms_j:
                continue
            score = fuzz.ratio(key_i, key_j, score_cutoff=min_score)
            if not score:
                continue
            pair = (min(ai, aj), max(ai, aj))
            if pair not in best or score > best[pair].score:
                one, other = (i, j) if ai < aj else (j, i)
                best[pair] = Candidate(
                    round(score, 1), listed[pair[0]].id, listed[pair[1]].id,
                    forms[one][1], forms[other][1],
                    _hint(forms[one][1], forms[other][1], forms[one][2], forms[other][2]))
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.one, c.other))
    return ranked[:limit] if limit is not None else ranked


def named_actors(actors: Sequence[Actor]) -> list[NamedActor]:
    """Actors of the register as the candidates see them."""
    return [NamedActor(a.id, (a.name, *a.aliases), a.origin is Origin.CURATED)
            for a in actors]


def closest_names(wanted: str, names: Iterable[str], limit: int = 5,
                  min_score: float = 80.0) -> list[str]:
    """The names most like `wanted`, for a name nothing resolves ('Logus' -> Logius)."""
    from rapidfuzz import fuzz, process

    choices = list(dict.fromkeys(names))
    folded = [identity_key(n) for n in choices]  # 'Stichting Oxfam Novip' ~ 'OXFAM NOVIB'
    wanted_folded = identity_key(wanted)
    # Spelling first (whole-name similarity); a word inside a longer name only if no name
    # is spelt alike: WRatio's partial match alone finds 'oorlogs' for 'Logus'.
    found = process.extract(wanted_folded, folded, scorer=fuzz.ratio, limit=limit * 3,
                            score_cutoff=min_score)
    if not found:
        found = process.extract(wanted_folded, folded, scorer=fuzz.WRatio, limit=limit * 3,
                                score_cutoff=86)
    ranked = sorted(found, key=lambda f: (-f[1], len(choices[f[2]])))
    return list(dict.fromkeys(choices[index] for _, _, index in ranked))[:limit]
