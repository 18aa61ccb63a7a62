"""The open-data corpus: a sources manifest (the bundled one, or a user's with newer files in
the same formats), and every dataset in it read, checked and reconciled.

A user's manifest replaces the bundled one, unless it says `bundled = true` at its top: then
its sources extend the bundled corpus (how a downloaded Financiële instrumenten file joins the
rest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from geldstroom.errors import InputError
from geldstroom.loaders.opendata.agentschappen import (
    load_agentschappen,
)
from geldstroom.loaders.opendata.csv_files import data_name
from geldstroom.loaders.opendata.instrumenten import load_instrumenten
from geldstroom.loaders.opendata.medeoverheden import (
    load_medeoverheden,
)
from geldstroom.loaders.opendata.sources import bundled_sources_manifest, read_sources
from geldstroom.loaders.opendata.staten import (
    load_begrotingsstaten,
    reconcile,
)
from geldstroom.loaders.opendata.subsidies import load_subsidies
from geldstroom.loaders.opendata.tabellen import (
    load_budgettaire_tabellen,
)
from geldstroom.model import OpenData, OpenDataset, OpenSource, Reconciliation, SourceReport


@dataclass(frozen=True)
class OpenCorpus:
    """Everything read from the open data: per dataset, and the reconciliation of the
    begrotingsstaten with the budgettaire tabellen."""

    sources: tuple[OpenSource, ...]
    tabellen: OpenData
    staten: OpenData
    subsidies: OpenData
    medeoverheden: OpenData
    agentschappen: OpenData
    reconciliation: Reconciliation
    instrumenten: OpenData = field(default_factory=OpenData)

    @property
    def reports(self) -> tuple[SourceReport, ...]:
        return tuple(r for d in (self.tabellen, self.staten, self.subsidies,
                                 self.medeoverheden, self.agentschappen, self.instrumenten)
                     for r in d.reports)


def _join(parts: list[OpenData]) -> OpenData:
    return OpenData(
        figures=tuple(f for p in parts for f in p.figures),
        totals=tuple(t for p in parts for t in p.totals),
        payments=tuple(x for p in parts for x in p.payments),
        reports=tuple(r for p in parts for r in p.reports),
    )


def _check_mostly_read(report: SourceReport) -> None:
    """A file of which most rows could not be read is not the dataset it is said to be (or
    is damaged): refused, rather than "read" with its rows skipped one by one."""
    if len(report.skipped) * 2 > report.rows_read:  # rows_read counts the skipped too
        first = report.skipped[0]
        raise InputError(f"{len(report.skipped)} of {report.rows_read} rows could not be read as "
                         f"{report.dataset.value} (the first, line {first.source.line}: "
                         f"{first.reason}): is it that dataset?", first.source.file)


def load_open_corpus(manifest: Path | None = None) -> OpenCorpus:
    """Read every source of the manifest (the bundled one by default). The budgettaire
    tabellen come first: the other datasets are tied to their lines."""
    sources = read_sources(manifest)
    by_dataset: dict[OpenDataset, list[OpenSource]] = {d: [] for d in OpenDataset}
    for source in sources:
        by_dataset[source.dataset].append(source)
    names = [data_name(Path(s.path)) for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"two sources have the file name {twice[0]}: provenance cites files "
                         "by name, so rename one", str(manifest or bundled_sources_manifest()))
    tabellen = _join([load_budgettaire_tabellen(Path(s.path), s.year)
                      for s in by_dataset[OpenDataset.BUDGETTAIRE_TABELLEN]])
    staten = _join([load_begrotingsstaten(Path(s.path))
                    for s in by_dataset[OpenDataset.BEGROTINGSSTATEN]])
    subsidies = _join([load_subsidies(Path(s.path), tabellen)
                       for s in by_dataset[OpenDataset.SUBSIDIES]])
    medeoverheden = _join([load_medeoverheden(Path(s.path), tabellen, staten)
                           for s in by_dataset[OpenDataset.MEDEOVERHEDEN]])
    agentschappen = _join([load_agentschappen(Path(s.path))
                           for s in by_dataset[OpenDataset.AGENTSCHAPPEN]])
    instrumenten = _join([load_instrumenten(Path(s.path), tabellen, s.year)
                          for s in by_dataset[OpenDataset.FINANCIELE_INSTRUMENTEN]])
    for data in (tabellen, staten, subsidies, medeoverheden, agentschappen, instrumenten):
        for report in data.reports:
            _check_mostly_read(report)
    return OpenCorpus(
        sources=tuple(sources), tabellen=tabellen, staten=staten, subsidies=subsidies,
        medeoverheden=medeoverheden, agentschappen=agentschappen,
        reconciliation=reconcile(staten, tabellen), instrumenten=instrumenten,
    )
