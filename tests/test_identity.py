"""Actor identity: names that must be one organisation, names that must stay apart, the
registers' real values, the payers, and name normalisation as properties."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from geldstroom.errors import InputError
from geldstroom.loaders.actors.claims import NameClaim, claim_from
from geldstroom.loaders.actors.names import (
    ARTICLES,
    LEADING_FORMS,
    PREPOSITIONS,
    TRAILING_FORMS,
    identity_key,
    legal_forms,
    name_tokens,
    split_name,
)
from geldstroom.loaders.actors.overrides import Overrides
from geldstroom.loaders.actors.payers import HoofdstukNameMismatch, Payers, UnknownHoofdstuk
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.actors.registers import read_registers
from geldstroom.model import ActorKind, Origin

REGISTER = ActorRegister.load()
# rigour's table of company forms and normality's transliteration load on first use: here,
# not inside a property test's deadline.
identity_key("Coöperatie Ωmega 東京 Ltd. (1)")
SUBSIDIES = "subsidiesministeries2015.csv"


def data(*names: str) -> list[NameClaim]:
    """Names as a dataset's recipient column gives them (line numbers made up: the
    identity of a name never depends on where it came from)."""
    return [NameClaim(name=n, source=SUBSIDIES, line=k, origin=Origin.DATA)
            for k, n in enumerate(names, start=2)]


@pytest.mark.parametrize(("one", "other"), [
    ("Stichting CAOP", "CAOP"),
    ("Stichting ICTU", "ICTU"),
    ("stichting  ictu.", "ICTU"),
    # rwt-register.csv line 22 writes it with "de" and gives the abbreviation.
    ("Centraal Bureau voor de Statistiek", "CBS"),
    ("Centraal Bureau voor de Statistiek", "Centraal Bureau voor Statistiek"),
    ("SAIP", "Stichting Administratie Indonesische Pensioenen"),
    # zbo-register.csv line 33 names the CAK bare; rwt-register.csv line 118 spells it out.
    ("CAK", "Centraal administratie kantoor"),
    ("De Nederlandsche Bank NV", "DNB"),
    ("Rendac", "Rendac BV"),
    # BZK's stichtingen (line 5) misspells the CAOP: merged by actor_overrides.toml.
    ("Centrum Arbeidsverhoudingen Overheidpersoneel", "CAOP"),
    ("Huis voor de Democratie en Rechtstaat", "ProDemos"),
])
def test_names_that_are_one_organisation(one: str, other: str) -> None:
    assert REGISTER.resolve(one) is not None
    assert REGISTER.resolve(one) == REGISTER.resolve(other)


@pytest.mark.parametrize(("one", "other"), [
    # Pairs from the real Ontvanger column of the subsidies 2015 (the same name in
    # different case or legal-form dress must merge).
    ("Movisie", "Stichting MOVISIE"),
    ("SIMAVI", "Stichting Simavi"),
    ("VRIJE UNIVERSITEIT", "Vrije Universiteit"),
    ("FutureWater", "FutureWater B.V."),
    ("STG DE OASE", "STG OASE"),
    ("Natuur en Milieu", "STICHTING NATUUR EN MILIEU"),
])
def test_recipient_names_of_the_subsidies_that_merge(one: str, other: str) -> None:
    register = REGISTER.with_claims(data(one, other))
    assert register.resolve(one) == register.resolve(other)
    assert register.get(register.resolve(one)).origin is Origin.DATA


@pytest.mark.parametrize(("one", "other"), [
    ("VNG", "VNG Afdeling Groningen"),
    ("waterschappen", "Waterschap Aa en Maas"),
    ("Gemeente Groningen", "Provincie Groningen"),
    # Both in the subsidies' Ontvanger column: two legal persons of one name.
    ("Cooperatieve Huisartsenposten", "Stichting Huisartsenposten"),
    # "ZORG- EN RECREATIEBOERDERIJ DE" is a name cut off after "DE", in the same column.
    ("ZORG- EN RECREATIEBOERDERIJ DE", "Zorg- en recreatieboerderij"),
    # The ZBO register's Commissie and the RWT register's Schadefonds share "SGM" only.
    ("Commissie schadefonds geweldsmisdrijven", "Schadefonds Geweldsmisdrijven"),
    ("Nederlandse Omroep Stichting", "Nederlandse Publieke Omroep"),
])
def test_names_that_stay_apart(one: str, other: str) -> None:
    register = REGISTER.with_claims(data(one, other))
    assert register.resolve(one) is not None and register.resolve(other) is not None
    assert register.resolve(one) != register.resolve(other)


def test_an_abbreviation_two_registers_give_finds_neither() -> None:
    # rwt-register.csv: Staatsbosbeheer (SBB), Stichting Samenwerking Beroepsonderwijs
    # Bedrijfsleven (SBB); the ZBO register's Samenwerkingsorganisatie ... also SBB.
    assert REGISTER.resolve("SBB") is None
    assert "staatsbosbeheer" in REGISTER.ambiguous("SBB")
    assert len(REGISTER.ambiguous("SBB")) == 3
    assert REGISTER.resolve("Staatsbosbeheer") == "staatsbosbeheer"
    assert [m.actor for m in REGISTER.find("een bijdrage aan SBB")] == []


def test_the_order_of_the_sources_does_not_matter() -> None:
    names = ["CBS", "Stichting Huisartsenposten", "Huisartsenposten", "Cooperatieve "
             "Huisartsenposten", "SBB", "Staatsbosbeheer", "Movisie", "Stichting MOVISIE"]
    forward = REGISTER.with_claims(data(*names))
    backward = ActorRegister(claims=[*reversed(data(*names)), *reversed(REGISTER.claims)],
                             overrides=REGISTER.overrides)
    assert {a.id: a.aliases and set(a.aliases) for a in forward} == {
        a.id: a.aliases and set(a.aliases) for a in backward}
    for name in names:
        assert forward.resolve(name) == backward.resolve(name)


# -- the registers, as read from the bundled copies -------------------------------------


def test_register_rows_read_and_skipped() -> None:
    reads = {Path(r.file).name: r for r in read_registers()}
    zbo = reads["zbo-register.csv.gz"]
    rwt = reads["rwt-register.csv.gz"]
    bzk = reads["stichtingen_BZK_05112012.csv.gz"]
    assert (zbo.rows, len(zbo.claims), zbo.skipped) == (122, 122, [])
    # Line 58 of the RWT register has only its collection time, url and date.
    assert (rwt.rows, len(rwt.claims), rwt.skipped) == (126, 125, [(58, "no name")])
    assert (bzk.rows, len(bzk.claims)) == (21, 21)


def test_register_values_from_the_files() -> None:
    reads = {Path(r.file).name: r for r in read_registers()}
    by_line = {c.line: c for c in reads["rwt-register.csv.gz"].claims}
    saip = by_line[3]  # "Stichting Administratie Indonesische Pensioenen (SAIP)", BZK
    assert (saip.name, saip.aliases, saip.kind, saip.ministry) == (
        "Stichting Administratie Indonesische Pensioenen", ("SAIP",), ActorKind.RWT,
        "Binnenlandse Zaken en Koninkrijksrelaties")
    assert by_line[22].ministry == "Economische Zaken"  # CBS
    zbo = {c.line: c for c in reads["zbo-register.csv.gz"].claims}
    acm = zbo[3]  # Autoriteit Consument en Markt, ACM, Ministerie van Economische Zaken (EZ)
    assert (acm.name, acm.aliases, acm.kind, acm.ministry) == (
        "Autoriteit Consument en Markt", ("ACM",), ActorKind.ZBO, "Economische Zaken")
    bzk = {c.line: c for c in reads["stichtingen_BZK_05112012.csv.gz"].claims}
    assert (bzk[9].name, bzk[9].kind) == ("ICTU", ActorKind.STICHTING)


def test_actors_take_kind_and_ministry_from_the_registers() -> None:
    saip = REGISTER.get("saip")  # curated as a stichting; in both the ZBO and RWT register
    assert saip.kind is ActorKind.ZBO_RWT
    assert saip.ministry == "Binnenlandse Zaken en Koninkrijksrelaties"
    assert REGISTER.get("cbs").kind is ActorKind.RWT
    assert REGISTER.get(REGISTER.resolve("ACM") or "").kind is ActorKind.ZBO
    assert REGISTER.get("ictu").ministry == "Binnenlandse Zaken en Koninkrijksrelaties"


@pytest.mark.parametrize(("written", "name", "aliases", "cluster"), [
    ("Stichting Administratie Indonesische Pensioenen (SAIP)",
     "Stichting Administratie Indonesische Pensioenen", ("SAIP",), False),
    ("Skal (Stichting Keur Alternatief voortgebrachte Landbouwproducten)",
     "Stichting Keur Alternatief voortgebrachte Landbouwproducten", ("Skal",), False),
    ("Bureau Erkenningen (van de AOC Raad)", "Bureau Erkenningen (van de AOC Raad)", (), False),
    ("Bekostigde instellingen voor het primair onderwijs (PO) (cluster)",
     "Bekostigde instellingen voor het primair onderwijs", (), True),
    ("Commissie Milieueffectrapportage (Commissie MER)", "Commissie Milieueffectrapportage",
     ("Commissie MER",), False),
])
def test_split_name(written: str, name: str, aliases: tuple[str, ...], cluster: bool) -> None:
    assert split_name(written) == (name, aliases, cluster)


def test_explain_names_file_and_line() -> None:
    why = REGISTER.explain("cbs")
    where = {(Path(c.source).name, c.line): how for c, how in why.claims}
    assert where[("actors.toml", 17)] == "the first source of this actor"
    assert "same identity key" in where[("rwt-register.csv.gz", 22)]
    caop = {Path(c.source).name: how for c, how in REGISTER.explain("caop").claims}
    assert caop["stichtingen_BZK_05112012.csv.gz"].startswith("override ")


def test_overrides_merge_and_split(tmp_path: Path) -> None:
    rules = tmp_path / "overrides.toml"
    rules.write_text('[[merge]]\nnames = ["Commissie schadefonds geweldsmisdrijven", '
                     '"Schadefonds Geweldsmisdrijven"]\nreason = "one fund"\n'
                     '[[split]]\nname = "Stichting MOVISIE"\nreason = "test"\n')
    register = ActorRegister.load(overrides=rules, extra=data("Movisie", "Stichting MOVISIE"))
    assert register.resolve("Schadefonds Geweldsmisdrijven") == register.resolve(
        "Commissie schadefonds geweldsmisdrijven")
    assert register.resolve("SGM") == register.resolve("Schadefonds Geweldsmisdrijven")
    assert register.resolve("Movisie") != register.resolve("Stichting MOVISIE")
    # The bundled overrides also name open-data recipients, not fed in here.
    assert [u for u in register.unused_overrides if str(rules) in u] == []


def test_bad_overrides_name_the_file(tmp_path: Path) -> None:
    rules = tmp_path / "overrides.toml"
    rules.write_text('[[merge]]\nnames = ["only one"]\n')
    with pytest.raises(InputError, match=r"\[\[merge\]\] number 1") as caught:
        Overrides.load(rules)
    assert caught.value.file == str(rules)


# -- payers -------------------------------------------------------------------------------

# Every hoofdstuk the Finance ministry's 2015-2017 data uses (Begrotings hoofdstuk /
# Begrotingsstaat columns, and IX in the agentschappen data).
HOOFDSTUKKEN = ["I", "IIA", "IIB", "III", "IV", "V", "VI", "VII", "VIII", "IX", "IXA", "IXB",
                "X", "XII", "XIII", "XV", "XVI", "XVII", "XVIII", "A", "B", "C", "F", "H", "J"]


def test_one_payer_for_every_hoofdstuk() -> None:
    payers = Payers.load()
    assert payers.payer_for("VII") == "minister-bzk"
    assert payers.payer_for("B") == "gemeentefonds"
    assert payers.payer_for("J", "Deltafonds") == "deltafonds"
    assert payers.payer_for("IXA") == payers.payer_for("IXB") == "minister-fin"
    for code in HOOFDSTUKKEN:
        assert REGISTER.is_payer(payers.payer_for(code))


def test_an_unknown_hoofdstuk_is_an_error_naming_it() -> None:
    # The 2017 B-tabel writes LVIII for the Diergezondheidsfonds.
    with pytest.raises(UnknownHoofdstuk, match="'LVIII'") as caught:
        Payers.load().payer_for("LVIII", "Diergezondheidsfonds")
    assert caught.value.hoofdstuk == "LVIII" and "F" in caught.value.known
    # ... and A for the Deltafonds, which is the Infrastructuurfonds' code.
    with pytest.raises(HoofdstukNameMismatch) as mismatch:
        Payers.load().payer_for("A", "Deltafonds")
    assert (mismatch.value.expected, mismatch.value.named) == ("infrastructuurfonds",
                                                               "deltafonds")


# -- normalisation, as properties -----------------------------------------------------------

_NAME = st.lists(
    st.sampled_from(["Stichting", "stichting", "de", "Het", "CAOP", "Aa", "en", "Maas",
                     "Coöperatie", "B.V.", "N.V.", "Financiën", "VNG", "voor", "van", "x"])
    | st.text(alphabet=string.ascii_letters + "éëïöüÉ", min_size=1, max_size=8),
    min_size=1, max_size=6,
).map(" ".join)


@given(_NAME)
def test_normalising_twice_changes_nothing(name: str) -> None:
    assert identity_key(identity_key(name)) == identity_key(name)


@given(_NAME)
def test_case_does_not_matter(name: str) -> None:
    assert identity_key(name.upper()) == identity_key(name) == identity_key(name.lower())


@given(_NAME, st.sampled_from([",", ".", ";", " -", "'", "(", ")", "  ", "\t"]))
def test_punctuation_between_words_does_not_matter(name: str, mark: str) -> None:
    words = name.split()
    assert identity_key(f" {mark} ".join(words) + mark) == identity_key(name)


@given(st.text(min_size=1).filter(str.strip))
def test_a_name_never_normalises_to_nothing(name: str) -> None:
    assert identity_key(name).strip()


@given(_NAME)
def test_a_leading_stichting_is_a_legal_form(name: str) -> None:
    tokens = name_tokens(name)
    assume(tokens and tokens[0] not in PREPOSITIONS | ARTICLES | LEADING_FORMS | TRAILING_FORMS)
    assume(tokens[-1] not in ARTICLES | TRAILING_FORMS)
    assert identity_key(f"Stichting {name}") == identity_key(name)
    assert "stichting" in legal_forms(f"Stichting {name}")


def test_a_loader_feeds_a_name_as_written() -> None:
    # As rwt-register.csv line 3 writes it; a dataset may write names the same way.
    claim = claim_from("Stichting Administratie Indonesische Pensioenen (SAIP)",
                       "subsidies.csv", 7)
    assert (claim.name, claim.aliases, claim.origin) == (
        "Stichting Administratie Indonesische Pensioenen", ("SAIP",), Origin.DATA)
    register = REGISTER.with_claims([claim])
    assert register.resolve("SAIP") == "saip"
    assert ("subsidies.csv", 7) in {(c.source, c.line) for c, _ in register.explain("saip").claims}


def test_the_open_data_recipients_join_the_register(open_corpus) -> None:
    from geldstroom.loaders.actors.open_data_claims import payment_claims

    payments = [p for part in (open_corpus.subsidies, open_corpus.medeoverheden,
                               open_corpus.agentschappen) for p in part.payments]
    register = REGISTER.with_claims(payment_claims(payments))
    # subsidiesministeries2015.csv line 107: "Stichting CAOP", 2 786 000 euro on BZK 7.1.
    caop = {(c.source, c.line) for c, _ in register.explain("caop").claims}
    assert ("subsidiesministeries2015.csv", 107) in caop
    # bijdragen_aan_medeoverheden.csv line 133: Gemeente Groningen; a gemeente, no province.
    groningen = register.get(register.resolve("Gemeente Groningen") or "")
    assert (groningen.kind, groningen.origin) == (ActorKind.GEMEENTE, Origin.DATA)
    assert register.resolve("Provincie Groningen") != groningen.id
    assert register.resolve("Stichting Huisartsenposten") != register.resolve(
        "Cooperatieve Huisartsenposten")


def as_loaded(*written: str) -> list[NameClaim]:
    """Names as a loader feeds a recipient column: split into name and aliases."""
    return [claim_from(w, SUBSIDIES, k) for k, w in enumerate(written, start=2)]


def test_a_province_in_parentheses_keeps_two_municipalities_apart() -> None:
    register = REGISTER.with_claims(as_loaded("Gemeente Bergen (NH)", "Gemeente Bergen (L)"))
    north, south = register.resolve("Gemeente Bergen (NH)"), register.resolve(
        "Gemeente Bergen (L)")
    assert north is not None and south is not None and north != south
    assert register.resolve("L") is None and register.resolve("NH") is None


@pytest.mark.parametrize(("written", "name"), [
    ("Gemeente Bergen (NH)", "Gemeente Bergen (NH)"),
    ("Gemeente Bergen (L)", "Gemeente Bergen (L)"),
    ("Gemeente Hengelo (Gld)", "Gemeente Hengelo (Gld)"),
    ("Gemeente Rijswijk (ZH)", "Gemeente Rijswijk (ZH)"),
])
def test_split_name_keeps_a_qualifier_in_the_name(written: str, name: str) -> None:
    assert split_name(written) == (name, (), False)


def test_an_alias_alone_never_joins_a_payer() -> None:
    minister = REGISTER.resolve("BZK")
    assert minister == "minister-bzk"
    register = REGISTER.with_claims(as_loaded("Stichting Voorbeeldfonds (BZK)"))
    fund = register.resolve("Stichting Voorbeeldfonds")
    assert fund is not None and fund != minister
    assert register.resolve("BZK") == minister  # the payer's own name wins over an alias
