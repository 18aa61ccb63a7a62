"""What `geldstroom validate` found, one Finding per row: the documents' mismatches and the
open data's mismatches, repeated, skipped and remarked rows, conflicts and reconciliation
differences. Reported, never repaired."""

from __future__ import annotations

from collections.abc import Iterator

from geldstroom.loaders.actors.open_data_claims import payment_claims
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.opendata.corpus import OpenCorpus
from geldstroom.model import (
    Corpus,
    Finding,
    FindingKind,
    OpenDataset,
    Payment,
    Reconciliation,
    SourceReport,
)

DATASET_INSTRUMENTEN = OpenDataset.FINANCIELE_INSTRUMENTEN.value

DOCUMENT = "document"


def document_findings(corpus: Corpus) -> list[Finding]:
    """Each total of the documents' budget tables that differs from the sum of its parts."""
    return [Finding(source=DOCUMENT, file=m.document, line=m.line, finding=FindingKind.MISMATCH,
                    subject=m.label, detail=m.level.value, year=m.year, stated_euros=m.expected,
                    found_euros=m.found)
            for table in corpus.tables for m in table.mismatches]


def open_data_findings(corpus: OpenCorpus) -> list[Finding]:
    """Every finding of every source, in the order of the sources, then the reconciliation
    and the organisations given two KvK numbers."""
    found = [f for report in corpus.reports for f in _report_findings(report)]
    return found + list(_reconciliation_findings(corpus.reconciliation)) + kvk_findings(corpus)


def kvk_findings(corpus: OpenCorpus) -> list[Finding]:
    """Each organisation (joined by name or by number in the actor register) that the
    Financiële instrumenten give two or more KvK numbers: listed for a person to decide,
    never split. Cited at the first row of each number."""
    payments = [p for p in corpus.instrumenten.payments if p.kvk is not None]
    if not payments:
        return []
    register = ActorRegister.load().with_claims(payment_claims(payments))
    first: dict[str, Payment] = {}
    for payment in payments:
        first.setdefault(payment.kvk or "", payment)
    found = []
    for actor in register.kvk_conflicts:
        rows = [first[number].source for number in actor.kvk if number in first]
        found.append(Finding(
            source=DATASET_INSTRUMENTEN, file=rows[0].file, line=rows[0].line,
            finding=FindingKind.KVK_NUMBERS_DIFFER, subject=actor.name,
            detail="KvK numbers " + ", ".join(actor.kvk) + ": one organisation by its "
            "names, or two that share a name; for a person to decide",
            other=" | ".join(str(r) for r in rows[1:])))
    return found


def _report_findings(report: SourceReport) -> Iterator[Finding]:
    source = report.dataset.value
    for m in report.mismatches:
        yield Finding(source=source, file=m.document, line=m.line, finding=FindingKind.MISMATCH,
                      subject=m.label, detail=m.level.value, year=m.year,
                      stated_euros=m.expected, found_euros=m.found)
    for r in report.repeated:
        yield Finding(source=source, file=r.source.file, line=r.source.line,
                      finding=FindingKind.REPEATED_ROW, detail="read once", other=str(r.repeats))
    for issue in report.skipped:
        yield Finding(source=source, file=issue.source.file, line=issue.source.line,
                      finding=FindingKind.SKIPPED_ROW, detail=issue.reason)
    for issue in report.findings:
        yield Finding(source=source, file=issue.source.file, line=issue.source.line,
                      finding=FindingKind.REMARK, detail=issue.reason)
    for c in report.conflicts:
        yield Finding(source=source, file=c.first.file, line=c.first.line,
                      finding=FindingKind.CONFLICT, subject=c.subject, year=c.year,
                      stage=c.stage, stated_euros=c.first_euros, found_euros=c.second_euros,
                      other=str(c.second))


def _reconciliation_findings(rec: Reconciliation) -> Iterator[Finding]:
    """The begrotingsstaten's side first (file and line), the tabellen's as `other`."""
    for c in rec.comparisons:
        subject = f"{c.hoofdstuk} artikel {c.artikel} {c.side.value}"
        common = {"source": c.staten.dataset.value, "file": c.staten.file,
                  "line": c.staten.line, "subject": subject, "year": c.year, "stage": c.stage,
                  "stated_euros": c.staten_euros}
        if c.candidates:
            yield Finding(**common, finding=FindingKind.RECONCILIATION_CANDIDATES_DIFFER,
                          detail="the budgettaire tabellen give the article several rows with "
                          "other amounts: " + ", ".join(
                              f"{e} euros" for e in c.candidate_euros),
                          other=" | ".join(str(s) for s in c.candidates))
        elif c.tabellen_euros is not None and not c.agrees:
            yield Finding(**common, finding=FindingKind.RECONCILIATION_DIFFERENCE,
                          detail="against the sum of the article's lines (no article row)"
                          if c.tabellen_computed else "against the article's row",
                          found_euros=c.tabellen_euros, other=str(c.tabellen))
