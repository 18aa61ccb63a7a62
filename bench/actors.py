"""Actor matching: the old register (one regex over every written form; resolve by a scan
over all actors, then that regex) against the new one (identity keys in a dict; a token
trie for running text), in one run, on real names.

Names: the Ontvanger column of the subsidies 2015 (25 163 rows, 12 156 distinct names). The
register is built from the first N distinct names (filled up with numbered synthetic names
where N is more than the file has). Text: every sentence of the bundled begroting sample.

    python bench/actors.py [--subsidies PATH] [--sizes 5000,25000] [--old-sample 40]

The old way is too slow to run on everything at 25 000 actors; it is timed on a sample of
--old-sample names or sentences and its figure per item is multiplied out (and says so).
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from geldstroom.loaders.actors.claims import NameClaim
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.loaders.documents.narrative import read_narrative
from geldstroom.loaders.files import read_lines
from geldstroom.model import Origin

SUBSIDIES = Path("/work/shared/data/minfin/subsidies-2015/subsidiesministeries2015.csv")


# -- the old register, as loaders/actors/register.py had it before the open register --------------


def _is_abbreviation(alias: str) -> bool:
    return not re.search(r"\s", alias) and sum(c.isupper() for c in alias) >= 2


def _alias_pattern(alias: str) -> str:
    body = r"\s+".join(re.escape(word) for word in alias.split())
    body = body.replace("'", "['’]")
    return body if _is_abbreviation(alias) else f"(?i:{body})"


class OldRegister:
    """One alternation of every form, longest first; resolve scans every actor."""

    def __init__(self, actors: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.actors = actors
        owner: dict[str, str] = {}
        forms: list[tuple[str, str]] = []
        for actor_id, names in actors:
            for form in dict.fromkeys(names):
                key = " ".join(form.split())
                key = key if _is_abbreviation(key) else key.casefold()
                if key not in owner:
                    owner[key] = actor_id
                    forms.append((form, actor_id))
        self.forms = sorted(forms, key=lambda pair: -len(pair[0]))
        alternatives = [f"(?P<a{i}>{_alias_pattern(f)})" for i, (f, _) in enumerate(self.forms)]
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    def find(self, text: str) -> list[tuple[str, int, int]]:
        return [(self.forms[int(m.lastgroup[1:])][1], m.start(), m.end())  # type: ignore[index]
                for m in self.pattern.finditer(text)]

    def resolve(self, name: str) -> str | None:
        wanted = " ".join(name.split())
        for actor_id, names in self.actors:
            if wanted.casefold() in (" ".join(f.split()).casefold() for f in (actor_id, *names)):
                return actor_id
        found = self.find(wanted)
        if len(found) == 1 and (found[0][1], found[0][2]) == (0, len(wanted)):
            return found[0][0]
        return None


# -- the run ------------------------------------------------------------------------------


def recipient_names(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["Ontvanger"] for row in csv.DictReader(handle)]


def sentences() -> list[str]:
    document = next(d for d in bundled_documents() if d.id.startswith("001_"))
    narrative = read_narrative(document, read_lines(document.path))
    return [s.text for p in narrative.paragraphs for s in p.sentences]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subsidies", type=Path, default=SUBSIDIES)
    parser.add_argument("--sizes", default="5000,25000")
    parser.add_argument("--old-sample", type=int, default=40)
    args = parser.parse_args()

    names = recipient_names(args.subsidies)
    distinct = list(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))
    texts = sentences()
    print(f"{len(names)} recipient names ({len(distinct)} distinct) from {args.subsidies.name};"
          f" {len(texts)} sentences of the begroting sample")
    base = ActorRegister.load()
    for size in (int(s) for s in args.sizes.split(",")):
        run_size(base, distinct, names, texts, size, args.old_sample)


def timed(func: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def run_size(base: ActorRegister, distinct: list[str], names: list[str], texts: list[str],
             size: int, old_sample: int) -> None:
    chosen = distinct[:size] + [f"Synthetische Organisatie {n}"
                                for n in range(max(0, size - len(distinct)))]
    claims = [NameClaim(name=n, source="subsidies", line=k, origin=Origin.DATA)
              for k, n in enumerate(chosen)]
    new, build_new = timed(base.with_claims, claims)
    old, build_old = timed(OldRegister, [(a.id, (a.name, *a.aliases)) for a in new])
    synthetic = max(0, size - len(distinct))
    print(f"\n{len(new)} actors from {len(chosen)} names fed in ({synthetic} synthetic) "
          "and the bundled register")
    print(f"  build: new {build_new:.2f} s, old (compile the regex) {build_old:.2f} s")

    # Resolve every recipient name of the file (25 163).
    _, new_resolve = timed(lambda: [new.resolve(n) for n in names])
    sample = names[:: max(1, len(names) // old_sample)][:old_sample]
    _, old_time = timed(lambda: [old.resolve(n) for n in sample])
    old_per = old_time / len(sample)
    old_total = old_per * len(names)
    print(f"  resolve {len(names)} names: new {new_resolve:.3f} s "
          f"({new_resolve / len(names) * 1e6:.1f} µs each); old {old_per * 1e3:.1f} ms each "
          f"(on {len(sample)}), {old_total:.0f} s for all; ratio old/new "
          f"{old_total / new_resolve:,.0f}")

    # Find actor names in running text.
    _, new_scan = timed(lambda: [new.find(t) for t in texts])
    text_sample = texts[:: max(1, len(texts) // old_sample)][:old_sample]
    old_found, old_scan = timed(lambda: [old.find(t) for t in text_sample])
    old_scan_per = old_scan / len(text_sample)
    print(f"  find in {len(texts)} sentences: new {new_scan:.3f} s "
          f"({new_scan / len(texts) * 1e3:.2f} ms each); old {old_scan_per * 1e3:.1f} ms "
          f"each (on {len(text_sample)}), {old_scan_per * len(texts):.1f} s for all; "
          f"ratio old/new {old_scan_per * len(texts) / new_scan:,.0f}")
    agree = sum(1 for t, found in zip(text_sample, old_found, strict=True)
                if [m.actor for m in new.find(t)] == [a for a, _, _ in found])
    print(f"  same actors found by both in {agree} of {len(text_sample)} sample sentences")


if __name__ == "__main__":
    main()
