"""The budget-table reader against the real Begroting 2024 artikel 7 table (Tabel 25)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import make_table, render

from geldstroom.errors import InputError
from geldstroom.loaders.documents.budget_table import read_budget_tables
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.loaders.files import read_lines
from geldstroom.model import BudgetTable, Document, DocumentKind, RowLevel, Stage

BEGROTING = "VII/begroting-2024/001_1ef586f7da9213de.txt"


@pytest.fixture(scope="module")
def begroting() -> Document:
    return next(d for d in bundled_documents() if d.id == BEGROTING)


@pytest.fixture(scope="module")
def table(begroting: Document) -> BudgetTable:
    tables = read_budget_tables(begroting, read_lines(begroting.path))
    assert len(tables) == 1
    return tables[0]


def find(table: BudgetTable, *path: str):
    matches = [r for r in table.rows() if r.path[-len(path):] == path]
    assert len(matches) == 1, (path, [r.path for r in matches])
    return matches[0]


def test_header_years_and_unit(table: BudgetTable) -> None:
    assert table.years == (2022, 2023, 2024, 2025, 2026, 2027, 2028)
    assert table.artikel == "7"
    assert table.unit_euros == 1000


def test_amounts_from_the_document(table: BudgetTable) -> None:
    overleg = find(table, "Subsidies (regelingen)", "Overlegstelsel")
    assert overleg.euros(2024) == 1_201_000
    werkgevers = find(table, "Bijdrage aan ZBO's/RWT's", "Werkgeversbeleid")
    assert werkgevers.euros(2022) == 1_650_000
    saip = find(table, "Stichting Administratie Indonesische Pensioenen")
    assert saip.euros(2028) == 3_638_000
    assert saip.path[0] == "7.2 Pensioenen en uitkeringen"
    assert table.uitgaven.euros(2024) == 86_189_000
    assert table.verplichtingen is not None and table.verplichtingen.euros(2022) == 107_601_000
    assert table.ontvangsten is not None and table.ontvangsten.euros(2022) == 2_186_000


def test_counts_of_each_level(table: BudgetTable) -> None:
    rows = table.rows()
    assert sum(r.level is RowLevel.ARTIKELONDERDEEL for r in rows) == 2
    assert sum(r.level is RowLevel.INSTRUMENT for r in rows) == 8
    # 43 regeling rows are in Tabel 25 (9+12+7+1+1+10+2 under 7.1, 1 under 7.2); all 56 rows
    # of the table are read.
    assert len(table.budget_lines()) == 43
    assert len(rows) == 56


def test_seed_reconciles_at_every_level(table: BudgetTable) -> None:
    assert table.mismatches == ()


def test_stage_and_provenance_of_each_amount(table: BudgetTable) -> None:
    overleg = find(table, "Subsidies (regelingen)", "Overlegstelsel")
    stages = {a.year: a.stage for a in overleg.amounts}
    assert stages[2022] is Stage.REALISATIE
    assert stages[2023] is Stage.VASTGESTELDE_BEGROTING
    assert stages[2024] is Stage.ONTWERPBEGROTING
    assert {stages[y] for y in (2025, 2026, 2027, 2028)} == {Stage.RAMING}
    assert overleg.provenance.line == 189
    assert [a.line for a in overleg.amounts] == [191, 193, 195, 197, 199, 201, 203]


def test_koop_and_logius_are_siblings_of_diverse_bijdragen(table: BudgetTable) -> None:
    agentschappen = find(table, "Bijdrage aan agentschappen")
    labels = [c.label for c in agentschappen.children]
    assert labels[-3:] == ["Diverse bijdragen", "KOOP", "Logius"]
    assert all(not c.children for c in agentschappen.children)


def test_same_regeling_name_under_several_instruments_stays_apart(table: BudgetTable) -> None:
    paths = [r.path for r in table.budget_lines() if r.label == "Bedrijfsvoeringsbeleid"]
    assert len(paths) == 5 and len(set(paths)) == 5


def test_budget_flexibility(table: BudgetTable) -> None:
    shares = {s.label: s.percent for s in table.flexibility}
    assert shares == {
        "juridisch verplicht": 26,
        "bestuurlijk gebonden": 57,
        "beleidsmatig gereserveerd": 13,
        "nog niet ingevuld/vrij te besteden": 4,
    }
    assert all(s.year == 2024 for s in table.flexibility)


def _edited(begroting: Document, tmp_path: Path, line: int, new: str | None) -> Document:
    lines = read_lines(begroting.path)
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    path = tmp_path / "edited.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return begroting.model_copy(update={"id": path.name, "path": str(path)})


def test_one_changed_amount_reports_exactly_that_mismatch(
    begroting: Document, tmp_path: Path
) -> None:
    assert read_lines(begroting.path)[194] == "1.201"  # Overlegstelsel 2024, line 195
    doc = _edited(begroting, tmp_path, 195, "1.202")
    (table,) = read_budget_tables(doc, read_lines(doc.path))
    assert len(table.mismatches) == 1
    mismatch = table.mismatches[0]
    assert mismatch.document == "edited.txt"
    assert mismatch.level is RowLevel.INSTRUMENT
    assert mismatch.label == "Subsidies (regelingen)"
    assert mismatch.year == 2024
    assert mismatch.line == 159  # the Subsidies 2024 total the parts no longer reach
    assert (mismatch.expected, mismatch.found) == (7_179_000, 7_180_000)


def test_changed_total_reports_its_own_level_and_the_one_above(
    begroting: Document, tmp_path: Path
) -> None:
    doc = _edited(begroting, tmp_path, 159, "7.180")  # Subsidies 2024 itself
    (table,) = read_budget_tables(doc, read_lines(doc.path))
    found = {(m.label, m.year, m.line, m.expected, m.found) for m in table.mismatches}
    assert found == {
        ("Subsidies (regelingen)", 2024, 159, 7_180_000, 7_179_000),
        ("7.1 Werkgevers- en bedrijfsvoeringsbeleid", 2024, 141, 80_551_000, 80_552_000),
    }


def test_broken_number_names_file_and_line(begroting: Document, tmp_path: Path) -> None:
    doc = _edited(begroting, tmp_path, 195, "1.2O1")
    with pytest.raises(InputError) as caught:
        read_budget_tables(doc, read_lines(doc.path))
    assert (caught.value.file, caught.value.line) == (doc.path, 195)
    assert doc.path.endswith("/edited.txt")
    assert "1.2O1" in str(caught.value)


def test_broken_grouping_is_not_a_number(begroting: Document, tmp_path: Path) -> None:
    doc = _edited(begroting, tmp_path, 195, "1.20")
    with pytest.raises(InputError, match="broken number") as caught:
        read_budget_tables(doc, read_lines(doc.path))
    assert caught.value.line == 195


def test_row_with_missing_amount_names_the_row(begroting: Document, tmp_path: Path) -> None:
    doc = _edited(begroting, tmp_path, 195, "")  # Overlegstelsel loses its 2024 cell
    with pytest.raises(InputError) as caught:
        read_budget_tables(doc, read_lines(doc.path))
    assert caught.value.line == 189
    assert "Overlegstelsel" in str(caught.value) and "expected 7" in str(caught.value)


def test_row_with_no_amounts_is_an_error_not_the_end_of_the_table(
    begroting: Document, tmp_path: Path
) -> None:
    lines = read_lines(begroting.path)
    del lines[190:203]  # every amount of Overlegstelsel
    path = tmp_path / "gutted.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"Overlegstelsel.*no amounts") as caught:
        read_budget_tables(begroting, read_lines(path))
    assert caught.value.line == 189


def _synthetic_document(tmp_path: Path, lines: list[str]) -> Document:
    path = tmp_path / "synthetic.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return Document(id=path.name, path=str(path), title="synthetic", kind=DocumentKind.BEGROTING,
                    hoofdstuk="XX", year=2024, artikel="1")


def test_totals_decide_a_nested_regeling(tmp_path: Path) -> None:
    table = make_table(random.Random(3), onderdelen=1, instruments=1, regelingen=1)
    group = table.uitgaven.children[0].children[0]
    parent = group.children[0]
    # Split the one regeling into two sub-lines printed right under it: a subtotal row.
    first = [a // 3 for a in parent.amounts]
    second = [a - b for a, b in zip(parent.amounts, first, strict=True)]
    lines = render(table)
    at = lines.index(parent.label) + 2 * (len(table.years) + 2)
    extra = []
    for label, amounts in (("Deel A", first), ("Deel B", second)):
        for cell in (label, *(f"{a:,}".replace(",", ".") for a in amounts), " "):
            extra += [cell, ""]
    lines[at:at] = extra
    doc = _synthetic_document(tmp_path, lines)
    (read,) = read_budget_tables(doc, read_lines(doc.path))
    assert read.mismatches == ()
    (nested,) = [r for r in read.rows() if r.label == parent.label]
    assert [c.label for c in nested.children] == ["Deel A", "Deel B"]


def test_totals_reveal_an_instrument_with_an_unknown_label(tmp_path: Path) -> None:
    table = make_table(random.Random(5), onderdelen=1, instruments=2, regelingen=3)
    second = table.uitgaven.children[0].children[1]
    lines = render(table)
    lines[lines.index(second.label)] = "Een nieuw soort instrument"
    doc = _synthetic_document(tmp_path, lines)
    (read,) = read_budget_tables(doc, read_lines(doc.path))
    assert read.mismatches == ()
    (found,) = [r for r in read.rows() if r.label == "Een nieuw soort instrument"]
    assert found.level is RowLevel.INSTRUMENT
    assert len(found.children) == len(second.children)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**9), width=st.integers(2, 9))
def test_any_synthetic_table_reads_back_exactly(tmp_path_factory, seed: int, width: int) -> None:
    table = make_table(random.Random(seed), width=width)
    doc = _synthetic_document(tmp_path_factory.mktemp("t"), render(table))
    (read,) = read_budget_tables(doc, read_lines(doc.path))
    assert read.mismatches == ()
    assert [a.euros for a in read.uitgaven.amounts] == [a * 1000 for a in table.uitgaven.amounts]
    assert [[a.euros for a in r.amounts] for r in read.budget_lines()] == [
        [a * 1000 for a in r.amounts] for r in table.regelingen()
    ]


def test_first_instrument_with_an_unknown_label_is_found_by_the_totals(
    begroting: Document, tmp_path: Path
) -> None:
    doc = _edited(begroting, tmp_path, 153, "Subsidieregelingen")  # was Subsidies (regelingen)
    (table,) = read_budget_tables(doc, read_lines(doc.path))
    assert table.mismatches == ()
    head = find(table, "Subsidieregelingen")
    assert head.level is RowLevel.INSTRUMENT and len(head.children) == 9
    assert len(table.budget_lines()) == 43


def test_regeling_label_starting_with_a_digit(begroting: Document, tmp_path: Path) -> None:
    doc = _edited(begroting, tmp_path, 189, "2e Kamer overlegstelsel")
    (table,) = read_budget_tables(doc, read_lines(doc.path))
    assert find(table, "2e Kamer overlegstelsel").euros(2024) == 1_201_000
    assert table.mismatches == ()


def test_table_without_ontvangsten_ends_before_the_next_table(
    begroting: Document, tmp_path: Path
) -> None:
    lines = read_lines(begroting.path)
    assert lines[1089] == "Ontvangsten"
    del lines[1089:1105]  # the Ontvangsten row and its seven amounts
    path = tmp_path / "zonder-ontvangsten.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    (table,) = read_budget_tables(begroting, read_lines(path))
    assert table.ontvangsten is None and table.mismatches == ()
    assert {s.label for s in table.flexibility} >= {"juridisch verplicht"}


def test_a_sentence_naming_the_table_is_not_a_table(begroting: Document, tmp_path: Path) -> None:
    lines = read_lines(begroting.path)
    lines.insert(74, "De budgettaire gevolgen van beleid staan in de tabel hieronder.")
    path = tmp_path / "zin.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    (table,) = read_budget_tables(begroting, read_lines(path))
    assert table.uitgaven.euros(2024) == 86_189_000
