"""The standard instruments of a begroting and how their names are compared: words only, as
every table, document and open-data file writes them differently. Apart from the budget-table
reader, whose record model the summary need not build (0.02 s) to tell an instrument's kind.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The standard Rijksbegroting instruments (Rijksbegrotingsvoorschriften), written as tables
# write them; compared after normalise().
INSTRUMENTS = (
    "Subsidies (regelingen)",
    "Subsidies",
    "Opdrachten",
    "Leningen",
    "Garanties",
    "Bekostiging",
    "Inkomensoverdrachten",
    "Bijdrage aan ZBO's/RWT's",
    "Bijdrage aan agentschappen",
    "Bijdrage aan medeoverheden",
    "Bijdrage aan (inter-)nationale organisaties",
    "Bijdrage aan (andere) begrotingshoofdstukken",
    "Bijdragen aan ZBO's/RWT's",
    "Bijdragen aan agentschappen",
    "Bijdragen aan medeoverheden",
    "Bijdragen aan (inter-)nationale organisaties",
    "Bijdragen aan (andere) begrotingshoofdstukken",
    "Personele uitgaven",
    "Materiële uitgaven",
    "Apparaatsuitgaven",
    "Participaties",
    "Inkoop",
)


# Both are asked of the same few thousand labels again and again (700 000 payment rows of a
# Financiële instrumenten file name that many instruments and regelingen): each is worked
# out once, where its regular expressions were a sixth of building the graph.
@lru_cache(maxsize=1 << 16)
def normalise(label: str) -> str:
    """Compare labels by their words: case, dashes, quotes and spacing vary between tables."""
    text = label.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[–—-]", " ", text)
    text = re.sub(r"[^\w'()/&% ]+", " ", text)
    text = text.replace("zbo/rwt's", "zbo's/rwt's").replace("bijdragen aan", "bijdrage aan")
    return " ".join(text.split())


@lru_cache(maxsize=1 << 16)
def instrument_key(label: str) -> str:
    """One instrument however a table writes it: 'Subsidies (regelingen)' is 'Subsidies', and
    'Bijdragen aan ZBO’s /RWT’s' is 'Bijdrage aan ZBO's/RWT's'."""
    text = re.sub(r"\s*/\s*", "/", normalise(label).replace("(regelingen)", ""))
    text = re.sub(r"\binkomensoverdracht\b", "inkomensoverdrachten", text)
    return " ".join(text.split())


INSTRUMENT_KEYS = {normalise(name) for name in INSTRUMENTS}


def is_instrument(label: str) -> bool:
    return normalise(label) in INSTRUMENT_KEYS
