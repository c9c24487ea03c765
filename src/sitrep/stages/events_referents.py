"""What the phrases around an event trigger refer to (part of the `events` stage).

`_context` indexes one document's annotations by character span (entity mentions, places, times,
quantities, clauses, attributions, sentences). `_np_entities` turns a noun phrase into the entity
ids it names: its own mention, else the persons and organisations inside it, else its countries;
a pronoun or a possessive through its antecedent (`_resolve`, over the `_referents` of the
document), and a bare force ("10 000 soldats") through the last force named with a nationality
(`_force_nationality`). Every id it gives is an entity of the document (doc.entities): a
document in which the entities stage found none has events without participants.

What it must not do: recognise entities itself, or decide an event's type.
The names keep their leading underscore: they are the events stage's own, imported only by the
`events*` modules.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import plover
from ..models import Attribution, Document
from .events_frames import _Frame, _lemma, _morph, _pp_children, _role, _subjects, _words

__all__: list[str] = []


# How far back (characters) a pronoun or a bare force looks for what it stands for: about three
# sentences of news prose.
_ANTECEDENT_WINDOW = 600
_NP_DEPS = frozenset({"amod", "compound", "flat", "flat:name", "flat:foreign", "appos", "poss", "nmod:poss",
                      "nummod", "conj", "fixed", "npadvmod", "nmod", "prep", "pobj", "det"})


class _Spans:
    """Items with a [start, end) span, found by overlap with a span (bisect on starts)."""

    def __init__(self, items: Iterable[tuple[int, int, Any]]) -> None:
        self.items = sorted(items, key=lambda x: (x[0], x[1]))
        self.starts = [i[0] for i in self.items]
        self.longest = max((i[1] - i[0] for i in self.items), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, Any]]:
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [i for i in self.items[lo:hi] if i[1] > start and i[0] < end]

    def covering(self, start: int, end: int) -> list[tuple[int, int, Any]]:
        return [i for i in self.overlapping(start, end) if i[0] <= start and i[1] >= end]


@dataclass
class _Context:
    """One document's annotations, indexed for the argument rules."""

    doc: Document
    mentions: _Spans  # (start, end, entity id)
    kinds: dict[str, str]
    countries: dict[str, str | None]
    places: _Spans
    times: _Spans
    quantities: _Spans
    clauses: _Spans
    attributions: list[Attribution]
    sentences: _Spans
    referents: list[tuple[int, Any]] = field(default_factory=list)  # (char position, token) in order
    offsets: dict[int, int] = field(default_factory=dict)  # id(spaCy Doc) → its Parsed.offset


def _context(doc: Document) -> _Context:
    mentions: list[tuple[int, int, str]] = []
    kinds: dict[str, str] = {}
    countries: dict[str, str | None] = {}
    for ent in doc.entities:
        kinds[ent.id] = ent.kind
        countries[ent.id] = ent.country or (ent.id.split(":", 1)[1] if ent.id.startswith("country:") else None)
        mentions.extend((s, e, ent.id) for s, e in ent.mentions)
    return _Context(
        doc=doc, mentions=_Spans(mentions), kinds=kinds, countries=countries,
        places=_Spans((p.span[0], p.span[1], p) for p in doc.places),
        times=_Spans((t.span[0], t.span[1], t) for t in doc.times),
        quantities=_Spans((q.span[0], q.span[1], q) for q in doc.quantities),
        clauses=_Spans((c.span[0], c.span[1], c) for c in doc.clauses),
        attributions=list(doc.attributions),
        sentences=_Spans((s[0], s[1], s) for s, _ in doc.sentences()),
        offsets={id(p.doc): p.offset for p in doc.parsed},
    )


def _tok_span(tok: Any, offset: int) -> tuple[int, int]:
    return offset + tok.idx, offset + tok.idx + len(tok.text)


def _entity_at(ctx: _Context, tok: Any, offset: int) -> list[str]:
    start, end = _tok_span(tok, offset)
    return [eid for _, _, eid in ctx.mentions.overlapping(start, end)]


def _resolve(ctx: _Context, tok: Any, offset: int) -> Any:
    """The antecedent of a third-person pronoun or possessive, or None."""
    if _morph(tok, "Poss") == "Yes" or tok.dep_ in ("poss", "nmod:poss"):
        verb = tok.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subj = [s for s in _subjects(verb) if tok not in s.subtree]
        if subj:
            return subj[0]
    position = offset + tok.idx
    gender, number = _morph(tok, "Gender"), _morph(tok, "Number")
    i = bisect.bisect_left(ctx.referents, position, key=lambda r: r[0])
    for at, cand in reversed(ctx.referents[max(0, i - 40):i]):
        if position - at > _ANTECEDENT_WINDOW:
            break
        if _morph(tok, "Poss") != "Yes":
            if gender and _morph(cand, "Gender") and _morph(cand, "Gender") != gender:
                continue
            if number and _morph(cand, "Number") and _morph(cand, "Number") != number:
                continue
        return cand
    return None


def _referents(ctx: _Context) -> None:
    """Noun phrases that name an entity or an armed force, in text order: pronoun antecedents."""
    out = []
    for parsed in ctx.doc.parsed:
        lang = parsed.doc.lang_
        for tok in parsed.doc:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("flat", "flat:name", "compound", "amod"):
                continue
            if tok.head.i != tok.i and tok.head.pos_ == "PROPN" and tok.dep_ == "nmod" and _entity_at(ctx, tok.head, parsed.offset):
                continue  # "Nord" in "Corée du Nord"
            if _entity_at(ctx, tok, parsed.offset) or plover.classes_of(lang, _lemma(tok)) & {"force", "official", "police"} \
                    or any(_entity_at(ctx, c, parsed.offset) for c in tok.children if c.dep_ in ("amod", "compound")):
                out.append((parsed.offset + tok.idx, tok))
    ctx.referents = out


def _np_entities(ctx: _Context, tok: Any, offset: int, depth: int = 0) -> list[str]:
    """Entities a noun phrase names: the head's own, else persons/organisations in it, else countries."""
    if depth > 3:
        return []
    if tok.pos_ in ("PRON", "DET") and not _entity_at(ctx, tok, offset):
        ante = _resolve(ctx, tok, offset)
        return _np_entities(ctx, ante, _offset_of(ctx, ante), depth + 1) if ante is not None and ante != tok else []
    own = _entity_at(ctx, tok, offset)
    if own:
        return _dedupe(own)
    lang = tok.doc.lang_
    if tok.pos_ == "NOUN" and _lemma(tok) in _words(lang, "country_noun") and any(
            c.dep_ in ("nummod", "det", "predet", "amod") and c.lower_ in _words(lang, "pair") for c in tok.children):
        # "the two countries", "les deux pays": the last two countries named before
        return _last_countries(ctx, offset + tok.idx, 2)
    found: list[str] = []
    located: list[str] = []  # "rebels in the Ivory Coast": where they are, when nothing else says who
    stack = [c for c in tok.children]
    while stack:
        child = stack.pop(0)
        if child.dep_ not in _NP_DEPS:
            continue
        if child.dep_ == "det" and _morph(child, "Poss") != "Yes":
            continue
        if child.dep_ in ("poss", "nmod:poss", "det"):
            found.extend(_np_entities(ctx, child, offset, depth + 1))
            continue
        if child.dep_ in ("nmod", "prep"):
            case = [c for c in child.children if c.dep_ == "case"]
            prep = _lemma(case[0]) if case else (_lemma(child) if child.dep_ == "prep" else "")
            if prep and _role(lang, prep) == "loc" and depth == 0:
                obj = child if child.dep_ == "nmod" else next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    located.extend(e for e in _entity_at(ctx, obj, offset) if ctx.kinds.get(e) == "country")
                continue
            if prep and _role(lang, prep) not in ("of", "for", "other"):
                continue
        found.extend(_entity_at(ctx, child, offset))
        stack.extend(child.children)
    people = [e for e in found if ctx.kinds.get(e) in ("person", "organization", "group")]
    return _dedupe(people or found or located)


def _last_countries(ctx: _Context, before: int, n: int) -> list[str]:
    """The last `n` distinct countries named before the character `before`, in text order."""
    out: list[str] = []
    i = bisect.bisect_left(ctx.mentions.starts, before)
    for _, _, eid in reversed(ctx.mentions.items[:i]):
        if ctx.kinds.get(eid) == "country" and eid not in out:
            out.append(eid)
            if len(out) == n:
                break
    return out[::-1] if len(out) == n else []


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _phrase_entities(ctx: _Context, heads: Iterable[Any], offset: int) -> list[str]:
    return _dedupe(e for h in heads for e in _np_entities(ctx, h, offset))


def _head_class(lang: str, tok: Any, ctx: _Context | None = None, offset: int = 0) -> frozenset[str]:
    """Classes of a phrase's head noun; through "3 000 de ses troupes", "thousands of troops", pronouns."""
    if tok.pos_ == "PRON" and ctx is not None and _morph(tok, "PronType") in ("Prs", None):
        ante = _resolve(ctx, tok, offset)
        if ante is not None and ante != tok:
            tok = ante
    classes = plover.classes_of(lang, _lemma(tok))
    for child in tok.children:  # "aid convoy", "military aid program"
        if child.dep_ == "compound":
            classes |= plover.classes_of(lang, _lemma(child))
    if not classes and any(c.dep_ == "amod" and "force" in plover.classes_of(lang, _lemma(c)) for c in tok.children):
        classes = frozenset({"force"})  # "des conseillers militaires", "armed men"
    if tok.pos_ in ("NUM", "PRON") or "amount" in classes:
        for prep, noun in _pp_children(tok, lang):
            if _role(lang, prep) == "of":
                return plover.classes_of(lang, _lemma(noun)) | _head_class(lang, noun)
    return classes


def _theme_heads(frame: _Frame) -> list[Any]:
    """Theme heads, looking through counted phrases ("3 000 de ses troupes")."""
    out = []
    for tok in frame.theme:
        if tok.pos_ in ("NUM", "PRON") or "amount" in plover.classes_of(frame.lang, _lemma(tok)):
            inner = [n for p, n in _pp_children(tok, frame.lang) if _role(frame.lang, p) == "of"]
            out.extend(inner or [tok])
        else:
            out.append(tok)
    return out


def _force_nationality(ctx: _Context, heads: Sequence[Any], offset: int) -> list[str]:
    """A bare force ("10 000 soldats") belongs to the last force named with a nationality."""
    if not heads:
        return []
    position = offset + heads[0].idx
    lang = heads[0].doc.lang_
    i = bisect.bisect_left(ctx.referents, position, key=lambda r: r[0])
    for at, cand in reversed(ctx.referents[max(0, i - 30):i]):
        if position - at > _ANTECEDENT_WINDOW:
            break
        if plover.classes_of(lang, _lemma(cand)) & {"force"}:
            ents = [e for e in _np_entities(ctx, cand, _offset_of(ctx, cand)) if ctx.kinds.get(e) == "country"]
            if ents:
                return ents
    return []


def _offset_of(ctx: _Context, tok: Any) -> int:
    return ctx.offsets.get(id(tok.doc), 0)
