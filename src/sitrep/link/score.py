"""Compatibility of an event with a story: how much the evidence says they are one happening.

The score is a sum of evidence, each part positive when the event and the story agree and
negative when they disagree, zero when one side says nothing:

- participants: the same named persons and organisations (across languages: keys are folded
  name skeletons), the same countries; different named actors on both sides count against;
- time: overlapping days for, days far apart against (a plan or fear is dated by its report);
- place: the same place or nearby for, far-apart places of city precision against;
- trigger: the same trigger word (same language), CAMEO root and mode;
- quantity: the same figure for the same unit (a different figure is not evidence against:
  reports disagree on figures, and that is what contradictions show);
- lead: the main named participant of the event unknown to the story, and the story's unknown
  to the event's document, counts against (two hosts of one show, two fighters of one champion);
- context: the cosine of the document's salient names, places and years with the story's, each
  weighted by its kind and by its rarity (a name in every story of the store says little).

An event joins the best-scoring candidate at or above `THRESHOLD`. The weights are set by hand
from what each clue is worth, then checked on ECB+ (docs/ACCURACY.md, "Stories").
"""

from __future__ import annotations

from collections.abc import Mapping
from math import asin, cos, radians, sin, sqrt

from .facts import DOCUMENT_TYPE, Facts
from .keys import WINDOW_DAYS, day_distance
from .summary import StorySummary

__all__ = ["compatibility", "explain", "Probe", "THRESHOLD", "distance_km"]

THRESHOLD = 2.0
CONTEXT_SCALE, CONTEXT_OFFSET = 4.0, -0.5  # cosine of the context vectors → evidence

# How telling a shared context key is, by its kind: a person or organisation named in both
# documents says much, a shared year some, a shared country (everyone mentions the US) little.
_CONTEXT_WEIGHT = {"p": 1.0, "o": 1.0, "l": 0.7, "g": 0.7, "n": 0.7, "y": 0.4, "q": 0.5, "c": 0.15}
_NEAR_KM, _REGION_KM, _FAR_KM = 30.0, 150.0, 300.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = radians(lat1), radians(lat2)
    a = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * asin(min(1.0, sqrt(a)))


class Probe:
    """One event prepared for scoring against many candidate stories: what depends on the event
    alone (its named participants, its context vector) is computed once."""

    def __init__(self, f: Facts, window: int = WINDOW_DAYS, rarity: Mapping[str, float] | None = None,
                 weights: dict[str, float] | None = None) -> None:
        self.f, self.window, self.rarity = f, window, rarity
        self.named = {p.key for p in f.participants if p.key and not p.key.startswith("c:")}
        self.countries = f.countries
        self.lead = next((p.key for p in f.actors if p.key and not p.key.startswith("c:")), None)
        # Key weights may be shared by the probes of one epoch (see below): they change slowly.
        self._weights: dict[str, float] = {} if weights is None else weights
        # Rarities drift as documents come in; a story's norm is recomputed when the rarity of a
        # never-seen name (log of the document count) has moved by a tenth.
        self.epoch = round(rarity.get("", 1.0) * 10) if rarity is not None else 0
        self.own = {k: self.weight(k) * w for k, w in f.context_weights()}
        self.own_norm = sqrt(sum(w * w for w in self.own.values()))

    def weight(self, key: str) -> float:
        """How much a shared context key tells: its kind's weight times its rarity."""
        w = self._weights.get(key)
        if w is None:
            rarity = self.rarity.get(key, 1.0) if self.rarity is not None else 1.0
            w = self._weights[key] = _CONTEXT_WEIGHT.get(key[0], 0.5) * rarity
        return w

    def story_norm(self, s: StorySummary) -> float:
        """Length of the story's context vector; kept on the summary until it changes or the
        rarities move (the never-seen rarity is their yardstick)."""
        cached = s.cache.get("norm")
        if cached is None or cached[0] != self.epoch:
            weight = self.weight
            cached = s.cache["norm"] = (self.epoch, sqrt(sum((weight(k) * n) ** 2 for k, n in s.context.items())))
        return cached[1]

    def parts(self, s: StorySummary) -> dict[str, float]:
        if self.f.type != s.type or self.f.historical != s.historical:
            return {"blocked": float("-inf")}  # background never joins news, nor one type another
        if self.f.type == DOCUMENT_TYPE:
            # A whole document has no roles, one place or one day: it is compared by all it
            # names (participants, places, years, figures), weighted by salience and rarity.
            return {"context": _context(self, s)}
        f = self.f
        return {
            "participants": _participants(self, s), "lead": _lead(self, s), "time": _time(f, s, self.window),
            "place": _place(f, s), "trigger": _trigger(f, s), "quantity": _quantity(f, s), "context": _context(self, s),
        }

    def score(self, s: StorySummary) -> float:
        f = self.f
        if f.type != s.type or f.historical != s.historical:
            return float("-inf")
        if f.type == DOCUMENT_TYPE:
            return _context(self, s)
        return (_participants(self, s) + _lead(self, s) + _time(f, s, self.window) + _place(f, s) + _trigger(f, s)
                + _quantity(f, s) + _context(self, s))


def _participants(probe: Probe, s: StorySummary) -> float:
    story_named = [k for k in s.participants if not k.startswith("c:")]
    score = 0.0
    if probe.named and story_named:
        shared = probe.named.intersection(story_named)
        if shared:
            # A participant every story has (the champion, the country at war) says less than
            # one only this happening has: weigh by rarity against a never-seen name's.
            rarity = probe.rarity
            top = rarity.get("", 1.0) if rarity is not None else 1.0
            score += min(3.0, sum(1.5 * (rarity.get(k, top) if rarity is not None else 1.0) / top for k in shared))
        else:
            score -= 1.0  # different named actors on both sides: two happenings of one kind
    shared_countries = len(probe.countries.intersection(s.countries))
    score += 0.5 * min(shared_countries, 2)
    return score


def _interval_gap(a: tuple[str, str], first: str, last: str) -> int:
    if a[1] < first:
        return day_distance(a[1], first)
    if a[0] > last:
        return day_distance(last, a[0])
    return 0


def _time(f: Facts, s: StorySummary, window: int) -> float:
    interval = f.interval
    if interval is None or s.first is None or s.last is None:
        return 0.0
    if f.dated_explicitly and f.time is not None and f.time.precise and s.precise_first and s.precise_last:
        # Both sides name the day: one that is not the other's is telling (two strikes, two days).
        gap = _interval_gap((f.time.start, f.time.end), s.precise_first, s.precise_last)
        if gap == 0:
            return 1.0
        return 0.3 if gap <= 1 else max(-4.0, -0.5 - gap / window)
    gap = _interval_gap(interval, s.first, s.last)
    if gap == 0:
        return 0.5
    if gap <= window:
        return 0.0
    return max(-4.0, -1.5 * (gap - window) / window)


def _place(f: Facts, s: StorySummary) -> float:
    place = f.place
    if place is None or not s.places:
        return 0.0
    if place.key in s.places:
        return 1.0
    best = None
    for _name, country, lat, lon, precision, _n in s.places.values():
        both_local = place.precision in ("city", "site") and precision in ("city", "site")
        if place.lat is not None and lat is not None and both_local:
            d = distance_km(place.lat, place.lon or 0.0, lat, lon)
            value = 0.8 if d <= _NEAR_KM else 0.3 if d <= _REGION_KM else 0.0 if d <= _FAR_KM else -1.0
        elif place.country and place.country == country:
            value = 0.3  # one place within the other's country: granularity, not disagreement
        elif place.country and country and place.precision == "country" and precision == "country":
            value = -0.5
        else:
            value = 0.0
        best = value if best is None else max(best, value)
    return best or 0.0


def _trigger(f: Facts, s: StorySummary) -> float:
    score = 0.0
    if f.trigger and f"{f.language or ''}:{f.trigger[:5]}" in s.triggers:
        score += 0.5
    if f.cameo and s.cameo:
        score += 0.3 if f.cameo in s.cameo else -0.3
    if f.mode and s.modes:
        score += 0.3 if f.mode in s.modes else -0.5
    return score


def _quantity(f: Facts, s: StorySummary) -> float:
    q = f.quantity
    if q is None or not q.unit or not s.quantities:
        return 0.0
    for key in s.quantities:
        unit, _, value = key.partition("|")
        if unit == q.unit and abs(float(value) - q.value) <= 0.1 * max(abs(q.value), 1.0):
            return 0.5
    return 0.0


def _context(probe: Probe, s: StorySummary) -> float:
    score = 0.0
    if probe.f.document in s.recent_docs:
        # Several events of one type and country in one document are one story more often than
        # not: the article tells it in several sentences.
        score += 1.5
    if not probe.own or not s.context:
        return score
    theirs, weight = s.context, probe.weight
    dot = 0.0
    for k, w in probe.own.items():
        n = theirs.get(k)
        if n:
            dot += w * weight(k) * n
    if dot == 0.0:
        return score + CONTEXT_OFFSET
    return score + CONTEXT_SCALE * dot / (probe.own_norm * probe.story_norm(s)) + CONTEXT_OFFSET


def _lead(probe: Probe, s: StorySummary) -> float:
    """The main named participant on each side: when neither side knows the other's, two
    happenings of one kind (two hosts, two fighters) are more likely than one."""
    mine = probe.lead
    if mine is None or not s.participants:
        return 0.0
    theirs = max(s.participants, key=lambda k: s.participants[k][3])
    if s.participants[theirs][3] == 0 or theirs.startswith("c:") or mine == theirs:
        return 0.0
    if mine in s.participants or theirs in probe.own:
        return 0.0
    return -1.5


def explain(f: Facts, s: StorySummary, window: int = WINDOW_DAYS,
            rarity: Mapping[str, float] | None = None) -> dict[str, float]:
    """Each part of the score, for debugging and tests."""
    return Probe(f, window, rarity).parts(s)


def compatibility(f: Facts, s: StorySummary, window: int = WINDOW_DAYS,
                  rarity: Mapping[str, float] | None = None) -> float:
    """The evidence that `f` reports the happening of story `s` (≥ THRESHOLD: link); days more
    than `window` apart count against; `rarity` weighs context keys (rare names say more)."""
    return Probe(f, window, rarity).score(s)
