"""Stage `segment`: lines and paragraphs, their sentences, and a language per segment.

Languages come from lingua, restricted to a set of widely used languages so that detection is
fast and short lines are not mistaken for rare ones. A segment in a language we do not analyse
is kept and marked `supported: false`; a document whose main language is unsupported is refused
(InputError) rather than mis-parsed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache

from ..errors import InputError
from ..models import Document, Segment, Span
from ..pipeline import register_stage
from ..settings import Settings

__all__ = ["SegmentStage", "detect_language", "detect_languages", "split_sentences"]

_CANDIDATES = (
    "FRENCH", "ENGLISH", "GERMAN", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH", "RUSSIAN",
    "UKRAINIAN", "POLISH", "TURKISH", "ARABIC", "PERSIAN", "CHINESE", "JAPANESE", "KOREAN",
)
# Below this many letters a line's own language is too uncertain: it takes the document's.
_MIN_LETTERS = 12


@cache
def _detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in _CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*langs).with_minimum_relative_distance(0.0).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when it has too few letters to tell."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """Languages of many texts at once: lingua's batch call is far faster than one call a text."""
    wanted = [i for i, t in enumerate(texts) if sum(ch.isalpha() for ch in t) >= _MIN_LETTERS]
    found = _detector().detect_languages_in_parallel_of([texts[i] for i in wanted]) if wanted else []
    out: list[str | None] = [None] * len(texts)
    for i, lang in zip(wanted, found):
        out[i] = lang.iso_code_639_1.name.lower() if lang is not None else None
    return out


# A sentence ends at . ! ? … (and closing quotes/brackets after them) followed by space and a
# capital, a digit, an opening quote or a dash — unless the dot closes a known abbreviation or
# a single initial ("J. Smith").
_END = re.compile(r"[.!?…]+(?:[\s\u00a0\u202f]?[»”\"’)\]])*(?=\s+[«“\"(\[—–-]?\s*[A-ZÀ-ÖØ-Þ0-9«“])")
_ABBREV = frozenset(
    "m mm mme mmes mlle dr pr me st ste gén col cap lt sgt mr mrs ms prof gen sen rep gov jr sr "
    "etc cf vs no nº art av apr janv févr sept oct nov déc jan feb aug dec inc ltd corp co u.s "
    "u.k u.n st. p pp vol fig ed éd".split()
)


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        word = re.search(r"(\S+?)[.!?…]+(?:\s?[»”\"’)\]])*$", text[start:end])
        if word and match.group().startswith("."):
            stem = word.group(1).lower().lstrip("(«“\"")
            if stem in _ABBREV or (len(stem) == 1 and stem.isalpha()):
                continue
        if text[start:end].strip():
            spans.append(_trim(text, start, end, offset))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text), offset))
    return spans


def _trim(text: str, start: int, end: int, offset: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start + offset, end + offset)


def _lines(text: str) -> Iterator[Span]:
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            yield _trim(text, match.start(), match.end(), 0)


class SegmentStage:
    name = "segment"
    requires = ("text",)
    assigns = ("segments", "language")

    def __init__(self, settings: Settings) -> None:
        self.supported = settings.language_set()

    def __call__(self, doc: Document) -> Document:
        return self.segment(doc, list(_lines(doc.text)), None)

    def segment(self, doc: Document, spans: list[Span], langs: list[str | None] | None) -> Document:
        if langs is None:
            langs = detect_languages([doc.text[s:e] for s, e in spans])
        pieces = list(zip(spans, langs))
        weight: Counter[str] = Counter()
        for (start, end), lang in pieces:
            if lang:
                weight[lang] += end - start
        if not weight:
            raise InputError(doc.source.name, "cannot tell the language: too little text")
        main = weight.most_common(1)[0][0]
        if main not in self.supported:
            raise InputError(doc.source.name, f"language '{main}' is not supported (supported: {', '.join(sorted(self.supported))})")
        segments = []
        for span, lang in pieces:
            lang = lang or main
            segments.append(Segment(
                span=span, language=lang, kind="body", supported=lang in self.supported,
                sentences=tuple(split_sentences(doc.text[span[0]:span[1]], span[0])),
            ))
        return replace(doc, segments=tuple(segments), language=main)

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]:
        docs = list(docs)
        spans = [list(_lines(doc.text)) for doc in docs]
        langs = detect_languages([doc.text[s:e] for doc, ds in zip(docs, spans) for s, e in ds])
        at = 0
        for doc, ds in zip(docs, spans):
            yield self.segment(doc, ds, langs[at:at + len(ds)])
            at += len(ds)


register_stage("segment")(SegmentStage)
