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

What it must not do: recognise entities, times, places or quantities itself. When the stages that
find them are absent it falls back on country names (`countries.find_mentions`) and spaCy's
named entities, so that actors are still found; places, times and quantities are then left out.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from .. import plover
from ..models import Attribution, Clause, Document, Event
from ..pipeline import register_stage
from ..settings import Settings

__all__ = ["EventsStage", "extract_events"]


# How far back (characters) a pronoun or a bare force looks for what it stands for: about three
# sentences of news prose.
_ANTECEDENT_WINDOW = 600
# Background: an event that ended more than this long before publication is not news.
_HISTORICAL_AFTER = timedelta(days=31)

_SUBJ = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj"})
_PASSIVE_MARKS = frozenset({"aux:pass", "auxpass", "nsubj:pass", "nsubjpass", "expl:pass"})
_OBJ = frozenset({"obj", "dobj"})
_IOBJ = frozenset({"iobj", "dative"})
_COMP = frozenset({"xcomp", "ccomp"})
_FR_PP = frozenset({"obl", "obl:arg", "obl:mod", "nmod", "obl:agent"})
_NP_DEPS = frozenset({"amod", "compound", "flat", "flat:name", "flat:foreign", "appos", "poss", "nmod:poss",
                      "nummod", "conj", "fixed", "npadvmod", "nmod", "prep", "pobj", "det"})
_CLIMB = frozenset({"xcomp", "advcl", "conj", "acl", "acl:relcl", "relcl", "acomp"})
# Types whose destination is a recipient even when named by "for/pour" ("aid for Sudan").
_FOR_RECIPIENT = frozenset({"CONSULT", "MOBILIZE", "AID", "RETREAT", "REQUEST", "COOPERATE", "AGREE", "SUPPORT"})


def _words(lang: str, role: str) -> frozenset[str]:
    return plover.function_words(lang, role)


# ---------------------------------------------------------------------------------------------
# Lookups of the other stages' annotations by character span


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
    if doc.entities:
        for ent in doc.entities:
            kinds[ent.id] = ent.kind
            countries[ent.id] = ent.country or (ent.id.split(":", 1)[1] if ent.id.startswith("country:") else None)
            mentions.extend((s, e, ent.id) for s, e in ent.mentions)
    else:
        mentions = _fallback_mentions(doc, kinds, countries)
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


def _fallback_mentions(doc: Document, kinds: dict[str, str], countries: dict[str, str | None]) -> list:
    """Country forms and spaCy person/organisation names, when the entities stage is absent."""
    try:
        from ..countries import find_mentions
    except ImportError:  # pragma: no cover - countries.py ships with the package
        find_mentions = None  # type: ignore[assignment]
    out: list[tuple[int, int, str]] = []
    for parsed in doc.parsed:
        lang = parsed.doc.lang_
        found = find_mentions(doc.text[parsed.offset:parsed.end], lang, parsed.offset) if find_mentions else []
        for m in found:
            eid = f"country:{m.iso3}"
            kinds[eid], countries[eid] = "country", m.iso3
            out.append((m.start, m.end, eid))
        for ent in parsed.doc.ents:
            kind = {"PER": "person", "PERSON": "person", "ORG": "organization"}.get(ent.label_)
            start, end = parsed.offset + ent.start_char, parsed.offset + ent.end_char
            if kind is None or any(s < end and e > start for s, e, _ in out):
                continue
            eid = f"{kind}:{ent.text}"
            kinds[eid], countries[eid] = kind, None
            out.append((start, end, eid))
    return out


# ---------------------------------------------------------------------------------------------
# Syntax helpers (spaCy tokens; positions in Document.text are token.idx + Parsed.offset)


def _lemma(tok: Any) -> str:
    return tok.lemma_.lower()


def _lemmas(tok: Any) -> tuple[str, ...]:
    """The lemma, then guesses for when the lemmatiser errs ("staged" → "stag"): the lower-cased
    form and the form without a regular inflection."""
    word = tok.lower_
    out = [_lemma(tok), word]
    if tok.lang_ == "fr":  # "gelé" tagged as an adjective, "réclame" lemmatised as the noun
        for suffix, repl in (("ées", "er"), ("és", "er"), ("ée", "er"), ("é", "er"), ("ent", "er"), ("es", "er"),
                             ("e", "er")):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                out.append(word[: -len(suffix)] + repl)
                break
    if tok.lang_ == "en":
        for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("d", ""), ("ing", "e"),
                             ("ing", ""), ("es", ""), ("s", "")):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                out.append(word[: -len(suffix)] + repl)
    return tuple(dict.fromkeys(out))


def _lemma_in(tok: Any, words: frozenset[str] | set[str]) -> bool:
    return any(w in words for w in _lemmas(tok))


def _pos(tok: Any) -> str | None:
    return {"VERB": "V", "NOUN": "N", "ADJ": "A", "PROPN": "N"}.get(tok.pos_)


def _morph(tok: Any, key: str) -> str | None:
    values = tok.morph.get(key)
    return values[0] if values else None


def _is_reflexive(tok: Any) -> bool:
    return _morph(tok, "Reflex") == "Yes" or tok.lower_ in ("se", "s'", "s’")


def _pp_children(tok: Any, lang: str) -> list[tuple[str, Any]]:
    """(preposition, noun) for each prepositional dependent of `tok`."""
    out = []
    for child in tok.children:
        if child.dep_ in _FR_PP:
            case = [c for c in child.children if c.dep_ in ("case", "mark") and c.pos_ in ("ADP", "SCONJ")]
            if case:
                out.append((_lemma(case[0]).replace("’", "'"), child))
            elif child.dep_ == "obl:agent":
                out.append(("par", child))
        elif child.dep_ in ("prep", "agent", "dative") and child.pos_ == "ADP":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                out.append(("by" if child.dep_ == "agent" else _lemma(child), objs[0]))
    return out


def _conjuncts(tok: Any) -> list[Any]:
    """`tok` and the nominal conjuncts coordinated with it ("Moscou et Pyongyang")."""
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(_conjuncts(child))
    return out


def _subtree_span(tok: Any, offset: int, skip: frozenset[str] = frozenset({"acl:relcl", "relcl", "punct"})
                  ) -> tuple[int, int]:
    """Character span of a phrase headed by `tok`, without its relative clauses."""
    toks = [tok]
    stack = [tok]
    while stack:
        for child in stack.pop().children:
            if child.dep_ not in skip and not (child.dep_ in ("acl", "advcl", "ccomp") and child.pos_ == "VERB"):
                toks.append(child)
                stack.append(child)
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return offset + start, offset + end


def _is_passive(tok: Any) -> bool:
    if any(c.dep_ in _PASSIVE_MARKS for c in tok.children):
        return True
    # A past participle modifying a noun ("troops deployed in…", "des soldats envoyés en…").
    return tok.dep_ == "acl" and (tok.tag_ == "VBN" or (_morph(tok, "VerbForm") == "Part" and _morph(tok, "Tense") == "Past"))


def _future_tense(tok: Any) -> bool:
    """Future tense proper ("will send", "enverra"), not the conditional ("would", "enverrait")."""
    if _morph(tok, "Tense") == "Fut" and _morph(tok, "Mood") != "Cnd":
        return True
    return any(c.dep_ in ("aux", "aux:tense") and (c.lower_ in _words(c.lang_, "future") or
                                                  (_morph(c, "Tense") == "Fut" and _morph(c, "Mood") != "Cnd"))
               for c in tok.children)


def _conditioned(tok: Any) -> bool:
    """"…unless Baghdad accepts", "…si Israël ne se retire pas": a condition makes it an ultimatum."""
    marks = plover.word_set(tok.doc.lang_, "events_condition_marks")
    return any(c.dep_ == "advcl" and any(_lemma(m) in marks for m in c.children if m.dep_ == "mark")
               for c in tok.children)


def _future(tok: Any) -> bool:
    """Future or conditional, as reported speech puts a plan: "said they would", "a dit qu'il enverrait"."""
    if _future_tense(tok) or _morph(tok, "Mood") == "Cnd":
        return True
    if any(c.dep_.startswith("aux") and (c.lower_ in _words(c.lang_, "conditional") or _morph(c, "Mood") == "Cnd")
           for c in tok.children):
        return True
    return tok.dep_ == "xcomp" and _lemma(tok.head) in _words(tok.lang_, "going")  # "are going to…"


# ---------------------------------------------------------------------------------------------
# Frames: the syntactic arguments of one trigger


@dataclass
class _Frame:
    tok: Any
    pos: str
    lang: str
    offset: int
    light: Any = None
    passive: bool = False
    subjects: list[Any] = field(default_factory=list)
    agents: list[Any] = field(default_factory=list)
    objects: list[Any] = field(default_factory=list)
    iobjs: list[Any] = field(default_factory=list)
    pps: list[tuple[str, Any]] = field(default_factory=list)
    comps: list[Any] = field(default_factory=list)
    purpose: Any = None
    of: list[Any] = field(default_factory=list)  # noun complements ("visite du président")
    modifiers: list[Any] = field(default_factory=list)  # amod/compound/poss of a nominal trigger
    host: Any = None  # the clause a nominal trigger is the subject of ("des émeutes ont éclaté à Dakar")
    patients: list[Any] = field(default_factory=list)  # "le convoi a essuyé des tirs": who suffered it

    @property
    def verb(self) -> Any:
        for tok in (self.light, self.host):
            if tok is not None:
                return tok
        return self.tok

    @property
    def theme(self) -> list[Any]:
        if self.pos == "N":
            return self.of
        if self.passive:
            return self.subjects
        return self.objects or ([] if self.iobjs else self.subjects)

    @property
    def actor_side(self) -> list[Any]:
        # "Vietnam is committed to…", "la France est déterminée à…": a state, not a passive.
        if self.passive and not self.agents and self.comps:
            return self.subjects
        return self.agents if self.passive else self.subjects


def _role(lang: str, prep: str) -> str:
    return plover.preposition_roles(lang).get(prep, "other")


def _subjects(tok: Any) -> list[Any]:
    """The subject of `tok`, climbing to the governing verb for infinitives, participles and conjuncts."""
    node = tok
    for _ in range(4):
        subj = [c for c in node.children if c.dep_ in _SUBJ]
        if subj:
            head = subj[0]
            if head.lower_ in _words(head.lang_, "relative") and node.dep_ in ("acl:relcl", "relcl"):
                head = node.head
            return _conjuncts(head)
        if node.dep_ in ("acl", "acl:relcl", "relcl") and node.head.pos_ in ("NOUN", "PROPN") and node.i != tok.i:
            return _conjuncts(node.head)
        if node.dep_ == "acl" and _is_passive(node):
            return _conjuncts(node.head)
        if node.dep_ == "acl" and node.head.dep_ in _OBJ:  # "issued a statement demanding…"
            return _subjects(node.head.head)
        if node.dep_ not in _CLIMB or node.head.i == node.i:
            break
        node = node.head
    return []


def _orphan_subject(tok: Any) -> list[Any]:
    """A subject the parser failed to attach: the nearest noun before the verb in its clause."""
    clause = tok
    while clause.dep_ in ("xcomp", "aux", "aux:pass", "conj") and clause.head.i != clause.i:
        clause = clause.head
    lang = tok.doc.lang_
    for t in sorted((t for t in clause.subtree if t.i < tok.i), key=lambda t: -t.i):
        if t.pos_ not in ("NOUN", "PROPN") or t.dep_ in ("flat", "flat:name", "compound", "amod"):
            continue
        if any(c.dep_ == "case" and _role(lang, _lemma(c)) in ("loc", "dest", "time", "source", "target")
               for c in t.children):
            continue
        return [t]
    # A subject cut off as a fragment of its own ("Pékin | accuse Washington…").
    for t in reversed(tok.doc[max(0, clause.left_edge.i - 6):clause.left_edge.i]):
        if t.text in ".!?;:":
            break
        if t.dep_ == "ROOT" and t.pos_ in ("PROPN", "NOUN"):
            return [t]
    return []


def _verb_frame(tok: Any, pos: str, lang: str, offset: int) -> _Frame:
    frame = _Frame(tok, pos, lang, offset, passive=_is_passive(tok))
    kids = list(tok.children)
    frame.subjects = _subjects(tok)
    frame.objects = [o for c in kids if c.dep_ in _OBJ for o in _conjuncts(c)]
    frame.iobjs = [c for c in kids if c.dep_ in _IOBJ and c.pos_ != "ADP"]
    frame.pps = _pp_children(tok, lang)
    frame.agents = [n for p, n in frame.pps if _role(lang, p) == "agent"]
    frame.comps = [c for c in kids if c.dep_ in _COMP]
    for c in kids:
        # "appeler à boycotter", "refuser de négocier", "accusée d'avoir incendié": infinitive complements.
        if c.dep_ in ("advcl", "acl", "obl", "obl:arg") and c.pos_ in ("VERB", "AUX") and c not in frame.comps \
                and any(_lemma(m) in _words(lang, "complement") for m in c.children if m.dep_ in ("mark", "case")):
            frame.comps.append(c)
    for obj in frame.objects:  # object control: "appelé leurs collègues à boycotter", "urged X to…"
        frame.comps.extend(c for c in obj.children if c.dep_ in ("acl", "advcl") and c.pos_ == "VERB"
                           and any(_lemma(m) in _words(lang, "complement") for m in c.children if m.dep_ in ("mark", "aux")))
    if not frame.objects and lang == "fr":
        # Partitive objects are parsed as "de" phrases: "envoyer de l'aide", "saisir des armes".
        frame.objects = [n for c in kids if c.dep_ in ("obl:arg", "obl") and c.pos_ == "NOUN"
                         and any(_lemma(k) in ("de", "d'") for k in c.children if k.dep_ == "case")
                         and any(k.dep_ == "det" for k in c.children) for n in _conjuncts(c)]
    for c in kids:
        if c.dep_ in ("advcl", "xcomp", "acl") and c.pos_ == "VERB":
            marks = {_lemma(m) for m in c.children if m.dep_ in ("mark", "aux", "case")}
            if marks & _words(lang, "purpose") or (c.dep_ == "advcl" and marks & _words(lang, "complement") and c.tag_ == "VB"):
                frame.purpose = c
                if c in frame.comps:
                    frame.comps.remove(c)
    if tok.dep_ == "acl" and frame.passive and tok.head.pos_ in ("NOUN", "PROPN"):
        frame.subjects = _conjuncts(tok.head)
    if not frame.subjects:
        frame.subjects = _orphan_subject(tok)
    return frame


def _governor(tok: Any, lang: str) -> tuple[Any, str]:
    """The word a noun depends on and how, through prepositions ("engaged in talks") and counts
    ("launched 10 days of war games", "une série de frappes")."""
    node, dep = tok, tok.dep_
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            break
        if dep == "pobj" and head.dep_ in ("prep", "agent"):
            node, dep = head, head.dep_
            continue
        if head.pos_ == "NOUN" and dep in ("prep", "nmod") and "amount" in plover.classes_of(lang, _lemma(head)):
            node, dep = head, head.dep_
            continue
        return head, dep
    return node.head, dep


def _noun_frame(tok: Any, lang: str, offset: int) -> _Frame:
    frame = _Frame(tok, "N", lang, offset)
    head, dep = _governor(tok, lang)
    case = [_lemma(c) for c in tok.children if c.dep_ == "case"]
    purpose = any(_role(lang, c) == "for" for c in case) or dep == "prep" and _role(lang, _lemma(tok.head)) == "for"
    if head.i != tok.i and head.pos_ in ("VERB", "AUX") and _lemma_in(head, plover.word_set(lang, "events_light_verbs")) \
            and not purpose and (dep in ("obj", "dobj", "obl:arg", "obl", "obl:mod", "prep", "nsubj:pass", "nsubjpass", "attr")
                                 or dep == "dep" and not case):
        frame.light = head
        light = _verb_frame(head, "V", lang, offset)
        frame.passive = light.passive
        frame.subjects = [s for s in light.subjects if s.i != tok.i]
        frame.agents = light.agents
        frame.pps = [(p, n) for p, n in light.pps if n.i != tok.i]
        frame.iobjs = light.iobjs
        frame.comps = light.comps
        frame.purpose = light.purpose
    elif head.i != tok.i and head.pos_ in ("VERB", "AUX") and (
            dep == "nsubj" or dep in ("obj", "dobj") and _lemma_in(head, plover.word_set(lang, "events_patient_verbs"))):
        # The clause around a nominal subject ("une grève paralyse le pays depuis lundi") or the
        # object of a verb of suffering ("le convoi a essuyé des tirs") carries its place and time.
        frame.host = head
        frame.pps = [(p, n) for p, n in _pp_children(head, lang) if n.i != tok.i]
        if dep != "nsubj":
            frame.patients = _subjects(head)
    for prep, noun in _pp_children(tok, lang):
        role = _role(lang, prep)
        if role == "of":
            frame.of.extend(_conjuncts(noun))
            # "la visite du président russe en Corée du Nord": the destination may hang lower.
            for inner in list(noun.subtree)[:12]:
                frame.pps.extend((p, n) for p, n in _pp_children(inner, lang) if _role(lang, p) in ("dest", "loc"))
        elif role == "agent":
            frame.agents.append(noun)
        else:
            frame.pps.append((prep, noun))
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod:poss") or (c.dep_ == "det" and _morph(c, "Poss") == "Yes"):
            frame.modifiers.append(c)
        elif c.dep_ in ("acl", "xcomp", "ccomp") and c.pos_ == "VERB":
            frame.comps.append(c)
    return frame


# ---------------------------------------------------------------------------------------------
# From noun phrases to entities


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
    found: list[str] = []
    located: list[str] = []  # "rebels in the Ivory Coast": where they are, when nothing else says who
    stack = [c for c in tok.children]
    lang = tok.doc.lang_
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


# ---------------------------------------------------------------------------------------------
# Trigger rows and their conditions


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


# ---------------------------------------------------------------------------------------------
# Events


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


# ---------------------------------------------------------------------------------------------
# Certainty, source, history


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


# ---------------------------------------------------------------------------------------------
# The document loop


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


class EventsStage:
    """PLOVER events of each document, tied to their clause's certainty and their source."""

    name = "events"
    requires = ("segments", "parsed", "entities", "times", "quantities", "places", "attributions", "clauses")
    assigns = ("events",)

    def __init__(self, settings: Settings) -> None:
        pass

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]:
        for doc in docs:
            yield replace(doc, events=tuple(extract_events(doc)))


register_stage("events")(EventsStage)
