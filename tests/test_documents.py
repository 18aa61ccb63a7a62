"""Manifests: every field is checked, so a misspelt form cannot silently change how a
document is read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geldstroom.errors import InputError
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_manifest, read_manifest
from geldstroom.model import DocumentForm

JAARVERSLAG = "VII/jaarverslag-2022/000_18b475cc328f5857.txt"


def _manifest_copy(tmp_path: Path, old: str, new: str) -> Path:
    source = bundled_manifest()
    for sample in source.parent.glob("*.txt"):
        shutil.copy(sample, tmp_path / sample.name)
    text = source.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "manifest.toml"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_the_bundled_manifest_says_how_each_text_was_taken() -> None:
    forms = {doc.id: doc.form for doc in read_manifest(bundled_manifest())}
    assert forms == {"VII/begroting-2024/001_1ef586f7da9213de.txt": DocumentForm.WEB,
                     "VII/jaarverslag-2022/000_18b475cc328f5857.txt": DocumentForm.PDF}


def test_a_form_written_in_capitals_is_refused_not_read_as_web_text(tmp_path: Path) -> None:
    """`form = "PDF"` once read the jaarverslag as web text and lost its ICTU and CBS links."""
    manifest = _manifest_copy(tmp_path, 'form = "pdf"', 'form = "PDF"')
    with pytest.raises(InputError) as refused:
        read_manifest(manifest)
    message = str(refused.value)
    assert str(manifest) in message and "form" in message and "'web' or 'pdf'" in message


def test_the_jaarverslag_read_as_pdf_names_its_recipients(tmp_path: Path) -> None:
    documents = read_manifest(_manifest_copy(tmp_path, 'form = "pdf"', 'form = "pdf"'))
    links = load_corpus(documents).links
    jaarverslag = {link.actor for link in links
                   if link.evidence.document == JAARVERSLAG
                   and link.role.value == "recipient"}
    assert {"ictu", "cbs"} <= jaarverslag


def test_two_hoofdstukken_may_name_their_files_alike(tmp_path: Path) -> None:
    """Two ministries' files with one name: both load, and provenance tells them apart (the
    id was the file name alone, and the second document was refused as a duplicate)."""
    begroting = next(d for d in read_manifest(bundled_manifest()) if d.kind.value == "begroting")
    for folder in ("bzk", "wenr"):
        (tmp_path / folder).mkdir()
        shutil.copy(begroting.path, tmp_path / folder / "begroting.txt")
    entry = ('[[document]]\nfile = "{folder}/begroting.txt"\ntitle = "{folder}"\n'
             'kind = "begroting"\nhoofdstuk = "{hoofdstuk}"\nyear = 2024\nartikel = "7"\n')
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(entry.format(folder="bzk", hoofdstuk="VII") + "\n"
                        + entry.format(folder="wenr", hoofdstuk="XVIII"), encoding="utf-8")
    documents = read_manifest(manifest)
    assert [d.id for d in documents] == ["VII/begroting-2024/begroting.txt",
                                         "XVIII/begroting-2024/begroting.txt"]
    corpus = load_corpus(documents)
    assert [(t.document, t.hoofdstuk) for t in corpus.tables] == [
        ("VII/begroting-2024/begroting.txt", "VII"), ("XVIII/begroting-2024/begroting.txt",
                                                      "XVIII")]
    # The same sentence (begroting line 1159, the CAOP's Overlegstelsel) cited once per file.
    caop = sorted(f"{lk.evidence.document}:{lk.evidence.line}" for lk in corpus.links
                  if lk.actor == "caop" and lk.evidence.line == 1159
                  and lk.role.value == "recipient")
    assert caop == ["VII/begroting-2024/begroting.txt:1159",
                    "XVIII/begroting-2024/begroting.txt:1159"]


def test_the_same_document_twice_is_still_refused(tmp_path: Path) -> None:
    begroting = next(d for d in read_manifest(bundled_manifest()) if d.kind.value == "begroting")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(begroting.path, tmp_path / folder / "begroting.txt")
    entry = ('[[document]]\nfile = "{folder}/begroting.txt"\ntitle = "t"\nkind = "begroting"\n'
             'hoofdstuk = "VII"\nyear = 2024\n')
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(entry.format(folder="a") + "\n" + entry.format(folder="b"),
                        encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_corpus(read_manifest(manifest))
    assert str(refused.value).startswith(
        f"{tmp_path / 'b' / 'begroting.txt'}: two documents are both "
        "VII/begroting-2024/begroting.txt")


def test_a_manifest_cannot_set_the_id(tmp_path: Path) -> None:
    manifest = _manifest_copy(tmp_path, 'form = "pdf"', 'form = "pdf"\nid = "mine.txt"')
    with pytest.raises(InputError, match="id: not a manifest field"):
        read_manifest(manifest)
