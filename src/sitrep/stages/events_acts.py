"""One event per act (part of the `events` stage).

Triggers that tell the same act are merged ("attacked…, killing", "the attack killed", "killed in
a bombing": `_merge`); the content of a speech act is no second event ("threatened to strike",
"refused to withdraw"), nor is a nominal trigger that is another trigger's object ("lifted the
blockade", "condemned the attack": `_absorb`); and an actor saying it will do something makes a
promise or a threat, as the PLOVER manual codes intentions (`_intent`).

The names keep their leading underscore: they are the events stage's own, imported only by the
`events*` modules.
"""

from __future__ import annotations

from typing import Any

from .. import plover
from .events_drafts import _Draft
from .events_frames import (
    _SUBJ, _conditioned, _future, _future_tense, _governor, _lemma, _lemma_in, _morph, _role, _subjects, _verb_frame,
)
from .events_referents import _Context, _dedupe, _phrase_entities

__all__: list[str] = []


def _nonfinite(tok: Any) -> bool:
    return _morph(tok, "VerbForm") in ("Inf", "Part", "Ger") or tok.tag_ in ("VBG", "VBN")


def _same_act(d: _Draft, by_tok: dict[int, _Draft]) -> _Draft | None:
    """The trigger `d` restates: the nearest trigger above it, when of the same type and reached
    through a participle ("a frappé le port, blessant douze civils"), an infinitive, a nominal
    ("killed in a bombing", "the attack killed") or a coordination — not through a clause of its
    own, nor a "before/after" phrase (a different act)."""
    node = d.frame.light if d.frame.light is not None else d.tok
    lang = d.frame.lang
    light = by_tok.get(node.i)
    if light is not None and light is not d and light.type == d.type:  # "accordé un prêt", "ordered patrols"
        return light
    for _ in range(5):
        if node.dep_ in ("ccomp", "acl:relcl", "relcl", "parataxis") or node.head.i == node.i:
            return None
        if node.pos_ in ("NOUN", "PRON", "PROPN") and node.dep_ in ("conj", "appos"):
            return None  # "la visite de Kim et celle de Poutine": two visits
        if any(c.dep_ == "case" and _role(lang, _lemma(c)) == "sequence" for c in node.children) or \
                node.dep_ == "prep" and _role(lang, _lemma(node)) == "sequence":
            return None
        node = node.head
        other = by_tok.get(node.i)
        if other is None or other is d:
            continue
        restates = d.frame.pos == "N" or _nonfinite(d.tok) or d.tok.dep_ == "conj" or d.tok.head.i == node.i
        if other.type != d.type or not restates:
            return None
        if d.actors and other.actors and not set(d.actors) & set(other.actors):
            return None
        return other
    return None


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """One act, two triggers: "attacked…, killing", "the attack killed", "killed in a bombing"."""
    by_tok = {d.tok.i: d for d in drafts}
    gone: set[int] = set()
    for d in drafts:
        keep = _same_act(d, by_tok)
        if keep is None or keep.tok.i in gone:
            continue
        keep.actors = keep.actors or d.actors
        keep.recipients = _dedupe(keep.recipients + d.recipients)
        keep.place, keep.time = keep.place or d.place, keep.time or d.time
        keep.quantity = keep.quantity or d.quantity
        keep.mode = keep.mode or d.mode
        gone.add(d.tok.i)
    return [d for d in drafts if d.tok.i not in gone]


def _absorb(ctx: _Context, drafts: list[_Draft]) -> list[_Draft]:
    """One event per act: a speech act's content is not a second event ("threatened to strike",
    "refused to withdraw"); a nominal trigger that is the object of another trigger is that
    trigger's theme ("lifted the blockade", "condemned the attack")."""
    by_tok = {d.tok.i: d for d in drafts}
    for d in drafts:
        if d.frame.pos == "N" and d.frame.light is None:
            head, dep = _governor(d.tok, d.frame.lang)
            other = by_tok.get(head.i)
            if other is not None and other is not d and dep in ("obj", "dobj", "nsubj:pass", "nsubjpass"):
                d.absorbed_by = other
    for act in drafts:
        if act.type not in plover.VERBAL_ACTS or act.absorbed_by is not None:
            continue
        roots = list(act.frame.comps) + list(act.frame.theme) + ([act.frame.purpose] if act.frame.purpose else [])
        if act.frame.pos == "N":
            roots += [c for c in act.tok.children if c.dep_ not in ("amod", "det", "case", "punct")]
            if act.frame.light is not None:  # "opposé son veto à une nouvelle aide"
                roots += [c for c in act.frame.light.children if c.i != act.tok.i and c.dep_ not in _SUBJ
                          and c.dep_ not in ("aux", "aux:tense", "punct", "advmod")]
        for d in drafts:
            if d is act or d.absorbed_by is not None or not _in_content(d.tok, roots):
                continue
            d.absorbed_by = act
            act.content.append(d)
    for act in drafts:  # "manifesté pour réclamer…": demands made by protesting are the protest
        if act.type != "PROTEST" or act.absorbed_by is not None:
            continue
        for d in drafts:
            if d.type in plover.VERBAL_ACTS and d.absorbed_by is None and _nonfinite(d.tok) \
                    and act.frame.verb in d.tok.ancestors and not _in_relative(d.tok, act.frame.verb):
                d.absorbed_by = act
    kept = [d for d in drafts if d.absorbed_by is None]
    commissive = plover.word_set(drafts[0].frame.lang, "events_commissive_verbs") if drafts else frozenset()
    for act in kept:
        for d in act.content:
            if act.type == "AGREE" and d.type in plover.CONFLICTUAL and _lemma_in(act.tok, commissive):
                act.type = "THREATEN"  # "vowed to fight", "a juré de se venger"
            act.mode = act.mode or plover.content_mode(act.type, d.type)
            if act.type == "REQUEST":  # demanded that X…: X is asked
                act.recipients = act.recipients or [a for a in d.actors if a not in act.actors] or d.recipients
            elif act.type == "REJECT" and d.type in ("REQUEST", "AGREE"):  # rejected X's call, X's offer
                act.recipients = act.recipients or [a for a in d.actors if a not in act.actors] or d.recipients
            elif not act.recipients:
                act.recipients = [r for r in d.recipients if r not in act.actors]
            act.place = act.place or (d.place if act.type == "THREATEN" else None)
        if act.type in plover.VERBAL_ACTS and not act.recipients:
            act.recipients = [r for r in _content_targets(ctx, act) if r not in act.actors]
    return kept


def _in_relative(tok: Any, top: Any) -> bool:
    node = tok
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ in ("acl:relcl", "relcl", "ccomp"):
            return True
        node = node.head
    return False


def _in_content(tok: Any, roots: list[Any]) -> bool:
    """Whether `tok` heads the content of a speech act rooted at `roots`: reached through
    complements and arguments, not through relative or participial clauses ("offered to hand
    over nationals suspected of blowing up a plane": the bombing is no part of the offer)."""
    node = tok
    for _ in range(6):
        if any(node.i == r.i for r in roots):
            return True
        if node.dep_ in ("acl:relcl", "relcl", "pcomp", "parataxis") or (node.dep_ == "acl" and node.pos_ == "VERB"):
            return False
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _content_targets(ctx: _Context, act: _Draft) -> list[str]:
    """Whom the content of a speech act is aimed at, when no event was found in it ("offered to
    hand over to Great Britain…", "threatened further action against Russia")."""
    out: list[str] = []
    for comp in act.frame.comps:
        frame = _verb_frame(comp, "V", act.frame.lang, act.frame.offset)
        out.extend(_phrase_entities(ctx, frame.objects + frame.iobjs, act.frame.offset))
        out.extend(_phrase_entities(ctx, [n for p, n in frame.pps if _role(act.frame.lang, p) in ("dest", "target", "partner")],
                                    act.frame.offset))
    return _dedupe(out)


def _intent(ctx: _Context, d: _Draft, negated: bool) -> None:
    """Intentions, as the PLOVER manual codes them: an actor saying it will do something makes
    a promise (AGREE) or a threat (THREATEN); a condition ("unless…") makes it a threat; any
    cooperative act reported in the future tense is a commitment (AGREE, context "future")."""
    verb = d.frame.verb
    if d.type in plover.VERBAL_ACTS or not d.actors:
        return
    content = d.type
    said = False
    if verb.dep_ == "ccomp" and _future(verb) and _lemma_in(verb.head, plover.word_set(d.frame.lang, "events_statement_verbs")):
        speakers = _phrase_entities(ctx, _subjects(verb.head), d.frame.offset)
        said = bool(set(speakers) & set(d.actors))
    if (said or _future_tense(verb)) and _conditioned(verb):
        d.type = "THREATEN"
    elif said:
        d.type = ("REJECT" if negated else "AGREE") if content in plover.COOPERATIVE else "THREATEN"
    elif _future_tense(verb) and not d.frame.passive and content in plover.COOPERATIVE and not negated:
        d.type = "AGREE"
        d.contexts.append("future")
    else:
        return
    d.mode = plover.content_mode(d.type, content)
