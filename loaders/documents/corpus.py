"""Read a set of documents into one Corpus: tables, recipient links and the actor register."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from geldstroom.errors import InputError
from geldstroom.loaders.actors.claims import NameClaim
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.documents.budget_table import read_budget_tables
from geldstroom.loaders.documents.recipients import extract_links
from geldstroom.loaders.files import read_lines
from geldstroom.model import BudgetTable, Corpus, Document, DocumentKind, RecipientLink

Progress = Callable[[str], None]


def load_corpus(
    documents: Sequence[Document],
    register: ActorRegister | None = None,
    progress: Progress | None = None,
) -> Corpus:
    """All of it or nothing: the first bad document raises InputError naming file and line."""
    return read_corpus(documents, register, progress)[0]


def read_corpus(
    documents: Sequence[Document],
    register: ActorRegister | None = None,
    progress: Progress | None = None,
) -> tuple[Corpus, ActorRegister]:
    """The corpus, and the register with the recipients the texts name that no register
    knows (each with the sentence it was found in)."""
    register = register or ActorRegister.load()
    seen: dict[str, str] = {}
    for doc in documents:
        if doc.id in seen and seen[doc.id] != doc.path:
            raise InputError(
                f"two documents are both {doc.id} ({seen[doc.id]} and {doc.path}): provenance "
                "cites a document by hoofdstuk, kind, year and file name, so rename one",
                doc.file,
            )
        seen[doc.id] = doc.path
    texts = {doc.id: read_lines(Path(doc.path)) for doc in documents}
    tables: list[BudgetTable] = []
    for doc in documents:
        if progress:
            progress(f"reading tables of {doc.id}")
        found = read_budget_tables(doc, texts[doc.id])
        if doc.kind is DocumentKind.BEGROTING and not found:
            raise InputError(
                "no 'Budgettaire gevolgen van beleid' table found in this begroting", doc.file
            )
        tables.extend(found)
    if not tables:
        raise InputError(
            "none of the documents has a 'Budgettaire gevolgen van beleid' table: "
            "there are no amounts to follow"
        )
    links: list[RecipientLink] = []
    found: list[NameClaim] = []  # recipients no register knows, as the texts name them
    for doc in documents:
        if progress:
            progress(f"reading recipients in {doc.id}")
        links.extend(extract_links(doc, texts[doc.id], tables, register, found))
    register = register.with_claims(found)
    corpus = Corpus(
        documents=tuple(documents),
        tables=tuple(tables),
        links=tuple(links),
        actors=tuple(register.actors),
    )
    return corpus, register
