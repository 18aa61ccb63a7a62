"""Issue 9: a recipient the register does not know is kept as an actor found in the text,
not lost to 'unattributed'; validate lists the sentences that name one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.graph.build import build_graph
from geldstroom.graph.flows import flows
from geldstroom.graph.schema import UNATTRIBUTED
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.documents.corpus import load_corpus, read_corpus
from geldstroom.loaders.documents.manifest import bundled_documents, bundled_manifest, read_manifest
from geldstroom.loaders.documents.recipients import unregistered_names
from geldstroom.model import ActorKind, Origin, Role

BEGROTING = "001_1ef586f7da9213de.txt"
BEGROTING_ID = f"VII/begroting-2024/{BEGROTING}"  # hoofdstuk/kind-year/file
RADBOUD = "De Radboud Universiteit ontvangt een subsidie"
LEIDEN = "De Universiteit Leiden ontvangt een subsidie"
POK = "POK - Leiderschap, diversiteit en inclusie"
REGISTER = ActorRegister.load()


@pytest.fixture(scope="module")
def leiden_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled samples with line 1163 of the begroting naming Leiden, not Radboud."""
    folder = tmp_path_factory.mktemp("leiden")
    for path in bundled_manifest().parent.iterdir():
        shutil.copy(path, folder / path.name)
    text = (folder / BEGROTING).read_text(encoding="utf-8")
    assert text.count(RADBOUD) == 1
    (folder / BEGROTING).write_text(text.replace(RADBOUD, LEIDEN), encoding="utf-8")
    return folder / "manifest.toml"


def test_an_unregistered_recipient_keeps_its_money(leiden_manifest: Path) -> None:
    corpus, register = read_corpus(read_manifest(leiden_manifest))
    (link,) = [lk for lk in corpus.links if lk.evidence.line == 1163]
    assert (link.actor, link.role, link.path[-1]) == ("text-universiteit-leiden",
                                                      Role.RECIPIENT, POK)
    assert link.years == (2022, 2023, 2024, 2025, 2026)  # "(2022 - medio 2026)"
    leiden = register.get("text-universiteit-leiden")
    assert (leiden.name, leiden.kind, leiden.origin) == (
        "Universiteit Leiden", ActorKind.FOUND_IN_TEXT, Origin.TEXT)
    (claim, _), = register.explain(leiden.id).claims
    assert (claim.source, claim.line) == (BEGROTING_ID, 1163)
    assert claim.quote.startswith(LEIDEN)
    # The graph pays the line to Leiden, as it paid it to Radboud: 98 (x € 1.000) in 2024.
    pok = [f for f in flows(build_graph(corpus)) if f.line == POK and f.year == 2024]
    assert [(f.recipients, f.euros) for f in pok] == [(("text-universiteit-leiden",), 98_000)]
    assert UNATTRIBUTED not in pok[0].recipients


def test_the_bundled_samples_name_no_unregistered_recipient() -> None:
    corpus = load_corpus(bundled_documents())
    assert [a.id for a in corpus.actors if a.origin is Origin.TEXT] == []


def test_validate_lists_the_sentence(leiden_manifest: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "--manifest", str(leiden_manifest)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert (f"recipient in no register {BEGROTING_ID}:1163 'Universiteit Leiden'" in out)
    assert "payment sentences naming a recipient in no register: 1" in out
    clean = CliRunner().invoke(app, ["validate"])
    assert "payment sentences naming a recipient in no register: 0" in " ".join(
        clean.stdout.split())


@pytest.mark.parametrize(("sentence", "names"), [
    (LEIDEN + ".", ["Universiteit Leiden"]),
    ("Het Waterschap Aa en Maas ontvangt een bijdrage.", ["Waterschap Aa en Maas"]),
    # The VNG is registered; its Groningen branch is not, and is not the VNG.
    ("De VNG Afdeling Groningen ontvangt een bijdrage.", ["VNG Afdeling Groningen"]),
    ("Een bijdrage aan de Universiteit Leiden en de TU Delft.",
     ["Universiteit Leiden", "TU Delft"]),
    ("Subsidie aan de Universiteit Leiden, Universiteit Utrecht en TNO.",
     ["Universiteit Leiden", "Universiteit Utrecht"]),
    ("Hiervoor ontvangt de gemeente een bijdrage.", []),  # no name, only a first word
    (RADBOUD + ".", []),  # registered
    ("De Universiteit Leiden organiseert een congres.", []),  # no payment
])
def test_names_in_the_recipient_place(sentence: str, names: list[str]) -> None:
    assert [sentence[a:b] for a, b in unregistered_names(sentence, REGISTER)] == names


def test_actors_explain_shows_the_evidence(leiden_manifest: Path) -> None:
    result = CliRunner().invoke(app, ["actors", "explain", "Universiteit Leiden", "--manifest",
                                      str(leiden_manifest)])
    assert result.exit_code == 0, result.output
    assert f"{BEGROTING_ID}:1163: 'Universiteit Leiden'" in result.stdout
    assert "kind found in text, origin text" in result.stdout
