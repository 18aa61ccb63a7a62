"""The actor register (data in core/data/actors.toml) and finding actors named in text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from geldstroom.errors import InputError, UnknownRecipient
from geldstroom.loaders.documents import read_toml_tables
from geldstroom.model import Actor, ActorKind


@dataclass(frozen=True)
class ActorMention:
    """One place a text names an actor: `text[start:end]` is the form written."""

    actor: str
    start: int
    end: int
    text: str


def bundled_register_path() -> Path:
    return Path(str(resources.files("geldstroom") / "data" / "actors.toml"))


def is_abbreviation(alias: str) -> bool:
    """One token with two or more capitals (CBS, SSC-ICT): matched case-sensitively,
    so that e.g. 'ipo' or 'vom' inside ordinary words never count."""
    return not re.search(r"\s", alias) and sum(c.isupper() for c in alias) >= 2


def _alias_pattern(alias: str) -> str:
    # Quotes and spacing vary between documents ("veiligheidsregio’s"), so both are loose.
    body = r"\s+".join(re.escape(word) for word in alias.split())
    body = body.replace("'", "['’]")
    return body if is_abbreviation(alias) else f"(?i:{body})"


class ActorRegister:
    """The known actors and every written form of their names."""

    def __init__(self, actors: Sequence[Actor], source: str = "<register>") -> None:
        self.source = source
        self.actors: tuple[Actor, ...] = tuple(actors)
        self._by_id = {actor.id: actor for actor in self.actors}
        self._check()
        self._forms = self._all_forms()
        alternatives = [
            f"(?P<a{i}>{_alias_pattern(form)})" for i, (form, _) in enumerate(self._forms)
        ]
        # Longest form first: at one position the regex takes the first alternative that fits.
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    @classmethod
    def load(cls, path: Path | str | None = None) -> ActorRegister:
        """The bundled register, or the TOML file at `path`; InputError names a bad file."""
        file = Path(path) if path is not None else bundled_register_path()
        entries = read_toml_tables(file, "actor", "actor register")
        actors = []
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                raise InputError(f"[[actor]] number {number} is not a table", str(file))
            try:
                actors.append(Actor(**entry))
            except ValidationError as err:
                first = err.errors()[0]
                field = ".".join(str(p) for p in first["loc"])
                who = entry.get("id", f"number {number}")
                raise InputError(f"[[actor]] {who}: {field}: {first['msg']}", str(file)) from err
        return cls(actors, source=str(file))

    def _check(self) -> None:
        seen: set[str] = set()
        for actor in self.actors:
            if actor.id in seen:
                raise InputError(f"actor id {actor.id!r} appears twice", self.source)
            seen.add(actor.id)
        for actor in self.actors:
            if actor.part_of is not None and actor.part_of not in self._by_id:
                raise InputError(
                    f"actor {actor.id!r}: part_of {actor.part_of!r} is not an actor id",
                    self.source,
                )

    def _all_forms(self) -> list[tuple[str, str]]:
        """(form, actor id) for every name and alias, longest first; a form two actors
        claim would make mentions ambiguous, so it is an error in the register."""
        owner: dict[str, str] = {}
        forms: list[tuple[str, str]] = []
        for actor in self.actors:
            for form in dict.fromkeys((actor.name, *actor.aliases)):
                key = " ".join(form.split())
                key = key if is_abbreviation(key) else key.casefold()
                if key in owner and owner[key] != actor.id:
                    raise InputError(
                        f"alias {form!r} names both {owner[key]!r} and {actor.id!r}",
                        self.source,
                    )
                if key not in owner:
                    owner[key] = actor.id
                    forms.append((form, actor.id))
        return sorted(forms, key=lambda pair: -len(pair[0]))

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
        """The actor a user means by an id, a name or any written form; None if unknown."""
        wanted = " ".join(name.split())
        if wanted in self._by_id:
            return wanted
        found = _same_form(wanted, ((a.id, a.name, a.aliases) for a in self.actors))
        if found is not None:
            return found
        mentions = self.find(wanted)
        if len(mentions) == 1 and (mentions[0].start, mentions[0].end) == (0, len(wanted)):
            return mentions[0].actor
        return None

    def is_payer(self, actor_id: str) -> bool:
        return self.get(actor_id).kind is ActorKind.MINISTER

    def find(self, text: str) -> list[ActorMention]:
        """Every actor named in `text`, left to right, longest form first, whole words."""
        mentions = []
        for match in self._pattern.finditer(text):
            assert match.lastgroup is not None
            actor_id = self._forms[int(match.lastgroup[1:])][1]
            mentions.append(ActorMention(actor_id, match.start(), match.end(), match.group()))
        return mentions


Candidate = tuple[str, str | None, Sequence[str] | None]  # actor id, name, aliases


def _form(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same_form(name: str, candidates: Iterable[Candidate]) -> str | None:
    wanted = _form(name)
    for actor_id, actor_name, aliases in candidates:
        if wanted in (_form(f) for f in (actor_id, actor_name or "", *(aliases or ()))):
            return actor_id
    return None


def find_recipient(name: str, candidates: Iterable[Candidate], where: str = "these documents",
                   register: ActorRegister | None = None) -> str:
    """The id, among `candidates` (id, name, aliases: the actors of a graph or a store), of
    the recipient a user means: by id, name or alias in any case and spacing, or by any
    other form the register knows. UnknownRecipient lists the candidates' ids."""
    candidates = list(candidates)
    found = _same_form(name, candidates)
    if found is None:
        found = (register or ActorRegister.load()).resolve(name)
    ids = sorted(c[0] for c in candidates)
    if found is None or found not in ids:
        raise UnknownRecipient(name, ids, where)
    return found
