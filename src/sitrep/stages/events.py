"""Stage `events`: what happened — PLOVER events with their arguments, certainty and source.

A trigger (a verb, a noun with or without a support verb, an adjective such as "prêt à") from the
language's lexicon (`plover.triggers`) opens an event; its arguments come from the dependency
parse: the subject (or the passive agent) is the actor, the object or the "against/contre" phrase
the recipient, the destination of a move ("en Russie") the recipient of a visit or a deployment;
a demonym on the force that moves gives the actor ("des troupes nord-coréennes" → North Korea);
place, time and quantity are the `places`, `times` and `quantities` found in the trigger's own
phrase. Status, certainty, negation and the historical flag come from the clause that covers the
trigger (`doc.clauses`), the source from the attribution whose content covers it.

Coding follows the PLOVER manual: a speech act ("threatened to strike", "refused to withdraw")
is one event whose content is not coded again; an actor saying it will do something makes a
promise (AGREE) or a threat (THREATEN); events linked in the parse that are the same act ("the
attack killed…", "killed in a bombing") are one event.

The work is split by role: `events_frames` reads a trigger's syntactic frame, `events_referents`
turns its phrases into entity ids, `events_drafts` finds the candidate events of a sentence with
their arguments, `events_acts` keeps one event per act; this module runs them over the document
and ties each event to its clause, its source and its time.

What it must not do: recognise entities, times, places or quantities itself. Every participant is
an entity of the document's report: where the entities stage found none, events have no
participants rather than ids the report does not hold.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from .. import plover
from ..models import Clause, Document, Event
from ..pipeline import DocumentStage, register_stage
from .events_acts import _absorb, _intent, _merge
from .events_drafts import _Draft, _arguments, _candidates, _contexts, _mode, _slots
from .events_frames import _future, _lemma, _morph, _subtree_span, _words
from .events_referents import _Context, _context, _referents, _tok_span

__all__ = ["EventsStage", "extract_events"]


# Background: an event that ended more than this long before publication is not news.
_HISTORICAL_AFTER = timedelta(days=31)


def _clause(ctx: _Context, start: int, end: int) -> Clause | None:
    hits = ctx.clauses.covering(start, end)
    return min(hits, key=lambda h: h[1] - h[0])[2] if hits else None


def _attribution(ctx: _Context, start: int, end: int) -> str | None:
    best = None
    for a in ctx.attributions:
        span = (a.content or {}).get("span")
        if span and span[0] <= start and end <= span[1] and (best is None or span[1] - span[0] < best[0]):
            best = (span[1] - span[0], a.id)
    return best[1] if best else None


def _own_modality(d: _Draft) -> tuple[str, str, bool]:
    """Status, certainty and negation read off the verb, for documents without `clauses`."""
    verb = d.frame.verb
    chain = [verb] + ([verb.head] if verb.dep_ == "xcomp" else [])
    kids = [c for v in chain for c in v.children]
    lang = d.frame.lang
    negated = any(c.dep_ == "neg" or (c.dep_ == "advmod" and _lemma(c) in _words(lang, "negation")) for c in kids)
    possible = _words(lang, "possible")
    if any(_lemma(v) in possible for v in chain[1:]) or any(_lemma(c) in possible for c in kids if c.dep_ == "aux"):
        return "possible", "uncertain", negated
    if _morph(verb, "Mood") == "Cnd" or any(_morph(c, "Mood") == "Cnd" for c in kids if c.dep_.startswith("aux")):
        return ("planned", "asserted", negated) if verb.dep_ == "ccomp" else ("occurred", "hedged", negated)
    if _future(verb):
        return "planned", "asserted", negated
    return "occurred", "asserted", negated


def _planned(d: _Draft) -> bool:
    """Governed by a plan ("prévoit de déployer", "en préparation pour se rendre", "plans to send")."""
    cues = plover.word_set(d.frame.lang, "events_plan_cues")
    node = d.frame.verb
    for _ in range(2):
        if node.dep_ not in ("xcomp", "acl", "advcl", "ccomp") or node.head.i == node.i:
            return False
        node = node.head
        if _lemma(node) in cues:
            return True
    return False


def _ends_before(value: str | None, limit: date) -> bool:
    if not value:
        return False
    parts = value[:10].split("-")
    try:  # a month or a year ends late in it: compare its 28th, or its December
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else 28
        return date(year, month, day) < limit
    except (ValueError, IndexError):
        return False


def _historical(ctx: _Context, time_id: str | None, status: str) -> bool:
    if not time_id or not ctx.doc.published or status not in ("occurred", "ongoing"):
        return False
    try:
        published = date.fromisoformat(ctx.doc.published[:10])
    except ValueError:
        return False
    t = next((t for t in ctx.doc.times if t.id == time_id), None)
    if t is None or t.type not in ("DATE", "TIME"):
        return False
    return _ends_before(t.end or t.value, published - _HISTORICAL_AFTER)


def _sentence_of(ctx: _Context, start: int, end: int, sent: Any, offset: int) -> dict[str, Any]:
    hits = ctx.sentences.covering(start, end)
    if hits:
        s, e, _ = min(hits, key=lambda h: h[1] - h[0])
    else:
        s, e = offset + sent.start_char, offset + sent.end_char
    return {"text": ctx.doc.text[s:e], "span": [s, e]}


def _keep(d: _Draft) -> bool:
    """A nominal trigger counts only with a support verb or an argument of its own."""
    if d.type in plover.VERBAL_ACTS and d.tok.dep_ == "acl" and d.frame.passive and not d.frame.agents:
        return False  # "un homme accusé de meurtre" describes him; nobody accuses here
    if d.frame.pos != "N" or d.frame.light is not None:
        return True
    return bool(d.actors or d.recipients or d.place or d.time or (d.quantity and d.type == "ASSAULT"))


def _drop_self_requests(drafts: list[_Draft]) -> list[_Draft]:
    """"We must defend ourselves" is no demand: a REQUEST needs someone other than its author."""
    return [d for d in drafts if d.type != "REQUEST" or d.frame.tok.pos_ != "VERB" or d.recipients
            or not d.frame.comps or _lemma(d.tok) not in plover.word_set(d.frame.lang, "events_statement_verbs")]


def extract_events(doc: Document) -> list[Event]:
    """Every PLOVER event of an analysed document (segments, parsed and whatever else it has)."""
    ctx = _context(doc)
    _referents(ctx)
    events: list[Event] = []
    nominal: set[str] = set()
    for parsed in doc.parsed:
        lang = parsed.doc.lang_
        if not plover.triggers(lang):
            continue
        for sent in parsed.doc.sents:
            drafts = _candidates(ctx, sent, lang, parsed.offset)
            if not drafts:
                continue
            for d in drafts:
                _arguments(ctx, d)
            trigger_ids = {d.tok.i for d in drafts}
            for d in drafts:
                _slots(ctx, d, trigger_ids - {d.tok.i})
                d.mode = _mode(ctx, d)
                d.purpose = d.frame.purpose
            drafts = [d for d in _absorb(ctx, _merge(drafts)) if _keep(d)]
            drafts = _drop_self_requests(drafts)
            for d in drafts:
                events.append(_event(ctx, d, sent, parsed.offset, len(events) + 1))
                if d.frame.pos == "N":
                    nominal.add(events[-1].id)
    places = {p.id: p.geonames_id or (p.name, p.country) for p in doc.places}
    return _resolve_nominals(events, nominal, places, ctx.countries)


_REALIS = ("occurred", "ongoing")


def _resolve_nominals(events: list[Event], nominal: set[str], places: dict[str, Any],
                      countries: dict[str, str | None]) -> list[Event]:
    """A nominal mention with no time of its own ("la récente visite de Poutine en Corée du
    Nord", "the attack") names a happening the article tells elsewhere as a dated event of the
    same type and mode, with the same actors (or actors of the same countries: "la visite du
    président russe" and "Poutine"), recipients and place where both give them: it
    takes that event's time, status and background flag (the nearest such event in the text;
    places compare by what they are, `places`: id → GeoNames id or name and country).
    Its status as a noun came from the clause around it, which says nothing of the happening."""
    def actors(e: Event) -> set[str]:
        return {countries.get(a) or a for a in e.actors}

    out = list(events)
    for i, e in enumerate(events):
        if e.id not in nominal or e.time is not None or not e.actors or e.status not in _REALIS:
            continue
        told = [g for g in events if g.id != e.id and g.time is not None and g.type == e.type
                and g.mode == e.mode and g.status in _REALIS and actors(g) == actors(e)
                and (not e.recipients or not g.recipients or set(e.recipients) & set(g.recipients))
                and (e.place is None or g.place is None or places.get(e.place) == places.get(g.place))]
        if not told:
            continue
        at = e.trigger["span"][0]
        g = min(told, key=lambda g: abs(g.trigger["span"][0] - at))
        out[i] = replace(e, time=g.time, status=g.status, historical=g.historical)
    return out


def _event(ctx: _Context, d: _Draft, sent: Any, offset: int, n: int) -> Event:
    start, end = _tok_span(d.tok, offset)
    clause = _clause(ctx, start, end)
    if clause is not None:
        status, certainty, negated, historical = clause.status, clause.certainty, clause.negated, clause.historical
    else:
        (status, certainty, negated), historical = _own_modality(d), False
    before = d.type
    _intent(ctx, d, negated)
    if d.type != before:  # the promise or threat itself was made
        status, negated = "occurred", False
    if status in ("occurred", "ongoing") and _planned(d):
        status = "planned"
    attribution = (clause.attribution if clause is not None else None) or _attribution(ctx, start, end)
    if clause is None and attribution and certainty == "asserted":
        certainty = "reported"
    contexts = _contexts(d)
    type_ = d.type
    if d.type == "MOBILIZE" and d.joint:
        type_ = "COOPERATE"  # joint exercises are cooperation (PLOVER manual, MOBILIZE)
    elif d.type == "MOBILIZE" and "peacekeeping" in contexts:
        type_ = "AID"  # sending peacekeepers is aid (CAMEO 074)
    purpose = None
    if d.purpose is not None:
        s, e = _subtree_span(d.purpose, offset)
        mark = [c for c in d.purpose.children if c.dep_ == "mark"]
        s = min(s, offset + mark[0].idx) if mark else s
        purpose = {"text": ctx.doc.text[s:e], "span": [s, e]}
    return Event(
        id=f"event:{n}", type=type_, mode=None if type_ != d.type else d.mode, contexts=tuple(contexts),
        trigger={"text": ctx.doc.text[start:end], "span": [start, end]},
        actors=tuple(d.actors), recipients=tuple(d.recipients), place=d.place, time=d.time,
        quantity=d.quantity, status=status, certainty=certainty, negated=negated,
        historical=historical or _historical(ctx, d.time, status), attribution=attribution,
        sentence=_sentence_of(ctx, start, end, sent, offset), cameo=plover.cameo_root(type_, d.mode, contexts),
        purpose=purpose,
    )


class EventsStage(DocumentStage):
    """PLOVER events of each document, tied to their clause's certainty and their source."""

    name = "events"
    requires = ("segments", "parsed", "entities", "times", "quantities", "places", "attributions", "clauses")
    assigns = ("events",)

    def annotate(self, doc: Document) -> Document:
        return replace(doc, events=tuple(extract_events(doc)))


register_stage("events")(EventsStage)
