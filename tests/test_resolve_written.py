"""A name written as the data writes it finds its actor without keying it (the name
libraries are most of what a summary on the store costs), and always the actor the keys
would find: the same answer, or the same refusal."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ladybug
from hypothesis import given, settings
from hypothesis import strategies as st

from geldstroom.cli.common import current_store
from geldstroom.errors import InputError
from geldstroom.graph.build import build_graph
from geldstroom.graph.store import Store, load_store
from geldstroom.graph.store_flows import StoreActors, find_actor_in_store
from geldstroom.loaders.actors.resolve import (
    ActorDirectory,
    Candidate,
    CandidateList,
    find_recipient,
)
from geldstroom.loaders.documents.corpus import read_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.model import PAYER_KINDS


class KeysOnly:
    """A directory that cannot tell names as written: the resolver keys every name."""

    def __init__(self, inner: ActorDirectory) -> None:
        self.inner = inner
        self.where = inner.where

    def matching(self, keys: Sequence[str], form: str) -> list[Candidate]:
        return self.inner.matching(keys, form)

    def written(self, form: str) -> None:
        return None

    def size(self) -> int:
        return self.inner.size()

    def all_ids(self) -> list[str]:
        return self.inner.all_ids()

    def similar(self, key: str, limit: int) -> list[str]:
        return self.inner.similar(key, limit)

    def named(self) -> dict[str, str]:
        return self.inner.named()


def _answer(text: str, directory: ActorDirectory) -> object:
    try:
        return find_recipient(text, directory)
    except InputError as err:
        return type(err).__name__, str(err)


# Names from the bundled files with the spellings that fold alike or almost: case, spaces,
# legal forms, an id that is another actor's alias, letters outside ASCII (ö, ß, the ligature
# ﬁ that casefolds to fi).
NAMES = ["TNO", "tno", "Stichting CAOP", "CAOP", "Caop Stichting", "Coöperatie Zorg",
         "Cooperatie Zorg", "Straße", "STRASSE", "ﬁnance", "Finance", "SBB", "Sbb",
         "Staatsbosbeheer", "Oxfam Novib", "OXFAM  NOVIB", "Stichting Oxfam Novib",
         "Universiteit van Amsterdam(1)", "Universiteit van Amsterdam", "VNG",
         "VNG International", "Logius"]
IDS = ["tno", "caop", "oxfam-novib", "sbb", "staatsbosbeheer", "vng", "Logius", "x1", "x2"]


@st.composite
def _actors(draw: st.DrawFn) -> list[Candidate]:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True))
    return [(actor, draw(st.sampled_from(NAMES)),
             draw(st.lists(st.sampled_from(NAMES), max_size=3))) for actor in ids]


def _typed(draw: st.DrawFn, name: str) -> str:
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + "  ".join(case(name).split(" ")) if draw(st.booleans()) else case(name)


@settings(max_examples=400, deadline=None)
@given(_actors(), st.data())
def test_written_as_typed_answers_as_the_keys_do(actors: list[Candidate],
                                                 data: st.DataObject) -> None:
    text = _typed(data.draw, data.draw(st.sampled_from(NAMES + IDS)))
    directory = CandidateList(actors)
    assert _answer(text, directory) == _answer(text, KeysOnly(directory))


def test_every_name_in_the_national_store_answers_as_the_keys_do() -> None:
    """Every 25th non-payer name and alias of the bundled store, as the data writes it and
    upper-cased: the index gives the keys' answer (about 1 300 names)."""
    payers = sorted(kind.value for kind in PAYER_KINDS)
    with Store(current_store(None)) as store:
        rows = store.run("MATCH (a:Actor) WHERE NOT a.kind IN $payers "
                         "RETURN a.id, a.name, a.aliases ORDER BY a.id",
                         {"payers": payers}).rows
        names = sorted({n for actor, name, aliases in rows
                        for n in (actor, name or "", *(aliases or [])) if n.strip()})
        directory = StoreActors(store)
        checked = 0
        for name in names[::25]:
            for text in (name, name.upper()):
                assert _answer(text, directory) == _answer(text, KeysOnly(directory)), text
                checked += 1
    assert checked > 1000


def test_a_store_without_the_written_index_resolves_by_keys(tmp_path: Path) -> None:
    """A store of given documents loaded before the index was added is read as it is."""
    corpus, register = read_corpus(bundled_documents())
    path = tmp_path / "old.lbug"
    load_store(build_graph(corpus, register=register), path)
    db = ladybug.Database(str(path))
    ladybug.Connection(db).execute("DROP TABLE ActorForm")
    db.close()
    with Store(path) as store:
        assert StoreActors(store).written("stichting caop") is None
        assert find_actor_in_store(store, "Stichting CAOP") == "caop"
