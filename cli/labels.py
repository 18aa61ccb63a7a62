"""`validate`'s report of the recipients open-data labels name, and of money two sources show
(graph/label_recipients.py and graph/same_money.py compute; this only renders)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from geldstroom.dutch import format_euros

if TYPE_CHECKING:
    from rich.console import Console

    from geldstroom.graph.label_recipients import LabelLinking
    from geldstroom.graph.same_money import SameMoney

FIRST_FEW = 3


def print_label_links(console: Console, linking: LabelLinking) -> None:
    """Per hoofdstuk: lines of paying instruments linked, unattributed, ambiguous; then the
    first few of each, with file:line and the label."""
    from rich.table import Table  # late: rich, as cli/common.err_console

    per = linking.by_hoofdstuk()
    table = Table(title="Open-data lines of paying instruments (ZBO/RWT, agentschappen, "
                  "medeoverheden, (inter)nationale organisaties, bekostiging, andere "
                  "begrotingen): recipient named by the label", title_justify="left")
    for column in ("hoofdstuk", "linked", "unattributed", "ambiguous"):
        table.add_column(column, justify="left" if column == "hoofdstuk" else "right")
    for hoofdstuk, counts in per.items():
        table.add_row(hoofdstuk, str(len(counts.linked)), str(len(counts.unattributed)),
                      str(len(counts.ambiguous)))
    table.add_row("total", *(str(sum(len(getattr(c, kind)) for c in per.values()))
                             for kind in ("linked", "unattributed", "ambiguous")),
                  style="bold")
    console.print(table)
    for hoofdstuk, counts in per.items():
        lines = [f"  linked {link.quote} -> {link.actor} ({link.how})"
                 for link in counts.linked[:FIRST_FEW]]
        lines += [f"  unattributed {item.evidence[0]}: {item.label or '(no label)'} "
                  f"({item.reason})" for item in counts.unattributed[:FIRST_FEW]]
        lines += [f"  ambiguous {item.evidence[0]}: {item.label}: {item.form!r} is "
                  f"{', '.join(item.candidates)}" for item in counts.ambiguous[:FIRST_FEW]]
        console.print(f"[bold]{hoofdstuk}[/]", highlight=False)
        for line in lines:
            console.print(line, highlight=False, markup=False)


def print_same_money(console: Console, items: Sequence[SameMoney]) -> None:
    """The money two sources show for one recipient, payer and year: the stated amount that
    counts against the lines not added, largest difference first."""

    differing = sorted((i for i in items if i.difference_euros),
                       key=lambda i: (-abs(i.difference_euros), i.recipient, i.year))
    console.print(
        f"Same money seen by two sources (graph/same_money.py): {len(items)} recipient-"
        f"payer-years where a stated amount counts and lines naming the recipient are not "
        f"added; {len(differing)} differ", highlight=False)
    for item in differing[:10]:
        console.print(
            f"  {item.recipient} {item.year} from {item.payer} ({item.kind.value}): stated "
            f"{format_euros(item.stated_euros)} ({item.counted[0].document}:"
            f"{item.counted[0].source_line}) counts; lines {format_euros(item.line_euros)} "
            f"not added (difference {format_euros(item.difference_euros)})",
            highlight=False, markup=False)
