"""The syntactic frame of an event trigger, read off the spaCy dependency parse (part of the
`events` stage).

`_verb_frame` and `_noun_frame` collect what a trigger governs into a `_Frame`: its subjects
(climbing through infinitives, participles and conjuncts, or the nearest noun when the parser left
the subject unattached), objects, prepositional phrases with their preposition, complement and
purpose clauses, and for a noun its support verb ("a effectué une visite") or the clause it is the
subject of. The token helpers read lemmas, morphology, voice, tense and mood; `_role` maps a
preposition to its role through the language's lexicon.

What it must not do: look at entities or at any other stage's annotations — a frame is syntax.
The names keep their leading underscore: they are the events stage's own, imported only by the
`events*` modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import plover

__all__: list[str] = []


_SUBJ = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj"})
_PASSIVE_MARKS = frozenset({"aux:pass", "auxpass", "nsubj:pass", "nsubjpass", "expl:pass"})
_OBJ = frozenset({"obj", "dobj"})
_IOBJ = frozenset({"iobj", "dative"})
_COMP = frozenset({"xcomp", "ccomp"})
_FR_PP = frozenset({"obl", "obl:arg", "obl:mod", "nmod", "obl:agent"})
_CLIMB = frozenset({"xcomp", "advcl", "conj", "acl", "acl:relcl", "relcl", "acomp"})


def _words(lang: str, role: str) -> frozenset[str]:
    return plover.function_words(lang, role)


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
