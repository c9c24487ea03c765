"""The resolved attributes of one event, as linking needs them: plain, language-independent data.

An Event in a Document points at entity, place, time, quantity and attribution ids of that
document. Linking compares events across documents and languages, so each event is resolved here
once into `Facts`: participants as comparable keys (ISO country codes, folded name keys), the
place with its coordinates, the time as an interval of ISO days, the quantity with its unit, who
says it, and the document's salient context. Facts are what the store keeps per event (JSON) and
what story views are built from; nothing here decides whether two events are the same.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from ..models import Attribution, Document, Entity, Event, Place, Quantity, TimeExpr

__all__ = [
    "Participant", "PlaceFact", "TimeFact", "QuantityFact", "SourceFact", "Facts",
    "document_facts", "event_facts", "report_facts", "fold", "name_key", "outlet_of", "REALIS", "IRREALIS",
    "DOCUMENT_TYPE",
]

# Statuses of things said to have happened or to be happening: their figures can contradict.
REALIS = frozenset({"occurred", "ongoing"})
# Claims about the future or the possible: they are made now, whatever date they point to.
IRREALIS = frozenset({"planned", "possible", "feared", "hypothetical"})

# Time granularities precise enough to place an event on its own (a day or finer).
_PRECISE = frozenset({"day", "time", "hour", "minute", "second", "part_of_day"})
_CONTEXT_SIZE = 24  # salient keys kept per document: enough to tell two stories apart
_LEAD_SHARE = 0.2  # the first fifth of a text: headline and lede, where news names its subject
DOCUMENT_TYPE = "DOCUMENT"  # the type of report_facts: a document's main happening, whatever it is

_NON_WORD = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_VOWELS = re.compile(r"[aeiouy]+")
_REPEAT = re.compile(r"(.)\1+")


@cache
def fold(text: str) -> str:
    """Case-, accent- and punctuation-folded form, for comparing names across languages."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).strip()


@cache
def _skeleton(word: str) -> str:
    # Transliterations of one name differ mostly in vowels and doubled letters
    # (Putin/Poutine, Zelensky/Zelenskyy/Zelenskiy): compare the consonants.
    word = word.replace("ou", "u").replace("kh", "h").replace("j", "y")
    bare = _REPEAT.sub(r"\1", _VOWELS.sub("", word))
    return bare if len(bare) >= 2 else word


def name_key(entity: Entity) -> str | None:
    """A key under which the same participant meets itself in other documents and languages.

    Countries by ISO code; persons by the consonant skeleton of their surname; organisations and
    groups by their folded name. Anonymous sources have no key: "an official" in one article is
    not known to be "an official" in another.
    """
    if entity.anonymous:
        return None
    if entity.kind == "country":
        code = entity.country or fold(entity.name).upper()
        return f"c:{code}" if code else None
    name = _POSSESSIVE.sub("", entity.name.strip())
    folded = fold(name)
    if not folded:
        return None
    if entity.kind == "place":
        return "l:" + folded
    words = [w for w in folded.split() if w not in _NAME_SUFFIXES] or folded.split()
    # A lone capitalised word is a surname more often than not, whatever kind the tagger gave
    # it ("Jackman" as an organisation): it meets the person under the same key.
    if entity.kind == "person" or (len(words) == 1 and not name.isupper()):
        return "p:" + _skeleton(words[-1])
    return "o:" + folded


@dataclass(frozen=True)
class Participant:
    key: str | None
    name: str
    kind: str
    country: str | None = None


@dataclass(frozen=True)
class PlaceFact:
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None
    precision: str = "country"
    geonames_id: int | None = None

    @property
    def key(self) -> str:
        if self.geonames_id is not None:
            return f"g:{self.geonames_id}"
        return f"n:{fold(self.name)}|{self.country or ''}"


@dataclass(frozen=True)
class TimeFact:
    start: str  # first ISO day the expression covers
    end: str  # last ISO day it covers (inclusive)
    value: str
    granularity: str | None = None
    text: str = ""

    @property
    def precise(self) -> bool:
        return (self.granularity or "") in _PRECISE or self.start == self.end


@dataclass(frozen=True)
class QuantityFact:
    value: float
    unit: str | None
    approximate: bool = False
    bound: str | None = None  # at_least|at_most
    text: str = ""


@dataclass(frozen=True)
class SourceFact:
    """Who says it: the attributed source, and the channel it came through (a post, a wire)."""

    name: str
    key: str | None  # None for anonymous sources
    kind: str = "person"
    country: str | None = None
    anonymous: bool = False
    role: str | None = None
    via: str | None = None  # name of the channel
    via_key: str | None = None


@dataclass(frozen=True)
class Facts:
    document: str
    event: str
    type: str
    mode: str | None = None
    cameo: str | None = None
    trigger: str = ""
    status: str = "occurred"
    certainty: str = "asserted"
    negated: bool = False
    historical: bool = False
    actors: tuple[Participant, ...] = ()
    recipients: tuple[Participant, ...] = ()
    place: PlaceFact | None = None
    time: TimeFact | None = None
    quantity: QuantityFact | None = None
    source: SourceFact | None = None
    published: str | None = None
    language: str | None = None
    outlet: str | None = None
    url: str | None = None
    sentence: str = ""
    position: int = 0  # order of the event in its document: the lede comes first
    context: tuple[str, ...] = field(default=())
    salience: tuple[float, ...] = field(default=())  # weight of each context key in its document

    def context_weights(self) -> list[tuple[str, float]]:
        """Context keys with their weights: given, else decreasing with rank."""
        if len(self.salience) == len(self.context):
            return list(zip(self.context, self.salience))
        return [(k, 1.0 / (1 + rank / 8)) for rank, k in enumerate(self.context)]

    # -- derived views used by blocking and scoring -------------------------------------------
    @property
    def participants(self) -> tuple[Participant, ...]:
        return self.actors + self.recipients

    @property
    def countries(self) -> frozenset[str]:
        found = {p.country for p in self.participants if p.country}
        if self.place is not None and self.place.country:
            found.add(self.place.country)
        return frozenset(found)

    @property
    def interval(self) -> tuple[str, str] | None:
        """The days the event can be on: its explicit time when it dates the event itself, else the
        report's date. A plan or a fear is a claim made now, whatever future date it names."""
        if self.time is not None and self.status not in IRREALIS:
            return self.time.start, self.time.end
        if self.published and not self.historical:
            # A background event is by definition not of the report's day: with no time of its
            # own it is undated, and meets its story by participants and place alone.
            day = self.published[:10]
            return day, day
        return None

    @property
    def day(self) -> str | None:
        """One reference day: the start of a precise explicit time, else the report's date (none
        for a background event without a time of its own)."""
        if self.time is not None and self.status not in IRREALIS and (self.time.precise or not self.published):
            return self.time.start
        if self.historical and not self.dated_explicitly:
            return None
        return self.published[:10] if self.published else (self.time.start if self.time else None)

    @property
    def dated_explicitly(self) -> bool:
        return self.time is not None and self.status not in IRREALIS

    # -- JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Facts":
        nested: dict[str, type] = {"place": PlaceFact, "time": TimeFact, "quantity": QuantityFact, "source": SourceFact}
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in ("actors", "recipients"):
                value = tuple(Participant(**p) for p in value)
            elif f.name in nested and value is not None:
                value = nested[f.name](**value)
            elif f.name in ("context", "salience"):
                value = tuple(value)
            kwargs[f.name] = value
        return cls(**kwargs)


# -- building facts from a document -----------------------------------------------------------

def outlet_of(url: str | None, outlet: str | None, path: str | None = None) -> str | None:
    """Who published a copy: the outlet's name, else its web host, else the file's name."""
    if outlet:
        return outlet
    if url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or None
    if path and path != "<text>":
        return path.replace("\\", "/").rsplit("/", 1)[-1]
    return None


def _iso_day(value: str | None) -> str | None:
    if not value or len(value) < 4 or not value[:4].isdigit():
        return None
    try:
        if len(value) >= 10:
            return date.fromisoformat(value[:10]).isoformat()
        if len(value) >= 7:
            return date(int(value[:4]), int(value[5:7]), 1).isoformat()
        return date(int(value[:4]), 1, 1).isoformat()
    except ValueError:
        return None


def _end_day(value: str | None) -> str | None:
    """The last day covered by an ISO prefix: 2024-09 → 2024-09-30, 2024 → 2024-12-31."""
    start = _iso_day(value)
    if start is None or value is None:
        return None
    first = date.fromisoformat(start)
    if len(value) >= 10:
        return start
    if len(value) >= 7:
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return (following - timedelta(days=1)).isoformat()
    return date(first.year, 12, 31).isoformat()


def _time_fact(t: TimeExpr) -> TimeFact | None:
    if t.type not in ("DATE", "TIME"):
        return None  # durations and sets do not date an event
    # start/end bound the expression (inclusive); an open side ("depuis", "d'ici") falls back on
    # the period the value names.
    start = _iso_day(t.start) or _iso_day(t.value)
    end = _end_day(t.end) or _end_day(t.value)
    if start is None and end is None:
        return None
    start = start or end
    end = end if end is not None and end >= start else start  # type: ignore[operator]
    return TimeFact(start=start, end=end, value=t.value, granularity=t.granularity, text=t.text)


def _place_fact(p: Place) -> PlaceFact:
    return PlaceFact(name=p.name, country=p.country, lat=p.lat, lon=p.lon, precision=p.precision,
                     geonames_id=p.geonames_id)


def _quantity_fact(q: Quantity) -> QuantityFact:
    return QuantityFact(value=float(q.value), unit=q.unit, approximate=q.approximate, bound=q.bound, text=q.text)


def _participant(entity: Entity) -> Participant:
    country = entity.country
    return Participant(key=name_key(entity), name=entity.name, kind=entity.kind, country=country)


def _source_fact(attribution: Attribution, entities: dict[str, Entity],
                 attributions: dict[str, Attribution]) -> SourceFact | None:
    entity = entities.get(attribution.source or "")
    if entity is None:
        # Attributed, but to no resolved entity: an unnamed source, not the outlet's own voice.
        speaker = (attribution.cue or {}).get("speaker") or {}
        return SourceFact(name=str(speaker.get("text") or "unnamed source"), key=None, anonymous=True)
    via_name = via_key = None
    via = attribution.via
    if via in attributions:  # nested report: the channel is the outer attribution's source
        via = attributions[via].source
    if via in entities:
        channel = entities[via]
        via_name, via_key = channel.name, name_key(channel)
    return SourceFact(name=entity.name, key=name_key(entity), kind=entity.kind, country=entity.country,
                      anonymous=entity.anonymous, role=entity.role, via=via_name, via_key=via_key)


def _salience(doc: Document, first: int, mentions: int) -> float:
    # Mentions count; a name in the headline or lede counts double: that is what the text is about.
    return max(1, mentions) * (2.0 if first < _LEAD_SHARE * max(1, len(doc.text)) else 1.0)


def _context(doc: Document) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The document's most salient named things, what makes its story its own, with weights
    (1 + log of their salience: a name said ten times is not ten times the evidence)."""
    weights: Counter[str] = Counter()
    for e in doc.entities:
        key = name_key(e)
        if key is not None:
            first = min((m[0] for m in e.mentions), default=len(doc.text))
            weights[key] += _salience(doc, first, len(e.mentions))
    for p in doc.places:
        weights[PlaceFact(p.name, p.country, geonames_id=p.geonames_id).key] += _salience(doc, p.span[0], 1)
    for t in doc.times:
        if t.type == "DATE" and t.value[:4].isdigit():
            weights[f"y:{t.value[:4]}"] += 1
    for q in doc.quantities:
        if q.unit:  # "five hurt", "$2.5 million": a figure shared by two reports is telling
            weights[f"q:{q.unit}|{float(q.value):g}"] += 0.5
    # Ties keep first-mention order (Counter preserves insertion order).
    top = weights.most_common(_CONTEXT_SIZE)
    return tuple(k for k, _ in top), tuple(round(1.0 + math.log(max(w, 1.0)), 3) for _, w in top)


def _language_at(doc: Document, offset: int) -> str | None:
    for seg in doc.segments:
        if seg.span[0] <= offset < seg.span[1]:
            return seg.language
    return doc.language


def event_facts(doc: Document, event: Event, position: int = 0,
                context: tuple[tuple[str, ...], tuple[float, ...]] | None = None) -> Facts:
    """Resolve one event of `doc` into Facts."""
    entities = {e.id: e for e in doc.entities}
    attributions = {a.id: a for a in doc.attributions}
    places = {p.id: p for p in doc.places}
    times = {t.id: t for t in doc.times}
    quantities = {q.id: q for q in doc.quantities}
    time = _time_fact(times[event.time]) if event.time in times else None
    attribution = attributions.get(event.attribution or "")
    sentence = event.sentence or {}
    span = sentence.get("span") or (event.trigger or {}).get("span") or (0, 0)
    return Facts(
        document=doc.id, event=event.id, type=event.type, mode=event.mode, cameo=event.cameo,
        trigger=fold(str((event.trigger or {}).get("text", ""))),
        status=event.status, certainty=event.certainty,
        negated=event.negated, historical=event.historical,
        actors=tuple(_participant(entities[i]) for i in event.actors if i in entities),
        recipients=tuple(_participant(entities[i]) for i in event.recipients if i in entities),
        place=_place_fact(places[event.place]) if event.place in places else None,
        time=time,
        quantity=_quantity_fact(quantities[event.quantity]) if event.quantity in quantities else None,
        source=_source_fact(attribution, entities, attributions) if attribution else None,
        published=doc.published, language=_language_at(doc, int(span[0])),
        outlet=outlet_of(doc.source.url, doc.source.outlet, doc.source.path), url=doc.source.url,
        sentence=str(sentence.get("text", "")), position=position,
        context=(context or _context(doc))[0], salience=(context or _context(doc))[1],
    )


def document_facts(doc: Document) -> list[Facts]:
    """Facts of every event of `doc`, in text order."""
    context = _context(doc)
    ordered = sorted(doc.events, key=lambda e: tuple((e.trigger or {}).get("span") or (0, 0)))
    return [event_facts(doc, e, i, context) for i, e in enumerate(ordered)]


def report_facts(doc: Document) -> Facts:
    """The document as one report of its main happening, whatever its kind: its most salient
    named participants, place and date, and its context. Linking these gives document-level
    stories (an article belongs to the story of what it is mainly about), as the ECB+
    evaluation needs; the events of the document keep their own, finer stories."""
    context, salience = _context(doc)
    events = document_facts(doc)
    lead = next((f for f in events if not f.historical), None)
    people: Counter[str] = Counter()
    named: dict[str, Entity] = {}
    for e in doc.entities:
        key = name_key(e)
        if key is None or key.startswith("c:"):
            continue
        first = min((m[0] for m in e.mentions), default=len(doc.text))
        people[key] += _salience(doc, first, len(e.mentions))
        named.setdefault(key, e)
    actors = tuple(_participant(named[k]) for k, _ in people.most_common(4))
    place = lead.place if lead is not None and lead.place is not None else None
    if place is None and doc.places:
        counts = Counter(PlaceFact(p.name, p.country, geonames_id=p.geonames_id).key for p in doc.places)
        best = counts.most_common(1)[0][0]
        place = next(_place_fact(p) for p in doc.places
                     if PlaceFact(p.name, p.country, geonames_id=p.geonames_id).key == best)
    return Facts(
        document=doc.id, event="document", type=DOCUMENT_TYPE, actors=actors, place=place,
        time=lead.time if lead is not None else None, published=doc.published, language=doc.language,
        outlet=outlet_of(doc.source.url, doc.source.outlet, doc.source.path), url=doc.source.url,
        context=context, salience=salience,
    )
