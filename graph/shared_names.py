"""The names every layer shares (graph, summaries, diagrams, exports), written once.

Apart from graph/schema.py, which re-exports them: its pydantic models take 0.01 s to build,
and a summary on the store needs these names but none of the models.
"""

from __future__ import annotations

from collections.abc import Sequence

# The node of money no source attributes to a recipient: unknown stays unknown.
UNATTRIBUTED = "unattributed"
# Where --top folds the smaller flows, in diagrams and exports alike.
OVERIG = "overig"
# The NetworkX edge kinds (schema.RELATIONSHIPS maps them to the stores' labels).
ALLOCATES = "allocates"
PAYS = "pays"
PART_OF = "part_of"
PASSES_ON = "passes_on"
INSTRUMENT_LINK = "instrument_link"
# A line's recipients when the text names only some of them ("o.a."): one more, unnamed.
UNNAMED_OTHERS = "(others not named)"
# In NetworkX a budget line is a node with this `kind`; every other node is an actor.
BUDGET_LINE_KIND = "budget_line"


def share_count(recipients: Sequence[str], unnamed_others: bool) -> int:
    """How many share a line: its named recipients, and the others the text does not name
    ("o.a.") as one more. THE rule of sharing: a line is shared when its share_count is over
    1, here (Flow.shared) and in every named query (`f.share_count > 1`)."""
    return max(1, len(recipients) + (1 if unnamed_others else 0))
