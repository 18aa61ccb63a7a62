"""The name rules' speed pass (issue 17, 700 000 rows) changed no decision: every name of the
bundled corpus and of the 1 000 real Financiële instrumenten rows folds, keys and splits as
the rules before it did (tests/reference_names.py, kept verbatim), the register built from
all their claims has the same actors, ids, aliases and keys as the register before it
(tests/reference_register.py), and random text from many scripts folds as normality does."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import reference_names as before
import reference_register
from hypothesis import given, settings
from hypothesis import strategies as st

from geldstroom.loaders.actors import claims as claims_module
from geldstroom.loaders.actors import names as now
from geldstroom.loaders.actors import registers as registers_module
from geldstroom.loaders.actors.claims import NameClaim, bundled_register_path, curated_claims
from geldstroom.loaders.actors.open_data_claims import payment_claims
from geldstroom.loaders.actors.overrides import Overrides
from geldstroom.loaders.actors.payers import payer_claims
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.actors.registers import read_registers
from geldstroom.loaders.opendata.corpus import OpenCorpus
from geldstroom.loaders.opendata.instrumenten import load_instrumenten
from geldstroom.model import Actor

SAMPLE = (Path(__file__).parent / "data" / "financiele-instrumenten"
          / "financiele_instrumenten_2016_sample.csv")
# What the register and its callers ask of a name, the rule by rule of names.py.
RULES: dict[str, tuple[Callable[[str], Any], Callable[[str], Any]]] = {
    name: (getattr(now, name), getattr(before, name))
    for name in ("fold", "name_tokens", "identity_tokens", "legal_forms", "identity_key",
                 "display_key", "split_name", "typed_forms", "without_numbering",
                 "is_abbreviation", "_edge_abbreviation")
}


# Names that take the rules' rare paths: an abbreviation beside its long name, '&', an
# export's numbering, dotted forms, apostrophes, a company form rigour spells out, 'St'.
EDGE_NAMES = (
    "CILC - Center for International Legal Cooperation", "(ICG) INTERNATIONAL CRISIS GROUP",
    "ISA STICHTING INTERNATIONAL SPORTS ALLIANCE", "Dienst Uitvoering Onderwijs Duo",
    "POLICY DEV.-ICMPD", "Skal (Stichting Keur Alternatief Voortbrengselen Landbouw)",
    "Life Sciences & Health", "A&B Foo", "Universiteit van Amsterdam(1)", "Foo ( 12 ) ",
    "Foo (12)\u00a0", "B.V. Foo", "Foo b.v.", "regio's", "veiligheidsregio’s",
    "Foo Besloten Vennootschap", "Foo Limited", "Foo Sociedad Anonima", "St. Cordaid",
    "Stg Foo", "ABC Foo Bar Cie", "Vereniging van Nederlandse Gemeenten",
    "Gemeente Bergen (NH)", "Coöperatie Ωmega 東京 Ltd. (1)", "Æon Fløw", "x_y_z Foo",
    # how a trailing abbreviation may end: ')', '.', both, a line end, twice, an underscore
    "Foo Bar Baz FBB.", "Foo Bar Baz (FBB).", "Foo Bar Baz FBB\n", "Foo Bar Baz (FBB))",
    "Foo Bar Baz FB_", "Foo Bar Baz F", "Foo Bar Baz - ÉFBB", "Foo Bar Baz FBB.\n",
)


@pytest.fixture(scope="module")
def sample_payments(open_corpus: OpenCorpus) -> list:
    return list(load_instrumenten(SAMPLE, open_corpus.tabellen, 2016).payments)


def open_payments(open_corpus: OpenCorpus, sample_payments: list) -> list:
    return [*(p for part in (open_corpus.subsidies, open_corpus.medeoverheden,
                             open_corpus.agentschappen) for p in part.payments),
            *sample_payments]


def every_claim(payments: list) -> list[NameClaim]:
    """Every claim a graph of the bundled corpus and the sample feeds its register: the
    curated actors, payers and registers, and every named recipient of the open data (the
    names split by whatever split_name the loaders' modules hold)."""
    registers = [c for read in read_registers() for c in read.claims]
    return [*curated_claims(bundled_register_path()), *payer_claims(), *registers,
            *payment_claims(payments)]


@pytest.fixture(scope="module")
def claims(open_corpus: OpenCorpus, sample_payments: list) -> list[NameClaim]:
    return every_claim(open_payments(open_corpus, sample_payments))


@pytest.fixture(scope="module")
def corpus_names(open_corpus: OpenCorpus, sample_payments: list,
                 claims: list[NameClaim]) -> list[str]:
    """Every name as the sources write it, as the claims and the typed names take it, and
    each budget line's labels (names a label may give)."""
    found = [text for p in open_payments(open_corpus, sample_payments)
             for text in (p.recipient, p.recipient_as_written) if text]
    found += [form for c in claims for form in (c.name, *c.aliases)]
    for part in (open_corpus.tabellen, open_corpus.staten):
        found += [text for f in part.figures for text in (f.line.line, f.line.detail) if text]
    return sorted({*found, *EDGE_NAMES})


def test_every_corpus_name_keys_and_splits_as_before(corpus_names: list[str]) -> None:
    assert len(corpus_names) > 15_000  # the corpus's names, not an empty list by mistake
    assert any(not n.isascii() for n in corpus_names)
    differ = [(rule, name) for name in corpus_names
              for rule, (fast, reference) in RULES.items() if fast(name) != reference(name)]
    assert differ == []


def test_the_sample_names_are_in_the_comparison(corpus_names: list[str]) -> None:
    """Names only the 1 000 real rows give (checked by hand in the file, lines 2 and 24)."""
    assert "METROPOOLREGIO ROTTERDAM DEN HAAG" in corpus_names
    assert "PROVINCIEHUIS ZUID-HOLLAND" in corpus_names


def _actor_fields(actor: Actor) -> dict[str, tuple[type, object]]:
    return {f: (type(v), v) for f, v in actor.__dict__.items()}


def test_the_register_decides_as_before(claims: list[NameClaim], corpus_names: list[str],
                                        open_corpus: OpenCorpus, sample_payments: list,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same names give the same claims, and the same claims the same actors (ids,
    names, aliases, kinds, numbers), the same key of each form, the same shared
    abbreviations and the same answer for every name."""
    monkeypatch.setattr(claims_module, "split_name", before.split_name)
    monkeypatch.setattr(registers_module, "split_name", before.split_name)
    assert every_claim(open_payments(open_corpus, sample_payments)) == claims
    monkeypatch.undo()
    overrides = Overrides.load()
    fast = ActorRegister(source="actors.toml", claims=claims, overrides=overrides)
    slow = reference_register.ActorRegister(source="actors.toml", claims=claims,
                                            overrides=overrides)
    assert len(fast) > 10_000
    assert ([(_actor_fields(a), a.model_fields_set) for a in fast.actors]
            == [(_actor_fields(a), a.model_fields_set) for a in slow.actors])
    assert fast._key_to_actor == slow._key_to_actor
    assert fast._ambiguous == slow._ambiguous
    assert fast.kvk_conflicts == slow.kvk_conflicts
    assert fast.unused_overrides == slow.unused_overrides
    assert [fast.resolve(n) for n in corpus_names] == [slow.resolve(n) for n in corpus_names]




def test_names_are_found_in_text_as_before(claims: list[NameClaim],
                                           corpus_names: list[str]) -> None:
    """find() reads text with an index of the forms' joined words where it walked a trie
    of their words: every line of the bundled documents, and every corpus name alone and
    in a sentence beside the next one, gives the same mentions (a name only a text gave
    is found in neither)."""
    from geldstroom.loaders.documents.manifest import bundled_documents
    from geldstroom.loaders.files import read_lines
    from geldstroom.model import Origin

    in_text = NameClaim(name="Stichting Alleen Tekst", source="doc", line=1,
                        origin=Origin.TEXT)
    overrides = Overrides.load()
    fast = ActorRegister(source="actors.toml", claims=[*claims, in_text], overrides=overrides)
    slow = reference_register.ActorRegister(source="actors.toml", claims=[*claims, in_text],
                                            overrides=overrides)
    texts = [line for doc in bundled_documents() for line in read_lines(Path(doc.path))]
    texts += corpus_names
    texts += [f"een bijdrage aan de {a} en {b}, o.a. {a.upper()}"
              for a, b in pairwise(corpus_names)]
    texts.append("de Stichting Alleen Tekst ontvangt")
    found = [_mentions(fast, text) for text in texts]
    assert sum(map(len, found)) > 20_000  # names found, not an empty comparison
    assert found == [_mentions(slow, text) for text in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    ["CBS", "cbs", "Stichting", "B.V.", "b v", "van", "de", "Nederland", "&", "-", ",",
     "regio's", "Coöperatie", "U.A.", "Rijksdienst", "voor", "Ondernemend", "(RVO)", "RVO",
     "VNG", "Afdeling", "Groningen", "Gemeente", "Bergen", "(NH)", "_", "x_y", "ab", "c"]),
    max_size=12))
def test_random_word_runs_are_found_as_before(words: list[str]) -> None:
    text = " ".join(words)
    assert _mentions(_bundled_now(), text) == _mentions(_bundled_before(), text)


def _mentions(register: Any, text: str) -> list[tuple[str, int, int, str]]:
    return [(m.actor, m.start, m.end, m.text) for m in register.find(text)]


@cache
def _bundled_now() -> ActorRegister:
    return ActorRegister(source="actors.toml", claims=_bundled_claims(),
                         overrides=Overrides.load())


@cache
def _bundled_before() -> reference_register.ActorRegister:
    return reference_register.ActorRegister(source="actors.toml", claims=_bundled_claims(),
                                            overrides=Overrides.load())


@cache
def _bundled_claims() -> tuple[NameClaim, ...]:
    registers = [c for read in read_registers() for c in read.claims]
    return (*curated_claims(bundled_register_path()), *payer_claims(), *registers)


def test_st_names_are_tried_wherever_the_pattern_can_match() -> None:
    """The register tries its 'St.' pattern only on forms starting (after spaces) with
    _ST_STARTS: every character its 's' and 't' match, whatever the case."""
    from geldstroom.loaders.actors import register as register_module

    every = [chr(code) for code in range(sys.maxunicode + 1)]
    s_like = [c for c in every if re.fullmatch("s", c, re.IGNORECASE)]
    t_like = [c for c in every if re.fullmatch("t", c, re.IGNORECASE)]
    assert {(a + b).lower() for a in s_like for b in t_like} == set(
        register_module._ST_STARTS)
    # what lstrip strips, the pattern skips
    assert re.fullmatch(r"\s*st", " \u2003ſT", re.IGNORECASE)


def test_actors_share_one_fields_set_only_because_they_are_frozen() -> None:
    """The register's one-claim actors share one fields set: safe while pydantic can never
    add to it (a frozen model refuses assignment; model_copy copies the set)."""
    assert Actor.model_config.get("frozen") is True


def test_actors_built_without_validation_are_what_validation_gives(
        claims: list[NameClaim]) -> None:
    """The register makes most actors without validation (trusted_record): validating
    each one's fields gives the same record, field by field and type by type."""
    register = ActorRegister(source="actors.toml", claims=claims, overrides=Overrides.load())
    for actor in register.actors:
        validated = Actor(**actor.model_dump())
        assert _actor_fields(validated) == _actor_fields(actor), actor.id


# Letters, punctuation and symbols of the scripts names are written in: ASCII (with the
# symbols ICU drops in non-ASCII text), Latin-1, Latin Extended, Vietnamese, typographic
# quotes and dashes, currency; and what the fast fold leaves to ICU: combining marks,
# spacing modifiers read with their neighbours (ˋ˪), Greek, Cyrillic, CJK, ligatures.
_ALPHABET = st.sampled_from(
    "abcxyzABCXYZ0129 .,;:-_&'`()[]/$+<=>^|~#@!?*\"%"
    "äëïöüÄÖÜéèêàçñßøåæÆœŒðþĳŁłŞşŢţđĐǅǈǌȘșȚț"
    "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    "‘’‚“”„–—…•€£¥¢×÷°±²³¹½¼¾µ¶§©®™"
    "\u0301\u0308\u0327ˋ˪˫˙˚ʰʼ"
    "ΑλφαΩωКиевДж東京大学ﬁﬂ\u00a0\u2009\u202f"
)


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=40))
def test_random_text_folds_and_keys_as_before(text: str) -> None:
    for rule, (fast, reference) in RULES.items():
        assert fast(text) == reference(text), rule


def test_joined_tokens_are_the_words_joined(corpus_names: list[str]) -> None:
    """find() looks forms up by their words joined: each fold table character alone and
    between letters, and every corpus name, joins as name_tokens' words do."""
    table = [chr(code) for code in now._latin_table()]
    texts = [*corpus_names, *table, *(f"a{c}b" for c in table), *(f"é{c}B." for c in table)]
    differ = [t for t in texts if now.joined_tokens(t) != "".join(now.name_tokens(t))]
    assert differ == []


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=40))
def test_random_text_joins_as_its_words(text: str) -> None:
    assert now.joined_tokens(text) == "".join(now.name_tokens(text))


def test_every_pair_of_table_characters_folds_as_icu() -> None:
    """The fast fold reads a text character by character from its table: right only where
    ICU reads no character with its neighbour. Every pair of the table's characters (one at
    least not ASCII: ASCII text never reaches ICU) folds as normality folds it."""
    characters = [chr(code) for code in now._latin_table()]
    assert len(characters) > 800
    differ = [a + b for a in characters for b in characters
              if not (a + b).isascii() and now.fold(a + b) != before.fold(a + b)]
    assert differ == []


def test_payments_read_without_validation_are_what_pydantic_makes(
        sample_payments: list) -> None:
    """The loader makes each row's Payment, SourceRow and own BudgetLine with
    trusted_record: the same records model_construct makes (field order, fields set) and
    validation makes of the same fields, for each of the 1 000 real rows."""
    assert len(sample_payments) == 1000
    assert sum(1 for p in sample_payments if p.line is not None) > 900
    for payment in sample_payments:
        for record in (payment, payment.source, payment.line):
            if record is None:
                continue
            model = type(record)
            given = {f: record.__dict__[f] for f in record.model_fields_set}
            constructed = model.model_construct(set(given), **given)
            assert list(constructed.__dict__.items()) == list(record.__dict__.items())
            assert constructed.model_fields_set == record.model_fields_set
            assert model(**given).model_fields_set == record.model_fields_set
            assert record.__pydantic_extra__ is None and record.__pydantic_private__ is None
            validated = model.model_validate(record.__dict__)
            assert {f: type(v) for f, v in validated.__dict__.items()} == {
                f: type(v) for f, v in record.__dict__.items()}
            assert validated == record and hash(validated) == hash(record)
