"""Stage `certainty`: how firmly the text commits to each clause, and whether it is news.

A clause is a finite verb with its dependents, read from the existing spaCy parse (a copula or
auxiliary that carries the finite form counts for its head: "sont en préparation", "a déployé").
Each clause gets a `Clause` record that events inherit:
- status: occurred | ongoing | planned | possible | feared | hypothetical — from tense and mood,
  modal verbs ("pourraient", "could"), governing verbs ("redoute que", "fears", "prévoit de",
  "is set to", "n'exclut pas que") and markers ("en préparation", "peut-être"), "si"/"if"
  clauses and their consequence ("si on laisse cela, ils vont être pillés"; a "si" complement is
  a question: possible), an imperfect reported after a past verb (a present shifted back), the
  present of a headline (news that happened);
- certainty: hedged (the French conditional of reported facts, "reportedly", "allegedly",
  "would have", a hearsay source such as "rumors"), reported (inside an attribution's content),
  uncertain (the article's own "could"/"peut-être", condition or fear), else asserted;
- negated: "n'a pas", "ne … jamais", "did not", "unlikely to", and what a source denies
  (also through a denied report: "denied reports that …");
- historical: a past clause that dates from well before the document ("le 13 septembre 2023",
  a time of doc.times older than 30 days before doc.published, "last year", "Depuis
  l'invasion…"), and a pluperfect that follows such a sentence.
Language knowledge lives in lexicons/<lang>/certainty_*; this module only reads the parse.
It does not find attributions (the attribution stage does) nor events.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from .. import lexicons
from ..dates import find_dates
from ..models import Attribution, Clause, Document, Span
from ..pipeline import DocumentStage, register_stage
from .attribution_cues import verb_lemma

__all__ = ["CertaintyStage", "find_clauses", "NEWS_WINDOW_DAYS"]

# A dated clause older than this before the document's date is background, not news.
NEWS_WINDOW_DAYS = 30
_AUX = frozenset({"aux", "aux:tense", "aux:pass", "auxpass", "aux:caus", "cop"})
_STATUS_ORDER = ("hypothetical", "feared", "possible", "planned", "ongoing", "occurred")
_STATUSES = frozenset(_STATUS_ORDER)
_COMPLEMENTS = frozenset({"ccomp", "xcomp", "csubj", "acl", "advcl", "conj"})
_SINCE = frozenset({"depuis", "since", "dès", "from"})
_YEAR = re.compile(r"\b(?:en|in|de|of|au|during|durant)\s+((?:1[89]|20)\d\d)\b(?!\s*[-/])", re.I)


@dataclass(frozen=True)
class _Lexicon:
    governors: dict[str, str]
    markers: re.Pattern[str] | None
    marker_effects: dict[str, str]
    hypothetical: frozenset[str]
    negation: frozenset[str]
    background: re.Pattern[str] | None
    conditional_stems: dict[str, str]
    obligations: frozenset[str]
    scheduled: frozenset[str]
    negative: frozenset[str]
    hearsay: frozenset[str]
    report_nouns: frozenset[str]
    etre_verbs: frozenset[str]


@cache
def _lexicon(lang: str) -> _Lexicon:
    governors = {row[0].lower(): row[1] for row in lexicons.table(lang, "certainty_governors") if len(row) > 1}
    effects = {row[0].lower(): row[1] for row in lexicons.table(lang, "certainty_markers") if len(row) > 1}
    words = sorted(effects, key=len, reverse=True)
    markers = None
    if words:
        markers = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.I)
    background = lexicons.lines(lang, "certainty_background")
    return _Lexicon(
        governors=governors,
        markers=markers,
        marker_effects=effects,
        hypothetical=frozenset(w.lower() for w in lexicons.lines(lang, "certainty_hypothetical")),
        negation=frozenset(w.lower() for w in lexicons.lines(lang, "certainty_negation")),
        background=re.compile("|".join(f"(?:{p})" for p in background), re.I) if background else None,
        conditional_stems={row[0]: row[1] for row in lexicons.table(lang, "certainty_conditional_stems")
                           if len(row) > 1},
        obligations=frozenset(row[0].lower() for row in lexicons.table(lang, "certainty_governors")
                              if len(row) > 2 and row[2] == "obligation"),
        scheduled=frozenset(row[0].lower() for row in lexicons.table(lang, "certainty_governors")
                            if len(row) > 2 and row[2] == "scheduled"),
        negative=frozenset(row[0].lower() for row in lexicons.table(lang, "certainty_governors")
                           if len(row) > 2 and row[2] == "negative"),
        hearsay=frozenset(w.lower() for w in lexicons.lines(lang, "certainty_hearsay")),
        report_nouns=frozenset(w.lower() for w in lexicons.lines(lang, "certainty_report_nouns")),
        etre_verbs=frozenset(w.lower() for w in lexicons.lines(lang, "certainty_etre_verbs")),
    )


# Endings of the French conditional and future, added to the future stem.
_CND_ENDINGS = ("ais", "ait", "aient", "ions", "iez")
_FUT_ENDINGS = ("ai", "as", "a", "ons", "ez", "ont")


def _stem_form(tok: Any, lex: _Lexicon, endings: tuple[str, ...]) -> bool:
    """A finite form built on the future stem with one of `endings` ("mettr-ait", "mettr-a")."""
    if not lex.conditional_stems or "Fin" not in tok.morph.get("VerbForm"):
        return False
    lemma = tok.lemma_.lower()
    stem = lex.conditional_stems.get(lemma) or (lemma[:-1] if lemma.endswith("re") else lemma)
    if not lemma.endswith(("er", "ir", "re", "oir")):
        return False
    low = tok.lower_
    return low.startswith(stem) and low[len(stem):] in endings


def _conditional(tok: Any, lex: _Lexicon) -> bool:
    """Mood=Cnd, or (French) a conditional form that the tagger read as an imperfect."""
    return "Cnd" in tok.morph.get("Mood") or _stem_form(tok, lex, _CND_ENDINGS)


def _future(tok: Any, lex: _Lexicon) -> bool:
    """Tense=Fut, or (French) a future form the tagger read as a present ("mettra")."""
    return "Fut" in tok.morph.get("Tense") or _stem_form(tok, lex, _FUT_ENDINGS)


def _is_aux(tok: Any) -> bool:
    # "soit" in "que le chef de l'Etat soit malade" sometimes comes out as `cc`: an AUX still is one
    return tok.dep_ in _AUX or (tok.pos_ == "AUX" and tok.dep_ in ("cc", "dep", "mark") and tok.head.i > tok.i)


def _is_head(tok: Any) -> bool:
    if _is_aux(tok):
        return False
    if "Fin" in tok.morph.get("VerbForm"):
        return True
    return any(_is_aux(c) and "Fin" in c.morph.get("VerbForm") for c in tok.children)


def _owners(toks: list[Any], heads: set[int]) -> dict[int, Any]:
    """Each token's clause: the nearest clause head up its chain of heads, itself for a head,
    None when the chain reaches the root first. Walked on head indices, remembering each answer
    (a Token's `.head` is a new object at every step)."""
    up = [t.head.i for t in toks]
    found: dict[int, int | None] = {}
    for i in range(len(toks)):
        path, cur = [], i
        while True:
            if cur in found:
                owner = found[cur]
                break
            if cur in heads:
                owner = cur
                break
            if up[cur] == cur:
                owner = None
                break
            path.append(cur)
            cur = up[cur]
        found[cur] = owner
        for j in path:
            found[j] = owner
    return {i: toks[o] if o is not None else None for i, o in found.items()}


def _group(head: Any) -> list[Any]:
    return [head] + [c for c in head.children if _is_aux(c)]


def _finite(head: Any) -> Any:
    fins = [t for t in _group(head) if "Fin" in t.morph.get("VerbForm")]
    return min(fins, key=lambda t: t.i) if fins else head


def _is_past(head: Any, etre_verbs: frozenset[str] = frozenset()) -> bool:
    fin = _finite(head)
    tense = fin.morph.get("Tense")
    if "Past" in tense or "Imp" in tense or fin.tag_ in ("VBD",):
        return True
    # passé composé / present perfect: a present auxiliary with a past participle; the verbs
    # that build it with "être" look passive to the parser ("est décédée", "suis passée")
    return fin.i != head.i and "Part" in head.morph.get("VerbForm") and any(
        c.dep_ in ("aux", "aux:tense") or c.dep_ == "aux:pass" and head.lemma_.lower() in etre_verbs
        for c in head.children)


def _pluperfect(head: Any, etre_verbs: frozenset[str]) -> bool:
    """A past auxiliary with a past participle: "avait été entendu", "s'était accusé", "had left"."""
    fin = _finite(head)
    if fin.i == head.i or "Part" not in head.morph.get("VerbForm") or not _simple_past(head):
        return False
    if fin.dep_ in ("aux", "aux:tense"):
        return True
    # "s'était accusé", "était arrivé": the être of a reflexive or of a verb of motion
    reflexive = any(c.dep_ == "expl:comp" for c in head.children)
    return fin.dep_ == "aux:pass" and (reflexive or head.lemma_.lower() in etre_verbs)


def _simple_past(head: Any) -> bool:
    """The finite verb itself is past ("étaient", "were"), not a present auxiliary of a perfect."""
    fin = _finite(head)
    return "Past" in fin.morph.get("Tense") or "Imp" in fin.morph.get("Tense") or fin.tag_ == "VBD"


def _perfect(head: Any) -> bool:
    """A past participle with a tense auxiliary: "a dû", "has been", "would have seized"."""
    return "Part" in head.morph.get("VerbForm") and "Past" in head.morph.get("Tense") and any(
        c.dep_ in ("aux", "aux:tense") and c.pos_ == "AUX" for c in head.children)


def _date_end(value: str | None) -> date | None:
    """The last day a TIMEX-like value ("2024", "2024-06", "2024-06-19") can denote."""
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            return date(year, int(m.group(2)), int(m.group(3)))
        if m.group(2):
            month = int(m.group(2))
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 12, 31)
    except ValueError:
        return None


def _reference(doc: Document) -> date | None:
    if not doc.published:
        return None
    try:
        return date.fromisoformat(doc.published[:10])
    except ValueError:
        return None


@dataclass
class _Info:
    head: Any
    offset: int
    span: Span
    status: str | None = None
    hedged: bool = False
    negated: bool = False
    historical: bool = False
    recent: bool = False
    cue: str | None = None
    conditional: bool = False
    modal: bool = False
    plain_would: bool = False  # English "would" without "have": not a hedge
    backshift: bool = False  # an imperfect that a past report shifted back from a present


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.ref = _reference(doc)
        self.cutoff = self.ref - timedelta(days=NEWS_WINDOW_DAYS) if self.ref else None
        self.segment_text = ""

    def clauses(self) -> list[Clause]:
        out: list[Clause] = []
        for parsed in self.doc.parsed:
            # spaCy rebuilds Doc.text on every access: slice the segment's text once.
            self.segment_text = self.text[parsed.offset:parsed.end]
            out.extend(self._segment(parsed.doc, parsed.offset))
        out.sort(key=lambda c: (c.span[0], -c.span[1]))
        return out

    def _segment(self, sdoc: Any, offset: int) -> list[Clause]:
        lex = _lexicon(sdoc.lang_)
        toks = list(sdoc)  # spaCy makes a new Token object at each step of every walk: walk once
        heads = {t.i for t in toks if _is_head(t)}
        if not heads:
            return []
        infos: dict[int, _Info] = {}
        for i in sorted(heads):
            head = toks[i]
            start = head.left_edge.idx + offset
            end = head.right_edge.idx + len(head.right_edge.text) + offset
            infos[i] = _Info(head, offset, (start, end))
        owners = _owners(toks, heads)
        for info in infos.values():
            self._read(info, lex, owners)
        self._markers(toks, offset, lex, infos, owners)
        self._governed(infos, lex, owners)
        self._times(sdoc, toks, offset, lex, infos, owners)
        return [self._record(info, lex) for info in infos.values()]

    # -- one clause --------------------------------------------------------------------------
    def _read(self, info: _Info, lex: _Lexicon, owners: dict[int, Any]) -> None:
        head = info.head
        group = _group(head)
        fin = _finite(head)
        lemma = verb_lemma(head, lex.governors) or head.lemma_.lower()
        # a modal or planning verb with its infinitive: the clause is about the infinitive; an
        # obligation in the compound past was met ("personne n'a dû évacuer", "il a fallu")
        xcomp = any(c.dep_ == "xcomp" for c in head.children)
        if lemma not in lex.governors and head.lower_ in lex.governors:
            lemma = head.lower_  # "going to", "set to": the form is the entry, not the lemma
        if xcomp and lemma in lex.governors and not (lemma in lex.obligations and _perfect(head)):
            self._effect(info, lex.governors[lemma], head)
            info.modal = lex.governors[lemma] in _STATUSES
        # a scheduling verb in the passive: "une réunion est prévue le 16 juillet", "is scheduled"
        if lemma in lex.scheduled and any(c.dep_ in ("aux:pass", "auxpass") for c in head.children):
            self._effect(info, "planned", head)
        # a predicate adjective with its infinitive: "is unlikely to come back", "is due to"
        for child in head.children:
            if child.dep_ in ("acomp", "attr") and child.lower_ in lex.governors \
                    and any(c.dep_ == "xcomp" for c in child.children):
                self._effect(info, lex.governors[child.lower_], child)
                info.modal = info.modal or lex.governors[child.lower_] in _STATUSES
                if child.lower_ in lex.negative:
                    info.negated = True  # "is unlikely to come back": probably not
        for tok in group[1:]:
            low = tok.lower_
            if tok.tag_ == "MD" or low in lex.governors and tok.dep_ in ("aux", "aux:tense"):
                effect = lex.governors.get(low) or lex.governors.get(tok.lemma_.lower())
                if tok.lemma_.lower() == "would":
                    info.conditional = True
                    # plain "would" is a consequence or the future seen from the past; only "would
                    # have" tells an unconfirmed past ("the rebels would have seized the town")
                    info.plain_would = not (_perfect(head) and any(
                        t.dep_ == "aux" and t.pos_ == "AUX" and t.i > tok.i for t in group))
                elif effect:
                    self._effect(info, effect, tok)
                    info.modal = True
            if tok.lemma_.lower() == "aller" and tok.dep_ in ("aux", "aux:tense"):
                self._effect(info, "planned", tok)
        if _conditional(fin, lex):
            info.conditional = True
            info.cue = info.cue or fin.text
        if _future(fin, lex):
            self._effect(info, "planned", fin)
        for child in head.children:
            if child.dep_ == "mark" and child.lower_ in lex.hypothetical:
                # "si", "if", "whether" opening a complement ask a question; they set no condition
                question = head.dep_ in ("ccomp", "csubj")
                self._effect(info, "possible" if question else "hypothetical", child)
        # the consequence of a condition: "si on laisse cela, ils vont être pillés", "we'd send"
        condition = next((c for c in head.children if c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in lex.hypothetical for m in c.children)), None)
        if condition is None and head.dep_ in ("advcl", "ccomp", "parataxis") and head.head.i < head.i \
                and any(m.dep_ == "mark" and m.lower_ in lex.hypothetical for m in head.head.children):
            condition = head.head  # the parser made the "si" clause the head of its consequence
        if condition is not None and (info.conditional or info.status == "planned"):
            self._effect(info, "hypothetical", condition)
        self._negation(info, lex, owners)

    def _negation(self, info: _Info, lex: _Lexicon, owners: dict[int, Any]) -> None:
        head = info.head
        near = [c for t in _group(head) for c in t.children] + list(head.children)
        has_ne = any(t.lower_ in ("ne", "n'", "n’") for t in near)
        # "n'est pas encore terminé": the negation may hang from an adverb of the clause
        near += [g for c in list(near) if c.dep_ == "advmod" and c.i != head.i for g in c.children]
        allowed = has_ne or head.lang_ != "fr"
        # the parser sometimes heads the clause with the negation word ("n'est désormais plus de mise")
        if has_ne and head.lower_ in lex.negation and head.pos_ == "ADV":
            info.negated = True
            info.cue = info.cue or head.text
            return
        for tok in near:
            low = tok.lower_
            # "il n'y avait personne": a negative pronoun the tagger read as a bare noun
            bare_noun = tok.pos_ == "NOUN" and not any(d.dep_ == "det" for d in tok.children)
            if tok.dep_ == "neg" or (low in lex.negation and allowed
                                     and (tok.pos_ in ("ADV", "PART", "DET", "PRON", "CCONJ") or bare_noun)):
                info.negated = True
                info.cue = info.cue or tok.text
                return
            # "aucune preuve", "no troops", "ni billet ni chèque": a negative word on an argument
            if tok.dep_ in ("nsubj", "obj", "dobj", "nsubj:pass", "nsubjpass", "attr", "expl"):
                for det in tok.children:
                    if det.dep_ in ("det", "cc") and det.lower_ in lex.negation and allowed:
                        info.negated = True
                        info.cue = info.cue or det.text
                        return

    @staticmethod
    def _effect(info: _Info, effect: str, tok: Any) -> None:
        if effect == "hedged":
            info.hedged = True
        elif effect == "negated":
            info.negated = not info.negated
        elif effect in _STATUSES:
            if info.status is None or _STATUS_ORDER.index(effect) < _STATUS_ORDER.index(info.status):
                info.status = effect
        else:
            return
        info.cue = tok.text if info.cue is None or effect != "ongoing" else info.cue

    def _markers(self, toks: list[Any], offset: int, lex: _Lexicon, infos: dict[int, _Info],
                 owners: dict[int, Any]) -> None:
        if lex.markers is None:
            return
        starts = {t.idx: t for t in toks}
        for m in lex.markers.finditer(self.segment_text):
            tok = starts.get(m.start())
            if tok is None:
                continue
            owner = owners.get(tok.i)
            if owner is None:
                continue
            # a marker that modifies a noun or adjective below the clause speaks of that word only
            # ("a proposal reportedly worth", "dans les semaines à venir", "des travaux en cours")
            root = _phrase_root(toks, tok, m.end() - m.start())
            if root.i != owner.i and root.head.i not in {t.i for t in _group(owner)} \
                    and root.head.pos_ in ("NOUN", "PROPN", "NUM", "ADJ"):
                continue
            effect = lex.marker_effects.get(m.group().lower())
            if effect:
                info = infos[owner.i]
                before = info.cue
                self._effect(info, effect, tok)
                if info.cue != before:
                    info.cue = m.group()

    def _governed(self, infos: dict[int, _Info], lex: _Lexicon, owners: dict[int, Any]) -> None:
        """A clause governed by "redoute que", "denied that", "il est possible que"."""
        for info in infos.values():
            head = info.head
            # a second complement coordinated with the first is governed alike ("fear Putin will
            # not stop at Crimea and may try…")
            anchor = head
            while anchor.dep_ == "conj" and anchor.head.i != anchor.i:
                anchor = anchor.head
            dep = anchor.dep_
            if dep == "acl:relcl" and self._denied_report(anchor.head, dep, lex, infos, owners):
                self._effect(info, "negated", anchor.head.head)
            if dep not in _COMPLEMENTS or anchor.head.i == anchor.i or dep == "conj":
                continue
            gov = anchor.head
            parent = infos.get(owners[gov.i].i) if owners.get(gov.i) is not None else None
            lemma = verb_lemma(gov, lex.governors) or gov.lemma_.lower()
            effect = lex.governors.get(lemma)
            if effect is None and dep == "ccomp":
                # a governing noun or adjective ("la crainte que", "possible que") via its copula
                effect = lex.governors.get(gov.lower_)
            if effect == "negated" and parent is not None and parent is not info and parent.negated:
                effect = "possible"  # "n'exclut pas que", "did not deny that": left open
            if effect == "possible" and (lemma in lex.negative or gov.lower_ in lex.negative):
                info.negated = True  # "il est improbable que": probably not
            if effect is not None and dep in ("ccomp", "csubj") or (
                    effect is not None and dep in ("acl", "advcl") and gov.pos_ in ("NOUN", "ADJ")):
                self._effect(info, effect, gov)
                if effect in _STATUSES:
                    info.modal = True
            elif self._denied_report(gov, dep, lex, infos, owners):
                self._effect(info, "negated", gov.head)
            if parent is None or parent.head.i == info.head.i or dep != "ccomp" \
                    or not _is_past(parent.head, lex.etre_verbs):
                continue
            if info.conditional:
                # "a annoncé qu'il mettrait son veto": the future seen from the past, not a hedge
                info.conditional = False
                self._effect(info, "planned", _finite(head))
            elif "Imp" in _finite(head).morph.get("Tense") and not _perfect(head) \
                    and _innermost(self.doc.attributions, head.idx + info.offset) is not None:
                # "affirmant que les allégations étaient sans fondement": a present, shifted back
                info.backshift = True

    @staticmethod
    def _denied_report(gov: Any, dep: str, lex: _Lexicon, infos: dict[int, _Info], owners: dict[int, Any]) -> bool:
        """The clause tells what a report says, and the report is denied: "denied reports that his
        talks hit a snag", "a démenti les informations selon lesquelles l'Iran aurait livré"."""
        if dep not in ("acl", "acl:relcl", "ccomp") or gov.pos_ != "NOUN" or (
                gov.lemma_.lower() not in lex.report_nouns and gov.lower_ not in lex.report_nouns):
            return False
        if gov.dep_ not in ("obj", "dobj") or gov.head.i == gov.i:
            return False
        denier = gov.head
        if lex.governors.get(verb_lemma(denier, lex.governors) or denier.lemma_.lower()) != "negated":
            return False
        owner = owners.get(denier.i)
        return owner is None or not infos[owner.i].negated

    # -- time ---------------------------------------------------------------------------------
    def _times(self, sdoc: Any, toks: list[Any], offset: int, lex: _Lexicon, infos: dict[int, _Info],
               owners: dict[int, Any]) -> None:
        seg_start, seg_end = offset, offset + len(self.segment_text)
        by_char = {t.idx + offset: t for t in toks}

        def mark(pos: int, old: bool, end: int) -> None:
            tok = by_char.get(pos)
            if tok is None:
                tok = next((t for t in toks if t.idx + offset <= pos < t.idx + offset + len(t.text)), None)
            owner = owners.get(tok.i) if tok is not None else None
            if owner is None:
                return
            info = infos[owner.i]
            if owner.head.i != owner.i and all(pos <= t.idx + offset < end for t in owner.subtree if t.pos_ != "PUNCT"):
                # "il y a 10 ans" parses as a clause of its own: the time is the clause's above
                above = owners.get(owner.head.i)
                if above is None:
                    return
                info = infos[above.i]
            if old:
                info.historical = True
            else:
                info.recent = True

        def since(pos: int) -> bool:
            before = self.text[max(seg_start, pos - 25):pos].lower().split()
            return bool(before) and (before[-1] in _SINCE or before[-2:-1] == ["depuis"])

        if self.cutoff is not None:
            times = [t for t in self.doc.times if seg_start <= t.span[0] < seg_end]
            if times:
                for t in times:
                    if t.type in ("DURATION", "SET") or since(t.span[0]):
                        continue
                    end = _date_end(t.end) or _date_end(t.value) or _date_end(t.start)
                    if end is not None:
                        mark(t.span[0], end < self.cutoff, t.span[1])
            elif not self.doc.times:
                # the times stage did not run: explicit dates and "en 2019" / "in 2019"
                for value, (s, e) in find_dates(self.segment_text):
                    if not since(s + offset):
                        mark(s + offset, value < self.cutoff, e + offset)
                for m in _YEAR.finditer(self.segment_text):
                    mark(m.start(1) + offset, date(int(m.group(1)), 12, 31) < self.cutoff, m.end() + offset)
        if lex.background is not None:
            for m in lex.background.finditer(self.segment_text):
                mark(m.start() + offset, True, m.end() + offset)
        # a clause inside a background clause is background too, unless it has its own recent date
        for i in sorted(infos, key=lambda i: _depth(toks[i])):
            info = infos[i]
            parent_tok = owners.get(info.head.head.i) if info.head.head.i != info.head.i else None
            parent = infos.get(parent_tok.i) if parent_tok is not None else None
            if parent is not None and parent.historical and not info.recent:
                info.historical = True
        # a pluperfect with no date of its own that follows a background sentence goes further
        # back still: "…, il y a 10 ans. Il avait alors été entendu par les enquêteurs"
        before = False
        for sent in sdoc.sents:
            if before:
                for t in sent:
                    if t.i in infos and not infos[t.i].recent and _pluperfect(t, lex.etre_verbs):
                        infos[t.i].historical = True
            root = owners.get(sent.root.i)
            before = root is not None and infos[root.i].historical

    # -- the record ---------------------------------------------------------------------------
    def _record(self, info: _Info, lex: _Lexicon) -> Clause:
        status = info.status
        hedged = info.hedged
        if info.conditional and not info.modal and not info.plain_would and status not in ("hypothetical", "planned"):
            hedged = True
        if status is None:
            status = self._tense_status(info, lex)
            if info.conditional:
                # conditional present: a state now; conditional past: an event before
                status = "occurred" if any(c.dep_ in ("aux:tense", "aux") for c in info.head.children) else "ongoing"
            elif info.backshift:
                status = "ongoing"
            elif status == "ongoing" and self._in_headline(info):
                status = "occurred"  # "Navy foils pirate attack": the headline present tells news
        elif status == "ongoing" and _simple_past(info.head) and not info.backshift:
            status = "occurred"  # "des travaux étaient en cours", "were still trying": then, not now
        pos = info.head.idx + info.offset
        attribution = _innermost(self.doc.attributions, pos)
        if attribution is not None and self._hearsay(attribution, lex):
            hedged = True  # "subsequent rumors suggested that …": a source that is only hearsay
        if hedged:
            certainty = "hedged"
        elif attribution is not None:
            certainty = "reported"
        elif status in ("possible", "hypothetical", "feared"):
            certainty = "uncertain"
        else:
            certainty = "asserted"
        cue = info.cue if (hedged or info.status or info.negated) else None
        if cue is None and attribution is not None:
            cue = attribution.cue.get("text")
        # only a past clause is background: a present or planned one speaks of now or later, even
        # when it names an old event ("L'Autriche réclame Carlos pour la prise d'otages de 1975")
        historical = info.historical and status not in ("planned", "ongoing") and (
            _is_past(info.head, lex.etre_verbs) or _perfect(info.head))
        return Clause(
            span=info.span, status=status, certainty=certainty, negated=info.negated,
            historical=historical, attribution=attribution.id if attribution else None, cue=cue,
        )

    @staticmethod
    def _hearsay(attribution: Attribution, lex: _Lexicon) -> bool:
        speaker = attribution.cue.get("speaker") if isinstance(attribution.cue, dict) else None
        words = str(speaker.get("text") or "").lower().split() if isinstance(speaker, dict) else []
        return bool(words) and words[-1] in lex.hearsay

    def _in_headline(self, info: _Info) -> bool:
        """A present-tense event verb in the document's first line when it reads as a headline (no
        closing punctuation): "Earthquake strikes New Zealand", "Trump denies report"."""
        first = self.text.split("\n", 1)[0].rstrip()
        if not first or first[-1] in ".!?:;»”\"…" or info.span[1] > len(first):
            return False
        head = info.head
        return head.pos_ == "VERB" and not any(c.dep_ in ("cop", "aux", "aux:pass", "auxpass") for c in head.children)

    @staticmethod
    def _tense_status(info: _Info, lex: _Lexicon) -> str:
        head = info.head
        fin = _finite(head)
        if head.tag_ == "VBG" and any(c.dep_ == "aux" for c in head.children):
            # "are deploying", "has been fighting"; "had been expecting", "were hosing" are past
            return "occurred" if fin.tag_ == "VBD" else "ongoing"
        # a perfect infinitive under "believed to", "seems to": "are believed to have perished"
        if any(c.dep_ == "xcomp" and _perfect(c) for c in head.children):
            return "occurred"
        if _is_past(head, lex.etre_verbs) or "Part" in head.morph.get("VerbForm") and any(
                c.dep_ in ("aux:tense",) or (c.dep_ == "aux" and c.lemma_ in ("have",)) for c in head.children):
            return "occurred"
        if "Cnd" in fin.morph.get("Mood") and any(c.dep_ == "aux:tense" for c in head.children):
            return "occurred"  # "auraient été observées": a past event, reported with distance
        return "ongoing"


def _phrase_root(toks: list[Any], first: Any, length: int) -> Any:
    """The token of a phrase starting at `first` whose head lies outside the phrase."""
    end = first.idx + length
    for tok in toks[first.i:]:
        if tok.idx >= end:
            break
        if not (first.idx <= tok.head.idx < end) or tok.head.i == tok.i:
            return tok
    return first


def _depth(tok: Any) -> int:
    depth = 0
    while tok.head.i != tok.i:
        tok = tok.head
        depth += 1
    return depth


def _innermost(attributions: Sequence[Attribution], pos: int) -> Attribution | None:
    best = None
    for a in attributions:
        span = a.content.get("span") if isinstance(a.content, dict) else None
        if not span:
            continue
        s, e = span
        cue = a.cue.get("span") if isinstance(a.cue, dict) else None
        if cue and cue[0] <= pos < cue[1]:
            continue
        if s <= pos < e and (best is None or e - s < best[1] - best[0]):
            best = (s, e, a)
    return best[2] if best else None


def find_clauses(doc: Document) -> list[Clause]:
    return _Reader(doc).clauses()


class CertaintyStage(DocumentStage):
    name = "certainty"
    requires = ("segments", "parsed", "attributions")
    assigns = ("clauses",)

    def annotate(self, doc: Document) -> Document:
        return replace(doc, clauses=tuple(find_clauses(doc)))


register_stage("certainty")(CertaintyStage)
