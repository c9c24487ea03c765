"""The hot summary of a story: what linking compares new events with, bounded in size.

A story may gather thousands of reports; its summary must not grow with them. Every part is a
capped count (the most frequent participants, places, figures, trigger words, context keys) or a
range (first and last day), so memory per story is flat however many events join it. The full
list of members lives in the store (the `events` table), never here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import sqrt
from typing import Any

from .facts import Facts

__all__ = ["StorySummary", "bump"]

_CAPS = {
    "countries": 8, "participants": 16, "places": 8, "quantities": 8, "triggers": 8,
    "cameo": 4, "modes": 4, "context": 48, "languages": 8,
}
_RECENT_DOCS = 8


def bump(counts: dict[str, float], key: str, cap: int, by: float = 1.0) -> None:
    """Count `key`; when full, the least counted key makes room (a space-saving counter)."""
    if key in counts:
        counts[key] += by
        return
    if len(counts) >= cap:
        weakest = min(counts, key=counts.__getitem__)
        # The newcomer inherits the evicted count, as in Metwally et al.'s space-saving sketch,
        # so a key that keeps coming back is not evicted forever by old heavy hitters.
        by += counts.pop(weakest)
    counts[key] = by


@dataclass
class StorySummary:
    id: int
    type: str
    historical: bool
    mode: str | None = None
    events: int = 0
    documents: int = 0
    first: str | None = None  # first and last day of the members' intervals
    last: str | None = None
    explicit: bool = False  # some member carries its own date (not just the report's)
    precise_first: str | None = None  # range of members dated to the day, explicitly
    precise_last: str | None = None
    countries: dict[str, float] = field(default_factory=dict)
    # key -> [name, kind, country, times an actor, times a recipient]
    participants: dict[str, list[Any]] = field(default_factory=dict)
    places: dict[str, list[Any]] = field(default_factory=dict)  # key -> [name, country, lat, lon, precision, n]
    quantities: dict[str, float] = field(default_factory=dict)  # "unit|value" -> n
    triggers: dict[str, float] = field(default_factory=dict)  # "lang:stem" -> n
    cameo: dict[str, float] = field(default_factory=dict)
    modes: dict[str, float] = field(default_factory=dict)
    context: dict[str, float] = field(default_factory=dict)
    languages: dict[str, float] = field(default_factory=dict)
    recent_docs: list[str] = field(default_factory=list)
    dirty: bool = field(default=False, compare=False, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # scoring's, dropped on change

    @classmethod
    def start(cls, ident: int, f: Facts) -> "StorySummary":
        summary = cls(id=ident, type=f.type, historical=f.historical)
        summary.add(f)
        return summary

    @classmethod
    def of(cls, ident: int, members: Sequence[Facts]) -> "StorySummary":
        """The summary of a story with these members, added in order (at least one)."""
        summary = cls.start(ident, members[0])
        for f in members[1:]:
            summary.add(f)
        return summary

    def add(self, f: Facts) -> None:
        self.events += 1
        self.dirty = True
        self.cache.clear()
        if f.document not in self.recent_docs:
            self.documents += 1
            self.recent_docs.append(f.document)
            del self.recent_docs[:-_RECENT_DOCS]
        interval = f.interval
        if interval is not None:
            self.first = min(self.first or interval[0], interval[0])
            self.last = max(self.last or interval[1], interval[1])
        if f.dated_explicitly and f.time is not None:
            self.explicit = True
            if f.time.precise:
                self.precise_first = min(self.precise_first or f.time.start, f.time.start)
                self.precise_last = max(self.precise_last or f.time.end, f.time.end)
        for c in f.countries:
            bump(self.countries, c, _CAPS["countries"])
        for role, group in ((3, f.actors), (4, f.recipients)):
            for p in group:
                if p.key is None:
                    continue
                entry = self.participants.get(p.key)
                if entry is None:
                    if len(self.participants) >= _CAPS["participants"]:
                        weakest = min(self.participants,
                                      key=lambda k: self.participants[k][3] + self.participants[k][4])
                        del self.participants[weakest]
                    entry = self.participants[p.key] = [p.name, p.kind, p.country, 0, 0]
                entry[role] += 1
        if f.place is not None:
            key = f.place.key
            entry = self.places.get(key)
            if entry is None:
                if len(self.places) >= _CAPS["places"]:
                    del self.places[min(self.places, key=lambda k: self.places[k][5])]
                entry = self.places[key] = [f.place.name, f.place.country, f.place.lat, f.place.lon,
                                            f.place.precision, 0]
            entry[5] += 1
        if f.quantity is not None and f.quantity.unit:
            bump(self.quantities, f"{f.quantity.unit}|{f.quantity.value:g}", _CAPS["quantities"])
        if f.trigger:
            bump(self.triggers, f"{f.language or ''}:{f.trigger[:5]}", _CAPS["triggers"])
        if f.cameo:
            bump(self.cameo, f.cameo, _CAPS["cameo"])
        if f.mode:
            bump(self.modes, f.mode, _CAPS["modes"])
            self.mode = max(self.modes, key=self.modes.__getitem__)
        weighted = f.context_weights()
        norm = sqrt(sum(w * w for _, w in weighted)) or 1.0
        for key, weight in weighted:
            # Each document adds a unit vector: the story's context is the sum of its reports'
            # (a centroid), so one long document cannot swamp it.
            bump(self.context, key, _CAPS["context"], by=weight / norm)
        if f.language:
            bump(self.languages, f.language, _CAPS["languages"])

    # -- what views and listings show ----------------------------------------------------------
    def top_participants(self, role: int | None = None, n: int = 3) -> list[list[Any]]:
        def weight(entry: list[Any]) -> float:
            return float(entry[role] if role is not None else entry[3] + entry[4])

        ranked = sorted(self.participants.values(), key=weight, reverse=True)
        return [e for e in ranked if weight(e) > 0][:n]

    def top_countries(self, n: int = 4) -> list[str]:
        return [c for c, _ in sorted(self.countries.items(), key=lambda kv: -kv[1])[:n]]

    def title(self) -> str:
        head = self.type + (f"/{self.mode}" if self.mode else "")
        actors = [e[0] for e in self.top_participants(3, 2)]
        recipients = [e[0] for e in self.top_participants(4, 2) if e[0] not in actors]
        # With no participant at all, the countries involved; an unknown actor is "?", never
        # a recipient's country standing in for it.
        text = f"{head}: {', '.join(actors or ([] if recipients else self.top_countries(2))) or '?'}"
        if recipients:
            text += f" → {', '.join(recipients)}"
        if self.places:
            place = max(self.places.values(), key=lambda e: e[5])
            text += f" in {place[0]}"
        if self.first:
            text += f", {self.first}" + (f" to {self.last}" if self.last and self.last != self.first else "")
        return ("background: " if self.historical else "") + text

    # -- JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("dirty", "cache")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "StorySummary":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k not in ("dirty", "cache")})
