"""Typed records that flow through sitrep: frozen dataclasses with to_dict()/from_dict().

Every annotation points at a character span `[start, end)` of `Document.text`. Stages never
mutate a document: they return a copy with their fields filled (`dataclasses.replace`).
The field names follow the report contract of DESIGN.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, TypeVar

__all__ = [
    "Span", "Source", "RawDocument", "Reject", "Segment", "EmbeddedPost", "Disclosure",
    "Entity", "TimeExpr", "Quantity", "Place", "Attribution", "Clause", "Event", "Parsed",
    "Document",
]

Span = tuple[int, int]
T = TypeVar("T")


class Record:
    """Mixin: plain-dict conversion that round-trips through JSON."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs = {k: _tupled(v) for k, v in data.items() if k in known}
        return cls(**kwargs)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _tupled(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


@dataclass(frozen=True)
class Source(Record):
    """Where one copy of a document was seen."""

    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None

    @property
    def name(self) -> str:
        return self.url or self.path or "<stdin>"


@dataclass(frozen=True)
class RawDocument(Record):
    """An input before normalisation: its text (already decoded or extracted) and metadata."""

    text: str
    source: Source
    published: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Reject(Record):
    """An input we could not read, with a one-line reason."""

    source: str
    reason: str


@dataclass(frozen=True)
class Segment(Record):
    """A line or paragraph; `sentences` are spans inside it."""

    span: Span
    language: str
    kind: str = "body"  # body|title|embedded_post|disclosure|boilerplate
    supported: bool = True
    sentences: tuple[Span, ...] = ()


@dataclass(frozen=True)
class EmbeddedPost(Record):
    platform: str
    author: str | None
    handle: str | None
    published: str | None
    url: str | None
    text: str
    language: str | None
    span: Span
    text_span: Span = (0, 0)


@dataclass(frozen=True)
class Disclosure(Record):
    text: str
    span: Span


@dataclass(frozen=True)
class Entity(Record):
    id: str
    name: str
    kind: str  # country|person|organization|group|place
    country: str | None = None
    role: str | None = None
    anonymous: bool = False
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    org_kind: str | None = None


@dataclass(frozen=True)
class TimeExpr(Record):
    id: str
    text: str
    span: Span
    type: str  # DATE|TIME|DURATION|SET
    value: str
    start: str | None = None
    end: str | None = None
    granularity: str | None = None
    mod: str | None = None  # TIMEX3 mod / bound: START, END, BEFORE, AFTER, APPROX …


@dataclass(frozen=True)
class Quantity(Record):
    id: str
    text: str
    span: Span
    value: float | int
    unit: str | None = None
    approximate: bool = False
    bound: str | None = None  # at_least|at_most|None


@dataclass(frozen=True)
class Place(Record):
    id: str
    text: str
    span: Span
    name: str
    country: str | None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "country"  # country|region|city|site


@dataclass(frozen=True)
class Attribution(Record):
    id: str
    source: str | None
    cue: dict[str, Any]
    content: dict[str, Any]
    direct: bool = False
    via: str | None = None


@dataclass(frozen=True)
class Clause(Record):
    """A clause with its certainty, which events inherit."""

    span: Span
    status: str = "occurred"
    certainty: str = "asserted"
    negated: bool = False
    historical: bool = False
    attribution: str | None = None
    cue: str | None = None


@dataclass(frozen=True)
class Event(Record):
    id: str
    type: str
    mode: str | None
    contexts: tuple[str, ...]
    trigger: dict[str, Any]
    actors: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    place: str | None = None
    time: str | None = None
    quantity: str | None = None
    status: str = "occurred"
    certainty: str = "asserted"
    negated: bool = False
    historical: bool = False
    attribution: str | None = None
    sentence: dict[str, Any] = field(default_factory=dict)
    cameo: str | None = None
    purpose: dict[str, Any] | None = None  # {text, span}: "pour s'entraîner", an addition to the contract


@dataclass(frozen=True)
class Parsed:
    """A spaCy parse of one segment; `offset` maps token offsets back into Document.text."""

    offset: int
    doc: Any  # spacy.tokens.Doc; kept out of the report

    @property
    def end(self) -> int:
        """Where the parsed segment ends in Document.text. (spaCy rebuilds Doc.text from its
        tokens on every access, so stages slice Document.text[offset:end] instead.)"""
        if not len(self.doc):
            return self.offset
        last = self.doc[-1]
        return self.offset + last.idx + len(last.text_with_ws)


@dataclass(frozen=True)
class Document(Record):
    id: str
    text: str
    source: Source
    published: str | None = None
    published_inferred: bool = False
    language: str | None = None
    segments: tuple[Segment, ...] = ()
    ai_disclosure: Disclosure | None = None
    embedded_posts: tuple[EmbeddedPost, ...] = ()
    entities: tuple[Entity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    places: tuple[Place, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    clauses: tuple[Clause, ...] = ()
    events: tuple[Event, ...] = ()
    parsed: tuple[Parsed, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "parsed":
                continue
            value = getattr(self, f.name)
            out[f.name] = value.to_dict() if is_dataclass(value) else _plain(
                [v.to_dict() if is_dataclass(v) else v for v in value]
                if isinstance(value, tuple) else value
            )
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        kinds = {
            "segments": Segment, "embedded_posts": EmbeddedPost, "entities": Entity,
            "times": TimeExpr, "quantities": Quantity, "places": Place,
            "attributions": Attribution, "clauses": Clause, "events": Event,
        }
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data or f.name == "parsed":
                continue
            value = data[f.name]
            if f.name in kinds:
                value = tuple(kinds[f.name].from_dict(v) for v in value)
            elif f.name == "source":
                value = Source.from_dict(value)
            elif f.name == "ai_disclosure" and value is not None:
                value = Disclosure.from_dict(value)
            kwargs[f.name] = value
        return cls(**kwargs)

    def sentences(self) -> list[tuple[Span, Segment]]:
        return [(s, seg) for seg in self.segments for s in seg.sentences]
