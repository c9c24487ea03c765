"""Incremental linking: each event joins its most compatible story or starts a new one.

The linker sees one event at a time, in ingest order, and never revisits a decision or removes a
report: here a story only grows (the second pass, revisit.py, revisits a batch's decisions).
Candidates come from a `StoryIndex` by blocking keys (keys.py); the index holds story summaries
(summary.py), bounded in size, not members. Two indexes exist: an
in-memory one here (benchmarks, evaluations, batch runs) and the store's (link/storage.py), which
keeps summaries and keys in SQL so that linking carries on across ingests and processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from dataclasses import dataclass
from math import log
from typing import Protocol

from . import keys as blocking
from .facts import Facts
from .score import THRESHOLD, Probe
from .summary import StorySummary

__all__ = ["Link", "Linker", "StoryIndex", "MemoryIndex", "idf"]


@dataclass(frozen=True)
class Link:
    """Where one event went: its story, the score that took it there, and whether it is new."""

    facts: Facts
    story: int
    score: float
    new: bool


class StoryIndex(Protocol):
    def candidates(self, keys: Iterable[str]) -> list[StorySummary]: ...

    def create(self, f: Facts) -> StorySummary: ...

    def file(self, story: StorySummary, keys: Iterable[str]) -> None: ...

    def unfile_undated(self, story: StorySummary) -> None: ...

    def save(self, story: StorySummary) -> None: ...

    def rarity(self, keys: Iterable[str]) -> Mapping[str, float]:
        """Inverse document frequency of each key, and of a never-seen key under ""."""
        ...

    def count(self, keys: Iterable[str]) -> None: ...


class MemoryIndex:
    """Summaries and keys in dictionaries.

    With `horizon_days`, stories whose last day is that far behind the newest day seen leave the
    index (they stay whatever the caller recorded): memory stays flat over an endless stream.
    """

    def __init__(self, horizon_days: int | None = None) -> None:
        self.stories: dict[int, StorySummary] = {}
        self._keys: dict[str, list[int]] = {}
        self._filed: dict[int, set[str]] = {}
        self._next = 1
        self.horizon_days = horizon_days
        self._newest: str | None = None
        self._since_sweep = 0
        self._df: dict[str, int] = {}
        self._documents = 0

    def candidates(self, keys: Iterable[str]) -> list[StorySummary]:
        seen: set[int] = set()
        found: list[StorySummary] = []
        for key in keys:
            for ident in self._keys.get(key, ()):
                if ident not in seen:
                    seen.add(ident)
                    found.append(self.stories[ident])
        return found

    def create(self, f: Facts) -> StorySummary:
        story = StorySummary.start(self._next, f)
        self._next += 1
        self.stories[story.id] = story
        self._filed[story.id] = set()
        return story

    def file(self, story: StorySummary, keys: Iterable[str]) -> None:
        filed = self._filed[story.id]
        for key in keys:
            if key not in filed:
                filed.add(key)
                self._keys.setdefault(key, []).append(story.id)

    def unfile_undated(self, story: StorySummary) -> None:
        filed = self._filed[story.id]
        for key in [k for k in filed if k.endswith(blocking.UNDATED)]:
            filed.discard(key)
            self._keys[key].remove(story.id)

    def save(self, story: StorySummary) -> None:
        story.dirty = False
        if self.horizon_days is None or story.last is None:
            return
        if self._newest is None or story.last > self._newest:
            self._newest = story.last
        self._since_sweep += 1
        if self._since_sweep >= 10_000:
            self._since_sweep = 0
            self.sweep()

    def rarity(self, keys: Iterable[str]) -> Mapping[str, float]:
        return _Rarity(self._documents, self._df)  # on demand: `keys` is not walked

    def count(self, keys: Iterable[str]) -> None:
        self._documents += 1
        for key in set(keys):
            self._df[key] = self._df.get(key, 0) + 1

    def sweep(self) -> None:
        """Drop stories older than the horizon from the index."""
        if self.horizon_days is None or self._newest is None:
            return
        cutoff = blocking.shift(self._newest, -self.horizon_days)
        for ident in [i for i, s in self.stories.items() if s.last is not None and s.last < cutoff]:
            for key in self._filed.pop(ident):
                bucket = self._keys[key]
                bucket.remove(ident)
                if not bucket:
                    del self._keys[key]
            del self.stories[ident]

    def __len__(self) -> int:
        return len(self.stories)


class Linker:
    """Link events to stories through an index.

    `window_days`: how far apart in time two reports may be and still tell one happening — a
    week for events (the default); wider for document-level stories that follow a happening
    through its aftermath."""

    def __init__(self, index: StoryIndex, threshold: float = THRESHOLD,
                 window_days: int = blocking.WINDOW_DAYS) -> None:
        self.index = index
        self.threshold = threshold
        self.window = window_days
        self._epoch = -1
        self._weights: dict[str, float] = {}

    def link(self, f: Facts) -> Link:
        best: StorySummary | None = None
        best_score = float("-inf")
        candidates = self.index.candidates(blocking.query_keys(f, self.window))
        if candidates:
            # A generator: an index that computes rarity on demand need not walk it.
            wanted = chain(f.context, (p.key for p in f.participants if p.key),
                           *(s.context for s in candidates), *(s.participants for s in candidates))
            rarity = self.index.rarity(wanted)
            epoch = round(rarity.get("", 1.0) * 10)
            if epoch != self._epoch:  # rarities have moved: weigh keys afresh
                self._epoch, self._weights = epoch, {}
            probe = Probe(f, self.window, rarity, self._weights)
        for story in candidates:
            score = probe.score(story)
            # Ties go to the older story: the first to tell a happening keeps it.
            if score > best_score or (score == best_score and best is not None and story.id < best.id):
                best, best_score = story, score
        if best is not None and best_score >= self.threshold:
            was_undated = best.first is None
            best.add(f)
            if was_undated and best.first is not None:
                self.index.unfile_undated(best)  # dated now: dated events find it by its days
            self.index.file(best, blocking.index_keys(f))
            self.index.save(best)
            return Link(f, best.id, best_score, False)
        story = self.index.create(f)
        self.index.file(story, blocking.index_keys(f))
        self.index.save(story)
        return Link(f, story.id, best_score, True)

    def link_document(self, facts: Sequence[Facts]) -> list[Link]:
        """Link the events of one document, then count its context keys once (their rarity
        weighs the evidence of shared names for the documents that follow)."""
        links = [self.link(f) for f in facts]
        if facts:
            self.index.count(facts[0].context)
        return links

    def link_all(self, facts: Iterable[Facts]) -> Iterator[Link]:
        for f in facts:
            yield self.link(f)


class _Rarity(dict[str, float]):
    """Inverse document frequencies computed when first asked for."""

    def __init__(self, documents: int, frequency: dict[str, int]) -> None:
        super().__init__()
        self.documents, self.frequency = documents, frequency

    def __missing__(self, key: str) -> float:
        value = self[key] = idf(self.documents, self.frequency.get(key, 0) if key else 0)
        return value

    def get(self, key: str, default: float | None = None) -> float:  # type: ignore[override]
        return self[key]


def idf(documents: int, frequency: int) -> float:
    """Smoothed inverse document frequency: 1 for a key in every document, more for rarer ones."""
    return log((1 + documents) / (1 + frequency)) + 1.0
