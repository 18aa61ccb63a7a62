"""The one recipient resolver: what a user types (an id, a name or an alias, in any case and
spacing, with or without its legal form or a parenthesised abbreviation) -> the actor, or
the candidates with the reason none was chosen. Every front end asks it: the summary on a
graph or on the store, the named queries on the store or on Neo4j, diagrams and charts, a
Python user. Where the actors come from is an ActorDirectory: a list in memory
(CandidateList: a graph's actors, a query's rows) or the store's index of keys.

`lookup_key` is the single seam for how names fold for lookup; the store's index is built
with it, so a change of it (a library's folding) changes both sides at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from geldstroom.errors import InputError, NoMoneyInCorpus, UnknownName, UnknownRecipient
from geldstroom.loaders.actors.names import identity_key, typed_forms

Candidate = tuple[str, str | None, Sequence[str] | None]  # actor id, name, aliases
# Up to this many actors an unknown name lists them all; beyond it, the few like it.
LIST_ALL_UP_TO = 30
SIMILAR_SHOWN = 10


def lookup_key(name: str) -> str:
    """THE folding of a name for lookup, of what a user types and of every actor's names
    alike: 'Stichting CAOP', 'CAOP' and 'caop.' are one key (names.identity_key)."""
    return identity_key(name)


def written_form(text: str) -> str:
    """A name as written, case and spacing aside: 'Stichting  CAOP' is 'stichting caop'.
    Written the same wins over sharing a key (find_recipient)."""
    return " ".join(text.split()).casefold()




@runtime_checkable
class ActorDirectory(Protocol):
    """Where the resolver looks actors up."""

    where: str  # 'these documents', 'the store', 'Neo4j': for the error

    def matching(self, keys: Sequence[str], form: str) -> list[Candidate]:
        """The actors whose id is `form` (folded) or one of whose names has a key in `keys`."""
        ...

    def written(self, form: str) -> list[Candidate] | None:
        """The actors one of whose id, name or aliases is `form` (written_form); None where
        the directory cannot tell (then keys decide)."""
        ...

    def size(self) -> int:
        ...

    def all_ids(self) -> list[str]:
        """Every actor id, sorted (asked only when there are few)."""
        ...

    def similar(self, key: str, limit: int) -> list[str]:
        """Ids of actors one of whose names' keys contains `key`, sorted, at most `limit`."""
        ...

    def named(self) -> dict[str, str]:
        """Every name and alias -> its actor id (asked only on a miss, for the closest)."""
        ...


class CandidateList:
    """An ActorDirectory over actors in memory: a graph's, or the rows of a query."""

    def __init__(self, candidates: Iterable[Candidate], where: str = "these documents") -> None:
        self.where = where
        self._candidates = list(candidates)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_form: dict[str, list[int]] = defaultdict(list)
        for i, (actor, name, aliases) in enumerate(self._candidates):
            for written in dict.fromkeys((actor, name or "", *(aliases or ()))):
                if written:
                    self._by_key[lookup_key(written)].append(i)
                    self._by_form[written_form(written)].append(i)

    def matching(self, keys: Sequence[str], form: str) -> list[Candidate]:
        found = {i for key in keys for i in self._by_key.get(key, ())}
        found |= {i for i, c in enumerate(self._candidates) if written_form(c[0]) == form}
        return [self._candidates[i] for i in sorted(found)]

    def written(self, form: str) -> list[Candidate]:
        return [self._candidates[i] for i in sorted(set(self._by_form.get(form, ())))]

    def size(self) -> int:
        return len(self._candidates)

    def all_ids(self) -> list[str]:
        return sorted(c[0] for c in self._candidates)

    def similar(self, key: str, limit: int) -> list[str]:
        ids = {self._candidates[i][0] for k, found in self._by_key.items() if key in k
               for i in found}
        return sorted(ids)[:limit]

    def named(self) -> dict[str, str]:
        return named_forms(self._candidates)


def named_forms(candidates: Iterable[Candidate]) -> dict[str, str]:
    """Each name and alias of the candidates -> the first actor that carries it."""
    owner: dict[str, str] = {}
    for actor, name, aliases in candidates:
        for form in (name or "", *(aliases or ())):
            if form:
                owner.setdefault(form, actor)
    return owner


def _written_as_typed(directory: ActorDirectory, form: str) -> str | None:
    """The answer of the loop below where one actor is written as typed, found without
    keying the text. For ASCII text and ASCII names, written alike means keyed alike
    (identity_key folds case and spaces the same), so these actors are among those the keys
    find and the loop would return the same one; anything else is left to the loop."""
    if not form.isascii():
        return None
    written = directory.written(form)
    if not written:
        return None
    own, same = [], []
    for actor, name, aliases in written:
        forms = [f for f in (actor, name or "", *(aliases or ())) if written_form(f) == form]
        if not any(f.isascii() for f in forms):
            return None  # written alike through a non-ASCII letter: the keys decide
        same.append(actor)
        if written_form(actor) == form:
            own.append(actor)
    if len(own) == 1:
        return own[0]
    return same[0] if not own and len(same) == 1 else None


def find_recipient(text: str, actors: ActorDirectory | Iterable[Candidate],
                   where: str = "these documents") -> str:
    """The id of the actor a user means by `text`, among `actors` (a directory, or the
    (id, name, aliases) of a graph's or a query's actors).

    An actor's id (case and spacing aside) wins, even where another actor has it as an
    alias; else written the same wins; else the one actor whose names share a
    key with a typed form; else the one the bundled register knows the text as. Several:
    UnknownRecipient naming them (the register keeps them apart: a person decides). None:
    among a few actors, UnknownRecipient listing them all; among many, NoMoneyInCorpus when
    the register knows the organisation but no source pays it, else UnknownName with the
    actors whose names contain it, or failing those the closest names (a typo)."""
    if not text.strip():
        raise InputError("the recipient is empty: give an actor id, name or alias")
    directory = actors if isinstance(actors, ActorDirectory) else CandidateList(actors, where)
    forms = typed_forms(text)
    found = _written_as_typed(directory, written_form(forms[0]))
    if found is not None:
        return found
    for typed in forms:  # as typed first: its abbreviation may be all that tells two apart
        form = written_form(typed)
        found = directory.matching([lookup_key(typed)], form)
        if not found:
            continue
        own = [actor for actor, _, _ in found if written_form(actor) == form]
        if own:  # an actor's own id wins over the same text as another's alias ('tno')
            return own[0]
        same = [actor for actor, name, aliases in found
                if form in (written_form(f) for f in (actor, name or "", *(aliases or ())))]
        ids = sorted({actor for actor, _, _ in found})
        if len(same) == 1:
            return same[0]
        if len(ids) == 1:
            return ids[0]
        raise UnknownRecipient(text, ids, f"{directory.where} as one organisation (the name "
                                          "fits several)")
    # late, only on a miss: the register and the closest names pull pydantic and rapidfuzz
    from geldstroom.loaders.actors.candidates import closest_names
    from geldstroom.loaders.actors.register import ActorRegister

    register = ActorRegister.load()  # every form the register knows
    known = register.resolve(text)
    if known is not None and directory.matching([], written_form(known)):
        return known
    if directory.size() <= LIST_ALL_UP_TO:
        raise UnknownRecipient(text, directory.all_ids(), directory.where)
    if known is not None:
        actor = register.get(known)
        raise NoMoneyInCorpus(text, known, f"{actor.name} ({actor.kind.value})")
    similar = directory.similar(lookup_key(forms[0]), SIMILAR_SHOWN)
    if not similar:
        owner = directory.named()
        similar = list(dict.fromkeys(owner[n] for n in closest_names(text, owner)))
    raise UnknownName(text, similar, directory.where)
