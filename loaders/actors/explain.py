"""Why an actor is what it is, as one record: its names, which file and line gave each, how
each joined the actor, the abbreviations it shares and the similar names left apart.
`geldstroom actors explain` prints it; the web explorer's recipient page shows it."""

from __future__ import annotations

from importlib import resources
from typing import Any

from geldstroom.errors import InputError
from geldstroom.loaders.actors.claims import NameClaim
from geldstroom.loaders.actors.register import ActorRegister


def short_source(text: str) -> str:
    """A bundled file by its place in the package ('geldstroom/data/actors.toml'), not the
    install path."""
    return text.replace(str(resources.files("geldstroom")), "geldstroom")


def claim_source(claim: NameClaim) -> str:
    """'file:line' of a claim (the file alone where it has no line)."""
    source = short_source(claim.source)
    return f"{source}:{claim.line}" if claim.line is not None else source


def find_actor(register: ActorRegister, name: str) -> str:
    """The id of the actor `name` (an id, name, alias or abbreviation) is; InputError when
    it is several organisations' abbreviation or nobody's."""
    actor_id = register.resolve(name)
    if actor_id is not None:
        return actor_id
    shared = register.ambiguous(name)
    if shared:
        raise InputError(f"{name!r} is the abbreviation of {len(shared)} organisations: "
                         f"{', '.join(shared)}; ask for one of them")
    raise InputError(f"no actor {name!r}; `geldstroom actors list` shows who is known")


def explain_actor(register: ActorRegister, actor_id: str) -> dict[str, Any]:
    """The actor's fields, and per claim (first the one the actor started from) its name,
    aliases, source (file:line), origin, the kind and ministry it says, how it joined and
    the sentence it was found in; the abbreviations it shares with other actors (not used
    to find it) and the ids of similar names kept apart (for a person to decide)."""
    why = register.explain(actor_id)
    return {
        **why.actor.model_dump(mode="json"),
        "claims": [{"name": c.name, "aliases": list(c.aliases), "source": claim_source(c),
                    "origin": c.origin.value, "kind": c.kind.value if c.kind else None,
                    "ministry": c.ministry, "joined": short_source(how), "quote": c.quote}
                   for c, how in why.claims],
        "ambiguous_aliases": {alias: list(ids) for alias, ids in why.ambiguous_aliases},
        "similar_not_merged": [other for other, _ in why.not_merged],
    }
