"""The attribution finder, for the `attribution` stage: reporting verbs (`_VerbFinder`), then
source markers ("selon X", "de source policière", credit lines), reporting nouns with a clause
("l'annonce que …"), quotes no cue took (a colon introduction, the sentence's subject, the words
of the speaker quoted just before), embedded posts, and `run`, the order they go in, with the
final tidying of contents and speakers.

The names keep their leading underscore: they are the attribution stage's own, imported only by
the `attribution*` modules.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .. import lexicons
from ..models import Span
from .attribution_cues import _Lexicon, _agent, _lemma, _lexicon
from .attribution_spans import (
    _MIN_QUOTE_WORDS, _WORD, Quote, _direct_content, _extent, _overlap, _tok_span, _trim,
)
from .attribution_syntax import _SUBJECTS, _clause_head, _postverbal_subject, _speaker_np, _subject
from .attribution_verbs import _Found, _Sentence, _VerbFinder

__all__: list[str] = []


_SUBORDINATORS = frozenset({"où", "qui", "que", "qu", "dont", "si", "quand", "lorsque", "puisque", "parce",
                            "where", "who", "which", "that", "if", "when", "because", "whom"})
_CREDIT_GAP = re.compile(r"[\s—–-]*(?:(?:une|un|a|an)\s+)?", re.I)


class _Finder(_VerbFinder):
    """Finds the attributions of one document: reporting verbs (`_VerbFinder`), then source
    markers, reporting nouns, the quotes no cue took and embedded posts."""

    # -- source markers -------------------------------------------------------------------
    def _markers(self, si: int, lex: _Lexicon) -> None:
        sent = self.sentences[si]
        off = sent.offset
        toks = list(sent.span)
        lowers = [t.lower_ for t in toks]
        taken = -1
        for i, tok in enumerate(toks):
            if i <= taken:
                continue  # inside a marker already read ("une citation de" → not "citation de" again)
            for words, kind in lex.markers:
                if tuple(lowers[i:i + len(words)]) != words:
                    continue
                taken = i + len(words) - 1
                last = toks[i + len(words) - 1]
                if kind == "anonymous":
                    np_toks = [t for t in toks[i + 1:] if t.i <= _np_end(toks[i + 1]).i] if i + 1 < len(toks) else []
                    src_head = toks[i + 1] if i + 1 < len(toks) else None
                    if src_head is None:
                        break
                    speaker = _extent([toks[i + len(words) - 1], *np_toks], off, self.text)
                    marker_toks = [tok, *np_toks]
                else:
                    src_head = self._marker_object(tok, last)
                    if src_head is None or _lemma(src_head) in lex.not_sources:
                        break
                    if kind == "opinion" and not _opinion_holder(toks, i, src_head):
                        break
                    anchor = src_head
                    marker_toks = [*toks[i:i + len(words)], *src_head.subtree]
                    if "Rel" in src_head.morph.get("PronType") or src_head.tag_ in ("WP", "WDT"):
                        # "les informations selon lesquelles …" names no source; "l'ONU, d'après qui …":
                        # the antecedent, the nearest noun before the marker, does
                        if src_head.lower_ not in ("qui", "whom", "who"):
                            break
                        marker_toks = [*toks[i:i + len(words)], src_head]
                        src_head = next((t for t in reversed(toks[:i]) if t.pos_ in ("NOUN", "PROPN")), None)
                        if src_head is None:
                            break
                    else:
                        clause = next((c for c in src_head.children if c.dep_ in ("acl:relcl", "relcl", "acl")
                                       and c.i > src_head.i), None)
                        if clause is not None and src_head.pos_ == "PRON":
                            # "selon ce qu'a pu constater un photographe": the relative clause's subject
                            src_head = self._clause_subject(clause, lex)
                            if src_head is None:
                                break
                            last = max(clause.subtree, key=lambda t: t.i if t.pos_ in ("VERB", "AUX") else -1)
                        # "selon des propos rapportés par X": X relays them and is the writer's source
                        relay = next((c for c in src_head.children if c.dep_ in ("acl", "amod") and c.i > src_head.i
                                      and _lemma(c) in lex.relays and _agent(c) is not None), None)
                        if relay is not None:
                            src_head = _agent(relay)
                    speaker = _speaker_np(src_head, off, self.text, after=last.i if src_head.i > last.i else -1)
                cue = (_tok_span(tok, off)[0], _tok_span(last, off)[1])
                content = self._marker_content(sent, marker_toks, anchor if kind != "anonymous" else tok)
                if content is None or content[1] - content[0] < 3:
                    break
                content, direct = _direct_content(self.quotes, content)
                is_media = speaker is not None and (
                    self._media_entity(speaker) is not None or src_head.text.lower() in lex.media)
                existing = next((f for f in self.found if f.cue is not None and _overlap(f.content, content) >= 0.3
                                 and sent.start <= f.cue[0] < sent.end), None)
                if existing is not None and is_media:
                    # "X a déclaré, selon l'AFP": the agency is the channel, not another source
                    if existing.channel is None:
                        existing.channel = speaker
                    break
                if speaker is not None and any(f.speaker is not None and _overlap(f.speaker, speaker) > 0
                                               and f.cue is not None and f.cue[1] <= cue[0] <= f.speaker[0]
                                               and sent.start <= f.cue[0] < sent.end
                                               for f in self.found):
                    break  # "a-t-on appris de source proche du dossier": the verb's source already
                self._add(_Found(content, direct, cue, speaker, src_head, kind="marker"))
                break

    def _marker_content(self, sent: _Sentence, marker_toks: list[Any], anchor: Any) -> Span | None:
        """What a "selon X" phrase sources: the rest of the sentence when the phrase opens or
        closes it (the usual places, and robust to parse errors), else its clause."""
        off = sent.offset
        ms = min(t.idx for t in marker_toks) + off
        me = max(t.idx + len(t.text) for t in marker_toks) + off
        if not self.text[me:sent.end].strip(" .,;:!?»”\"\n"):
            # "« … » — Une citation de Valérie Beauchamp": the quote just before the credit line
            for q in self.quotes:
                if q.outer[1] <= ms and _CREDIT_GAP.fullmatch(self.text[q.outer[1]:ms]):
                    return q.inner
            return _trim(self.text, sent.start, ms)
        if not self.text[sent.start:ms].strip(" ,;:«“\"—–-\n"):
            return _trim(self.text, me, sent.end - (1 if self.text[sent.end - 1] in ".!?" else 0))
        before = self.text[sent.start:ms].rstrip()
        first = min(t.i for t in marker_toks)
        comma = next((t for t in sent.span if t.i > first and t.text in ",;."), None)
        phrase = sent.span.doc[first:comma.i] if comma is not None else []
        following = _WORD.findall(self.text[_tok_span(comma, off)[1]:sent.end][:30]) if comma is not None else []
        if before.endswith(",") and comma is not None and comma.text == "," \
                and not any(t.pos_ in ("VERB", "AUX") for t in phrase) \
                and not (following and following[0].lower() in _SUBORDINATORS):
            # set off by commas mid-sentence ("Touché à la tête, selon le Dauphiné, il a été
            # évacué"), it sources the whole sentence — unless a relative or subordinate clause
            # opens just before it ("… l'hôpital où, selon les médecins, il est mort")
            word = _WORD.findall(before)
            if following and following[0].lower() in ("et", "mais", "puis", "and", "but"):
                # "X a fait sept morts, selon un bilan, et a été revendiqué …": the phrase closes
                # the first of two coordinated clauses
                return _trim(self.text, sent.start, ms)
            if not word or word[-1].lower() not in _SUBORDINATORS:
                return _trim(self.text, sent.start, sent.end - (1 if self.text[sent.end - 1] in ".!?" else 0))
        head = _clause_head(anchor)
        inside = {t.i for t in marker_toks}
        body = [t for t in head.subtree if t.i not in inside and sent.span.start <= t.i < sent.span.end]
        return _extent(body, off, self.text)

    @staticmethod
    def _clause_subject(clause: Any, lex: _Lexicon) -> Any:
        """The subject of a relative clause's verb, set before or after it ("ce que X a dit",
        "ce qu'a pu constater X"), through "pouvoir"/"vouloir" + infinitive."""
        verb = clause
        while True:
            subj = next((c for c in verb.children
                         if c.dep_ in _SUBJECTS and "Rel" not in c.morph.get("PronType")), None)
            if subj is not None:
                return subj
            nxt = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
            if nxt is None:
                return _postverbal_subject(verb, lex)
            verb = nxt

    @staticmethod
    def _marker_object(first: Any, last: Any) -> Any:
        # "d'après qui": a relative pronoun right after the marker
        nxt = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
        if nxt is not None and nxt.pos_ == "PRON" and "Rel" in nxt.morph.get("PronType"):
            return nxt
        # "selon X": X is the marker's head; "according to X": the object of "to"
        for tok in (last, first):
            obj = next((c for c in tok.children if c.dep_ in ("pobj", "obj")), None)
            if obj is not None:
                return obj
        if first.dep_ in ("case", "mark") or last.dep_ in ("case", "fixed"):
            head = first.head if first.dep_ == "case" else last.head
            if head.dep_ == "case":
                head = head.head
            return head if head.pos_ in ("NOUN", "PROPN", "PRON", "X") else None
        nxt = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
        while nxt is not None and nxt.pos_ == "DET":
            nxt = nxt.doc[nxt.i + 1] if nxt.i + 1 < len(nxt.doc) else None
        return nxt if nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "PRON") else None

    # -- reporting nouns ------------------------------------------------------------------
    def _nouns(self, si: int, lex: _Lexicon) -> None:
        sent = self.sentences[si]
        off = sent.offset
        for tok in sent.span:
            if tok.pos_ != "NOUN" or _lemma(tok) not in lex.nouns:
                continue
            clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp", "appos")
                           and any(m.dep_ == "mark" and m.lower_ in ("que", "qu'", "qu’", "that") for m in c.children)),
                          None)
            if clause is None:
                continue
            content = self._content_of(clause, off)
            if content is None:
                continue
            speaker_tok = next((c for c in tok.children if c.dep_ in ("poss", "nmod:poss")
                                or (c.dep_ == "det" and "Yes" in c.morph.get("Poss"))), None)
            if speaker_tok is None:
                speaker_tok = next((c for c in tok.children if c.dep_ == "nmod" and c.pos_ in ("PROPN", "NOUN")
                                    and c.i < clause.i), None)
            speaker = _speaker_np(speaker_tok, off, self.text) if speaker_tok is not None else None
            content, direct = _direct_content(self.quotes, content)
            self._add(_Found(content, direct, _tok_span(tok, off), speaker, speaker_tok, kind="noun"))

    # -- quotes left over ------------------------------------------------------------------
    def _quotes(self) -> None:
        for q in self.quotes:
            if q.inner in self.used_quotes or any(_overlap(f.content, q.inner) >= 0.5 for f in self.found):
                continue
            si = self._sentence_of(q.inner[0])
            if si < 0 or q.words < _MIN_QUOTE_WORDS or not self._statement(q, si):
                continue
            sent = self.sentences[si]
            # "« A », dit-il, « B »": B goes with the reporting verb of its sentence
            same = [f for f in self.found if f.cue is not None and f.speaker is not None and f.kind == "verb"
                    and sent.start <= f.cue[0] < q.outer[0] and self.text[f.cue[1]:q.outer[0]].count(".") == 0]
            if same:
                f = max(same, key=lambda f: f.cue[0])  # type: ignore[index]
                self._add(_Found(q.inner, True, f.cue, f.speaker, f.speaker_head, f.channel, kind="quote"))
                continue
            found = self._colon_intro(q, sent)
            if found is None:
                found = self._embedded(q, sent)
            if found is None:
                found = self._continuation(q, si)
            if found is None:
                found = _Found(q.inner, True, None, kind="quote")
            self._add(found)

    def _colon_intro(self, q: Quote, sent: _Sentence) -> _Found | None:
        """"Le maire : « … »": the noun phrase before the colon speaks."""
        before = self.text[sent.start:q.outer[0]].rstrip()
        if not before.endswith(":"):
            return None
        colon = sent.start + len(before) - 1
        # "Daniel Lanquetin … rappela que … : « … »": the speaker of the sentence's reporting verb
        for f in reversed(self.found):
            if f.cue is not None and f.speaker is not None and sent.start <= f.cue[0] < colon:
                return _Found(q.inner, True, None, f.speaker, f.speaker_head, kind="quote")
        toks = [t for t in sent.span if t.idx + sent.offset < colon]
        if not toks:
            return None
        last = toks[-1]
        head = last
        while head.head.i != head.i and head.head.idx + sent.offset < colon \
                and head.pos_ not in ("NOUN", "PROPN", "PRON"):
            head = head.head
        if head.pos_ not in ("NOUN", "PROPN", "PRON"):
            return None
        # "Le journaliste entame son billet : « … »", "des propos rapportés par L'Express en
        # juillet 2017 : « … »": the noun ends a clause whose subject (or agent) speaks
        verb = head.head
        if head.dep_ in ("obj", "dobj", "obl", "obl:mod", "obl:arg", "npadvmod") and verb.pos_ == "VERB" \
                and verb.i < head.i:
            subj = _subject(verb, _lexicon(sent.lang))
            if subj is not None and subj.pos_ in ("NOUN", "PROPN") and subj.i < _colon_tok_i(sent, colon):
                head = subj
        return _Found(q.inner, True, None, _speaker_np(head, sent.offset, self.text), head, kind="quote")

    def _embedded(self, q: Quote, sent: _Sentence) -> _Found | None:
        """A quote inside a sentence with no reporting verb: the words of the sentence's subject
        ("les délégués ont décidé de … s'opposer aux chartes, « qui organisent … »")."""
        if not re.search(r"\w", self.text[sent.start:q.outer[0]]):
            return None
        root = sent.span.root
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")), None)
        if subj is None or subj.pos_ not in ("NOUN", "PROPN") or _tok_span(subj, sent.offset)[0] >= q.outer[0]:
            return None
        return _Found(q.inner, True, None, _speaker_np(subj, sent.offset, self.text), subj, kind="quote")

    def _continuation(self, q: Quote, si: int) -> _Found | None:
        """A quote that goes on with the words of the speaker quoted just before."""
        lo = self.sentences[max(0, si - 2)].start
        prev = [f for f in self.found if lo <= f.content[0] < q.inner[0] and (f.speaker is not None)]
        if not prev:
            return None
        last = max(prev, key=lambda f: f.content[0])
        return _Found(q.inner, True, None, last.speaker, last.speaker_head, kind="quote")

    # -- embedded posts -------------------------------------------------------------------
    def _posts(self) -> None:
        for p, post in enumerate(self.doc.embedded_posts):
            if post.text_span[1] <= post.text_span[0]:
                continue
            speaker = None
            if post.author:
                at = self.text.find(post.author, post.text_span[1], post.span[1])
                if at >= 0:
                    speaker = (at, at + len(post.author))
            cue = (post.text_span[1], post.span[1])
            cue = _trim(self.text, *cue) if speaker is None else (speaker[0], post.span[1])
            self.found.append(_Found(post.text_span, True, cue, speaker, None, kind="post", post=p))

    def run(self) -> list[_Found]:
        self._posts()
        for si, sent in enumerate(self.sentences):
            lex = _lexicon(sent.lang)
            if not lex.verbs and not lex.markers:
                continue
            self._verbs(si, lex)
            self._markers(si, lex)
            self._nouns(si, lex)
        self._quotes()
        self._tidy()
        return sorted(self.found, key=lambda f: (f.content[0], f.content[1]))

    def _tidy(self) -> None:
        """Keep contents and speakers apart from one another's cues, and posts' words in posts."""
        for a in self.found:
            for post in self.doc.embedded_posts:
                ps, pe = post.text_span
                if a.cue is not None and ps <= a.cue[0] < pe and a.content[1] > pe:
                    a.content = _trim(self.text, a.content[0], pe)
            if a.speaker is not None and a.cue is not None and a.speaker[0] < a.cue[0] < a.speaker[1]:
                a.speaker = _trim(self.text, a.speaker[0], a.cue[0])
            for b in self.found:
                # "Zelensky, qui a alerté sur le fait que X, affirme que Y": X stops before "affirme"
                if b is a or b.cue is None or a.cue is None or b.speaker is None:
                    continue
                if a.content[0] < b.cue[0] < a.content[1] and b.speaker[0] <= a.cue[0] < b.cue[0]:
                    cut = self.text.rfind(",", a.content[0], b.cue[0])
                    a.content = _trim(self.text, a.content[0], cut if cut > a.content[0] else b.cue[0])
                    if b.speaker[1] > a.cue[0]:
                        comma = self.text.rfind(",", b.speaker[0], a.cue[0])
                        b.speaker = _trim(self.text, b.speaker[0], comma if comma > b.speaker[0] else a.cue[0])


@cache
def _person_nouns(lang: str) -> frozenset[str]:
    """Head nouns that name a person: one-word titles (entities_titles) and the person nouns of
    attribution_speakers ("le procureur", "un voisin")."""
    titles = {row[0].lower() for row in lexicons.table(lang, "entities_titles") if row and " " not in row[0]}
    nouns = {row[1].lower() for row in lexicons.table(lang, "attribution_speakers")
             if len(row) > 2 and row[0] == "noun" and row[2] == "person"}
    return frozenset(titles | nouns)


def _opinion_holder(toks: list[Any], i: int, head: Any) -> bool:
    """"Pour lui, …", "Pour le procureur, …": the marker opens the sentence (after a conjunction
    at most), its noun phrase is set off by a comma, and it names a person: a personal pronoun, a
    person's name or a title."""
    first = next((t for t in toks if not t.is_punct), None)
    if first is None or not (toks[i] is first or first.pos_ == "CCONJ" and toks[i].i == first.i + 1):
        return False
    after = head.right_edge.i + 1
    if after >= len(head.doc) or head.doc[after].text != ",":
        return False
    if head.pos_ == "PRON":
        return "Prs" in head.morph.get("PronType") and "3" in head.morph.get("Person")
    return head.ent_type_ in ("PER", "PERSON") or _lemma(head) in _person_nouns(head.lang_)


def _colon_tok_i(sent: _Sentence, colon: int) -> int:
    """The index of the token at character `colon` (or after it) in the sentence's doc."""
    return next((t.i for t in sent.span if t.idx + sent.offset >= colon), sent.span.end)


def _np_end(tok: Any) -> Any:
    """The last token of the short noun phrase starting at `tok` ("source policière")."""
    end = tok
    for t in tok.doc[tok.i + 1:tok.i + 4]:
        if t.pos_ in ("ADJ", "NOUN", "PROPN") and t.head.i in (tok.i, end.i) or t.head.i == tok.i:
            end = t
        else:
            break
    return end
