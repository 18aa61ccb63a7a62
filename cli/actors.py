"""The `actors` commands: who the register knows, and why an actor is what it is."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geldstroom.cli.common import (
    DocumentChoice,
    Format,
    FormatOpt,
    emit,
    option_group,
    reads_documents,
    user_errors,
)
from geldstroom.kinds import ActorKind, Origin

if TYPE_CHECKING:
    from rich.console import Console

    from geldstroom.loaders.actors.register import ActorRegister
    from geldstroom.model import Corpus

actors_app = typer.Typer(
    help="The actor register: every organisation the curated list, the ZBO/RWT registers "
    "and the documents name, one actor per organisation.",
    no_args_is_help=True,
)

OverridesOpt = Annotated[Path | None, typer.Option(
    "--overrides", help="A TOML file of [\\[merge]] names = [...] and [\\[split]] name = "
    "\"...\", "
    "applied after the bundled core/data/actor_overrides.toml.", show_default=False)]
RegisterOpt = Annotated[Path | None, typer.Option(
    "--register", help="A curated actor register (TOML [\\[actor]] tables) instead of the "
    "bundled actors.toml.", show_default=False)]
OpenDataOpt = Annotated[bool, typer.Option(
    "--open-data", help="Also the recipients the bundled open data names (subsidies 2015, "
    "medeoverheden, agentschappen), each row cited by file and line.")]
TextsOpt = Annotated[bool, typer.Option(
    "--texts", help="Also read the documents (the bundled ones, or --file/--manifest) and "
    "include the recipients their payment sentences name that no register knows.")]


@dataclass(frozen=True)
class RegisterChoice:
    """Which register the actors commands read: the curated file, the overrides, and whether
    the open data's and the documents' recipients join it."""

    register: Path | None = None
    overrides: Path | None = None
    texts: bool = False
    open_data: bool = False


reads_register = option_group("choice", {
    "register": (RegisterOpt, None),
    "overrides": (OverridesOpt, None),
    "texts": (TextsOpt, False),
    "open_data": (OpenDataOpt, False),
}, RegisterChoice)


def _register(documents: DocumentChoice, choice: RegisterChoice) -> ActorRegister:
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.loaders.actors.register import ActorRegister
    from geldstroom.loaders.documents.corpus import read_corpus

    base = ActorRegister.load(choice.register, overrides=choice.overrides)
    if choice.open_data:
        # late: pulls pydantic, networkx or the store engine, which --help must not load
        from geldstroom.graph.default_store import cached_open_data_claims

        # as the default graph's register (graph/open_data.open_register), from the claims
        # kept beside the store: reading the open data for them takes seconds
        base = base.with_claims(cached_open_data_claims())
    if not (choice.texts or documents.files or documents.manifest):
        return base
    return read_corpus(documents.documents(), base)[1]


@user_errors
@reads_documents
@reads_register
def list_actors(
    documents: DocumentChoice,
    choice: RegisterChoice,
    actor_kind: Annotated[ActorKind | None, typer.Option(
        "--actor-kind", help="Only actors of this kind (--kind is the documents').")] = None,
    origin: Annotated[Origin | None, typer.Option(
        help="Only actors whose strongest source is this: curated, register, data, text.")
    ] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Every actor: id, name, kind, parent ministry, where its names come from."""
    found = _register(documents, choice)
    rows = [{
        "id": actor.id, "name": actor.name, "kind": actor.kind.value,
        "ministry": actor.ministry or "", "origin": actor.origin.value,
        "aliases": list(actor.aliases),
    } for actor in sorted(found, key=lambda a: a.id)
        if (actor_kind is None or actor.kind is actor_kind)
        and (origin is None or actor.origin is origin)]
    emit(rows, fmt, f"Actors ({len(rows)})")


@user_errors
@reads_documents
@reads_register
def explain(
    documents: DocumentChoice,
    choice: RegisterChoice,
    name: Annotated[str, typer.Argument(help="An actor id, name, alias or abbreviation.",
                                        show_default=False)],
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The names and sources behind an actor: which file and line gave which name, how
    each joined the actor, where its kind comes from, and similar names left apart."""
    # late: the register pulls pydantic and rapidfuzz, which --help must not load
    from geldstroom.loaders.actors.explain import explain_actor, find_actor

    found = _register(documents, choice)
    record = explain_actor(found, find_actor(found, name))
    if fmt is Format.JSON:
        json.dump(record, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is not Format.TABLE:
        emit(record["claims"], fmt)
        return
    from rich.console import Console  # late: rich, as cli/common.err_console

    console = Console(highlight=False, soft_wrap=True, markup=False)
    console.print(f"{record['id']}: {record['name']}", style="bold")
    console.print(f"  kind {record['kind']}, origin {record['origin']}"
                  + (f", ministry {record['ministry']}" if record["ministry"] else "")
                  + (f", pays from hoofdstuk {record['hoofdstuk']}" if record["hoofdstuk"]
                     else ""))
    console.print(f"  names: {' | '.join(dict.fromkeys((record['name'], *record['aliases'])))}")
    console.print("  sources:")
    for claim in record["claims"]:
        said = [f"kind {claim['kind']}" if claim["kind"] else "",
                f"ministry {claim['ministry']}" if claim["ministry"] else ""]
        also = [a for a in claim["aliases"] if a != claim["name"]]
        aliases = f" (also {', '.join(also)})" if also else ""
        console.print(f"    {claim['source']}: {claim['name']!r}{aliases}")
        console.print(f"      joined by: {claim['joined']}"
                      + (f"; says {', '.join(s for s in said if s)}" if any(said) else ""))
        if claim["quote"]:
            console.print(f"      in: {claim['quote']}")
    for alias, ids in record["ambiguous_aliases"].items():
        console.print(f"  {alias!r} is also the abbreviation of "
                      f"{', '.join(i for i in ids if i != record['id'])}: not used to find "
                      "this actor")
    if record["similar_not_merged"]:
        console.print("  similar names kept apart (merge them with --overrides if they are one):")
        for other in record["similar_not_merged"]:
            console.print(f"    {other}: {found.get(other).name}")


@user_errors
@reads_documents
@reads_register
def candidates(
    documents: DocumentChoice,
    choice: RegisterChoice,
    min_score: Annotated[float, typer.Option(
        "--min-score", min=0, max=100,
        help="Only pairs at least this alike (0-100, rapidfuzz on the identity keys).")] = 85.0,
    limit: Annotated[int, typer.Option(
        "--limit", min=0, help="At most this many pairs, best first (0: all).")] = 40,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The closest pairs of names the identity rule kept apart, with their score: one
    organisation under two spellings, or two organisations. Nothing here is merged. Always
    reads the bundled open data's recipients. Write what you decide into an overrides file
    ([\\[merge]] names = ["one", "other"], reason = "...") and pass it with --overrides,
    or add it to core/data/actor_overrides.toml."""
    from dataclasses import replace

    from geldstroom.loaders.actors.candidates import named_actors, near_pairs  # rapidfuzz

    found = _register(documents, replace(choice, open_data=True))
    pairs = near_pairs(named_actors(found.actors), min_score=min_score, limit=limit or None)
    rows = [{"score": p.score, "one": p.one, "one_name": p.one_name, "other": p.other,
             "other_name": p.other_name, "hint": p.hint} for p in pairs]
    if fmt is not Format.TABLE:
        emit(rows, fmt, columns=["score", "one", "one_name", "other", "other_name", "hint"])
        return
    from rich.console import Console  # late: rich, as cli/common.err_console

    console = Console(highlight=False, soft_wrap=True, markup=False)
    console.print(f"{len(rows)} pairs of names kept apart, at least {min_score:g} alike "
                  f"(of {len(found)} actors); none is merged", style="bold")
    for row in rows:
        console.print(f"{row['score']:5.1f}  {row['one_name']!r} ({row['one']})")
        console.print(f"       {row['other_name']!r} ({row['other']})")
        console.print(f"       {row['hint']}")
    if rows:
        console.print("One organisation? Add [[merge]] names = [\"...\", \"...\"] with a "
                      "reason to an overrides file (--overrides FILE).")


@user_errors
def registers(
    folder: Annotated[Path | None, typer.Option(
        "--folder", help="A folder with zbo-register.csv, rwt-register.csv and "
        "stichtingen_BZK_05112012.csv (or .csv.gz). Default: the bundled copies.")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """What the ZBO, RWT and BZK stichtingen registers gave: rows read, names taken, rows
    skipped with their reasons."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.loaders.actors.explain import short_source
    from geldstroom.loaders.actors.registers import read_registers

    rows = [{
        "file": short_source(read.file), "rows": read.rows, "names": len(read.claims),
        "skipped": len(read.skipped),
        "reasons": [f"{reason} (line {', '.join(str(n) for n, r in read.skipped if r == reason)})"
                    for reason in read.skipped_reasons()],
        "notes": [f"line {n}: {note}" for n, note in read.notes],
    } for read in read_registers(folder)]
    emit(rows, fmt, "Registers")


def print_unresolved(console: Console, corpus: Corpus) -> int:
    """The payment sentences whose recipient no register knows; how many there are."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.model import Role

    found = {a.id: a for a in corpus.actors if a.origin is Origin.TEXT}
    links = [lk for lk in corpus.links if lk.actor in found and lk.role is Role.RECIPIENT]
    for link in links:
        console.print(
            f"  [yellow]recipient in no register[/] {link.evidence.document}:"
            f"{link.evidence.line} {found[link.actor].name!r} (actor {link.actor}): "
            f"{link.evidence.quote}", highlight=False, soft_wrap=True)
    return len(links)


def register(app: typer.Typer) -> None:
    actors_app.command(name="list")(list_actors)
    actors_app.command(name="explain")(explain)
    actors_app.command(name="candidates")(candidates)
    actors_app.command(name="registers")(registers)
    app.add_typer(actors_app, name="actors")
