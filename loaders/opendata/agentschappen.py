"""Dataset 3, agentschappen in beeld 2009-2015: per agency and year its balance sheet and
turnover, in x € 1.000 with a decimal comma ("818,556" is € 818.556).

`Omzet moeder departement` is money from the agency's own ministry (the hoofdstuk in
`begrotingshoofdstuk_R`): a payment from that hoofdstuk to the agency. `Omzet overige
departementen` comes from other ministries the file does not name: a payment from
UNNAMED_MINISTRIES, never guessed. Each row's own totals are checked: Omzet, Baten, Lasten,
Resultaat, Vaste and Vlottende activa, Totaal activa and Totaal passiva.
"""

from __future__ import annotations

from pathlib import Path

from geldstroom.loaders.opendata.csv_files import (
    data_name,
    decimal_comma_euros,
    open_text,
    read_csv,
)
from geldstroom.model import (
    UNNAMED_MINISTRIES,
    Mismatch,
    OpenData,
    OpenDataset,
    Payment,
    PaymentKind,
    RowIssue,
    RowLevel,
    SourceReport,
    SourceRow,
    Stage,
)

DATASET = OpenDataset.AGENTSCHAPPEN
UNIT = 1000
COLUMNS = {0: "departement", 2: "begrotingshoofdstuk_R", 4: "naam_agentschap", 6: "Jaar",
           26: "Omzet moeder departement", 27: "Omzet overige departementen"}
# total: its parts (a minus sign: subtracted), by column name
CHECKS: dict[str, tuple[str, ...]] = {
    "Vaste activa": ("Immateriële vaste activa", "Materiële vaste activa",
                     "Financiële vaste activa"),
    "Vlottende activa": ("Voorraden + OHW", "Debiteuren + Nog te ontvangen",
                         "Liquide middelen"),
    "Totaal activa": ("Vaste activa", "Vlottende activa"),
    "Eigen vermogen": ("Exploitatie reserve", "Verplichte / Bestemmings-reserve",
                       "Onverdeeld resultaat"),
    "Totaal passiva": ("Eigen vermogen", "Voorzieningen", "Leningen FIN",
                       "Crediteuren + Kortlopende schulden"),
    "Omzet": ("Omzet moeder departement", "Omzet overige departementen", "Omzet derden"),
    "Baten": ("Omzet", "Diverse opbrengsten", "Rentebaten", "Vrijval voorzieningen",
              "Bijzondere baten"),
    "Apparaats-uitgaven": ("Personele kosten", "Materiële kosten"),
    "Lasten": ("Apparaats-uitgaven", "Afschrijving", "Diverse lasten",
               "Dotatie voorzieningen", "Rentelasten", "Bijzondere lasten"),
    "Resultaat": ("Baten", "-Lasten"),
}

SKIP_EMPTY = "empty row"
SKIP_HEADER = "the header row repeated"
SKIP_KEY = "no agency, year or hoofdstuk"
FOUND_UNREADABLE = "an amount cell is not a number (not read)"
FOUND_IX = "hoofdstuk IX: the file does not say IXA or IXB (kept as written)"


def load_agentschappen(path: Path) -> OpenData:
    name = data_name(path)
    skipped: list[RowIssue] = []
    findings: list[RowIssue] = []
    payments: list[Payment] = []
    mismatches: list[Mismatch] = []
    checked = 0
    rows_read = 0
    header: list[str] = []
    for number, raw in read_csv(path, COLUMNS):
        rows_read += 1
        source = SourceRow(dataset=DATASET, file=name, line=number)
        cells = [c.strip() for c in raw]
        if not header:
            header = _header(path)
        if not any(cells):
            skipped.append(RowIssue(source=source, reason=SKIP_EMPTY))
            continue
        if cells[0] == "departement":
            skipped.append(RowIssue(source=source, reason=SKIP_HEADER))
            continue
        values = dict(zip(header, cells, strict=False))
        agency, hoofdstuk, year_text = (values.get("naam_agentschap", ""),
                                        values.get("begrotingshoofdstuk_R", ""),
                                        values.get("Jaar", ""))
        if not (agency and hoofdstuk and year_text.isdigit()):
            skipped.append(RowIssue(source=source, reason=SKIP_KEY))
            continue
        if hoofdstuk == "IX":
            findings.append(RowIssue(source=source, reason=FOUND_IX))
        year = int(year_text)
        euros: dict[str, int] = {}
        for column in {c for cs in CHECKS.values() for c in cs} | set(CHECKS):
            column = column.lstrip("-")
            try:
                amount = decimal_comma_euros(values.get(column, ""), UNIT)
            except ValueError:
                findings.append(RowIssue(source=source, reason=FOUND_UNREADABLE))
                continue
            if amount is not None:
                euros[column] = amount[0]
        for total, parts in CHECKS.items():
            if total not in euros:
                continue
            checked += 1
            found = sum(-euros.get(p[1:], 0) if p.startswith("-") else euros.get(p, 0)
                        for p in parts)
            if found != euros[total]:
                mismatches.append(Mismatch(document=name, line=number, level=RowLevel.TOTAAL,
                                           label=f"{agency}: {total}", year=year,
                                           expected=euros[total], found=found))
        for kind, column, payer in (
            (PaymentKind.AGENTSCHAP_MOEDER, "Omzet moeder departement", hoofdstuk),
            (PaymentKind.AGENTSCHAP_OVERIGE, "Omzet overige departementen", UNNAMED_MINISTRIES),
        ):
            if column in euros:
                payments.append(Payment(kind=kind, payer=payer, recipient=agency,
                                        recipient_as_written=agency, year=year,
                                        stage=Stage.REALISATIE, euros=euros[column],
                                        source=source, scheme=column))
    report = SourceReport(dataset=DATASET, files=(name,), rows_read=rows_read,
                          skipped=tuple(skipped), findings=tuple(findings),
                          totals_checked=checked, mismatches=tuple(mismatches))
    return OpenData(payments=tuple(payments), reports=(report,))


def _header(path: Path) -> list[str]:
    import csv

    with open_text(path) as handle:
        return [c.strip() for c in next(csv.reader(handle))]
