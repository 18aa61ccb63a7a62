"""Manifests: every field is checked, so a misspelt form cannot silently change how a
document is read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geldstroom.errors import InputError
from geldstroom.loaders.corpus import load_corpus
from geldstroom.loaders.documents import bundled_manifest, read_manifest
from geldstroom.model import DocumentForm


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
    assert forms == {"001_1ef586f7da9213de.txt": DocumentForm.WEB,
                     "000_18b475cc328f5857.txt": DocumentForm.PDF}


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
                   if link.evidence.document == "000_18b475cc328f5857.txt"
                   and link.role.value == "recipient"}
    assert {"ictu", "cbs"} <= jaarverslag
