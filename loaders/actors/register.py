"""The open actor register: every organisation any source names, one actor per organisation.

Sources feed in `NameClaim`s: the curated core/data/actors.toml and payers.toml, the
ZBO/RWT registers (loaders/actors/registers.py), a dataset's recipient column, a document's
payment sentence. Claims whose names have the same identity key (loaders/actors/names.py) are one
actor; an abbreviation a register gives ("(CBS)") lets the bare abbreviation find that actor
when no other organisation claims it. Nothing else merges. An override file merges or
splits by name, and every actor can say which file and line gave which of its names.

The result does not depend on the order the claims come in.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geldstroom.errors import InputError
from geldstroom.loaders.actors.claims import (
    NameClaim,
    bundled_register_path,
    curated_claims,
)
from geldstroom.loaders.actors.names import (
    display_key,
    fold,
    identity_key,
    is_abbreviation,
    joined_tokens,
    name_keys,
    name_tokens,
    typed_forms,
)
from geldstroom.loaders.actors.overrides import Overrides
from geldstroom.loaders.actors.payers import payer_claims
from geldstroom.loaders.actors.registers import bundled_register_claims
from geldstroom.model import PAYER_KINDS, Actor, ActorKind, Origin, trusted_record

__all__ = [
    "ActorMention",
    "ActorRegister",
    "Explanation",
    "is_abbreviation",
]

# "St." or "St" and the rest of a name: Stichting or Sint, decided by the other names.
_LEADING_ST = re.compile(r"\s*st\.?\s+(\S.*)", re.IGNORECASE)
# How a name the pattern matches starts, lower-cased: its 's' is also the long s 'ſ' (the
# pattern is tried only there: most names of a register start otherwise).
_ST_STARTS = ("st", "ſt")

# The fields an actor no curated claim names is given (as validation counts them set).
_DATA_ACTOR_FIELDS = ("id", "name", "kind", "aliases", "ministry", "origin", "kvk",
                      "legal_form", "place")
_DATA_ACTOR_FIELDS_SET = set(_DATA_ACTOR_FIELDS)
_ORIGIN_RANK = {Origin.CURATED: 0, Origin.REGISTER: 1, Origin.DATA: 2, Origin.TEXT: 3}


@dataclass(frozen=True)
class ActorMention:
    """One place a text names an actor: `text[start:end]` is the form written."""

    actor: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Explanation:
    """Why an actor is what it is: its claims, how they joined, and near names not merged."""

    actor: Actor
    claims: tuple[tuple[NameClaim, str], ...]  # (claim, how it joined)
    ambiguous_aliases: tuple[tuple[str, tuple[str, ...]], ...]  # (alias, the actors sharing it)
    not_merged: tuple[tuple[str, str], ...]  # (actor id, name) with a similar name: suggestions


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


_SLUG_LETTERS = (string.ascii_lowercase + string.digits + " ").encode()


def _slug(key: str) -> str:
    if (key.isascii() and not key.encode().translate(None, _SLUG_LETTERS)
            and "  " not in key and key[:1] != " " and key[-1:] != " "):
        return key.replace(" ", "-")  # what the pattern makes of words and single spaces
    return _NOT_SLUG.sub("-", key).strip("-") or "actor"


def text_actor_id(name: str) -> str:
    """The id of an organisation known only from a document's text."""
    return "text-" + _slug(display_key(name))


class _Groups:
    """Union-find over claim numbers."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# Words as names are written: dotted initials are one word ("B.V."), apostrophes inside.
_TEXT_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}(?!\w)|\w+(?:['’]\w+)*")


class ActorRegister:
    """The actors and every written form of their names, built from claims."""

    def __init__(self, actors: Sequence[Actor] = (), source: str = "<register>",
                 claims: Iterable[NameClaim] = (), overrides: Overrides | None = None) -> None:
        self.source = source
        given = [NameClaim(name=a.name, source=source, line=None, origin=Origin.CURATED,
                           aliases=a.aliases, kind=a.kind, curated=a) for a in actors]
        self.claims: tuple[NameClaim, ...] = tuple(given) + tuple(claims)
        self.overrides = overrides or Overrides()
        self.unused_overrides: list[str] = []
        self._build()

    # -- loading ----------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str | None = None, *, overrides: Path | str | None = None,
             registers: bool = True, extra: Iterable[NameClaim] = ()) -> ActorRegister:
        """The bundled register (or the curated TOML file at `path`), with the payers of
        every hoofdstuk, the bundled ZBO/RWT registers and the bundled overrides plus the
        file at `overrides`. InputError names a bad file."""
        extra = tuple(extra)
        if path is None and overrides is None and registers and not extra:
            return _bundled_register()  # built once per process: it never changes
        file = Path(path) if path is not None else bundled_register_path()
        claims = curated_claims(file)
        claims += payer_claims()
        if registers:
            claims += bundled_register_claims()
        rules = Overrides.load()
        if overrides is not None:
            rules = rules + Overrides.load(overrides)
        return cls(source=str(file), claims=[*claims, *extra], overrides=rules)

    def with_claims(self, claims: Iterable[NameClaim]) -> ActorRegister:
        """This register with more names fed in (a dataset's recipients, names in text)."""
        more = tuple(claims)
        if not more:
            return self
        return ActorRegister(source=self.source, claims=(*self.claims, *more),
                             overrides=self.overrides)

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        claims = self.claims
        split_forms = {fold(" ".join(s.name.split())): s for s in self.overrides.splits}
        used_splits: set[str] = set()

        # A stichting and a coöperatie of one name are two legal persons: where sources
        # give one name with different legal forms, each form keys apart (the bare name too).
        # Each written form is keyed once (a register of 450 000 names asks for a form's key
        # three times while it builds, and once more for each payment it resolves).
        # (identity key, legal forms, display key) of each form
        split_of: dict[str, tuple[str, tuple[str, ...], str]] = {}

        def keyed(form: str) -> tuple[str, tuple[str, ...], str]:
            found = split_of.get(form)
            if found is None:
                found = split_of[form] = name_keys(form)
            return found

        self._keyed = keyed
        # the keys given with two sets of legal forms, and those given as a stichting
        # (told from the first forms each key is given with, not a set of forms per key)
        first_stated: dict[str, tuple[str, ...]] = {}
        clashing: set[str] = set()
        stichtingen: set[str] = set()
        keys_seen: set[str] = set()
        for claim in claims:
            for form in (claim.name, *claim.aliases) if claim.aliases else (claim.name,):
                key, stated, _ = keyed(form)
                keys_seen.add(key)
                if stated:
                    if first_stated.setdefault(key, stated) != stated:
                        clashing.add(key)
                    if "stichting" in stated:
                        stichtingen.add(key)
        del first_stated

        def st_key(form: str) -> str | None:
            """'St. Cordaid': Stichting where the data writes 'Stichting Cordaid' (or Stg)
            and never 'Sint Cordaid'; Sint where it is the other way round; else None
            (the name keys as written, 'St' and all)."""
            if (form.lstrip()[:2].lower() not in _ST_STARTS
                    or not (match := _LEADING_ST.match(form))):
                return None
            rest = identity_key(match[1])
            as_stichting, as_sint = rest in stichtingen, "sint" + rest in keys_seen
            if as_stichting and not as_sint:
                return f"{rest} (stichting)" if rest in clashing else rest
            if as_sint and not as_stichting:
                return "sint" + rest
            return None

        def computed_key(form: str) -> str:
            key, stated, _ = keyed(form)
            if split_forms and (folded := fold(" ".join(form.split()))) in split_forms:
                used_splits.add(folded)
                return "=" + folded  # a split name keys on itself, legal form and all
            if (saint := st_key(form)) is not None:
                return saint
            if key in clashing and stated:
                return f"{key} ({', '.join(stated)})"
            return key

        # Each form's key once: the build asks for it again for the actor's id, and each
        # payment's resolve once more. (Kept only once the sets it reads are complete.)
        key_memo: dict[str, str] = {}

        def key_of(form: str) -> str:
            found = key_memo.get(form)
            if found is None:
                found = key_memo[form] = computed_key(form)
            return found

        self._key_of = key_of
        self._key_memo = key_memo
        groups = _Groups(len(claims))
        # Why claims joined: (claim, claim, reason); "{other}" is the other claim's name.
        self._edges: dict[int, list[tuple[int, str]]] = defaultdict(list)

        def join(a: int, b: int, reason: str) -> None:
            if groups.find(a) != groups.find(b):
                self._edges[a].append((b, reason))
                self._edges[b].append((a, reason))
                groups.union(a, b)

        # Identity keys: a claim's name, and every form of a curated actor.
        main: dict[str, int] = {}
        curated_key_owner: dict[str, str] = {}
        curated = [i for i, claim in enumerate(claims) if claim.curated]
        for i, claim in enumerate(claims):
            if not claim.curated:  # its name (as nearly all of 480 000 claims)
                key = key_of(claim.name)
                if key in main:
                    join(main[key], i, f"same identity key as {{other!r}}: {key!r}")
                else:
                    main[key] = i
                continue
            for form in (claim.name, *claim.aliases):
                key = key_of(form)
                owner = curated_key_owner.setdefault(key, claim.curated.id)
                if owner != claim.curated.id:
                    raise InputError(f"alias {form!r} names both {owner!r} and "
                                     f"{claim.curated.id!r}", claim.source)
                if key in main:
                    join(main[key], i, f"same identity key as {{other!r}}: {key!r}")
                else:
                    main[key] = i
        # Abbreviations and other aliases of non-curated claims: they find their actor,
        # and a bare name equal to one joins it, unless two organisations share it.
        alias_groups: dict[str, set[int]] = defaultdict(set)
        for i, claim in enumerate(claims):
            if claim.aliases and not claim.curated:
                for alias in claim.aliases:
                    alias_groups[key_of(alias)].add(i)

        def roots(members: set[int]) -> set[int]:
            return {groups.find(m) for m in members}

        # An alias alone never joins a curated actor or a payer ('Stichting X (BZK)' is not
        # the minister). Alias joins never touch these groups, so their roots stay put.
        curated_roots = {groups.find(i) for i in curated}
        for key, members in sorted(alias_groups.items()):
            owners = roots(members)
            if (len(owners) == 1 and key in main
                    and not (owners | {groups.find(main[key])}) & curated_roots):
                giver = min(members)
                join(giver, main[key], f"{claims[main[key]].name!r} is the abbreviation that "
                                       f"{claims[giver].where} gives for {claims[giver].name!r}")
        # A KvK number is one legal person: every name given with it is that organisation.
        with_kvk: dict[str, int] = {}
        for i, claim in enumerate(claims):
            if claim.kvk is None:
                continue
            if claim.kvk in with_kvk:
                join(with_kvk[claim.kvk], i, f"the same KvK number {claim.kvk} as {{other!r}}")
            else:
                with_kvk[claim.kvk] = i
        for merge in self.overrides.merges:
            found = []
            for name in merge.names:
                key = key_of(name)
                if key in main:
                    found.append(main[key])
                elif len(roots(alias_groups.get(key, set()))) == 1:
                    found.append(min(alias_groups[key]))
            if len(found) < 2:
                self.unused_overrides.append(f"{merge.source}: fewer than two of "
                                             f"{list(merge.names)} are named by any source")
                continue
            for other in found[1:]:
                join(found[0], other, f"override {merge.source}: {merge.reason}")
        for folded, split in split_forms.items():
            if folded not in used_splits:
                self.unused_overrides.append(f"{split.source}: no source names {split.name!r}")

        members_of: dict[int, list[int]] = defaultdict(list)
        find = groups.find
        for i in range(len(claims)):
            members_of[find(i)].append(i)
        self._members: dict[str, tuple[int, ...]] = {}
        actors: list[Actor] = []
        taken: set[str] = set()
        # the actor of the claim numbered i (a list: a dict of 480 000 numbers is 30 MB more)
        actor_of_claim: list[str] = [""] * len(claims)
        rank = _ORIGIN_RANK

        def preference(members: list[int]) -> tuple[int, str, int, str]:
            if len(members) > 1:
                return self._preference_of(members)
            claim = claims[members[0]]  # _claim_order's, without two calls
            return (rank[claim.origin], claim.source, claim.line or 0, claim.name)

        for members in sorted(members_of.values(), key=preference):
            if len(members) == 1 and claims[members[0]].curated is None:
                actor = self._actor_of_one(claims[members[0]], taken)
            else:
                actor = self._actor_of(members, taken)
            taken.add(actor.id)
            actors.append(actor)
            self._members[actor.id] = tuple(members)
            for i in members:
                actor_of_claim[i] = actor.id
        self.actors: tuple[Actor, ...] = tuple(actors)
        self._by_id = {actor.id: actor for actor in actors}
        # One organisation (by name or by number) given two KvK numbers: reported, not split.
        self.kvk_conflicts: tuple[Actor, ...] = tuple(a for a in actors if len(a.kvk) > 1)
        self._check([claims[i] for i in curated])
        self._key_to_actor: dict[str, str] = {key: actor_of_claim[i] for key, i in main.items()}
        self._ambiguous: dict[str, tuple[str, ...]] = {}
        for key, members in alias_groups.items():
            owners_ids = sorted({actor_of_claim[m] for m in members})
            if len(owners_ids) > 1:
                self._ambiguous[key] = tuple(owners_ids)
            elif key not in self._key_to_actor:  # a name of its own wins over an alias
                self._key_to_actor[key] = owners_ids[0]
        self._actor_of_claim = actor_of_claim
        # Every form's key is kept (key_memo): the splits served the ids, and a form the
        # claims do not give is split anew (110 MB at 700 000 rows).
        split_of.clear()
        self._text_forms_built: dict[str, list[int]] | None = None
        self._longest_form = 0
        self._ends_of: dict[tuple[str, ...], list[tuple[str, str | None]]] = {}

    @property
    def _text_forms(self) -> dict[str, list[int]]:
        """The claims whose forms a text may name, by each form's words joined
        (names.joined_tokens), for find(). Built on the first find(): a register of 450 000
        data names is mostly resolved by key. (A trie of every form's words cost 4-5 s at
        700 000 rows; this costs a translate per form, and a hit is checked word by word.)"""
        if self._text_forms_built is None:
            index: dict[str, list[int]] = {}
            for i, claim in enumerate(self.claims):
                if claim.origin is Origin.TEXT:
                    continue  # a name found in one text is no evidence to read others with
                for form in (claim.name, *claim.aliases) if claim.aliases else (claim.name,):
                    joined = joined_tokens(form)
                    found = index.get(joined)
                    if found is None:
                        index[joined] = [i]
                    elif found[-1] != i:
                        found.append(i)
            self._longest_form = max(map(len, index), default=0)
            self._text_forms_built = index
        return self._text_forms_built

    def _ends(self, words: tuple[str, ...], joined: str) -> list[tuple[str, str | None]]:
        """(actor, exact form or None) of every form whose words are `words`, in the order
        of the claims: the forms a text's words may name. A form shared by two
        organisations, a split one and a register's two-letter abbreviation are left out."""
        found = self._ends_of.get(words)
        if found is not None:
            return found
        found = self._ends_of[words] = []
        for i in self._text_forms.get(joined, ()):
            claim = self.claims[i]
            actor_id = self._actor_of_claim[i]
            for form in dict.fromkeys((claim.name, *claim.aliases)):
                if claim.curated is None and is_abbreviation(form) and len(form) < 3:
                    continue  # a register's "DG" or "KB" would be found everywhere
                if self._key_to_actor.get(self._key_of(form)) != actor_id:
                    continue  # shared by two organisations, or a split: never guessed
                if name_tokens(form) != words:
                    continue  # the same letters, other words
                exact = " ".join(form.split()) if is_abbreviation(form) else None
                if (actor_id, exact) not in found:
                    found.append((actor_id, exact))
        return found

    def _readable_key(self, form: str) -> str:
        """The key of a form with spaces between its words, for an id people read."""
        key = self._key_of(form)
        compact, _, display = self._keyed(form)
        if key.startswith(compact):  # the identity key, maybe with a legal form after it
            return display + key[len(compact):]
        return key

    def _preference_of(self, members: list[int]) -> tuple[int, str, int, str]:
        if len(members) == 1:
            return self._claim_order(self.claims[members[0]])
        best = min(members, key=lambda i: self._claim_order(self.claims[i]))
        claim = self.claims[best]
        return (_ORIGIN_RANK[claim.origin], claim.source, claim.line or 0, claim.name)

    @staticmethod
    def _claim_order(claim: NameClaim) -> tuple[int, str, int, str]:
        return (_ORIGIN_RANK[claim.origin], claim.source, claim.line or 0, claim.name)

    def _actor_of(self, members: list[int], taken: set[str]) -> Actor:
        ordered = sorted((self.claims[i] for i in members), key=self._claim_order)
        curated = [c.curated for c in ordered if c.curated is not None]
        head = ordered[0]
        forms = dict.fromkeys(f for c in ordered for f in (c.name, *c.aliases))
        register_kinds = {c.kind for c in ordered if c.origin is Origin.REGISTER and c.kind}
        kind = _register_kind(register_kinds)
        ministry = next((c.ministry for c in ordered if c.ministry), None)
        given = {"kvk": tuple(sorted({c.kvk for c in ordered if c.kvk})),
                 "legal_form": next((c.legal_form for c in ordered if c.legal_form), None),
                 "place": next((c.place for c in ordered if c.place), None)}
        if curated:
            base = curated[0]
            return base.model_copy(update={
                "aliases": tuple(f for f in forms if f != base.name),
                "kind": kind or base.kind,
                "ministry": ministry or base.ministry,
                **given,
            })
        if kind is None:
            kind = next((c.kind for c in ordered if c.kind), None)
        if kind is None:
            kind = ActorKind.FOUND_IN_TEXT if head.origin is Origin.TEXT else ActorKind.UNKNOWN
        values = {"id": self._unique_id(head, taken), "name": head.name, "kind": kind,
                  "aliases": tuple(f for f in forms if f != head.name), "part_of": None,
                  "hoofdstuk": None, "ministry": ministry, "origin": head.origin, "note": "",
                  **given}
        return _data_actor(values)

    def _unique_id(self, head: NameClaim, taken: set[str]) -> str:
        actor_id = (text_actor_id(head.name) if head.origin is Origin.TEXT
                    else _slug(self._readable_key(head.name)))
        number = 2
        unique = actor_id
        while unique in taken:
            unique, number = f"{actor_id}-{number}", number + 1
        return unique

    def _actor_of_one(self, claim: NameClaim, taken: set[str]) -> Actor:
        """_actor_of for an actor only one (not curated) claim names, as most of a
        700 000-row file's are: the same record, without merging claims that are not there
        (a register's kind is its kind; the first value given is the one value)."""
        kind = claim.kind or (ActorKind.FOUND_IN_TEXT if claim.origin is Origin.TEXT
                              else ActorKind.UNKNOWN)
        aliases = (tuple(f for f in dict.fromkeys(claim.aliases) if f != claim.name)
                   if claim.aliases else ())
        values = {"id": self._unique_id(claim, taken), "name": claim.name, "kind": kind,
                  "aliases": aliases, "part_of": None,
                  "hoofdstuk": None, "ministry": claim.ministry or None,
                  "origin": claim.origin, "note": "", "kvk": (claim.kvk,) if claim.kvk else (),
                  "legal_form": claim.legal_form or None, "place": claim.place or None}
        return _data_actor(values)

    def _check(self, curated: Sequence[NameClaim]) -> None:
        """`curated`: the curated claims (a few hundred of a register's 480 000)."""
        for actor in self.actors:
            if actor.part_of is not None and actor.part_of not in self._by_id:
                raise InputError(
                    f"actor {actor.id!r}: part_of {actor.part_of!r} is not an actor id",
                    self.source,
                )
        ids = Counter(c.curated.id for c in curated if c.curated is not None)
        for claim in curated:
            if claim.curated is not None and ids[claim.curated.id] > 1:
                raise InputError(f"actor id {claim.curated.id!r} appears twice", claim.source)

    # -- reading ----------------------------------------------------------------------

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors)

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._by_id

    def get(self, actor_id: str) -> Actor:
        try:
            return self._by_id[actor_id]
        except KeyError:
            raise KeyError(f"no actor {actor_id!r} in {self.source}") from None

    def resolve(self, name: str) -> str | None:
        """The actor a name means: an id, or any name or alias by its identity key (as
        typed, then as names.typed_forms folds it). None if unknown, or if two
        organisations share the name."""
        wanted = " ".join(name.split())
        if wanted in self._by_id:
            return wanted
        # typed_forms' first form is the name as typed: tried before it splits the name
        if wanted and (found := self._key_to_actor.get(
                self._key_memo.get(wanted) or self._key_of(wanted))) is not None:
            return found
        for form in typed_forms(wanted):  # also without a parenthesised abbreviation
            if form == wanted:
                continue
            if (found := self._key_to_actor.get(self._key_of(form))) is not None:
                return found
        return None

    def ambiguous(self, name: str) -> tuple[str, ...]:
        """The actors that share `name` as an abbreviation (SBB), if it is one of those."""
        return self._ambiguous.get(self._key_of(" ".join(name.split())), ())

    def is_payer(self, actor_id: str) -> bool:
        actor = self._by_id.get(actor_id)
        return actor is not None and actor.kind in PAYER_KINDS

    def find(self, text: str) -> list[ActorMention]:
        """Every actor named in `text`, left to right, longest form first, whole words.
        Abbreviations (CBS) only as written; other forms in any case or spacing."""
        found = list(_TEXT_TOKEN.finditer(text))
        spans = [(m.start(), m.end()) for m in found]
        tokens = ["".join(name_tokens(m.group())) for m in found]
        mentions: list[ActorMention] = []
        forms, longest = self._text_forms, self._longest_form
        i = 0
        while i < len(tokens):
            best: tuple[int, str] | None = None
            joined = ""
            for j in range(i + 1, len(tokens) + 1):  # words i to j, longest form last
                joined += tokens[j - 1]
                if len(joined) > longest:
                    break
                if joined not in forms:
                    continue
                for actor_id, exact in self._ends(tuple(tokens[i:j]), joined):
                    written = " ".join(text[spans[i][0] : spans[j - 1][1]].split())
                    if exact is None or written == exact:
                        best = (j, actor_id)
                        break
            if best is None:
                i += 1
                continue
            j, actor_id = best
            start, end = spans[i][0], spans[j - 1][1]
            mentions.append(ActorMention(actor_id, start, end, text[start:end]))
            i = j
        return mentions

    def explain(self, actor_id: str) -> Explanation:
        """The claims behind an actor, how each joined, and similar names left apart."""
        from rapidfuzz import fuzz, process

        actor = self.get(actor_id)
        members = sorted(self._members[actor_id], key=lambda i: self._claim_order(self.claims[i]))
        how = {members[0]: "the first source of this actor"}
        queue = [members[0]]
        while queue:  # each claim with the reason that brought it in, from the first one
            at = queue.pop(0)
            for other, reason in self._edges.get(at, ()):
                if other not in how:
                    how[other] = reason.replace("{other!r}", repr(self.claims[at].name))
                    queue.append(other)
        claims = tuple((self.claims[i], how.get(i, "")) for i in members)
        forms = {f for c, _ in claims for f in (c.name, *c.aliases)}
        shared = tuple(
            (form, self._ambiguous[self._key_of(form)]) for form in sorted(forms)
            if self._key_of(form) in self._ambiguous
        )
        own_keys = {self._key_of(f) for f in forms}
        keys = list(self._key_to_actor)
        near: dict[str, str] = {}
        for key in own_keys:
            for other, score, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=8):
                owner = self._key_to_actor[other]
                both_curated = (actor.origin is Origin.CURATED
                                and self._by_id[owner].origin is Origin.CURATED)
                if score >= 85 and owner != actor_id and not both_curated:
                    near.setdefault(owner, self._by_id[owner].name)
        return Explanation(actor, claims, shared, tuple(sorted(near.items())))


def _data_actor(values: dict[str, object]) -> Actor:
    """The Actor of an actor no curated claim names, from every field's value in the
    model's order: as validated, without validating where the values are the model's
    types (the claims' own strings, tuples and enums), as at 700 000 rows nearly all are."""
    if type(values["kind"]) is ActorKind and type(values["origin"]) is Origin:
        # One fields set for them all: an Actor is frozen, so pydantic never adds to it,
        # and model_copy copies it (a set of nine is 728 bytes: 280 MB for 389 000 actors).
        return trusted_record(Actor, _DATA_ACTOR_FIELDS_SET, values)
    return Actor(**{f: values[f] for f in _DATA_ACTOR_FIELDS})


@cache
def _bundled_register() -> ActorRegister:
    file = bundled_register_path()
    claims = [*curated_claims(file), *payer_claims(), *bundled_register_claims()]
    return ActorRegister(source=str(file), claims=claims, overrides=Overrides.load())


def _register_kind(kinds: set[ActorKind]) -> ActorKind | None:
    """One kind from what the registers say: in both the ZBO and the RWT register is
    ZBO/RWT; a register's ZBO or RWT says more than BZK's list of stichtingen."""
    if not kinds:
        return None
    if {ActorKind.ZBO, ActorKind.RWT} <= kinds or ActorKind.ZBO_RWT in kinds:
        return ActorKind.ZBO_RWT
    for kind in (ActorKind.ZBO, ActorKind.RWT):
        if kind in kinds:
            return kind
    return sorted(kinds)[0]
