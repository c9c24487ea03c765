"""Stage `certainty`: how firmly the text commits to each clause, and whether it is news.

A clause is a finite verb with its dependents, read from the existing spaCy parse (a copula or
auxiliary that carries the finite form counts for its head: "sont en préparation", "a déployé").
Each clause gets a `Clause` record that events inherit:
- status: occurred | ongoing | planned | possible | feared | hypothetical — from tense and mood,
  modal verbs ("pourraient", "could"), governing verbs ("redoute que", "fears", "prévoit de",
  "is set to") and markers ("en préparation", "peut-être"), conditional "si"/"if" clauses;
- certainty: hedged (the French conditional of reported facts, "reportedly", "allegedly",
  "would have"), reported (inside an attribution's content), uncertain (the article's own
  "could"/"peut-être"), else asserted;
- negated: "n'a pas", "ne … jamais", "did not", and what a source denies;
- historical: the clause dates from well before the document ("le 13 septembre 2023", a time of
  doc.times older than 30 days before doc.published, "last year", "Depuis l'invasion…").
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
    )


# Endings of the French conditional, added to the future stem.
_CND_ENDINGS = ("ais", "ait", "aient", "ions", "iez")


def _conditional(tok: Any, lex: _Lexicon) -> bool:
    """Mood=Cnd, or (French) a conditional form that the tagger read as an imperfect."""
    if "Cnd" in tok.morph.get("Mood"):
        return True
    if not lex.conditional_stems or "Fin" not in tok.morph.get("VerbForm"):
        return False
    lemma = tok.lemma_.lower()
    stem = lex.conditional_stems.get(lemma) or (lemma[:-1] if lemma.endswith("re") else lemma)
    if not lemma.endswith(("er", "ir", "re", "oir")):
        return False
    low = tok.lower_
    return low.startswith(stem) and low[len(stem):] in _CND_ENDINGS


def _is_aux(tok: Any) -> bool:
    # "soit" in "que le chef de l'Etat soit malade" sometimes comes out as `cc`: an AUX still is one
    return tok.dep_ in _AUX or (tok.pos_ == "AUX" and tok.dep_ in ("cc", "dep", "mark") and tok.head.i > tok.i)


def _is_head(tok: Any) -> bool:
    if _is_aux(tok):
        return False
    if "Fin" in tok.morph.get("VerbForm"):
        return True
    return any(_is_aux(c) and "Fin" in c.morph.get("VerbForm") for c in tok.children)


def _owner(tok: Any, heads: set[int]) -> Any:
    cur = tok
    while cur.i not in heads and cur.head.i != cur.i:
        cur = cur.head
    return cur if cur.i in heads else None


def _group(head: Any) -> list[Any]:
    return [head] + [c for c in head.children if _is_aux(c)]


def _finite(head: Any) -> Any:
    fins = [t for t in _group(head) if "Fin" in t.morph.get("VerbForm")]
    return min(fins, key=lambda t: t.i) if fins else head


def _is_past(head: Any) -> bool:
    fin = _finite(head)
    tense = fin.morph.get("Tense")
    if "Past" in tense or "Imp" in tense or fin.tag_ in ("VBD",):
        return True
    # passé composé / present perfect: a present auxiliary with a past participle
    return fin.i != head.i and "Part" in head.morph.get("VerbForm") and any(
        c.dep_ in ("aux", "aux:tense") for c in head.children)


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
        heads = {t.i for t in sdoc if _is_head(t)}
        if not heads:
            return []
        infos: dict[int, _Info] = {}
        for i in sorted(heads):
            head = sdoc[i]
            start = head.left_edge.idx + offset
            end = head.right_edge.idx + len(head.right_edge.text) + offset
            infos[i] = _Info(head, offset, (start, end))
        owners = {t.i: _owner(t, heads) for t in sdoc}
        for info in infos.values():
            self._read(info, lex, owners)
        self._markers(sdoc, offset, lex, infos, owners)
        self._governed(infos, lex, owners)
        self._times(sdoc, offset, lex, infos, owners)
        return [self._record(info) for info in infos.values()]

    # -- one clause --------------------------------------------------------------------------
    def _read(self, info: _Info, lex: _Lexicon, owners: dict[int, Any]) -> None:
        head = info.head
        group = _group(head)
        fin = _finite(head)
        lemma = verb_lemma(head, lex.governors) or head.lemma_.lower()
        # a modal or planning verb with its infinitive: the clause is about the infinitive
        xcomp = any(c.dep_ == "xcomp" for c in head.children)
        if xcomp and lemma in lex.governors:
            self._effect(info, lex.governors[lemma], head)
            info.modal = lex.governors[lemma] in _STATUSES
        for tok in group[1:]:
            low = tok.lower_
            if tok.tag_ == "MD" or low in lex.governors and tok.dep_ in ("aux", "aux:tense"):
                effect = lex.governors.get(low) or lex.governors.get(tok.lemma_.lower())
                if low == "would":
                    info.conditional = True
                elif effect:
                    self._effect(info, effect, tok)
                    info.modal = True
            if tok.lemma_.lower() == "aller" and tok.dep_ in ("aux", "aux:tense"):
                self._effect(info, "planned", tok)
        if _conditional(fin, lex):
            info.conditional = True
            info.cue = info.cue or fin.text
        if "Fut" in fin.morph.get("Tense"):
            self._effect(info, "planned", fin)
        for child in head.children:
            if child.dep_ == "mark" and child.lower_ in lex.hypothetical:
                self._effect(info, "hypothetical", child)
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.hypothetical
                                             for m in child.children) \
                    and info.conditional:
                self._effect(info, "hypothetical", child)
        self._negation(info, lex, owners)

    def _negation(self, info: _Info, lex: _Lexicon, owners: dict[int, Any]) -> None:
        head = info.head
        near = [c for t in _group(head) for c in t.children] + list(head.children)
        has_ne = any(t.lower_ in ("ne", "n'", "n’") for t in near)
        for tok in near:
            low = tok.lower_
            if tok.dep_ == "neg" or (low in lex.negation and (has_ne or head.lang_ != "fr")
                                     and tok.pos_ in ("ADV", "PART", "DET", "PRON", "CCONJ")):
                info.negated = True
                info.cue = info.cue or tok.text
                return
            # "aucune preuve", "no troops": a negative determiner on an argument
            if tok.dep_ in ("nsubj", "obj", "dobj", "nsubj:pass", "nsubjpass", "attr", "expl"):
                for det in tok.children:
                    if det.dep_ == "det" and det.lower_ in lex.negation and (has_ne or head.lang_ != "fr"):
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

    def _markers(self, sdoc: Any, offset: int, lex: _Lexicon, infos: dict[int, _Info], owners: dict[int, Any]) -> None:
        if lex.markers is None:
            return
        starts = {t.idx: t for t in sdoc}
        for m in lex.markers.finditer(self.segment_text):
            tok = starts.get(m.start())
            if tok is None:
                continue
            owner = owners.get(tok.i)
            if owner is None:
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
            if head.dep_ not in _COMPLEMENTS or head.head.i == head.i or head.dep_ == "conj":
                continue
            gov = head.head
            lemma = verb_lemma(gov, lex.governors) or gov.lemma_.lower()
            effect = lex.governors.get(lemma)
            if effect is None and head.dep_ == "ccomp":
                # a governing noun or adjective ("la crainte que", "possible que") via its copula
                effect = lex.governors.get(gov.lower_)
            if effect is not None and head.dep_ in ("ccomp", "csubj") or (
                    effect is not None and head.dep_ in ("acl", "advcl") and gov.pos_ in ("NOUN", "ADJ")):
                self._effect(info, effect, gov)
                if effect in _STATUSES:
                    info.modal = True
            parent = infos.get(owners[gov.i].i) if owners.get(gov.i) is not None else None
            if parent is not None and parent.head.i != info.head.i and info.conditional and head.dep_ == "ccomp" \
                    and _is_past(parent.head):
                # "a annoncé qu'il mettrait son veto": the future seen from the past, not a hedge
                info.conditional = False
                self._effect(info, "planned", _finite(head))

    # -- time ---------------------------------------------------------------------------------
    def _times(self, sdoc: Any, offset: int, lex: _Lexicon, infos: dict[int, _Info], owners: dict[int, Any]) -> None:
        seg_start, seg_end = offset, offset + len(self.segment_text)
        by_char = {t.idx + offset: t for t in sdoc}

        def mark(pos: int, old: bool) -> None:
            tok = by_char.get(pos)
            if tok is None:
                tok = next((t for t in sdoc if t.idx + offset <= pos < t.idx + offset + len(t.text)), None)
            owner = owners.get(tok.i) if tok is not None else None
            if owner is None:
                return
            info = infos[owner.i]
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
                        mark(t.span[0], end < self.cutoff)
            elif not self.doc.times:
                # the times stage did not run: explicit dates and "en 2019" / "in 2019"
                for value, (s, _) in find_dates(self.segment_text):
                    if not since(s + offset):
                        mark(s + offset, value < self.cutoff)
                for m in _YEAR.finditer(self.segment_text):
                    mark(m.start(1) + offset, date(int(m.group(1)), 12, 31) < self.cutoff)
        if lex.background is not None:
            for m in lex.background.finditer(self.segment_text):
                mark(m.start() + offset, True)
        # a clause inside a background clause is background too, unless it has its own recent date
        for i in sorted(infos, key=lambda i: _depth(sdoc[i])):
            info = infos[i]
            parent_tok = owners.get(info.head.head.i) if info.head.head.i != info.head.i else None
            parent = infos.get(parent_tok.i) if parent_tok is not None else None
            if parent is not None and parent.historical and not info.recent:
                info.historical = True

    # -- the record ---------------------------------------------------------------------------
    def _record(self, info: _Info) -> Clause:
        status = info.status
        hedged = info.hedged
        if info.conditional and not info.modal and status not in ("hypothetical", "planned"):
            hedged = True
        if status is None:
            status = self._tense_status(info)
            if info.conditional:
                # conditional present: a state now; conditional past: an event before
                status = "occurred" if any(c.dep_ in ("aux:tense", "aux") for c in info.head.children) else "ongoing"
        pos = info.head.idx + info.offset
        attribution = _innermost(self.doc.attributions, pos)
        if hedged:
            certainty = "hedged"
        elif attribution is not None:
            certainty = "reported"
        elif status in ("possible", "hypothetical"):
            certainty = "uncertain"
        else:
            certainty = "asserted"
        cue = info.cue if (hedged or info.status or info.negated) else None
        if cue is None and attribution is not None:
            cue = attribution.cue.get("text")
        return Clause(
            span=info.span, status=status, certainty=certainty, negated=info.negated,
            historical=info.historical, attribution=attribution.id if attribution else None, cue=cue,
        )

    @staticmethod
    def _tense_status(info: _Info) -> str:
        head = info.head
        fin = _finite(head)
        if any(c.tag_ == "VBG" for c in [head]) and any(c.dep_ == "aux" for c in head.children):
            return "ongoing"  # "are deploying", "has been fighting"
        if _is_past(head) or "Part" in head.morph.get("VerbForm") and any(
                c.dep_ in ("aux:tense",) or (c.dep_ == "aux" and c.lemma_ in ("have",)) for c in head.children):
            return "occurred"
        if "Cnd" in fin.morph.get("Mood") and any(c.dep_ == "aux:tense" for c in head.children):
            return "occurred"  # "auraient été observées": a past event, reported with distance
        return "ongoing"


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
