"""Narrative structure of the two seed forms, checked against the seed texts by hand."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geldstroom.loaders.documents.budget_table import read_budget_tables
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.loaders.documents.narrative import (
    Block,
    HeadingKind,
    Narrative,
    best_matches,
    label_key,
    pdf_blocks,
    read_narrative,
    split_sentences,
    web_blocks,
)
from geldstroom.loaders.files import read_lines
from geldstroom.model import (
    Amount,
    BudgetRow,
    BudgetTable,
    Document,
    DocumentKind,
    LinkScope,
    Provenance,
    RowLevel,
    Stage,
)

BEGROTING = "VII/begroting-2024/001_1ef586f7da9213de.txt"
JAARVERSLAG = "VII/jaarverslag-2022/000_18b475cc328f5857.txt"
ONDERDEEL = "7.1 Werkgevers- en bedrijfsvoeringsbeleid"
ZBO = "Bijdrage aan ZBO's/RWT's"


@cache
def seeds() -> dict[str, tuple[Document, list[str]]]:
    return {d.id: (d, read_lines(d.path)) for d in bundled_documents()}


@cache
def seed_tables() -> tuple[BudgetTable, ...]:
    document, lines = seeds()[BEGROTING]
    return tuple(read_budget_tables(document, lines))


@cache
def narrative(document_id: str) -> Narrative:
    document, lines = seeds()[document_id]
    return read_narrative(document, lines, seed_tables())


def heading_at(document_id: str, line: int):
    return next(h for h in narrative(document_id).headings if h.line == line)


def paragraph_at(document_id: str, line: int):
    return next(p for p in narrative(document_id).paragraphs if p.line == line)


# --- PDF form --------------------------------------------------------------------------


def test_pdf_words_broken_across_lines_are_joined() -> None:
    text = " ".join(p.text for p in narrative(JAARVERSLAG).paragraphs)
    assert "organiseren van ondersteuning van klokkenluiders" in text  # onder\nsteuning
    assert "per veiligheidsregio, om te ondersteunen" in text  # veiligheids\nregio
    assert "ondersteuningsvoorzieningen" in text
    assert "belangrijkste doel" in text
    assert "crisisstructuur" in text
    assert "onder steuning" not in text and "onder\nsteuning" not in text


def test_pdf_footer_is_gone() -> None:
    blocks = pdf_blocks(seeds()[JAARVERSLAG][1])
    assert all("Tweede Kamer" not in block.text for block in blocks)
    assert blocks[-1].text == (
        "Het Centraal Bureau voor Statistiek (CBS) heeft een bijdrage ontvangen voor "
        "het onderhoud van het WNT-register."
    )


def test_pdf_blocks_and_headings() -> None:
    headings = [(h.line, h.text, h.kind) for h in narrative(JAARVERSLAG).headings]
    assert headings == [
        (6, "POK - Ondersteuning van melders van misstanden", HeadingKind.REGELING),
        (16, "Personele inzet crisisopvang", HeadingKind.REGELING),
        (33, ZBO, HeadingKind.INSTRUMENT),
        (34, "Bedrijfsvoeringsbeleid", HeadingKind.REGELING),
        (38, "Werkgeversbeleid", HeadingKind.REGELING),
    ]
    # A line ending without a space before an uppercase start ends the paragraph.
    assert [p.line for p in narrative(JAARVERSLAG).paragraphs] == [1, 7, 17, 35, 39, 45, 48]


def test_pdf_sentences_start_on_their_own_lines() -> None:
    sentences = [s for p in narrative(JAARVERSLAG).paragraphs for s in p.sentences]
    by_line = {s.line: s.text for s in sentences}
    assert by_line[3].startswith("Daarnaast is een opdracht gegund aan TNO")
    assert by_line[23].startswith("Het kabinet heeft besloten de veiligheidsregio’s")
    assert by_line[39].startswith("De stichting ICTU ontvangt jaarlijks een bijdrage")
    assert by_line[48].startswith("Het Centraal Bureau voor Statistiek (CBS)")


def test_pdf_join_rules_on_a_small_text() -> None:
    lines = ["Een zin die ", "doorloopt en een woord dat breekt: onder", "steuning.",
             "Kop", "Nog een zin.", "Tweede Kamer, vergaderjaar 2022–2023, 36 360 VII, nr. 1 9"]
    blocks = pdf_blocks(lines)
    assert [(b.line, b.text) for b in blocks] == [
        (1, "Een zin die doorloopt en een woord dat breekt: ondersteuning."),
        (4, "Kop"),
        (5, "Nog een zin."),
    ]
    assert blocks[0].line_at(len("Een zin die d")) == 2


# --- jaarverslag headings against the begroting's table ---------------------------------


def test_jaarverslag_starts_mid_section_unresolved() -> None:
    first = paragraph_at(JAARVERSLAG, 1)
    assert (first.scope, first.path, first.headings) == (LinkScope.UNRESOLVED, (), ())


def test_ambiguous_regeling_without_instrument_stays_unresolved() -> None:
    # The label exists under Opdrachten and under Bijdrage aan ZBO's/RWT's.
    assert heading_at(JAARVERSLAG, 6).path == ()
    paragraph = paragraph_at(JAARVERSLAG, 7)
    assert paragraph.scope is LinkScope.UNRESOLVED
    assert paragraph.headings == ("POK - Ondersteuning van melders van misstanden",)


def test_unique_regeling_without_instrument_resolves() -> None:
    paragraph = paragraph_at(JAARVERSLAG, 17)
    assert paragraph.scope is LinkScope.LINE
    assert paragraph.path == (ONDERDEEL, "Opdrachten", "Personele inzet crisisopvang")


def test_jaarverslag_zbo_lines() -> None:
    assert paragraph_at(JAARVERSLAG, 35).path == (ONDERDEEL, ZBO, "Bedrijfsvoeringsbeleid")
    for line in (39, 45, 48):
        paragraph = paragraph_at(JAARVERSLAG, line)
        assert paragraph.path == (ONDERDEEL, ZBO, "Werkgeversbeleid")
        assert paragraph.headings == (ZBO, "Werkgeversbeleid")


def test_tables_of_another_artikel_are_not_used() -> None:
    document, lines = seeds()[JAARVERSLAG]
    other = document.model_copy(update={"artikel": "8"})
    result = read_narrative(other, lines, seed_tables())
    assert all(p.scope is not LinkScope.LINE for p in result.paragraphs)


# --- web form --------------------------------------------------------------------------


def test_web_chrome_and_tables_are_dropped() -> None:
    blocks = web_blocks(seeds()[BEGROTING][1])
    assert blocks[0].line == 3 and blocks[0].text.startswith("3.7 Artikel 7")
    lines = {block.line for block in blocks}
    assert not lines & set(range(77, 1108))  # Tabel 25 through Ontvangsten's amounts
    assert not lines & set(range(1110, 1131))  # Tabel 26: label/percentage pairs
    assert {1108, 1131, 1133} <= lines
    assert all(not block.text.startswith("Tabel ") for block in blocks)


def test_web_licence_and_header_are_dropped() -> None:
    lines = ["Base description which applies to whole site", "", "Kop", " ", "Een zin.", "",
             "Licence"]
    assert [(b.line, b.text) for b in web_blocks(lines)] == [(3, "Kop"), (5, "Een zin.")]


@pytest.mark.parametrize(
    ("line", "kind", "path"),
    [
        (3, HeadingKind.SECTION, ()),
        (1108, HeadingKind.SECTION, ()),
        (1131, HeadingKind.SECTION, ()),
        (1135, HeadingKind.INSTRUMENT, (ZBO,)),
        (1139, HeadingKind.INSTRUMENT, ("Subsidies (regelingen)",)),
        (1149, HeadingKind.ARTIKELONDERDEEL, (ONDERDEEL,)),
        (1161, HeadingKind.REGELING,
         (ONDERDEEL, "Subsidies (regelingen)", "POK - Leiderschap, diversiteit en inclusie")),
        (1177, HeadingKind.TOPIC, ()),  # I-strategie Rijk 2021-2025
        (1183, HeadingKind.TOPIC, ()),  # Duurzaam bedrijfsvoeringsbeleid: not the line
        (1193, HeadingKind.TOPIC, ()),
        (1197, HeadingKind.REGELING, (ONDERDEEL, "Opdrachten", "Kwaliteit Management Rijksdienst")),
        (1203, HeadingKind.TOPIC, ()),  # Integriteit
        (1223, HeadingKind.REGELING,
         (ONDERDEEL, "Opdrachten", "POK- Leiderschap, diversiteit en inclusie")),
        (1239, HeadingKind.REGELING, (ONDERDEEL, ZBO, "POK - Ambtelijk Vakmanschap")),
        (1257, HeadingKind.REGELING,
         (ONDERDEEL, "Bijdrage aan medeoverheden", "Compensatie Waterschappen Woo (incidenteel)")),
        (1263, HeadingKind.REGELING,
         (ONDERDEEL, "Bijdrage aan agentschappen", "POK - Ambtelijk Vakmanschap")),
        (1267, HeadingKind.REGELING,
         (ONDERDEEL, "Bijdrage aan agentschappen", "O&P Rijk (arbeidsmarkt communicatie)")),
        (1279, HeadingKind.REGELING, (ONDERDEEL, "Bijdrage aan agentschappen", "KOOP")),
        (1283, HeadingKind.ARTIKELONDERDEEL, ("7.2 Pensioenen en uitkeringen",)),
        (1287, HeadingKind.REGELING,
         ("7.2 Pensioenen en uitkeringen", ZBO, "Stichting Administratie Indonesische Pensioenen")),
    ],
)
def test_begroting_headings(line: int, kind: HeadingKind, path: tuple[str, ...]) -> None:
    heading = heading_at(BEGROTING, line)
    assert (heading.kind, heading.path) == (kind, path)


def test_flexibility_text_is_instrument_level() -> None:
    paragraph = paragraph_at(BEGROTING, 1137)
    assert (paragraph.scope, paragraph.path) == (LinkScope.INSTRUMENT, (ZBO,))
    assert paragraph.headings == ("Juridisch verplicht", "Bijdrage aan ZBO/RWT's")
    assert paragraph_at(BEGROTING, 1143).path == ("Subsidies (regelingen)",)
    assert paragraph_at(BEGROTING, 1147).path == ("Bijdrage aan agentschappen",)
    assert paragraph_at(BEGROTING, 1133).scope is LinkScope.UNRESOLVED


def test_begroting_paragraph_paths() -> None:
    overleg = paragraph_at(BEGROTING, 1159)
    assert overleg.scope is LinkScope.LINE
    assert overleg.path == (ONDERDEEL, "Subsidies (regelingen)", "Overlegstelsel")
    # A sub-topic keeps the line of the regeling above it.
    integriteit = paragraph_at(BEGROTING, 1205)
    assert integriteit.path == (ONDERDEEL, "Opdrachten", "Werkgeversbeleid")
    assert integriteit.headings[-2:] == ("Werkgeversbeleid", "Integriteit")
    assert paragraph_at(BEGROTING, 5).scope is LinkScope.UNRESOLVED


def test_sentences_do_not_break_at_abbreviations() -> None:
    [sentence] = paragraph_at(BEGROTING, 1155).sentences
    assert "o.a. aan de Vereniging voor Overheidsmanagement (VOM)" in sentence.text
    first = paragraph_at(BEGROTING, 75).sentences[0].text
    assert first.endswith("(Kamerstukken II 2021/22, 26643, nr. 842) zijn de ambitie en doelen "
                          "van het kabinet voor de digitale transitie van onze samenleving en "
                          "economie geschetst.")
    assert len(paragraph_at(BEGROTING, 75).sentences) == 4
    assert [s.line for s in paragraph_at(BEGROTING, 1159).sentences] == [1159] * 3


def test_split_sentences_small() -> None:
    block = Block("Eén zin, o.a. aan X. Twee, zie nr. 5. Drie bijv. hier! Vier", 1, ((0, 1),))
    assert [s.text for s in split_sentences(block)] == [
        "Eén zin, o.a. aan X.", "Twee, zie nr. 5.", "Drie bijv. hier!", "Vier"
    ]


# --- label matching --------------------------------------------------------------------


def _row(label: str, instrument: str = "Subsidies (regelingen)") -> BudgetRow:
    return BudgetRow(
        level=RowLevel.REGELING,
        label=label,
        path=(ONDERDEEL, instrument, label),
        amounts=(Amount(year=2024, euros=0, stage=Stage.ONTWERPBEGROTING, line=2),),
        provenance=Provenance(document="t", line=1, quote=label),
    )


@pytest.mark.parametrize(
    ("heading", "labels", "expected"),
    [
        ("POK Leiderschap, Diversiteit en Inclusie",
         ["POK - Leiderschap, diversiteit en inclusie", "Overlegstelsel"],
         ["POK - Leiderschap, diversiteit en inclusie"]),
        ("POK – Ambtelijk vakmanschap", ["POK - Ambtelijk Vakmanschap"],
         ["POK - Ambtelijk Vakmanschap"]),
        ("Organisatie en Personeel Rijk (O&P Rijk) (arbeidsmarkt communicatie)",
         ["O&P Rijk (arbeidsmarkt communicatie)", "I-Functie Rijk", "KOOP"],
         ["O&P Rijk (arbeidsmarkt communicatie)"]),
        ("Stichting Administratie Indonesische Pensioenen (SAIP)",
         ["Stichting Administratie Indonesische Pensioenen"],
         ["Stichting Administratie Indonesische Pensioenen"]),
        ("Compensatie Waterschappen Woo", ["Compensatie Waterschappen Woo (incidenteel)"],
         ["Compensatie Waterschappen Woo (incidenteel)"]),
        # Two candidates fit equally well: ambiguous, both returned.
        ("Compensatie Waterschappen Woo",
         ["Compensatie Waterschappen Woo (incidenteel)",
          "Compensatie Waterschappen Woo (structureel)"],
         ["Compensatie Waterschappen Woo (incidenteel)",
          "Compensatie Waterschappen Woo (structureel)"]),
        ("Duurzaam bedrijfsvoeringsbeleid", ["Bedrijfsvoeringsbeleid"], []),
        ("Integriteit", ["Werkgeversbeleid", "Informatiehuishouding"], []),
    ],
)
def test_best_matches(heading: str, labels: list[str], expected: list[str]) -> None:
    assert [row.label for row in best_matches(heading, [_row(x) for x in labels])] == expected


def _table(rows: list[BudgetRow]) -> BudgetTable:
    amounts = (Amount(year=2024, euros=0, stage=Stage.ONTWERPBEGROTING, line=2),)
    by_instrument: dict[str, list[BudgetRow]] = {}
    for row in rows:
        by_instrument.setdefault(row.path[1], []).append(row)
    instruments = tuple(
        BudgetRow(level=RowLevel.INSTRUMENT, label=name, path=(ONDERDEEL, name),
                  amounts=amounts, provenance=Provenance(document="t", line=1),
                  children=tuple(children))
        for name, children in by_instrument.items()
    )
    onderdeel = BudgetRow(level=RowLevel.ARTIKELONDERDEEL, label=ONDERDEEL.split(" ", 1)[1],
                          code="7.1", path=(ONDERDEEL,), amounts=amounts,
                          provenance=Provenance(document="t", line=1), children=instruments)
    uitgaven = BudgetRow(level=RowLevel.UITGAVEN, label="Uitgaven", path=(), amounts=amounts,
                         provenance=Provenance(document="t", line=1), children=(onderdeel,))
    return BudgetTable(document="t", hoofdstuk="VII", artikel="7", title="Tabel", years=(2024,),
                       uitgaven=uitgaven, provenance=Provenance(document="t", line=1))


def test_regeling_without_instrument_context_against_a_small_table() -> None:
    table = _table([_row("Werkgeversbeleid", "Opdrachten"), _row("Werkgeversbeleid", ZBO),
                    _row("Adviescollege ICT", "Opdrachten")])
    document = Document(id="j.txt", path="j.txt", title="j", kind=DocumentKind.JAARVERSLAG,
                        hoofdstuk="VII", year=2022, artikel="7", form="pdf")
    lines = ["Werkgeversbeleid", "Een zin.", "Adviescollege ICT", "Nog een zin.",
             ZBO, "Werkgeversbeleid", "Derde zin."]
    paragraphs = read_narrative(document, lines, [table]).paragraphs
    assert [(p.line, p.scope, p.path) for p in paragraphs] == [
        (2, LinkScope.UNRESOLVED, ()),
        (4, LinkScope.LINE, (ONDERDEEL, "Opdrachten", "Adviescollege ICT")),
        (7, LinkScope.LINE, (ONDERDEEL, ZBO, "Werkgeversbeleid")),
    ]


# --- label normalisation properties ----------------------------------------------------

_words = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéë&'", min_size=1, max_size=8),
                  min_size=1, max_size=5)


@given(st.text(max_size=60))
def test_label_key_is_idempotent(label: str) -> None:
    assert label_key(label_key(label)) == label_key(label)


@given(_words, st.sampled_from([" - ", "- ", " – ", " ", "  -  ", " —", "-"]), st.booleans())
def test_label_key_tolerates_dash_space_and_case(
    words: list[str], dash: str, upper: bool
) -> None:
    rest = " ".join(words)
    written = "POK" + dash + (rest.upper() if upper else rest)
    assert label_key(written) == label_key("POK - " + rest)


@given(_words, st.sampled_from([" - ", "- ", " – ", " "]))
def test_a_dash_variant_heading_finds_its_line(words: list[str], dash: str) -> None:
    label = "POK - " + " ".join(words)
    rows = [_row(label), _row("Overlegstelsel xyz")]
    assert [r.label for r in best_matches("POK" + dash + " ".join(words), rows)] == [label]
