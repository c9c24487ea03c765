"""Spans of reported words, for the `attribution` stage: quote pairs in the text (`find_quotes`),
the character extent of a run of tokens with the quote marks that belong to it (`_extent`,
`_trim`), and whether a content is mostly one quote, hence direct (`_direct_content`).

Text and offsets only: no lexicon, and no decision about who speaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import Span

__all__ = ["Quote", "find_quotes"]


# Quote pairs. The « » and “ ” forms may hold the other kind inside them; straight quotes pair
# within a line; ‘ ’ only when the closing mark is not an apostrophe inside a word.
_QUOTES = re.compile(
    r"«(?P<g>[^«»]+)»|“(?P<c>[^“”]+)”|\"(?P<s>[^\"\n]+)\"|(?<!\w)‘(?P<q>[^‘’\n]+)’(?!\w)"
)
# Words; a hyphenated compound ("a-t-il", "porte-parole") counts as one.
_WORD = re.compile(r"[\w-]+")
# A direct quote that is not an utterance's object must look like a statement, not a title.
_MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class Quote:
    """A quoted passage: `inner` without the marks, `outer` with them."""

    inner: Span
    outer: Span
    words: int


def find_quotes(text: str) -> list[Quote]:
    quotes = []
    for m in _QUOTES.finditer(text):
        group = next(g for g in ("g", "c", "s", "q") if m.group(g) is not None)
        start, end = m.span(group)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            quotes.append(Quote((start, end), m.span(), len(_WORD.findall(text[start:end]))))
    return quotes


def _tok_span(tok: Any, offset: int) -> Span:
    return (tok.idx + offset, tok.idx + len(tok.text) + offset)


def _extent(tokens: Sequence[Any], offset: int, text: str) -> Span | None:
    toks = [t for t in tokens if not t.is_punct or t.text in "%"]
    if not toks:
        return None
    start = min(t.idx for t in toks) + offset
    end = max(t.idx + len(t.text) for t in toks) + offset
    # an opening quote mark just before, closed inside ("que «10 000» soldats …"), belongs to it
    before = start
    while before > 0 and text[before - 1] in " \u00a0\u202f":
        before -= 1
    if before > 0 and text[before - 1] in _PAIRS and _PAIRS[text[before - 1]] in text[start:end]:
        start = before - 1
    # and a closing mark just after, opened inside ("que ses propos « refléteront … »")
    after = end
    while after < len(text) and text[after] in " \u00a0\u202f":
        after += 1
    if after < len(text) and any(c == text[after] and _unclosed(text[start:end], o, c) for o, c in _PAIRS.items()):
        end = after + 1
    return _trim(text, start, end)


_PAIRS = {"«": "»", "“": "”", '"': '"', "‘": "’"}


def _unclosed(inside: str, opener: str, closer: str) -> bool:
    if opener == closer:
        return inside.count(opener) % 2 == 1
    return inside.count(opener) > inside.count(closer)


def _trim(text: str, start: int, end: int) -> Span:
    """Without surrounding blanks and punctuation; a quote mark goes only when its pair is outside."""
    while start < end:
        ch = text[start]
        if ch.isspace() or ch in "-—–,:;" or (ch in _PAIRS and _PAIRS[ch] not in text[start + 1:end]):
            start += 1
        else:
            break
    while end > start:
        ch = text[end - 1]
        opener = next((o for o, c in _PAIRS.items() if c == ch), None)
        if ch.isspace() or ch in ",:;" or (opener is not None and opener not in text[start:end - 1]):
            end -= 1
        else:
            break
    return (start, end)


def _quote_at(quotes: Sequence[Quote], span: Span) -> Quote | None:
    for q in quotes:
        if q.outer[0] < span[1] and span[0] < q.outer[1]:
            return q
    return None


def _direct_content(quotes: Sequence[Quote], content: Span) -> tuple[Span, bool]:
    """A content that is mostly one quote becomes that quote, direct."""
    inside = [q for q in quotes if q.inner[0] < content[1] and content[0] < q.inner[1]]
    if not inside:
        return content, False
    covered = sum(min(q.inner[1], content[1]) - max(q.inner[0], content[0]) for q in inside)
    if covered >= 0.8 * (content[1] - content[0]) or (len(inside) == 1 and inside[0].inner[0] <= content[0] + 2
                                                      and inside[0].inner[1] >= content[1] - 2):
        return (min(q.inner[0] for q in inside), max(q.inner[1] for q in inside)), True
    return content, False


def _overlap(a: Span, b: Span) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / max(1, min(a[1] - a[0], b[1] - b[0]))
