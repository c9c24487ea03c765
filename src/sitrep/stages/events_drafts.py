"""Candidate events of one sentence (part of the `events` stage).

A token opens a candidate when a row of the language's trigger table (`plover.triggers`) matches
its lemma and part of speech and the row's conditions hold on its frame (`_match`: theme and
subject classes, prepositions, support verb, nearby words). Each candidate (`_Draft`) then gets
its actors and recipients by event type (`_arguments`), the place, time and quantity of its own
phrase (`_slots`), and a more specific mode from the words around it (`_mode`). "X said that Y
must…" is a demand of X to Y (`_obligation`).

What it must not do: decide certainty or status, or merge candidates into acts (events_acts).
The names keep their leading underscore: they are the events stage's own, imported only by the
`events*` modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import plover
from .events_frames import (
    _Frame, _conjuncts, _is_reflexive, _lemma, _lemma_in, _lemmas, _noun_frame, _pos, _pp_children, _role,
    _subjects, _subtree_span, _verb_frame, _words,
)
from .events_referents import (
    _Context, _dedupe, _entity_at, _force_nationality, _head_class, _phrase_entities, _theme_heads, _tok_span,
)

__all__: list[str] = []


# Types whose destination is a recipient even when named by "for/pour" ("aid for Sudan").
_FOR_RECIPIENT = frozenset({"CONSULT", "MOBILIZE", "AID", "RETREAT", "REQUEST", "COOPERATE", "AGREE", "SUPPORT"})


def _classes(ctx: _Context, frame: _Frame, toks: Iterable[Any]) -> set[str]:
    out: set[str] = set()
    for tok in toks:
        out |= _head_class(frame.lang, tok, ctx, frame.offset)
        if _entity_at(ctx, tok, frame.offset) or (tok.pos_ == "PROPN"):
            out.add("entity")
        out.add("any")
    return out


def _holds(ctx: _Context, frame: _Frame, cond: plover.Condition) -> bool:
    if cond.kind == "theme":
        theme = frame.theme if frame.pos != "N" else (frame.of or frame.theme)
        found = bool(_classes(ctx, frame, theme) & cond.values)
    elif cond.kind == "subj":
        found = bool(_classes(ctx, frame, frame.actor_side or frame.subjects) & cond.values)
    elif cond.kind == "prep":
        found = any(p in cond.values for p, _ in frame.pps)
    elif cond.kind == "light":
        found = frame.light is not None and _lemma_in(frame.light, cond.values)
    elif cond.kind == "with":
        near = [c for c in frame.tok.subtree if c.i != frame.tok.i] + list(frame.theme)
        if frame.light is not None:
            near += list(frame.light.children)
        found = any(_lemma(c) in cond.values or plover.classes_of(frame.lang, _lemma(c)) & cond.values for c in near)
    elif cond.kind == "comp":  # "sworn to fight" is often parsed as a purpose clause
        found = bool(frame.comps) or frame.purpose is not None
    elif cond.kind == "notheme":
        found = not frame.objects
    else:  # joint: resolved when the actors are known
        return True
    return found != cond.negated


def _has_extras(tok: Any, trig: plover.Trigger) -> bool:
    if trig.reflexive and not any(_is_reflexive(c) for c in tok.children if c.dep_ != "nsubj"):
        return False
    near = {_lemma(c) for c in tok.children} | {_lemma(g) for c in tok.children for g in c.children}
    return all(w in near for w in trig.extra)


def _rows(lang: str, tok: Any) -> tuple[plover.Trigger, ...]:
    pos = _pos(tok)
    if pos is None:
        return ()
    table = plover.triggers(lang)
    rows: tuple[plover.Trigger, ...] = ()
    for lemma in _lemmas(tok):
        rows = table.get((lemma, pos), ()) or (table.get((lemma, "V"), ()) if pos == "A" else ())
        if rows:
            break
    # Specific rows (with extra words or a reflexive) first, file order otherwise.
    return tuple(sorted(rows, key=lambda r: not (r.extra or r.reflexive)))


def _match(ctx: _Context, tok: Any, lang: str, offset: int) -> tuple[plover.Trigger, _Frame] | None:
    rows = [r for r in _rows(lang, tok) if _has_extras(tok, r)]
    if not rows:
        return None
    frame = _noun_frame(tok, lang, offset) if rows[0].pos == "N" else _verb_frame(tok, rows[0].pos, lang, offset)
    for row in rows:
        if all(_holds(ctx, frame, c) for c in row.conditions):
            return (row, frame) if row.type else None
    return None


@dataclass
class _Draft:
    tok: Any
    frame: _Frame
    type: str
    mode: str | None
    contexts: list[str]
    actors: list[str]
    recipients: list[str]
    place: str | None = None
    time: str | None = None
    quantity: str | None = None
    purpose: Any = None
    joint: bool = False
    absorbed_by: _Draft | None = None
    content: list[_Draft] = field(default_factory=list)


def _mode(ctx: _Context, d: _Draft) -> str | None:
    """A more specific mode from the words around the trigger ("frappe de drone", "hunger strike")."""
    words = plover.mode_words(d.frame.lang)
    near = [c for c in d.tok.children] + [g for c in d.tok.children for g in c.children] + _theme_heads(d.frame)
    near += [c for t in _theme_heads(d.frame) for c in t.children]
    if d.frame.light is not None:
        near += [c for c in d.frame.light.children if c.i != d.tok.i]
    near += list(d.frame.actor_side)
    near += [c for t in d.frame.actor_side for c in t.children if c.dep_ in ("amod", "compound", "nmod")]
    for tok in near:
        for type_, mode in words.get(_lemma(tok), ()):
            if type_ == d.type:
                return mode
    return d.mode


def _contexts(d: _Draft) -> list[str]:
    words = plover.context_words(d.frame.lang)
    out = list(d.contexts)
    for tok in list(d.tok.subtree)[:40]:
        ctx_name = words.get(_lemma(tok))
        if ctx_name and ctx_name not in out:
            out.append(ctx_name)
    return out


def _arguments(ctx: _Context, d: _Draft) -> None:
    """Actors and recipients as entity ids, from the frame and the event type."""
    f, off = d.frame, d.frame.offset
    theme = _theme_heads(f)
    theme_classes = _classes(ctx, f, theme)
    force_theme = bool(theme_classes & {"force", "police", "weapon"})
    actors = _phrase_entities(ctx, f.actor_side, off)
    if not actors and f.passive and not f.agents and d.type in plover.VERBAL_ACTS:
        actors = _phrase_entities(ctx, f.subjects, off)  # "Vietnam is committed to…"
    if f.pos == "N" and not actors:
        actors = _phrase_entities(ctx, [m for m in f.modifiers], off)
        if not actors and f.of and not force_theme and not _classes(ctx, f, f.of) & plover.PATIENT_CLASSES:
            of_ents = _phrase_entities(ctx, f.of, off)
            target_given = any(_role(f.lang, p) == "target" for p, _ in f.pps)
            place_like = all(ctx.kinds.get(e) in ("country", "place") for e in of_ents)
            if d.type in ("ASSAULT", "COERCE") and place_like and not target_given:
                d.recipients.extend(of_ents)
            else:
                actors = of_ents
    theme_ents = _phrase_entities(ctx, theme, off)
    if force_theme and d.type in plover.MOVERS:
        actors = actors or theme_ents or _force_nationality(ctx, theme or f.subjects, off)
    else:
        d.recipients.extend(e for e in theme_ents if e not in actors)
    d.recipients.extend(_phrase_entities(ctx, f.iobjs + f.patients, off))
    between = [n for p, n in f.pps if _role(f.lang, p) == "between"]
    if between:  # "négociations entre Israël et le Hamas": the participants
        members = _phrase_entities(ctx, [c for n in between for c in _conjuncts(n)], off)
        if actors:
            d.recipients.extend(members)
        else:
            actors = members
    inner_pps = [pp for t in theme for pp in _pp_children(t, f.lang)] if f.pos != "N" else []
    for n, (prep, noun) in enumerate(f.pps + inner_pps):
        role = _role(f.lang, prep)
        if role == "of" and f.pos != "N" and n < len(f.pps):
            role = "source"  # "se retirer de Kherson": "de" on a verb is where from
        if role in ("target", "partner") or role == "dest" and d.type != "PROTEST" or role == "for" and d.type in _FOR_RECIPIENT or \
                role == "loc" and d.type in ("CONSULT", "MOBILIZE") or role == "source" and d.type == "RETREAT":
            d.recipients.extend(_phrase_entities(ctx, [noun], off))
    if d.type == "REQUEST" and not d.recipients:
        for comp in f.comps:
            d.recipients.extend(_phrase_entities(ctx, [s for s in _subjects(comp)], off))
    d.actors = _dedupe(actors)
    d.recipients = [r for r in _dedupe(d.recipients) if r not in d.actors or d.type in ("COOPERATE", "AGREE")]
    countries = {ctx.countries.get(a) for a in d.actors} - {None}
    d.joint = d.joint and (len(countries) > 1 or any(_lemma(m) in _words(f.lang, "joint")
                                                     for m in f.tok.children))


def _scope(d: _Draft, others: set[int]) -> list[Any]:
    """Tokens of the event's own phrase: its trigger's (or support verb's) subtree, without the
    subtrees of other triggers and of embedded clauses."""
    root = d.frame.verb
    path = {t.i for t in d.tok.ancestors} | {d.tok.i}
    out = [root]
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.i in path:
                out.append(child)
                stack.append(child)
                continue
            if child.dep_ in ("ccomp", "acl:relcl", "relcl", "parataxis") or child.i in others:
                continue
            out.append(child)
            # A phrase that holds another trigger is walked, not taken whole: the walk stops at
            # that trigger and at embedded clauses ("in June, when the two countries signed…"
            # keeps "June" for the visit).
            stack.append(child)
    return out


def _spans_of(toks: Iterable[Any], offset: int) -> list[tuple[int, int]]:
    return [_tok_span(t, offset) for t in toks]


def _slots(ctx: _Context, d: _Draft, others: set[int]) -> None:
    """Place, time and quantity ids from the event's own phrase."""
    f, off = d.frame, d.frame.offset
    scope = _scope(d, others)
    actor_spans = [_subtree_span(a, off) for a in f.actor_side]

    def inside(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
        return any(s <= span[0] and span[1] <= e for s, e in spans)

    # Place: a locative or destination phrase first, then any place of the phrase not in the actor.
    candidates = [noun for p, noun in f.pps if _role(f.lang, p) in ("loc", "dest")]
    for noun in candidates:
        hits = ctx.places.overlapping(*_subtree_span(noun, off))
        if hits:
            d.place = hits[0][2].id
            break
    if d.place is None:
        for start, end in _spans_of(scope, off):
            hits = [h for h in ctx.places.overlapping(start, end) if not inside((h[0], h[1]), actor_spans)]
            if hits:
                d.place = hits[0][2].id
                break
    # Time: the nearest date of the phrase; durations and sets only when there is no date.
    found = {}
    for start, end in _spans_of(scope, off):
        for h in ctx.times.overlapping(start, end):
            found[h[2].id] = h[2]
    if found:
        anchor = off + d.tok.idx
        d.time = min(found.values(), key=lambda t: (t.type not in ("DATE", "TIME"), abs(t.span[0] - anchor))).id
    elif f.verb.dep_ in ("acl:relcl", "relcl") and f.verb.head.i != f.verb.i:
        # A relative clause on a time ("in June, when the two countries signed…", "le jour où…")
        # happened then.
        dates = [h[2] for h in ctx.times.overlapping(*_tok_span(f.verb.head, off)) if h[2].type in ("DATE", "TIME")]
        if dates:
            d.time = dates[0].id
    # Quantity: the size of the force, of the aid, of the crowd; the dead and wounded of an attack.
    spans = [_subtree_span(t, off) for t in _theme_heads(f) + list(f.theme)]
    if d.type in ("MOBILIZE", "PROTEST", "AID") or not spans:
        spans += [_subtree_span(t, off) for t in f.actor_side]
    qs = {h[2].id: h[2] for s, e in spans for h in ctx.quantities.overlapping(s, e)}
    if d.type == "ASSAULT":
        for start, end in _spans_of(scope, off):
            for h in ctx.quantities.overlapping(start, end):
                qs.setdefault(h[2].id, h[2])
        casualties = [q for q in qs.values() if q.unit and any(w in q.unit for w in ("dead", "fatal", "kill", "death",
                                                                                      "injur", "wound", "casualt"))]
        if casualties:
            qs = {q.id: q for q in casualties}
    if qs:
        d.quantity = min(qs.values(), key=lambda q: q.span[0]).id


def _obligation(tok: Any, lang: str, offset: int) -> _Frame | None:
    """"X said that Y must…", "X a affirmé que Y doit…": a demand (REQUEST) by X to Y."""
    if tok.pos_ != "VERB" or not _lemma_in(tok, plover.word_set(lang, "events_statement_verbs")):
        return None
    must = plover.word_set(lang, "events_obligation")
    for comp in tok.children:
        if comp.dep_ == "ccomp" and (_lemma(comp) in must or any(
                c.dep_.startswith("aux") and (_lemma(c) in must or c.lower_ in must) for c in comp.children)):
            frame = _verb_frame(tok, "V", lang, offset)
            frame.comps = [comp]
            frame.objects = []
            return frame
    return None


def _candidates(ctx: _Context, sent: Any, lang: str, offset: int) -> list[_Draft]:
    drafts = []
    for tok in sent:
        found = _match(ctx, tok, lang, offset)
        if found is None:
            frame = _obligation(tok, lang, offset)
            if frame is not None:
                drafts.append(_Draft(tok, frame, "REQUEST", None, [], [], []))
            continue
        row, frame = found
        drafts.append(_Draft(tok, frame, row.type or "", row.mode, list(row.contexts), [], [],
                             joint=any(c.kind == "joint" for c in row.conditions)))
    return drafts
