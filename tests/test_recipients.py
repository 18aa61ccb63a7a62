"""Recipients from the seeds: every expected value checked by hand against the texts."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.documents.budget_table import read_budget_tables
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.loaders.documents.recipients import (
    extract_links,
    is_payment_sentence,
    sentence_roles,
    years_said,
)
from geldstroom.loaders.files import read_lines
from geldstroom.model import LinkScope, RecipientLink, Role

BEGROTING = "VII/begroting-2024/001_1ef586f7da9213de.txt"
JAARVERSLAG = "VII/jaarverslag-2022/000_18b475cc328f5857.txt"
ONDERDEEL = "7.1 Werkgevers- en bedrijfsvoeringsbeleid"
ZBO = "Bijdrage aan ZBO's/RWT's"
AGENTSCHAPPEN = "Bijdrage aan agentschappen"
SUBSIDIES = "Subsidies (regelingen)"
ALL_YEARS = tuple(range(2022, 2029))
# Begroting 2024's narrative speaks for 2024 and the ramingen after it, unless it says more.
BEGROTING_YEARS = tuple(range(2024, 2029))
REGISTER = ActorRegister.load()


@cache
def links() -> tuple[RecipientLink, ...]:
    return load_corpus(bundled_documents()).links


def find(actor: str, document: str, line: int, role: Role | None = None) -> RecipientLink:
    found = [
        link for link in links()
        if link.actor == actor and link.evidence.document == document
        and link.evidence.line == line and (role is None or link.role is role)
    ]
    assert len(found) == 1, found
    return found[0]


def roles_of(actor: str, document: str | None = None) -> set[Role]:
    return {
        link.role for link in links()
        if link.actor == actor and (document is None or link.evidence.document == document)
    }


def test_caop_is_paid_on_overlegstelsel() -> None:
    link = find("caop", BEGROTING, 1159, Role.RECIPIENT)
    assert (link.scope, link.path) == (
        LinkScope.LINE, (ONDERDEEL, SUBSIDIES, "Overlegstelsel")
    )
    assert link.years == BEGROTING_YEARS
    assert link.evidence.quote.startswith(
        "De Stichting Centrum voor Arbeidsverhoudingen Overheidspersoneel (CAOP) ontvangt"
    )
    assert (link.hoofdstuk, link.artikel) == ("VII", "7")


def test_koepels_share_the_woo_line_for_2022_to_2026() -> None:
    path = (ONDERDEEL, SUBSIDIES, "Ondersteuning koepels implementatie Woo")
    for actor in ("vng", "ipo", "waterschapshuis"):
        link = find(actor, BEGROTING, 1167, Role.RECIPIENT)
        assert (link.path, link.years) == (path, (2022, 2023, 2024, 2025, 2026))
    # "... respectievelijk gemeenten, provincies en waterschappen": not paid here.
    assert find("waterschappen", BEGROTING, 1167).role is Role.MENTION


def test_jaarverslag_ictu_and_cbs_on_zbo_werkgeversbeleid_2022() -> None:
    path = (ONDERDEEL, ZBO, "Werkgeversbeleid")
    ictu = find("ictu", JAARVERSLAG, 39, Role.RECIPIENT)
    cbs = find("cbs", JAARVERSLAG, 48, Role.RECIPIENT)
    for link in (ictu, cbs):
        assert (link.scope, link.path, link.years) == (LinkScope.LINE, path, (2022,))
    assert cbs.evidence.quote == (
        "Het Centraal Bureau voor Statistiek (CBS) heeft een bijdrage ontvangen voor het "
        "onderhoud van het WNT-register."
    )
    # In 2022 ICTU was also paid on Bedrijfsvoeringsbeleid (Rijks-ICT-dashboard).
    dashboard = find("ictu", JAARVERSLAG, 35, Role.RECIPIENT)
    assert dashboard.path == (ONDERDEEL, ZBO, "Bedrijfsvoeringsbeleid")
    # "Tot slot beheert ICTU ook enkele onderzoekspanels": no money in that sentence.
    assert find("ictu", JAARVERSLAG, 45).role is Role.MENTION


def test_ictu_passes_money_on_to_ipse() -> None:
    passed = find("ipse", BEGROTING, 1249, Role.PASSED_ON)
    assert passed.via == "ictu"
    assert passed.path == (ONDERDEEL, ZBO, "Werkgeversbeleid")
    assert "door IPSE-Studies uitgevoerd wordt" in passed.evidence.quote
    assert find("ictu", BEGROTING, 1249, Role.RECIPIENT).via is None
    # The sentence introducing IPSE names no money: a mention.
    assert find("ipse", BEGROTING, 1249, Role.MENTION).evidence.quote.startswith(
        "Het Instituut voor Publieke Sector Efficiency Studies (IPSE) is een instituut"
    )


def test_mentions_only() -> None:
    assert roles_of("huis-klokkenluiders") == {Role.MENTION}
    assert roles_of("veiligheidsregios") == {Role.MENTION}
    assert roles_of("cbs", BEGROTING) == {Role.MENTION}  # "in samenwerking met het CBS"
    assert find("cbs", BEGROTING, 1245).path == (ONDERDEEL, ZBO, "Werkgeversbeleid")
    assert find("logius", BEGROTING, 1281).role is Role.MENTION  # "(onderdeel van Logius)"


def test_minister_is_never_linked() -> None:
    assert not [link for link in links() if link.actor == "minister-bzk"]


def test_ictu_flitspanel_is_for_2024_only() -> None:
    link = find("ictu", BEGROTING, 1241, Role.RECIPIENT)
    assert link.path == (ONDERDEEL, ZBO, "POK - Ambtelijk Vakmanschap")
    assert link.years == (2024,)


def test_flexibility_text_gives_instrument_links() -> None:
    instrument_links = {
        (link.actor, link.path, link.evidence.line)
        for link in links()
        if link.scope is LinkScope.INSTRUMENT and link.role is Role.RECIPIENT
    }
    assert instrument_links == {
        ("ictu", (ZBO,), 1137),
        ("saip", (ZBO,), 1137),
        ("caop", (SUBSIDIES,), 1141),
        ("ipse", (SUBSIDIES,), 1143),
        ("i-vakmanschap", (AGENTSCHAPPEN,), 1147),
        ("ssc-ict", (AGENTSCHAPPEN,), 1147),
        ("koop", (AGENTSCHAPPEN,), 1147),
    }
    assert {
        link.years for link in links() if link.scope is LinkScope.INSTRUMENT
    } == {(2024,)}
    # "een subsidie voor de Waterschappen": voor, not aan.
    assert find("waterschappen", BEGROTING, 1143).role is Role.MENTION


def test_regeling_labels_that_name_an_actor() -> None:
    koop = find("koop", BEGROTING, 945)
    assert (koop.role, koop.path, koop.evidence.quote) == (
        Role.RECIPIENT, (ONDERDEEL, AGENTSCHAPPEN, "KOOP"), "KOOP"
    )
    logius = find("logius", BEGROTING, 963)
    assert (logius.role, logius.path) == (Role.RECIPIENT, (ONDERDEEL, AGENTSCHAPPEN, "Logius"))
    saip = find("saip", BEGROTING, 1071)
    assert saip.role is Role.RECIPIENT
    assert saip.path == ("7.2 Pensioenen en uitkeringen", ZBO,
                         "Stichting Administratie Indonesische Pensioenen")
    # The narrative of the O&P Rijk line pays RODI from 2024 on: for those years the label's
    # actor is only a mention; for 2022 and 2023, which the narrative does not cover, the
    # label still names the recipient.
    op_line = (ONDERDEEL, AGENTSCHAPPEN, "O&P Rijk (arbeidsmarkt communicatie)")
    paid = find("op-rijk", BEGROTING, 819, Role.RECIPIENT)
    named = find("op-rijk", BEGROTING, 819, Role.MENTION)
    assert (paid.path, paid.years) == (op_line, (2022, 2023))
    assert (named.path, named.years) == (op_line, BEGROTING_YEARS)
    rodi = find("rodi", BEGROTING, 1269, Role.RECIPIENT)
    assert (rodi.path, rodi.years) == (op_line, BEGROTING_YEARS)


def test_other_begroting_recipients() -> None:
    expected = {
        ("vom", 1155, (ONDERDEEL, SUBSIDIES, "Diverse subsidies")),
        ("eipa", 1155, (ONDERDEEL, SUBSIDIES, "Diverse subsidies")),
        ("radboud", 1163, (ONDERDEEL, SUBSIDIES, "POK - Leiderschap, diversiteit en inclusie")),
        ("waterschappen", 1171,
         (ONDERDEEL, SUBSIDIES, "Compensatie Waterschappen Woo (structureel)")),
        ("ictu", 1247, (ONDERDEEL, ZBO, "Werkgeversbeleid")),
        ("ictu", 1253, (ONDERDEEL, ZBO, "POK - Staat van de Uitvoering")),
        ("waterschappen", 1259,
         (ONDERDEEL, "Bijdrage aan medeoverheden", "Compensatie Waterschappen Woo (incidenteel)")),
        ("rodi", 1265, (ONDERDEEL, AGENTSCHAPPEN, "POK - Ambtelijk Vakmanschap")),
        ("op-rijk", 1273, (ONDERDEEL, AGENTSCHAPPEN, "POK- Leiderschap, diversiteit en inclusie")),
        ("koop", 1281, (ONDERDEEL, AGENTSCHAPPEN, "KOOP")),
        ("saip", 1289, ("7.2 Pensioenen en uitkeringen", ZBO,
                        "Stichting Administratie Indonesische Pensioenen")),
    }
    for actor, line, path in expected:
        assert find(actor, BEGROTING, line, Role.RECIPIENT).path == path
    assert find("radboud", BEGROTING, 1163).years == (2022, 2023, 2024, 2025, 2026)


def test_jaarverslag_links_in_full() -> None:
    got = {
        (link.actor, link.role, link.scope, link.evidence.line, link.years)
        for link in links() if link.evidence.document == JAARVERSLAG
    }
    assert got == {
        ("tno", Role.RECIPIENT, LinkScope.UNRESOLVED, 3, (2022,)),
        ("veiligheidsregios", Role.MENTION, LinkScope.LINE, 23, (2022,)),
        ("ictu", Role.RECIPIENT, LinkScope.LINE, 35, (2022,)),
        ("ictu", Role.RECIPIENT, LinkScope.LINE, 39, (2022,)),
        ("ictu", Role.MENTION, LinkScope.LINE, 45, (2022,)),
        ("cbs", Role.RECIPIENT, LinkScope.LINE, 48, (2022,)),
    }
    # "een gedragsdeskundig bureau" stays unknown: nothing from line 1.


def test_quotes_are_dehyphenated_sentences() -> None:
    quotes = [link.evidence.quote for link in links() if link.evidence.document == JAARVERSLAG]
    veiligheid = next(q for q in quotes if "veiligheidsregio’s" in q)
    assert "per veiligheidsregio, om" in veiligheid
    assert all("\n" not in q for q in quotes)


def test_extract_links_for_one_document() -> None:
    documents = {d.id: d for d in bundled_documents()}
    begroting = documents[BEGROTING]
    tables = read_budget_tables(begroting, read_lines(begroting.path))
    jaarverslag = documents[JAARVERSLAG]
    result = extract_links(jaarverslag, read_lines(jaarverslag.path), tables, REGISTER)
    assert [link.evidence.line for link in result] == [3, 23, 35, 39, 45, 48]
    # Without tables nothing resolves to a line, but the roles stay.
    bare = extract_links(jaarverslag, read_lines(jaarverslag.path), [], REGISTER)
    assert {link.scope for link in bare} == {LinkScope.UNRESOLVED}
    assert [link.role for link in bare] == [link.role for link in result]


# --- sentence rules on small texts -----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Aan stichting ICTU is een bijdrage verstrekt voor het dashboard.",
         [("ictu", Role.RECIPIENT, None)]),
        ("Daarnaast is een opdracht gegund aan TNO voor een advies.",
         [("tno", Role.RECIPIENT, None)]),
        ("Er worden subsidies verstrekt, o.a. aan de VOM en het EIPA.",
         [("vom", Role.RECIPIENT, None), ("eipa", Role.RECIPIENT, None)]),
        ("De VNG, het IPO en het Waterschapshuis ontvangen een subsidie.",
         [("vng", Role.RECIPIENT, None), ("ipo", Role.RECIPIENT, None),
          ("waterschapshuis", Role.RECIPIENT, None)]),
        ("Het Kennis- en exploitatiecentrum Officiële Overheidspublicaties (onderdeel van "
         "Logius) ontvangt een bijdrage.",
         [("koop", Role.RECIPIENT, None), ("logius", Role.MENTION, None)]),
        ("Daartoe ontvangt de Stichting ICTU een bijdrage van het ministerie van BZK voor "
         "een programma dat door IPSE-Studies uitgevoerd wordt.",
         [("ictu", Role.RECIPIENT, None), ("ipse", Role.PASSED_ON, "ictu")]),
        ("Het beleid wordt gemonitord in samenwerking met het CBS.",
         [("cbs", Role.MENTION, None)]),
        ("Ondersteuning na doorverwijzing door het Huis voor klokkenluiders.",
         [("huis-klokkenluiders", Role.MENTION, None)]),
        ("Het kabinet heeft besloten de veiligheidsregio’s capaciteit toe te zeggen.",
         [("veiligheidsregios", Role.MENTION, None)]),
        ("In 2022 is een opdracht gegund aan een gedragsdeskundig bureau.", []),
        ("De minister van BZK verstrekt een bijdrage aan de minister van BZK.", []),
        ("Een bijdrage aan de gemeenten van de VNG en het IPO.",
         [("vng", Role.MENTION, None), ("ipo", Role.MENTION, None)]),
    ],
)
def test_sentence_roles(sentence: str, expected: list[tuple[str, Role, str | None]]) -> None:
    assert sentence_roles(sentence, REGISTER) == expected


@pytest.mark.parametrize(
    ("sentence", "payment"),
    [
        ("De Radboud Universiteit ontvangt een subsidie.", True),
        ("Dit betreft de bijdrage aan de SAIP.", True),
        ("Er worden opdrachten verstrekt voor een campagne.", True),
        ("De middelen worden aan de waterschappen verstrekt.", True),
        ("Het beleid wordt gemonitord in samenwerking met het CBS.", False),
        ("Tot slot beheert ICTU ook enkele onderzoekspanels.", False),
        ("Dit betreft opdrachten voor juridische ondersteuning.", False),
    ],
)
def test_payment_sentences(sentence: str, payment: bool) -> None:
    assert is_payment_sentence(sentence) is payment


@pytest.mark.parametrize(
    ("sentence", "years"),
    [
        ("In 2024 wordt een bijdrage verstrekt aan ICTU.", (2024,)),
        ("ontvangen over de periode 2022-2026 een subsidie", tuple(range(2022, 2027))),
        ("een meerjarig onderzoeksproject (2022 - medio 2026) met", tuple(range(2022, 2027))),
        ("van 2023 tot en met 2025", (2023, 2024, 2025)),
        ("vanaf 2026 een bijdrage", (2026, 2027, 2028)),
        ("in 2023 en 2024 een bijdrage", (2023, 2024)),
        ("invulling aan de I-Strategie Rijk 2021-2025", ()),  # a name, not a period
        ("Er wordt een bijdrage verstrekt aan RODI.", ()),
    ],
)
def test_years_said(sentence: str, years: tuple[int, ...]) -> None:
    assert years_said(sentence, 2028) == years


@given(st.integers(1990, 2090), st.integers(0, 10), st.sampled_from(["-", " - ", "–", " t/m "]))
def test_periods_are_inclusive_ranges(first: int, length: int, dash: str) -> None:
    last = min(first + length, 2099)
    assert years_said(f"over de periode {first}{dash}{last} een subsidie") == tuple(
        range(first, last + 1)
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Only the subject of the clause with the verb receives.
        ("Het CBS levert gegevens, en de VNG ontvangt een bijdrage.",
         [("cbs", Role.MENTION, None), ("vng", Role.RECIPIENT, None)]),
        ("Naast ICTU ontvangt ook de VNG een bijdrage.",
         [("ictu", Role.MENTION, None), ("vng", Role.RECIPIENT, None)]),
        ("Daartoe ontvangen de VNG en het IPO een subsidie.",
         [("vng", Role.RECIPIENT, None), ("ipo", Role.RECIPIENT, None)]),
    ],
)
def test_subject_of_the_receiving_clause(
    sentence: str, expected: list[tuple[str, Role, str | None]]
) -> None:
    assert sentence_roles(sentence, REGISTER) == expected


def test_o_a_marks_a_list_of_recipients_as_not_all_of_them() -> None:
    vom = find("vom", BEGROTING, 1155, Role.RECIPIENT)
    assert vom.non_exhaustive and vom.path[-1] == "Diverse subsidies"
    assert not find("caop", BEGROTING, 1159, Role.RECIPIENT).non_exhaustive


def test_the_label_names_the_recipient_for_every_year_of_the_table() -> None:
    assert find("logius", BEGROTING, 963, Role.RECIPIENT).years == ALL_YEARS


def test_a_year_said_in_passing_stays_within_the_table() -> None:
    begroting = next(d for d in bundled_documents() if d.id == BEGROTING)
    lines = read_lines(begroting.path)
    at = 1288  # line 1289, the SAIP paragraph, rewritten
    lines[at] = ("De Stichting ICTU ontvangt een bijdrage voor het programma dat in 2019 is "
                 "gestart.")
    tables = read_budget_tables(begroting, lines)
    links = extract_links(begroting, lines, tables, ActorRegister.load())
    (ictu,) = [lk for lk in links if lk.actor == "ictu" and lk.evidence.line == at + 1]
    assert ictu.role is Role.RECIPIENT and ictu.years == BEGROTING_YEARS


@pytest.mark.parametrize("word", ["lening", "specifieke uitkering", "vergoeding"])
def test_other_instruments_pay_too(word: str) -> None:
    roles = sentence_roles(f"Er wordt een {word} verstrekt aan ICTU.", ActorRegister.load())
    assert roles == [("ictu", Role.RECIPIENT, None)]
