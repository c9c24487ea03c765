"""Stage `times`: time expressions in French and English, normalised to TIMEX3 values relative
to the document's date ("hier" → the day before `published`, "le 19 juin" → the last 19 June
before it unless the clause looks ahead, "deux jours" → P2D, "depuis septembre" → September
to the document's date).

Finding is regular expressions over each segment's text (the grammar of `sitrep.timexpr`,
compiled once); the spaCy parse is read only near a match: for the tense of its clause, to tell
a year from a count ("2000 manifestants"), and a noun from a verb ("a été"). A clock time or
"la nuit" is anchored on the day mentioned last in its sentence, or before it (news tell
"mardi … vers 21 h 45"); "two days later", "the following year" count from the day or period
mentioned last. Segments that are disclosures or boilerplate are skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..models import Document, Parsed, Span, TimeExpr
from ..pipeline import DocumentStage, register_stage
from ..timexpr import Context, Found, Grammar, TimeValue, grammar, normalise

__all__ = ["TimesStage", "find_times", "clause_tense"]

_SKIPPED_KINDS = frozenset({"disclosure", "boilerplate"})


def _length(sdoc: Any) -> int:
    """Characters a spaCy doc covers (without building its text)."""
    return sdoc[-1].idx + len(sdoc[-1].text) if len(sdoc) else 0


class _Parses:
    """The parse that covers a document position."""

    def __init__(self, parsed: Sequence[Parsed]) -> None:
        self.items = sorted(((p.offset, p.offset + _length(p.doc), p.doc) for p in parsed), key=lambda x: x[0])
        self.starts = [s for s, _, _ in self.items]

    def at(self, start: int, end: int) -> tuple[int, Any] | None:
        i = bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        offset, stop, sdoc = self.items[i]
        return (offset, sdoc) if end <= stop else None

    def span(self, start: int, end: int) -> Any:
        found = self.at(start, end)
        if found is None:
            return None
        offset, sdoc = found
        return sdoc.char_span(start - offset, end - offset, alignment_mode="expand")


def _role(g: Grammar, token: Any) -> str | None:
    found = g.lookup("tense", token.lemma_)
    return found[0] if found else None


def _has(token: Any, feature: str, value: str) -> bool:
    return value in token.morph.get(feature)


def clause_tense(g: Grammar, span: Any) -> str:
    """past|present|future|unknown for the clause a spaCy span sits in: its governing verb,
    that verb's auxiliaries and, for an infinitive, the verb it complements ("va partir",
    "pourraient être envoyées", "will arrive", "plans to visit"). A past participle alone tells
    a done event ("a report released Tuesday", "un homme interpellé mardi")."""
    if span is None or not len(span):
        return "unknown"
    tense, pred = _tense_of(g, span.root)
    if tense == "unknown" and pred is not None and pred.dep_ in ("acl", "advcl", "amod") \
            and (_has(pred, "VerbForm", "Part") or pred.tag_ == "VBN") and _has(pred, "Tense", "Past") \
            and not any(c.dep_.startswith("aux") for c in pred.children):
        return "past"
    return tense


def _tense_of(g: Grammar, token: Any) -> tuple[str, Any]:
    """The tense told by the verb that governs `token`, and that verb (None when none)."""
    pred = token
    for _ in range(8):
        is_verb = pred.pos_ in ("VERB", "AUX") and not (pred.dep_.startswith("aux") or pred.dep_ == "cop")
        if is_verb or any(c.dep_ == "cop" for c in pred.children):
            break
        if pred.head is pred:
            return "unknown", None
        pred = pred.head
    else:
        return "unknown", None
    return _verb_tense(g, pred), pred


def _verb_tense(g: Grammar, pred: Any) -> str:
    aux = [c for c in pred.children if c.dep_.startswith("aux") or c.dep_ == "cop"]
    governor = pred.head if pred.dep_.startswith("xcomp") and pred.head is not pred else None
    around = aux + ([governor] if governor is not None else [])
    if any(_has(t, "Tense", "Fut") for t in [pred, *around]):
        return "future"
    participle = _has(pred, "VerbForm", "Part") or pred.tag_ == "VBN"
    if participle and any(_role(g, t) == "perfect" and t.dep_ in ("aux", "aux:tense") for t in aux):
        return "past"
    if any(_role(g, t) == "future" for t in around):
        return "future"
    if any(_role(g, t) == "planned" for t in [pred, *around]):
        return "future"
    if any(_role(g, t) == "modal" for t in around) or (_role(g, pred) == "modal" and governor is None):
        return "future"
    finite = [t for t in [pred, *aux] if _has(t, "VerbForm", "Fin")]
    if any(_has(t, "Mood", "Cnd") for t in finite):
        return "unknown"  # the journalistic conditional reports, it does not place in time
    if any(_has(t, "Tense", "Past") or _has(t, "Tense", "Imp") for t in finite):
        return "past"
    if any(_has(t, "Tense", "Pres") for t in finite):
        return "present"
    return "unknown"


@dataclass
class _Item:
    found: Found
    start: int  # document offsets
    end: int
    grammar: Grammar
    sentence: Span
    before: str  # the segment's text before the expression, for bound signals
    value: TimeValue | None = None


def _needs_anchor(g: Grammar, f: Found) -> bool:
    if f.groups.get("this") and g.lookup("this", f.groups["this"]) == ("same",):
        return True  # "ce même lundi"
    if f.kind == "time":
        return not (f.groups.get("dayword") or f.groups.get("weekday"))
    if f.kind == "pod":
        return not any(f.groups.get(k) for k in ("dayword", "weekday", "month", "this"))
    if f.kind == "word":
        found = g.lookup("word", f.groups.get("word", ""))
        return bool(found and len(found) > 1 and found[1].startswith("@"))
    return f.kind == "later"  # "two days later": after the day told last


def _refine(g: Grammar, f: Found, text: str, offset: int, parses: _Parses) -> Found | None:
    """The candidate as the parse reads it, or None when it is no time expression: checks that
    need more than the pattern. A modifier that may also be a preposition ("over eight years")
    is left out when the parse says it is one ("$184 million over eight years")."""
    if not _acceptable(g, f, text, offset, parses):
        return None
    approx = f.groups.get("approx")
    found = g.lookup("approx", approx) if approx and text.startswith(approx, f.start) else None
    if found and len(found) > 1 and found[1] == "prep":
        span = parses.span(offset + f.start, offset + f.start + len(approx))  # type: ignore[arg-type]
        if span is not None and span[-1].dep_ == "prep":
            start = f.start + len(approx)  # type: ignore[arg-type]
            while start < f.end and text[start].isspace():
                start += 1
            groups = {k: v for k, v in f.groups.items() if k != "approx"}
            return replace(f, start=start, groups=groups, span=(start, f.span[1]))
    return f


def _acceptable(g: Grammar, f: Found, text: str, offset: int, parses: _Parses) -> bool:
    """Checks that need more than the pattern: the parse, or a word list."""
    gr = f.groups
    if f.kind == "age" and gr.get("agede"):  # "un homme de 38 ans", not "une peine de dix ans"
        noun = _word_before(text, f.span[0])
        if not noun or g.has("dnoun", noun) or g.has("dnoun", noun.rstrip("sx")) or g.number(noun) is not None:
            return False
    if f.kind == "time" and gr.get("hour") and not gr.get("pre") and g.has("notclock", _word_before(text, f.span[0])):
        return False  # "en 24 h" is a duration
    if f.kind == "set" and g.has("rate", _word_before(text, f.span[0])):
        return False  # "120 miles per hour" is a speed
    if f.kind == "date" and set(gr) <= {"year", "pre"}:
        if int(gr["year"]) < 1900 and not g.year_preposition_before(text[:f.start]):
            return False
        if text[f.end:f.end + 3].lstrip().startswith("%"):
            return False
        span = parses.span(offset + f.start, offset + f.end)
        if span is not None and span[0].dep_ == "nummod" and span[0].head.i > span[0].i \
                and span[0].head.pos_ != "PROPN":
            # "2000 manifestants" counts people; "the 1967 killings", "a 1999 incident", "2014
            # Oscars" (a name) are dated
            previous = span[0].nbor(-1) if span[0].i > 0 else None
            if previous is None or not g.has("yeardet", previous.text):
                return False
    words = text[f.start:f.end].split()
    if words and words[0][:1].isupper() and _inside_sentence(text, f.start):
        # "USA Today", "World News Tonight": a day word written as a name; "Patch Tuesday"
        if f.kind in ("dayword", "word") and not words[0].isupper():
            return False
        if gr.get("weekday") and g.has("dayname", _word_before(text, f.start)) \
                and _word_before_raw(text, f.start)[:1].isupper():
            return False
    if f.kind == "pod" and gr.get("pod") and text.endswith(gr["pod"], f.start, f.end):
        span = parses.span(offset + f.start, offset + f.end)
        last = span[-1] if span is not None and len(span) else None
        if last is not None and last.dep_ in ("compound", "amod") and last.head.i > last.i and len(words) == 2 \
                and g.has("yeardet", words[0]) and not g.has("this", words[0]):
            return False  # "the afternoon sun", "the night shift": the part of the day describes a thing
    if f.kind == "setadj" or (len(words) == 1 and words[0].isalpha()):
        span = parses.span(offset + f.start, offset + f.end)
        if span is not None and len(span) == 1:
            wanted = g.lookup("setadj", gr.get("setadj", ""))
            if f.kind == "setadj" and wanted and len(wanted) > 1 and span[0].pos_ not in wanted[1].split("|"):
                return False  # "un lot quotidien" is recurring, "les quotidiens" are newspapers
            if f.kind == "setadj" and span[0].pos_ == "ADJ" and span[0].head.pos_ == "PROPN":
                return False  # "the daily Le Monde", "the weekly Der Spiegel" name a paper
            if span[0].pos_ in ("VERB", "AUX"):
                return False  # "a été", "may", "march"
    return True


def _word_before(text: str, at: int) -> str:
    return _word_before_raw(text, at).lower()


def _word_before_raw(text: str, at: int) -> str:
    m = _LAST_WORD.search(text, max(0, at - 40), at)
    return m.group(1) if m else ""


def _inside_sentence(text: str, at: int) -> bool:
    """Whether a word follows another word of its sentence (a capital there makes a name)."""
    before = text[max(0, at - 3):at].rstrip(" \t")
    return bool(before) and (before[-1].isalnum() or before[-1] in ",;’'")


_LAST_WORD = re.compile(r"([\w'’-]+)\s*$")


def _select(found: list[Found]) -> list[Found]:
    """Longest extents first (then longest matches, then the earlier rule); no two overlap."""
    chosen: list[Found] = []
    for f in sorted(found, key=lambda f: (f.start - f.end, -f.length, f.rule, f.start)):
        if f.end > f.start and all(f.span[1] <= c.span[0] or f.span[0] >= c.span[1] for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def _sentence_of(sentences: list[Span], starts: list[int], start: int) -> Span:
    i = bisect_right(starts, start) - 1
    if i >= 0 and sentences[i][0] <= start < sentences[i][1]:
        return sentences[i]
    return (start, start)


def find_times(doc: Document) -> list[TimeExpr]:
    """The time expressions of one document, in text order, ids t1, t2, …"""
    ref = date.fromisoformat(doc.published[:10]) if doc.published else None
    parses = _Parses(doc.parsed)
    sentences = sorted(s for seg in doc.segments for s in seg.sentences)
    starts = [s for s, _ in sentences]
    items: list[_Item] = []
    for seg in doc.segments:
        g = grammar(seg.language)
        if g is None or seg.kind in _SKIPPED_KINDS:
            continue
        offset = seg.span[0]
        text = doc.text[offset:seg.span[1]]
        candidates = [r for f in g.find(text) if (r := _refine(g, f, text, offset, parses))]
        for f in _select(candidates):
            if f.kind == "age":
                continue
            start, end = offset + f.start, offset + f.end
            items.append(_Item(f, start, end, g, _sentence_of(sentences, starts, start), text[:f.start]))
    items.sort(key=lambda it: it.start)

    def tense_of(it: _Item) -> Callable[[], str]:
        cache: list[str] = []

        def tense() -> str:
            if not cache:
                cache.append(clause_tense(it.grammar, parses.span(it.start, it.end)))
            return cache[0]

        return tense

    def anchor_of(it: _Item, told: Callable[[_Item], date | None] = _day_of) -> Callable[[], date | None]:
        def anchor() -> date | None:
            return _anchor(items, it, told)

        return anchor

    # Expressions that stand on their own first, then those anchored on a day told before.
    for anchored in (False, True):
        for it in items:
            if _needs_anchor(it.grammar, it.found) != anchored:
                continue
            ctx = Context(ref, tense_of(it), anchor_of(it), it.grammar.bound_before(it.before),
                          anchor_of(it, _period_of))
            it.value = normalise(it.grammar, it.found, ctx)
    out = []
    for it in items:
        v = it.value
        if v is None:
            continue
        out.append(TimeExpr(
            id=f"t{len(out) + 1}", text=doc.text[it.start:it.end], span=(it.start, it.end), type=v.type,
            value=v.value, start=v.start.isoformat() if v.start else None,
            end=v.end.isoformat() if v.end else None, granularity=v.granularity, mod=v.mod,
        ))
    return out


def _day_of(it: _Item) -> date | None:
    v = it.value
    if v is None or v.type not in ("DATE", "TIME") or v.start is None or v.start != v.end:
        return None
    return v.start


def _period_of(it: _Item) -> date | None:
    v = it.value
    if v is None or v.type not in ("DATE", "TIME") or v.start is None or v.end is None:
        return None
    return v.start


def _anchor(items: list[_Item], it: _Item, told: Callable[[_Item], date | None] = _day_of) -> date | None:
    """The day a clock time or "la nuit" belongs to (or, with `told=_period_of`, the start of
    the period "the following year" counts from): the nearest one told before it in its
    sentence, else after it in its sentence, else the last one told before it."""
    before = [o for o in items if o.end <= it.start and told(o)]
    same = [o for o in before if o.sentence == it.sentence]
    if same:
        return told(same[-1])
    after = [o for o in items if o.start >= it.end and o.sentence == it.sentence and told(o)]
    if after:
        return told(after[0])
    return told(before[-1]) if before else None


class TimesStage(DocumentStage):
    name = "times"
    requires = ("segments", "published", "parsed")
    assigns = ("times",)

    def annotate(self, doc: Document) -> Document:
        return replace(doc, times=tuple(find_times(doc)))


register_stage("times")(TimesStage)
