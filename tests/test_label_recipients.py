"""Recipients named by an open-data line's own label (graph/label_recipients.py), and the
rule of money two sources show (graph/same_money.py). Labels are the files' own
(zcat core/data/minfin/budgettaire-tabellen/...; line numbers count the header as 1)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geldstroom.graph.build import payers
from geldstroom.graph.label_recipients import (
    LabelLinking,
    label_findings,
    link_labels,
    names_no_organisation,
    pays_an_organisation,
)
from geldstroom.graph.same_money import counted_once, money_kind_of_instrument
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.model import (
    UNNAMED_MINISTRIES,
    BudgetLine,
    FindingKind,
    OpenDataset,
    Side,
    SourceRow,
)

OWB_2017 = "budgettaire_tabellen_owb_2017_origineel.csv"


@pytest.fixture(scope="module")
def register() -> ActorRegister:
    return ActorRegister.load()


def _link(register: ActorRegister, hoofdstuk: str, instrument: str, label: str,
          row: int, detail: str | None = None) -> tuple[BudgetLine, LabelLinking]:
    ministers = payers(list(register.actors))
    line = BudgetLine(hoofdstuk=hoofdstuk, artikel="1", side=Side.UITGAVEN,
                      instrument=instrument, line=label or None, detail=detail)
    rows = {line: [SourceRow(dataset=OpenDataset.BUDGETTAIRE_TABELLEN, file=OWB_2017,
                             line=row)]}

    def ministry_of(code: str) -> str | None:
        return register.get(ministers[code]).ministry if code in ministers else None

    return line, link_labels(rows, register, ministry_of, ministers.get)


def _actors(linking: LabelLinking, line: BudgetLine) -> set[str]:
    return {link.actor for link in linking.recipients(line)}


@pytest.mark.parametrize(("hoofdstuk", "instrument", "label", "row", "actor"), [
    # owb 2017:2637: VII 7, "...(SAIP)", t-2 = 14,101
    ("VII", "Bijdrage aan ZBO's/RWT's", "Regelingen voor Nederlandse ambtenaren uit de "
     "voormalige overzeese gebiedsdelen (SAIP)", 2637, "saip"),
    ("VII", "Bijdrage aan agentschappen", "Agentschap Logius", 2601, "logius"),
    ("XIII", "Bijdrage aan agentschappen", "Bijdrage Logius", 1440, "logius"),
    ("VII", "Bijdrage aan agentschappen", "Aanpak fraudebestrijding (Logius)", 2589, "logius"),
    # the name before its parenthesised abbreviation names it, not the abbreviation alone
    # (SBB is also Staatsbosbeheer, EZ's own ZBO)
    ("XIII", "Bijdrage aan ZBO's/RWT's", "Stichting Samenwerking Beroepsonderwijs "
     "Bedrijfsleven (SBB) voorheen Aequor", 1, "samenwerking-beroepsonderwijs-bedrijfsleven"),
])
def test_a_label_names_its_recipient(register: ActorRegister, hoofdstuk: str,
                                     instrument: str, label: str, row: int,
                                     actor: str) -> None:
    line, linking = _link(register, hoofdstuk, instrument, label, row)
    assert _actors(linking, line) == {actor}
    (link,) = linking.recipients(line)
    assert link.evidence == (f"{OWB_2017}:{row}",)
    assert link.quote == f"{OWB_2017}:{row}: {label}"


@pytest.mark.parametrize(("instrument", "label"), [
    ("Bijdrage aan agentschappen", "03 Bijdrage aan agentschappen"),  # owb 2017:1227 (XII)
    ("Bijdragen aan medeoverheden", "Overig"),
    ("Bekostiging", "Diverse subsidies"),
    # what follows "excl." or "m.u.v." is not paid: owb 2016, XIII 'TO2 (excl. TNO)'
    ("Bijdragen (inter)nationale organisaties", "TO2 (excl. TNO)"),
    ("Bijdragen (inter)nationale organisaties", "Organisaties conform tabel 6.5 m.u.v. NVAO, "
     "SKI 123, PBT en SURF"),
])
def test_a_label_naming_no_organisation_stays_unattributed(
        register: ActorRegister, instrument: str, label: str) -> None:
    line, linking = _link(register, "XIII", instrument, label, 1)
    assert linking.recipients(line) == ()
    assert [u.line for u in linking.unattributed] == [line]


def test_a_word_of_a_compound_is_not_a_name(register: ActorRegister) -> None:
    # owb 2017 XVI: "CIBG: Bijdrage voor onder andere UZI-register, BIG-register en SVB-Z"
    # is the CIBG's, not the SVB's (SVB-Z is a register the CIBG keeps)
    line, linking = _link(register, "XVI", "Bijdrage aan agentschappen",
                          "CIBG: Bijdrage voor onder andere UZI-register, BIG-register en "
                          "SVB-Z", 1)
    assert "sociale-verzekeringsbank" not in _actors(linking, line)


def test_a_shared_abbreviation_is_resolved_by_the_paying_ministry_or_not_at_all(
        register: ActorRegister) -> None:
    # owb 2017:536: VIII (OCW) Bijdrage aan ZBO's/RWT's "SBB": two registered SBBs belong
    # to OCW, Staatsbosbeheer to EZ: not resolved, reported with its candidates
    line, linking = _link(register, "VIII", "Bijdrage aan ZBO's/RWT's", "", 536,
                          detail="SBB")
    assert linking.recipients(line) == ()
    (unresolved,) = linking.ambiguous
    assert unresolved.form == "SBB"
    assert set(unresolved.candidates) == {
        "samenwerking-beroepsonderwijs-bedrijfsleven",
        "samenwerkingsorganisatie-beroepsonderwijs-bedrijfsleven", "staatsbosbeheer"}
    (finding,) = label_findings(linking)
    assert (finding.finding, finding.file, finding.line) == (
        FindingKind.AMBIGUOUS_RECIPIENT, OWB_2017, 536)
    # the same form paid by EZ (XIII), the one ministry with one SBB of its own
    line, linking = _link(register, "XIII", "Bijdrage aan ZBO's/RWT's", "Bijdrage aan SBB", 1)
    assert _actors(linking, line) == {"staatsbosbeheer"}
    assert "paying ministry" in linking.recipients(line)[0].how


def test_lines_of_other_instruments_are_not_read(register: ActorRegister) -> None:
    line, linking = _link(register, "VII", "Subsidies", "Agentschap Logius", 1)
    assert linking.recipients(line) == () and not linking.unattributed
    assert not pays_an_organisation("Opdrachten")
    for written in ("Bijdragen aan ZBO’s /RWT’s", "BIJDRAGE BATENLASTENDIENSTEN",
                    "Bijdrage aan mede-overheden", "Bijdragen (inter) nationale organisaties",
                    "Bekostiging", "Bijdragen aan andere begrotingshoofdstukken"):
        assert pays_an_organisation(written), written


@given(st.lists(st.sampled_from(["Overig", "overige", "Diverse", "subsidies", "Bijdrage",
                                 "aan", "agentschappen", "ZBO's", "RWT's", "03", "12", "-"]),
                min_size=1, max_size=6))
def test_generic_words_alone_name_no_organisation(words: list[str]) -> None:
    assert names_no_organisation(" ".join(words))


@dataclass(frozen=True)
class _Flow:
    year: int
    euros: int
    hoofdstuk: str
    instrument: str
    recipients: tuple[str, ...]
    stated: bool = False
    line_id: str = "line"
    document: str = OWB_2017
    source_line: int = 1
    shared: bool = False


@dataclass(frozen=True)
class _Stated:
    recipient: str
    year: int
    euros: int
    hoofdstuk: str
    document: str
    source_line: int


def test_agency_turnover_counts_and_the_lines_naming_it_are_not_added() -> None:
    # agentschappen.csv:257: Logius 2015, omzet moeder departement (VII) 88.599, overige
    # departementen 51.249 (x 1.000); owb 2017:2591 and :2601 (VII 6, "Agentschap Logius",
    # t-2 5,209 and 75,009), owb 2017:1440 (XIII 2, "Bijdrage Logius", 2,158)
    kinds = {"agentschappen.csv": OpenDataset.AGENTSCHAPPEN}.get
    stated = [_Stated("logius", 2015, 88_599_000, "VII", "agentschappen.csv", 257),
              _Stated("logius", 2015, 51_249_000, UNNAMED_MINISTRIES, "agentschappen.csv",
                      257)]
    lines = [_Flow(2015, 5_209_000, "VII", "Bijdrage aan agentschappen", ("logius",),
                   source_line=2591),
             _Flow(2015, 75_009_000, "VII", "Bijdrage aan agentschappen", ("logius",),
                   source_line=2601),
             _Flow(2015, 2_158_000, "XIII", "Bijdrage aan agentschappen", ("logius",),
                   source_line=1440),
             _Flow(2016, 79_935_000, "VII", "Bijdrage aan agentschappen", ("logius",),
                   source_line=2601)]
    result = counted_once("logius", lines, stated, kinds)
    assert [f.year for f in result.lines] == [2016]  # no stated amount for 2016: it counts
    assert sum(s.euros for s in result.stated) == 139_848_000
    mother, others = result.same_money
    assert (mother.payer, mother.stated_euros, mother.line_euros,
            mother.difference_euros) == ("VII", 88_599_000, 80_218_000, -8_381_000)
    assert (others.payer, others.line_euros) == (UNNAMED_MINISTRIES, 2_158_000)


def test_other_money_of_the_same_payer_is_not_the_same_money() -> None:
    # a subsidy to an agency is no turnover line; a shared line is never its alone
    kinds = {"agentschappen.csv": OpenDataset.AGENTSCHAPPEN}.get
    stated = [_Stated("logius", 2015, 88_599_000, "VII", "agentschappen.csv", 257)]
    lines = [_Flow(2015, 1_000, "VII", "Subsidies", ("logius",)),
             _Flow(2015, 2_000, "VII", "Bijdrage aan agentschappen", ("logius", "ictu"),
                   shared=True)]
    result = counted_once("logius", lines, stated, kinds)
    assert len(result.lines) == 2 and result.same_money == ()
    assert money_kind_of_instrument("Bijdragen aan baten-lastenagentschappen") is (
        OpenDataset.AGENTSCHAPPEN)
