"""Fixtures shared by test modules."""

from __future__ import annotations

import pytest

from geldstroom.loaders.minfin_corpus import OpenCorpus, load_open_corpus


@pytest.fixture(scope="session")
def open_corpus() -> OpenCorpus:
    """The bundled open data, read once: the shipped gzipped copies of the published files."""
    return load_open_corpus()
