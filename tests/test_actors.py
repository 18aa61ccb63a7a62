"""The actor register: the bundled data, finding names in text, and bad register files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geldstroom.errors import InputError
from geldstroom.loaders.actors.register import ActorRegister, is_abbreviation
from geldstroom.model import ActorKind, Origin

REGISTER = ActorRegister.load()

DOMAIN_ACTORS = {
    "minister-bzk", "ictu", "cbs", "caop", "saip", "koop", "logius", "rodi", "op-rijk",
    "waterschappen", "vng", "ipo", "waterschapshuis", "radboud", "vom", "eipa", "ipse",
    "ssc-ict", "i-vakmanschap", "tno", "veiligheidsregios", "huis-klokkenluiders",
}


def ids(text: str) -> list[str]:
    return [mention.actor for mention in REGISTER.find(text)]


def test_bundled_register_has_every_actor_of_the_domain() -> None:
    curated = {a.id for a in REGISTER if a.origin is Origin.CURATED and not REGISTER.is_payer(a.id)}
    assert curated == DOMAIN_ACTORS - {"minister-bzk"}
    # Beside them: one payer per ministry or fund, and the organisations of the registers.
    assert REGISTER.is_payer("minister-bzk")
    assert {a.origin for a in REGISTER} == {Origin.CURATED, Origin.REGISTER}


def test_kinds_and_parts() -> None:
    assert REGISTER.get("minister-bzk").kind is ActorKind.MINISTER
    assert REGISTER.is_payer("minister-bzk")
    assert not REGISTER.is_payer("ictu")
    assert REGISTER.get("koop").part_of == "logius"
    # The RWT register (line 22) lists the CBS; a register's kind wins over the curated one.
    assert REGISTER.get("cbs").kind is ActorKind.RWT
    assert REGISTER.get("waterschappen").kind is ActorKind.MEDEOVERHEID
    assert REGISTER.get("vng").kind is ActorKind.KOEPEL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aan stichting ICTU is een bijdrage verstrekt", ["ictu"]),
        ("De Stichting ICTU ontvangt", ["ictu"]),
        ("bijdrage aan ICTU voor", ["ictu"]),
        ("Het Centraal Bureau voor Statistiek (CBS) heeft", ["cbs", "cbs"]),
        ("in samenwerking met het CBS.", ["cbs"]),
        ("Instituut voor Publieke Sector Efficiency Studies (IPSE)", ["ipse", "ipse"]),
        ("subsidie aan het Instituut voor Publieke Sector Efficiëntie Studies,", ["ipse"]),
        ("dat door IPSE-Studies uitgevoerd wordt", ["ipse"]),
        ("de veiligheidsregio’s capaciteit, per veiligheidsregio,", ["veiligheidsregios"] * 2),
        ("De VNG, het IPO en het Waterschapshuis ontvangen", ["vng", "ipo", "waterschapshuis"]),
        ("aan de waterschappen verstrekt; bijdrage aan Waterschappen", ["waterschappen"] * 2),
        ("Het Kennis- en exploitatiecentrum Officiële Overheidspublicaties (onderdeel van Logius)",
         ["koop", "logius"]),
        ("Organisatie en Personeel Rijk (O&P Rijk)", ["op-rijk", "op-rijk"]),
        ("De minister van BZK en het ministerie van BZK", ["minister-bzk", "minister-bzk"]),
        ("Minister van Binnenlandse Zaken en Koninkrijksrelaties", ["minister-bzk"]),
        ("doorverwijzing door het Huis voor klokkenluiders.", ["huis-klokkenluiders"]),
        ("aan I-vakmanschap, aan SSC-ICT en aan TNO", ["i-vakmanschap", "ssc-ict", "tno"]),
        # Quotes around an abbreviation are not part of it (begroting sample, line 1245).
        ("(project ‘het geheugen van BZK’) en", ["minister-bzk"]),
    ],
)
def test_find_written_forms(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_abbreviations_are_case_sensitive_and_whole_words() -> None:
    assert ids("de cbs-data en de ipo en vom") == []
    assert ids("ICTUS, CBSX, XVNG") == []
    assert ids("Rijks-ICT-dashboard") == []  # ICT is no actor, and SSC-ICT is not there


def test_long_names_are_case_insensitive() -> None:
    assert ids("het huis voor klokkenluiders") == ["huis-klokkenluiders"]
    assert ids("RADBOUD UNIVERSITEIT") == ["radboud"]


def test_longest_form_wins_and_spans_are_exact() -> None:
    text = "door IPSE-Studies uitgevoerd"
    [mention] = REGISTER.find(text)
    assert (mention.actor, text[mention.start : mention.end]) == ("ipse", "IPSE-Studies")
    # "Waterschapshuis" is one word: it never contains the waterschappen.
    assert ids("Het Waterschapshuis") == ["waterschapshuis"]


def test_is_abbreviation() -> None:
    assert is_abbreviation("CBS") and is_abbreviation("SSC-ICT") and is_abbreviation("IPSE-Studies")
    assert not is_abbreviation("Logius") and not is_abbreviation("minister van BZK")


# Every form that names one organisation (not an abbreviation two share, like SBB) and that
# is read in running text (a register's two-letter abbreviations are not).
_ALIASES = [
    (alias, actor.id) for actor in REGISTER for alias in (actor.name, *actor.aliases)
    if REGISTER.resolve(alias) == actor.id and not (is_abbreviation(alias) and len(alias) < 3)
]


@given(
    st.sampled_from(_ALIASES),
    st.sampled_from(["", "Aan ", "De ", "bijdrage aan de ", "(", "“", "met het "]),
    st.sampled_from(["", ".", " ontvangt", ", en", ")", "”", " (onderdeel)"]),
)
def test_every_alias_is_found_in_any_surrounding(
    pair: tuple[str, str], before: str, after: str
) -> None:
    alias, actor_id = pair
    text = before + alias + after
    mentions = REGISTER.find(text)
    assert [m.actor for m in mentions] == [actor_id]
    # The span is the alias itself, or a longer form of the same name ("het Centraal ...").
    # It ends where the alias's last word ends (a closing ")" of the alias is not a word).
    end = mentions[0].end - len(before)
    assert 0 < end <= len(alias) and not re.search(r"\w", alias[end:])
    assert alias[:end] in text[mentions[0].start : mentions[0].end]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actors.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[actor]\nid = 'x'", "not a valid TOML"),
        ("title = 'no actors'", "expected one or more [[actor]]"),
        ("[[actor]]\nid = 'x'\nname = 'X'\nkind = 'bank'", "[[actor]] x: kind"),
        ("[[actor]]\nid = 'x'\nkind = 'company'", "[[actor]] x: name"),
        ("[[actor]]\nid = 'x'\nname = 'X'\nkind = 'company'\ncolour = 'red'", "colour"),
        ("[[actor]]\nid = 'x'\nname = 'X'\nkind = 'company'\n"
         "[[actor]]\nid = 'x'\nname = 'Y'\nkind = 'company'", "appears twice"),
        ("[[actor]]\nid = 'x'\nname = 'X'\nkind = 'company'\npart_of = 'y'", "part_of 'y'"),
        ("[[actor]]\nid = 'x'\nname = 'Foo Bar'\nkind = 'company'\n"
         "[[actor]]\nid = 'y'\nname = 'foo bar'\nkind = 'company'", "names both"),
    ],
)
def test_bad_register_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        ActorRegister.load(path)
    assert message in str(caught.value)
    assert caught.value.file == str(path)


def test_missing_register(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ActorRegister.load(tmp_path / "nope.toml")


def test_register_from_a_given_path(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "[[actor]]\nid = 'acme'\nname = 'Acme BV'\nkind = 'company'\naliases = ['ACME']\n",
    )
    register = ActorRegister.load(path)
    assert [m.actor for m in register.find("een opdracht aan ACME en aan acme bv")] == [
        "acme", "acme"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ictu", "ictu"), ("Stichting ICTU", "ictu"), ("stichting  ictu", "ictu"),
     ("Centraal Bureau voor Statistiek", "cbs"), ("CBS", "cbs"), ("veiligheidsregio’s",
     "veiligheidsregios"), ("ipse-studies", "ipse"), ("Onbekend BV", None), ("ICTU en CBS", None)],
)
def test_resolve_what_a_user_types(name: str, expected: str | None) -> None:
    assert ActorRegister.load().resolve(name) == expected


def test_the_minister_pays_from_its_hoofdstuk() -> None:
    assert REGISTER.get("minister-bzk").hoofdstuk == "VII"
