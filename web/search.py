"""Suggestions as you type: every name of every organisation, payer and budget line, folded
once when the explorer starts into sorted word starts, then found by bisection (no store
round trip and no scan of every name per keystroke).
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_END = "\x7f"  # sorts after every folded character: [q, q + _END) are the texts starting with q

# How well a name matches, best first: the whole name, its start, a word's start, anywhere,
# every typed word somewhere in its names.
EXACT, PREFIX, WORD, INSIDE, ALL_WORDS = range(5)
_KIND_ORDER = {"recipient": 0, "payer": 1, "line": 2}


def fold(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: 'Financiën' finds
    'financien', "ZBO's/RWT's" finds 'zbo s rwt s'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NOT_WORD.split(plain.casefold())).strip()


@dataclass(frozen=True)
class Entry:
    """One thing a user can look for: an organisation, a payer or a budget line."""

    kind: str  # recipient, payer or line
    id: str
    name: str
    detail: str  # what tells two of the same name apart (the line's place, a kind)
    written: tuple[str, ...]  # every name it goes by, as written
    folded: tuple[str, ...]  # the same, folded


@dataclass(frozen=True)
class Suggestion:
    kind: str
    id: str
    name: str
    detail: str
    matched: str  # the name the text was found in, as written

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "detail": self.detail,
                "matched": self.matched}


class SuggestionIndex:
    """`suggest` ranks names that contain what was typed: the whole name, then its start,
    then a word's start, then anywhere, then every typed word somewhere in one entry's
    names; within a rank shorter names first, recipients before payers before lines."""

    def __init__(self, entries: Iterable[tuple[str, str, str, str, Iterable[str]]]) -> None:
        self._entries: list[Entry] = []
        # (text from a word's start to the name's end, entry, which name): one sorted list
        starts: list[tuple[str, int, int]] = []
        for number, (kind, id_, name, detail, names) in enumerate(entries):
            written = tuple(dict.fromkeys(n for n in (name, *names) if n))
            folded = tuple(fold(n) for n in written)
            self._entries.append(Entry(kind, id_, name, detail, written, folded))
            for which, text in enumerate(folded):
                starts.append((text, number, which))
                starts.extend((text[m.start() + 1:], number, which)
                              for m in re.finditer(" ", text))
        starts.sort()
        self._starts = [s for s, _, _ in starts]
        self._owners = [(n, w) for _, n, w in starts]
        # Every entry's names in one text, for what no word starts with ('aop' in 'caop').
        self._haystack = "\n".join(" ".join(e.folded) for e in self._entries) + "\n"
        self._choices = [name for entry in self._entries for name in entry.folded]
        self._choice_owners = [(n, w) for n, entry in enumerate(self._entries)
                               for w in range(len(entry.folded))]
        self._offsets: list[int] = []
        at = 0
        for entry in self._entries:
            self._offsets.append(at)
            at += len(" ".join(entry.folded)) + 1

    def __len__(self) -> int:
        return len(self._entries)

    def _key(self, rank: int, number: int, which: int) -> tuple[int, int, int, str]:
        entry = self._entries[number]
        return rank, len(entry.folded[which]), _KIND_ORDER[entry.kind], entry.id

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        query = fold(text)
        if not query or limit <= 0:
            return []
        best: dict[int, tuple[tuple[int, int, int, str], int]] = {}

        def offer(rank: int, number: int, which: int) -> None:
            key = self._key(rank, number, which)
            if number not in best or key < best[number][0]:
                best[number] = (key, which)

        low = bisect_left(self._starts, query)
        high = bisect_left(self._starts, query + _END, low)
        span = range(low, high)
        if len(span) > 40 * limit:  # many: only the shortest names can make the list
            span = heapq.nsmallest(40 * limit, span, key=lambda i: len(self._starts[i]))
        for i in span:
            number, which = self._owners[i]
            name = self._entries[number].folded[which]
            offer(EXACT if name == query else PREFIX if name.startswith(query) else WORD,
                  number, which)
        if len(best) < limit:
            self._inside(query, offer, limit)
        words = query.split()
        if len(best) < limit and len(words) > 1:
            self._all_words(words, offer, limit)
        ranked = heapq.nsmallest(limit, best.items(), key=lambda item: item[1][0])
        return [self._suggestion(number, which) for number, (_, which) in ranked]

    def _entry_at(self, offset: int) -> int:
        return bisect_left(self._offsets, offset + 1) - 1

    def _inside(self, query: str, offer: object, limit: int) -> None:
        """Names holding the text inside a word: a scan of the one joined text (C speed),
        stopped after a few hundred hits."""
        at, hits = self._haystack.find(query), 0
        while at >= 0 and hits < 50 * limit:
            number = self._entry_at(at)
            entry = self._entries[number]
            for which, name in enumerate(entry.folded):
                if query in name:
                    offer(INSIDE, number, which)  # type: ignore[operator]
                    break
            hits += 1
            at = self._haystack.find(query, at + 1)

    def _all_words(self, words: list[str], offer: object, limit: int) -> None:
        """Entries whose names hold every typed word (a name written with its abbreviation,
        'Rijksdienst voor Ondernemend Nederland (RVO)'), found from the longest word."""
        longest = max(words, key=len)
        at, seen = self._haystack.find(longest), set()
        while at >= 0 and len(seen) < 200 * limit:
            number = self._entry_at(at)
            if number not in seen:
                seen.add(number)
                entry = self._entries[number]
                joined = " ".join(entry.folded)
                if all(w in joined for w in words):
                    offer(ALL_WORDS, number, 0)  # type: ignore[operator]
            at = self._haystack.find(longest, self._offsets[number + 1]
                                     if number + 1 < len(self._offsets) else len(self._haystack))

    def _suggestion(self, number: int, which: int) -> Suggestion:
        e = self._entries[number]
        return Suggestion(e.kind, e.id, e.name, e.detail, e.written[which])

    def closest(self, text: str, limit: int = 5) -> list[Suggestion]:
        """Names like `text` when none contains it (a typo: 'Logus'), by edit similarity."""
        # rapidfuzz late: only a name that nothing contains needs edit similarity
        from rapidfuzz import fuzz, process

        direct = self.suggest(text, limit)
        if direct:
            return direct
        found: dict[int, tuple[float, int]] = {}
        for _, score, i in process.extract(fold(text), self._choices, scorer=fuzz.ratio,
                                           limit=limit * 4, score_cutoff=60):
            number, which = self._choice_owners[i]
            if number not in found or score > found[number][0]:
                found[number] = (score, which)
        ranked = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [self._suggestion(number, which) for number, (_, which) in ranked]
