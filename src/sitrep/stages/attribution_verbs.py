"""Attributions introduced by reporting verbs, for the `attribution` stage.

`_VerbFinder` holds one document's sentences, quotes and what was found so far, and reads
reporting verbs: a verb with its complement clause in either order, passives with an agent,
infinitives, incises after what they report ("« … », a-t-elle précisé"), "comme l'a indiqué X",
a quote the verb governs or that stands next to it, and the channel a statement was made to.
`_Finder` (`attribution_finder`) adds the other cues. The names keep their leading underscore:
they are the attribution stage's own, imported only by the `attribution*` modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from ..models import Document, Entity, Span
from .attribution_cues import (
    _AUX, _Lexicon, _agent, _inverted_clitic, _is_passive, _is_reporting_verb, _lemma, _lexicon, _phrase_noun,
    verb_lemma,
)
from .attribution_spans import (
    _MIN_QUOTE_WORDS, Quote, _direct_content, _extent, _overlap, _quote_at, _tok_span, _trim, find_quotes,
)
from .attribution_syntax import (
    _PREVERBAL, _SPEAKER_CUT, _SUBJECTS, _agree_in_number, _asyndetic_series, _coordinated_report,
    _finite_or_compound, _incise_opener, _infinitive, _inverted, _np_start, _postverbal_subject, _relative,
    _series_follows, _skip_np, _speaker_np, _subject, _subtree_without,
)

__all__: list[str] = []


_IMPERSONAL = frozenset({"on", "-on", "t", "-t", "-t-on", "t-on"})
_FIRST_PERSON = frozenset({"je", "j'", "j’", "nous", "i", "we"})
_CLOSERS = frozenset({"»", "”", '"', "’"})
_CLAUSE_BREAK = re.compile(r"[:;]\s|[.!?…]\s+(?=[«“\"A-ZÀ-ÖØ-Þ])")
_SENTENCE_END = re.compile(r"(?:[.!?…:;]\s*[»”\"]?\s*|\n\s*)$")
_LETTER = re.compile(r"[^\W\d_]")
# Words that open an indirect question ("asked why …", "a expliqué comment …"): what follows is
# not a claim. "what" and "ce que" stay out: they also open free relatives, which can be claims.
_QUESTION_WORDS = frozenset({"why", "how", "pourquoi", "comment"})
# Marks of a purpose clause ("so the public can see", "afin que", "pour que").
_PURPOSE = frozenset({"so", "afin", "pour"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})


def _question(clause: Any) -> bool:
    """A clause that is an indirect question ("si …", "whether …", "why …")."""
    return any(m.dep_ == "mark" and m.lower_ in ("si", "s'", "s’", "whether") for m in clause.children) \
        or clause.left_edge.lower_ in _QUESTION_WORDS


def _negated(verb: Any) -> bool:
    """An infinitive reporting verb under a negated verb: the saying did not happen ("On ne peut
    déclarer …", "n'a pas été en mesure de dire …", "did not want to confirm …"). A negated
    reporting verb itself stays: the negation often belongs to what is said ("ne se disait pas
    rassuré", "does not think that …")."""
    return "Inf" in verb.morph.get("VerbForm") and verb.dep_ == "xcomp" and any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and "Neg" in c.morph.get("Polarity")) for c in verb.head.children)


def _subordinate(clause: Any) -> bool:
    """An adverbial clause opened by a subordinator ("While it is …", "Si …", "Because …"): it
    frames the main clause, it is not what the main clause reports."""
    return clause.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ not in ("que", "qu'", "qu’", "that") and m.i == clause.left_edge.i
        for m in clause.children)


def _clausal(head: Any) -> bool:
    """A clause's head: a verb, or a noun or adjective with a copula, an auxiliary or a subject
    ("C'est une erreur") — not a bare noun phrase the parser hung on the verb ("A une semaine
    du scrutin, X a demandé …")."""
    return head.pos_ in ("VERB", "AUX") or any(c.dep_ in _AUX or c.dep_ in _SUBJECTS for c in head.children)


@dataclass
class _Found:
    """A candidate attribution before ids, entity resolution and chains."""

    content: Span
    direct: bool
    cue: Span | None
    speaker: Span | None = None
    speaker_head: Any = None  # spaCy token of the speaker's head, when there is one
    channel: Span | None = None
    kind: str = "verb"
    refers_to: Span | None = None
    post: int | None = None  # index of the embedded post this is, for posts


# Parts of speech of a noun phrase naming a speaker ("South Korea's National Intelligence Service").
_TRAILING_NP_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "PART", "NUM", "PRON"})


class _Sentence:
    """One parsed sentence with global offsets."""

    def __init__(self, span: Any, offset: int, lang: str, seg: int) -> None:
        self.span = span
        self.offset = offset
        self.lang = lang
        self.seg = seg
        self.start = span.start_char + offset
        self.end = span.end_char + offset


class _VerbFinder:
    """Finds the attributions of one document that reporting verbs introduce, and holds what
    every kind of cue shares: the sentences, the quotes, what was found so far."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.quotes = find_quotes(doc.text)
        self.sentences: list[_Sentence] = []
        seg_starts = {seg.span[0]: i for i, seg in enumerate(doc.segments)}
        for parsed in doc.parsed:
            seg = seg_starts.get(parsed.offset, -1)
            lang = doc.segments[seg].language if seg >= 0 else (doc.language or "en")
            for sent in parsed.doc.sents:
                self.sentences.append(_Sentence(sent, parsed.offset, lang, seg))
        self.sentences.sort(key=lambda s: s.start)
        self.found: list[_Found] = []
        self.used_quotes: set[Span] = set()

    # -- helpers -------------------------------------------------------------------------
    def _sentence_of(self, pos: int) -> int:
        for i, s in enumerate(self.sentences):
            if s.start <= pos < s.end:
                return i
        return -1

    def _content_of(self, head: Any, offset: int, exclude: Any = None, verb: Any = None,
                    lex: _Lexicon | None = None) -> Span | None:
        cut: set[Any] = set(exclude.subtree) if exclude is not None else set()
        if verb is not None and lex is not None:
            # "a assuré que A et a dénoncé B": B is another report of the same speaker, not part of A
            for t in head.subtree:
                if t.dep_ == "conj" and t.i > head.i and (_coordinated_report(t, lex) or t).i == verb.i:
                    cut.update(t.subtree)  # with its "et"
        toks = [t for t in head.subtree if t not in cut]
        # Leading conjunction and "que/that" are not part of what is reported.
        while toks and (toks[0].dep_ in ("mark", "cc") or toks[0].is_punct):
            toks = toks[1:]
        return _extent(toks, offset, self.text)

    def _channel(self, verb: Any, lex: _Lexicon, offset: int) -> Span | None:
        """The outlet or platform a statement was made to or on ("à CNN", "told People", "on X")."""
        for child in verb.children:
            cand = None
            if child.dep_ in ("obl", "obl:arg", "obl:mod", "iobj", "dative", "dobj", "obj"):
                cand = child
            elif child.dep_ == "prep" and child.lower_ in ("to", "on", "with", "in"):
                cand = next((g for g in child.children if g.dep_ == "pobj"), None)
            if cand is None:
                continue
            # "dans un entretien à CNN" / "in an interview with CNN"
            for tok in [cand, *cand.subtree]:
                if tok.pos_ in ("PROPN", "NOUN", "X") and (tok.text.lower() in lex.media or
                                                          self._media_entity(_tok_span(tok, offset))):
                    if tok.pos_ == "NOUN" and tok.i != cand.i and tok.head.i != cand.i:
                        continue
                    if tok.pos_ == "PROPN" or tok.i == cand.i:
                        return _extent([t for t in tok.subtree if t.dep_ not in ("case", "det")] or [tok],
                                       offset, self.text)
        return None

    def _media_entity(self, span: Span) -> Entity | None:
        for ent in self.doc.entities:
            if ent.org_kind == "media" and any(s < span[1] and span[0] < e for s, e in ent.mentions):
                return ent
        return None

    def _add(self, found: _Found) -> None:
        for other in self.found:
            if _overlap(other.content, found.content) >= 0.5 and (
                other.cue == found.cue or found.cue is None or other.cue is None
            ):
                if other.cue is None and found.cue is not None:
                    other.cue, other.speaker, other.speaker_head = found.cue, found.speaker, found.speaker_head
                return
        self.found.append(found)
        if found.direct:
            q = _quote_at(self.quotes, found.content)
            if q is not None:
                self.used_quotes.add(q.inner)

    # -- reporting verbs ------------------------------------------------------------------
    def _verbs(self, si: int, lex: _Lexicon) -> None:
        sent = self.sentences[si]
        off = sent.offset
        verbs = []
        for tok in sent.span:
            if not _is_reporting_verb(tok, lex):
                continue
            pos = tok.idx + off
            if any(q.inner[0] <= pos < q.inner[1] and q.words >= _MIN_QUOTE_WORDS for q in self.quotes):
                continue  # the quoted speaker's own "je crois", "we see": part of the quote
            if _is_passive(tok) and _agent(tok) is None:
                continue  # "It is believed that …", "was described as …": nobody is named as saying it
            verbs.append(tok)
        # Incises first: "X souhaite passer un message : « … », dit-il" — the quote is what "dit" reports
        rest = []
        for tok in verbs:
            incise = self._incise(tok, sent, lex)
            if incise is not None:
                self._add_incise(tok, sent, lex, *incise)
            else:
                rest.append(tok)
        for tok in rest:
            if _negated(tok):
                continue
            if self._first_person(tok):
                continue  # "je peux vous confirmer …" outside marks, "Rappelons que …": the writer's voice
            if self._as_clause(tok, sent, lex):
                continue
            chained: list[Quote] = []
            content_head, before = self._content_child(tok, lex, off)
            if content_head is None and any(_question(c) for c in tok.children if c.dep_ in ("ccomp", "xcomp")):
                continue  # "Asked why …, X said: « … »": the quote answers the question, it is not asked
            phrase = _phrase_noun(tok, lex)
            if content_head is None and phrase is not None:
                # "faisait état de tirs sporadiques …": the "de" complement after the noun
                content_head = next((c for c in [*tok.children, *phrase.children] if c.i > phrase.i
                                     and c.dep_ in ("obl", "obl:arg", "obl:mod", "nmod", "obj")
                                     and any(m.dep_ == "case" and m.lower_ in ("de", "d'", "d’", "du", "des")
                                             for m in c.children)
                                     and not _quote_at(self.quotes, _tok_span(c, off))), None)
            if content_head is None:
                for child in tok.children:
                    # "alerté sur le fait que …", "warned of the risk that …"
                    if child.dep_ in ("obl", "obl:mod", "obl:arg", "obj", "dobj", "prep"):
                        clause = next((g for g in child.subtree if g.dep_ in ("acl", "ccomp", "acl:relcl")
                                       and any(m.dep_ == "mark" and m.lower_ in ("que", "qu'", "qu’", "that")
                                               for m in g.children)), None)
                        if clause is not None:
                            content_head = clause
                            break
            if sent.lang == "en" and (content_head is None or content_head.i < tok.i and _subject(tok, lex) is None):
                # also "<clause>, South Korea's spy agency said": the clause parsed as the verb's
                # complement, the name as an apposition inside it, and no subject
                trailing = self._trailing_report(tok, sent, off)
                if trailing is not None:
                    self._add(trailing)
                    continue
            exclude = None
            if content_head is None and tok.dep_ not in _SUBJECTS | {"acl", "acl:relcl", "relcl", "amod"} \
                    and _finite_or_compound(tok) and tok.head.i < tok.i and not _relative(tok.head) \
                    and not _is_passive(tok) and _inverted(tok.head, tok) \
                    and any(t.text in (",", "»", "”", '"') for t in tok.doc[tok.head.i:tok.i]) \
                    and self._inverted_subject(tok, lex) is not None \
                    and not _asyndetic_series(tok, [t for t in tok.head.subtree if t.i < tok.i]):
                # "« … », dit-elle": the parser hung the reporting verb on the quoted clause.
                content_head, exclude, before = tok.head, tok, True
            content = self._content_of(content_head, off, exclude, tok, lex) if content_head is not None else None
            if content is not None and content_head.i > tok.i and content_head.dep_ in ("xcomp", "ccomp"):
                # a verb whose complement clause is what it reports takes no other object: an object
                # the parser hung on it after the clause belongs to the clause ("reprochent d'avoir
                # divulgué à certains clients, eux-mêmes justiciables, des informations …")
                extra = [t for c in tok.children if c.dep_ in ("obj", "dobj") and c.i > content_head.i
                         for t in c.subtree]
                if extra:
                    content = (content[0], max(content[1], _extent(extra, off, self.text)[1]))
            if content is not None and content_head.i > tok.i and content_head.dep_ == "ccomp" \
                    and not any(t.pos_ in ("VERB", "AUX") for t in content_head.subtree):
                # "a affirmé que Al-Qaïda au Sahel développait …": a que-clause without a verb is
                # the parser breaking the clause; its verb and the rest hang on the reporting verb
                rest = [t for c in tok.children if c.i > content_head.i and not c.is_punct for t in c.subtree]
                if any(t.pos_ in ("VERB", "AUX") for t in rest):
                    content = (content[0], max(content[1], _extent(rest, off, self.text)[1]))
            if content is None and tok.pos_ != "VERB":
                # a verb the tagger read as a noun ("le président … juge que …"): the que-clause
                # runs to the end of the sentence
                nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
                if nxt is not None and nxt.lower_ in ("que", "qu'", "qu’", "that"):
                    content = _trim(self.text, _tok_span(nxt, off)[1], sent.end)
            main_subject = None
            if content is not None and content_head is not None and content_head.i > tok.i:
                content, main_subject = self._before_main_clause(tok, content_head, content, off)
            direct = False
            cue = self._cue_span(tok, off)
            if content is not None:
                content, direct = _direct_content(self.quotes, content)
            else:
                q = self._adjacent_quote(tok, sent)
                if q is not None:
                    content, direct = q.inner, True
                    chained = self._chained(q)
                elif _is_passive(tok):
                    # "Cette thèse a été confirmée par X", "The claim was denied by the ministry":
                    # what is confirmed is the subject when it names something said; "L'attaque a
                    # été confirmée par X" is a speech verb with a noun object, turned round
                    subj = next((c for c in tok.children if c.dep_ in ("nsubj:pass", "nsubjpass")), None)
                    if subj is not None and _agent(tok) is not None and subj.pos_ == "NOUN" \
                            and _lemma(subj) in lex.nouns:
                        content = _extent(list(subj.subtree), off, self.text)
            if content is None or content[1] - content[0] < 2:
                continue
            if cue is not None and content[0] <= cue[0] < content[1] and before:
                # "« A », ont-ils souligné, « B »": the content is what precedes the cue; B is
                # taken up with the quotes, by the same cue
                content = _trim(self.text, content[0], self.text.rfind(",", content[0], cue[0]) if
                                self.text.rfind(",", content[0], cue[0]) > content[0] else cue[0])
                content, direct = _direct_content(self.quotes, content)
            if cue is not None and content[0] <= cue[0] < content[1] and not direct:
                continue
            speaker_tok = _subject(tok, lex)
            relayed_by = None
            quoting = self._quoted_as(tok, lex)
            if quoting is not None:
                # "State television quoted the governor as saying …": the governor speaks, the
                # television relays
                speaker_tok, relayed_by = quoting
            if speaker_tok is not None and not _inverted_clitic(speaker_tok) and any(
                    q.inner[0] <= _tok_span(speaker_tok, off)[0] < q.inner[1] and not q.inner[0] <= cue[0] < q.inner[1]
                    for q in self.quotes):
                speaker_tok = None  # a "subject" inside someone's quoted words is a parse error
            if speaker_tok is None and before:
                speaker_tok = self._inverted_subject(tok, lex)
            if speaker_tok is None:
                speaker_tok = main_subject
            if speaker_tok is None and "Inf" in tok.morph.get("VerbForm") and tok.dep_ == "ROOT":
                continue  # "Autant dire que …": nobody reports
            if speaker_tok is None and "Part" in tok.morph.get("VerbForm") and "Pres" in tok.morph.get("Tense"):
                speaker_tok = self._participle_subject(tok)
            if speaker_tok is None and ("Part" in tok.morph.get("VerbForm") or "Inf" in tok.morph.get("VerbForm")
                                        or "Ger" in tok.morph.get("VerbForm")) and tok.dep_ not in ("ROOT",):
                speaker_tok = self._previous_speaker_in(sent, tok)
            if speaker_tok is None and tok.dep_ != "ROOT":
                root = sent.span.root
                if root.i < tok.i and root.pos_ in ("NOUN", "PROPN"):
                    speaker_tok = root
            if speaker_tok is not None and content[0] <= _tok_span(speaker_tok, off)[0] < content[1]:
                # a subject inside the reported words is theirs, not the speaker: look after the verb
                speaker_tok = _postverbal_subject(tok, lex)
            speaker = None
            # verbs of learning: the one who told it is the "auprès de" phrase, not the subject
            learnt = self._origin(tok, lex, off) if _lemma(tok) in lex.learning else (None, None)
            if learnt[1] is not None:
                speaker_tok, speaker = learnt
            elif speaker_tok is not None and speaker_tok.lower_.lstrip("-") not in _IMPERSONAL:
                speaker = _speaker_np(speaker_tok, off, self.text)
                if speaker is not None and content[0] <= speaker[0] < content[1]:
                    speaker = _tok_span(speaker_tok, off)
            elif speaker_tok is not None:
                speaker_tok, speaker = self._origin(tok, lex, off)
            else:
                speaker_tok = None
            channel = self._channel(tok, lex, off)
            if relayed_by is not None:
                channel = _speaker_np(relayed_by, off, self.text)
            self._add(_Found(content, direct, cue, speaker, speaker_tok, channel))
            for more in chained:
                self._add(_Found(more.inner, True, cue, speaker, speaker_tok, channel))

    @staticmethod
    def _quoted_as(tok: Any, lex: _Lexicon) -> tuple[Any, Any] | None:
        """(speaker, relay) when the reporting verb is the "as saying" of a quoting verb ("X quoted
        Y as saying", lexicon attribution_quoting): Y speaks, X relays. None otherwise (and for the
        passive "Y was quoted as saying", whose subject already speaks)."""
        marker = tok.head
        if tok.dep_ not in ("pcomp", "advcl", "xcomp") or marker.lower_ != "as" or marker.head.i == marker.i:
            return None
        verb = marker.head
        if _lemma(verb) not in lex.quoting:
            return None
        quoted = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        relay = next((c for c in verb.children if c.dep_ in ("nsubj",)), None)
        return (quoted, relay) if quoted is not None and relay is not None else None

    @staticmethod
    def _participle_subject(tok: Any) -> Any:
        """Who says it through a present participle after a noun: the noun it qualifies ("un groupe
        disant agir …"), through a participle qualifying it ("le Front lié à X disant …"), or the
        agent of the passive it follows ("revendiquées par le Front, disant …": the one who acts in
        a passive is its agent, not its grammatical subject)."""
        cur = tok
        while cur.head.i < cur.i:
            head = cur.head
            if cur.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
                return head
            if cur.dep_ not in ("acl", "advcl", "advmod") or head.pos_ != "VERB":
                return None
            agent = _agent(head) if _is_passive(head) else None
            if agent is not None and agent.i < cur.i:
                return agent
            if "Part" not in head.morph.get("VerbForm") or any(c.dep_ in _AUX for c in head.children):
                return None  # a finite verb: its subject, found the usual way
            cur = head
        return None

    def _before_main_clause(self, verb: Any, head: Any, content: Span, off: int) -> tuple[Span, Any]:
        """A participle opening the sentence ("Tout en affirmant que A, X a évoqué B", "Saying
        that A, X left") reports up to the main clause: the first finite verb in its clause whose
        noun subject follows a comma starts the sentence's main clause, wherever the parser hung
        it; that subject is who speaks."""
        forms = verb.morph.get("VerbForm")
        if not ("Part" in forms or "Ger" in forms or verb.tag_ == "VBG") or any(c.dep_ in _AUX for c in verb.children):
            return content, None
        if any(not (t.pos_ in ("ADV", "ADP", "SCONJ") or t.is_punct) for t in verb.doc[verb.sent.start:verb.i]):
            return content, None
        for t in head.subtree:
            subj = next((c for c in t.children if c.dep_ in _SUBJECTS and c.pos_ in ("NOUN", "PROPN")), None)
            if subj is None or not _finite_or_compound(t) or t.pos_ not in ("VERB", "AUX"):
                continue
            comma = subj.left_edge.i - 1
            if comma > head.i and t.doc[comma].text == ",":
                return _trim(self.text, content[0], _tok_span(t.doc[comma], off)[0]), subj
        return content, None

    def _past_object_and_colon(self, verb: Any, clause: Any, lex: _Lexicon, off: int) -> bool:
        """A clause after a colon that follows the verb's direct object: what the verb reports is
        that object, unless the object is who is told ("told reporters: …", lexicon
        attribution_addressee)."""
        obj = next((c for c in verb.children if c.dep_ in ("obj", "dobj") and verb.i < c.i < clause.i), None)
        if obj is None or verb_lemma(verb, lex.addressee) is not None:
            return False
        between = self.text[_tok_span(obj.right_edge, off)[1]:_tok_span(clause.left_edge, off)[0]]
        return ":" in between

    def _trailing_report(self, verb: Any, sent: _Sentence, off: int) -> _Found | None:
        """"<clause>, South Korea's spy agency said (on Friday)." when the parser failed to make
        the name the verb's subject (an apposition, the verb an adverbial clause): read it from
        the token sequence — a comma, a noun phrase, the verb with no subject of its own, then only
        adverbials to the end of the sentence or to the next comma."""
        if any(c.dep_ in _SUBJECTS | {"dobj", "obj", "xcomp"} or c.dep_ == "ccomp" and c.i > verb.i
               for c in verb.children):
            return None  # a subject or an object of its own ("his brother said nothing"): not a trailing report
        if verb.head.i >= verb.i and not any(c.dep_ == "ccomp" for c in verb.children):
            return None  # neither hung on the clause before it nor governing it
        doc, start = verb.doc, sent.span.start
        comma = next((i for i in range(verb.i - 1, start, -1) if doc[i].text == ","), None)
        if comma is None or comma - start < 3 or verb.i - comma < 2 or verb.i - comma > 8:
            return None
        phrase = [doc[i] for i in range(comma + 1, verb.i)]
        if not all(t.pos_ in _TRAILING_NP_POS or t.lower_ == "of" for t in phrase) \
                or not any(t.pos_ in ("NOUN", "PROPN") for t in phrase):
            return None
        # Its adverbials run to the end of the sentence or to a comma: what follows a comma is an
        # afterthought ("…, the agency said on Wednesday, four times the figure given by Washington").
        tail = list(takewhile(lambda t: t.text != ",", (doc[i] for i in range(verb.i + 1, sent.span.end))))
        if any(t.pos_ in ("VERB", "AUX") or t.lower_ in ("that", "whether") for t in tail):
            return None  # "X said that …", "X said it would …": the parse's own reading applies
        head = next(t for t in reversed(phrase) if t.pos_ in ("NOUN", "PROPN") and t.lower_ != "of")
        content, direct = _direct_content(self.quotes, _trim(self.text, sent.start, doc[comma].idx + off))
        speaker = _extent(phrase, off, self.text)
        return _Found(content, direct, self._cue_span(verb, off), speaker, head, self._channel(verb, _lexicon("en"), off))

    def _as_clause(self, verb: Any, sent: _Sentence, lex: _Lexicon) -> bool:
        """"…, comme l'ont rapporté plusieurs médias", "as the mayor noted, …": a reporting clause
        opened by "comme"/"as" reports the clause it hangs on."""
        if not any(c.dep_ == "mark" and c.lower_ in ("comme", "as") for c in verb.children):
            return False
        if not _finite_or_compound(verb) or not ("Fin" in verb.morph.get("VerbForm") or any(
                c.dep_ in _AUX for c in verb.children)):
            return False
        main = verb.head
        if main.i == verb.i or main.pos_ not in ("VERB", "AUX", "NOUN", "ADJ"):
            return False
        off = sent.offset
        own = {t.i for t in verb.subtree}
        content = _extent([t for t in main.subtree if t.i not in own], off, self.text)
        if content is None or content[1] - content[0] < 3:
            return False
        subj = _subject(verb, lex)
        if subj is None or subj.i < verb.i and subj.pos_ == "PRON" and subj.lower_ in _PREVERBAL:
            subj = _postverbal_subject(verb, lex)
        speaker = None
        if subj is not None and subj.lower_.lstrip("-") not in _IMPERSONAL:
            speaker = _speaker_np(subj, off, self.text, after=verb.i if subj.i > verb.i else -1)
        else:
            return False  # "comme prévu", "comme on l'a appris": nobody is named
        content, direct = _direct_content(self.quotes, content)
        self._add(_Found(content, direct, self._cue_span(verb, off), speaker, subj, self._channel(verb, lex, off)))
        return True

    def _content_child(self, tok: Any, lex: _Lexicon, off: int) -> tuple[Any, bool]:
        """The head of the clause a reporting verb reports, and whether it comes before the verb:
        a complement clause after it first ("a assuré qu'il …", even after "Interrogé …, X a
        assuré"), then an inverted one before it ("…, the police said"), then a clause after a colon;
        for the verbs of `attribution_xcomp`, an infinitive ("a dit avoir", "accusé les médias
        d'utiliser", "lui reprochent d'avoir divulgué")."""
        xcomp = verb_lemma(tok, lex.xcomp) is not None
        after, inverted, colon = None, None, None
        for child in tok.children:
            if child.dep_ in ("acl:relcl", "relcl") or _relative(child):
                continue  # "X, qui s'occupait de …, a avancé": a relative clause reports nothing
            if child.dep_ == "xcomp" and not xcomp:
                continue  # "threatened to attack", "expected to extend": not a report
            if _question(child):
                continue  # "établir si …", "asked whether …", "asked why …": a question, not a claim
            if any(m.dep_ == "mark" and m.lower_ in _PURPOSE for m in child.children):
                continue  # "must declare them so the public can see …": a purpose, not what is said
            if child.dep_ in ("ccomp", "xcomp") and child.i > tok.i:
                if self._past_object_and_colon(tok, child, lex, off):
                    continue  # "found the wreck on Tuesday: the hull was …": the object is the finding
                after = after or child
            elif child.dep_ in ("ccomp", "xcomp", "parataxis", "advcl") and child.i < tok.i \
                    and _inverted(child, tok) and (child.dep_ in ("ccomp", "xcomp") or _finite_or_compound(child)) \
                    and not _subordinate(child) and _clausal(child):
                inverted = inverted or child
            elif child.dep_ in ("advcl", "parataxis") and child.i > tok.i \
                    and self.text[_tok_span(tok, off)[1]:_tok_span(child.left_edge, off)[0]].lstrip()[:1] == ":":
                colon = colon or child
        if after is None and verb_lemma(tok, lex.accuse) is not None:
            # "accusé les médias d'utiliser …": the parser hangs the infinitive on the object
            for child in tok.children:
                if child.dep_ in ("obj", "dobj") and child.i > tok.i:
                    after = next((g for g in child.children if g.dep_ == "acl" and _infinitive(g)
                                  and any(m.lower_ in ("de", "d'", "d’") for m in g.children if m.dep_ == "mark")),
                                 None)
                    if after is not None:
                        break
        if after is None and xcomp:
            # "reprochent à la mairie de ne pas les avoir prévenus": a "de" + infinitive the parser
            # labelled otherwise
            after = next((c for c in tok.children if c.i > tok.i and c.dep_ not in _SUBJECTS and any(
                m.dep_ == "mark" and m.lower_ in ("de", "d'", "d’") for m in c.children)
                and any(_infinitive(g) for g in c.subtree)), None)
        if (after is None or after.pos_ in _NOMINAL) and verb_lemma(tok, lex.directive) is not None:
            # "a demandé au ministre de venir", "urged residents to leave": the parser hangs the
            # infinitive on the person asked (sometimes labelled the verb's complement itself)
            for child in tok.children:
                if child.i > tok.i and child.dep_ not in _SUBJECTS and child.pos_ in _NOMINAL:
                    inf = next((g for g in child.children if g.dep_ in ("acl", "relcl") and g.i > child.i
                                and "Inf" in g.morph.get("VerbForm") and any(
                                    m.dep_ in ("mark", "aux") and m.lower_ in ("de", "d'", "d’", "à", "to")
                                    for m in g.children)), None)
                    if inf is not None:
                        after = inf
                        break
        if after is None and inverted is None and colon is None and xcomp:
            # "confirmant ne pas vouloir divulguer …", where the parser hung the infinitive elsewhere
            nxt = tok.i + 1
            while nxt < len(tok.doc) and (tok.doc[nxt].pos_ in ("ADV", "PART")
                                          or tok.doc[nxt].lower_ in ("ne", "n'", "n’")):
                nxt += 1
            if nxt < len(tok.doc) and "Inf" in tok.doc[nxt].morph.get("VerbForm") and tok.doc[nxt].head.i != tok.i:
                after = tok.doc[nxt]
        head = after or inverted or colon
        return head, head is not None and head.i < tok.i

    @staticmethod
    def _first_person(verb: Any) -> bool:
        """A reporting verb in the first person outside quote marks is the quoted speaker's own
        words (a quote that lost its marks: "je peux vous confirmer …") or the writer's
        ("Rappelons que …", an imperative), not a report."""
        if "Imp" in verb.morph.get("Mood"):
            return True
        finite = verb
        while "Fin" not in finite.morph.get("VerbForm") and finite.dep_ in ("xcomp",) and finite.head.i != finite.i:
            finite = finite.head  # "je peux vous confirmer": the person is on "peux"
        person = finite.morph.get("Person") or next(
            (c.morph.get("Person") for c in finite.children if c.dep_ in _AUX and c.morph.get("Person")), [])
        subj = next((c for c in finite.children if c.dep_ in _SUBJECTS), None)
        if subj is None:
            if finite.lang_ == "fr" and finite.i == finite.sent.start and finite.lower_.endswith(("ons", "ez")):
                return True  # "Rappelons que …", "Notez que …": an imperative opening the sentence
            return "1" in person and "Fin" in finite.morph.get("VerbForm")
        return subj.pos_ == "PRON" and subj.lower_ in _FIRST_PERSON and person in (["1"], [])

    def _incise(self, verb: Any, sent: _Sentence, lex: _Lexicon) -> tuple[Span, Any] | None:
        """A reporting clause set after what it reports, its subject after the verb:
        "« … », a-t-elle précisé", "…, a expliqué à l'AFP le porte-parole", "\"…,\" said the mayor".
        The content is the text before it, back to the sentence start (or a colon or a sentence
        end the segmenter missed); the speaker, the verb's subject after it."""
        found = _incise_opener(verb)
        if found is None:
            return None
        opener, aux = found
        subj = _postverbal_subject(verb, lex)
        if subj is None:
            return None
        if any(c.dep_ in ("ccomp", "xcomp") and c.i > verb.i and c.left_edge.i <= subj.i and not _relative(c)
               and (c.pos_ in ("VERB", "AUX") or any(g.dep_ in _SUBJECTS or g.dep_ == "mark" for g in c.children))
               for c in verb.children):
            return None  # "X, who lives next door, said he …": what is said follows the verb
        if not aux and not _finite_or_compound(verb) and not _inverted_clitic(subj):
            return None  # "…, confirmant une information": a participle has no subject after it
        if not _inverted_clitic(subj) and subj.dep_ not in _SUBJECTS:
            # the parser did not see a subject after the verb: one before it rules the incise out
            if any(c.dep_ in _SUBJECTS and c.i < opener.i and not _quote_at(self.quotes, _tok_span(c, sent.offset))
                   and all(t.is_punct for t in c.doc[c.right_edge.i + 1:opener.i])
                   and not any(g.pos_ in ("VERB", "AUX") for g in _subtree_without(c, _SPEAKER_CUT))
                   for c in verb.children):
                return None  # "Le FSO, Service fédéral …, a lancé un appel": its subject came first
            if verb.dep_ == "conj" and subj.dep_ in ("obj", "dobj"):
                return None  # "…, a rencontré le président et …": a verb in a series, with its object
            if not _agree_in_number(verb, subj) or _series_follows(subj):
                return None  # "…, a salué les secouristes et a visité …": its object, not its subject
        off = sent.offset
        pos = _tok_span(opener, off)
        end = pos[1] if opener.text in _CLOSERS else pos[0]
        # the segmenter may have cut before the incise: start in the sentence of the words before it
        last = next((t for t in reversed(verb.doc[:opener.i]) if not t.is_punct), opener)
        si = self._sentence_of(_tok_span(last, off)[0])
        if si < 0:
            return None
        while si > 0 and self.sentences[si - 1].seg == self.sentences[si].seg and not _SENTENCE_END.search(
                self.text[max(0, self.sentences[si].start - 4):self.sentences[si].start]):
            si -= 1  # the segmenter cut inside a sentence ("…, sans faire de blessés, …")
        start = self._clause_start(self.sentences[si].start, end)
        content = _trim(self.text, start, end)
        if content[1] - content[0] < 3:
            return None
        if self._quoted(content):
            return content, subj
        before = [t for t in verb.doc[:verb.i] if content[0] <= _tok_span(t, off)[0] < content[1]]
        if not any(_finite_or_compound(t) and t.pos_ in ("VERB", "AUX") for t in before):
            # "L'entreprise, a assuré son directeur, ne fermera pas le site": the incise sits
            # inside the clause, which is reported whole
            return self._around_incise(verb, subj, content, off)
        if _asyndetic_series(verb, before):
            return None  # "ont bloqué la route, ont brûlé des pneus, ont lancé des pierres"
        return content, subj

    def _around_incise(self, verb: Any, subj: Any, content: Span, off: int) -> tuple[Span, Any] | None:
        """The whole sentence round an incise set inside it, when it goes on after the incise's
        subject with a comma and a finite verb."""
        doc = verb.doc
        i = (subj.right_edge.i if subj.i > verb.i else verb.i) + 1
        end = verb.sent.end
        if i >= end or doc[i].text != "," or not any(
                _finite_or_compound(t) and t.pos_ in ("VERB", "AUX") for t in doc[i + 1:end]):
            return None
        last = doc[end - 1]
        stop = _tok_span(last, off)[0] if last.is_punct and last.text in ".!?" else _tok_span(last, off)[1]
        return _trim(self.text, content[0], stop), subj

    def _clause_start(self, start: int, end: int) -> int:
        """Where reported words that end at `end` begin: after the last colon or sentence end
        outside quote marks between `start` and `end`."""
        best = start
        for m in _CLAUSE_BREAK.finditer(self.text, start, end):
            at = m.start()
            if not any(q.outer[0] < at < q.outer[1] for q in self.quotes) and self.text[m.end():end].strip():
                best = m.end()
        return best

    def _quoted(self, content: Span) -> bool:
        return _direct_content(self.quotes, content)[1]

    def _add_incise(self, verb: Any, sent: _Sentence, lex: _Lexicon, content: Span, subj: Any) -> None:
        off = sent.offset
        cue = self._cue_span(verb, off)
        speaker_tok, speaker = self._origin(verb, lex, off)
        if subj.lower_.lstrip("-") not in _IMPERSONAL and (speaker is None or _lemma(verb) not in lex.learning):
            speaker_tok = subj
            speaker = _speaker_np(subj, off, self.text, after=_np_start(subj) - 1 if subj.i > verb.i else -1)
        channel = self._channel(verb, lex, off)
        for part, direct in self._quote_parts(content):
            self._add(_Found(part, direct, cue, speaker, speaker_tok, channel))

    def _origin(self, verb: Any, lex: _Lexicon, off: int) -> tuple[Any, Span | None]:
        """Who told it, when "on" learnt it: "a-t-on appris auprès de différentes sources
        officielles", "… de source proche du dossier" (`attribution_origins`)."""
        doc = verb.doc
        lowers = [t.lower_ for t in doc]
        end = verb.sent.end
        for i in range(verb.i + 1, min(end, verb.i + 12)):
            if doc[i].is_punct and doc[i].text != "-":
                break
            for words, keep_last in lex.origins:
                if tuple(lowers[i:i + len(words)]) != words:
                    continue
                first = i + len(words) - 1 if keep_last else i + len(words)
                if first >= end:
                    return None, None
                stop = _skip_np(doc, first, end, lex.time_words)
                toks = [t for t in doc[first:max(stop, first + 1)]]
                head = next((t for t in toks if t.pos_ in ("NOUN", "PROPN", "PRON")), toks[0])
                return head, _extent(toks, off, self.text)
        return None, None

    def _quote_parts(self, content: Span) -> list[tuple[Span, bool]]:
        """A content that is quotes joined by words of the writer ("« A », de même que « B »")
        is one content per quote; a content mostly one quote is that quote."""
        span, direct = _direct_content(self.quotes, content)
        if not direct:
            return [(span, False)]
        inside = sorted((q for q in self.quotes if content[0] <= q.inner[0] and q.inner[1] <= content[1]),
                        key=lambda q: q.inner[0])
        if len(inside) > 1 and all(_LETTER.search(self.text[a.outer[1]:b.outer[0]])
                                   for a, b in zip(inside, inside[1:])):
            return [(q.inner, True) for q in inside]
        return [(span, True)]

    @staticmethod
    def _inverted_subject(verb: Any, lex: _Lexicon) -> Any:
        """"…, a affirmé l'ambassade d'Espagne": the parser reads the inverted subject as an
        object; one that agrees with the verb and ends no series of actions ("…, a salué les
        secouristes et a visité …")."""
        subj = _subject(verb, lex)
        if subj is not None:
            return subj
        return next((c for c in verb.children if c.i > verb.i and c.pos_ in ("NOUN", "PROPN")
                     and c.dep_ in ("obj", "dobj", "nsubj", "expl:subj")
                     and _agree_in_number(verb, c) and not _series_follows(c)), None)

    def _previous_speaker_in(self, sent: _Sentence, tok: Any) -> Any:
        for other in reversed(self.found):
            cue_at = (other.cue or (0, 0))[0]
            if other.speaker_head is not None and sent.start <= cue_at < _tok_span(tok, sent.offset)[0]:
                return other.speaker_head
        root = sent.span.root
        return next((c for c in root.children if c.dep_ in _SUBJECTS), None)

    def _cue_span(self, verb: Any, offset: int) -> Span:
        # its auxiliaries just before it ("a-t-on appris"), not one the parser hung across a comma
        toks = [verb] + [c for c in verb.children if c.dep_ in _AUX and verb.i - 3 <= c.i < verb.i
                         and not any(t.is_punct and t.text not in ("-", "-t-") for t in verb.doc[c.i:verb.i])]
        start = min(t.idx for t in toks) + offset
        end = verb.idx + len(verb.text) + offset
        noun = _phrase_noun(verb, _lexicon(verb.lang_)) if verb.lang_ else None
        if noun is not None:
            end = noun.idx + len(noun.text) + offset  # "fait état"
        return (start, end)

    def _adjacent_quote(self, verb: Any, sent: _Sentence) -> Quote | None:
        """A quote in the verb's sentence (closest first), or right after it on the next line."""
        vpos = verb.idx + sent.offset
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        subj_span = _extent(list(subject.subtree), sent.offset, self.text) if subject is not None else None
        si = self._sentence_of(vpos)
        in_sent = [q for q in self.quotes if sent.start - 2 <= q.outer[0] < sent.end
                   and not (q.outer[0] <= vpos < q.outer[1]) and q.inner not in self.used_quotes
                   and not (subj_span and _overlap(q.inner, subj_span) > 0)]
        objects = [q for q in in_sent if self._is_object(verb, q, sent)]
        in_sent = objects or [q for q in in_sent if q.words >= _MIN_QUOTE_WORDS and self._statement(q, si)]
        if in_sent:
            return min(in_sent, key=lambda q: min(abs(q.outer[0] - vpos), abs(q.outer[1] - vpos)))
        # floating quote: the sentence ends with a colon (or the verb has nothing to report) and
        # the next sentence opens with a quote
        tail = self.text[vpos:sent.end].rstrip()
        # "X confirme." then the quote: only when the verb ends its sentence
        ends = tail.endswith(":") or (tail.endswith(".") and verb.i >= sent.span.end - 3)
        nxt = next((q for q in self.quotes if q.outer[0] >= sent.end and q.words >= _MIN_QUOTE_WORDS), None)
        if nxt is not None and ends and \
                not self.text[sent.end:nxt.outer[0]].strip(" \t\n.:"):
            return nxt
        return None

    def _is_object(self, verb: Any, q: Quote, sent: _Sentence) -> bool:
        """The quote is what the verb governs: right after it, past an article, a preposition or
        an object pronoun only ("a déploré « une attaque lâche »", "a dénoncé les « paroles
        tronquées »", "described it as a “total loss”"), or holding the head of its object
        ("called the plan “a disaster”") — not a quote deep inside a longer object ("a affirmé sa
        détermination à lutter contre « le crime organisé »")."""
        end = self._cue_span(verb, sent.offset)[1]
        if end <= q.outer[0]:
            between = [t for t in verb.doc[verb.i + 1:] if end <= _tok_span(t, sent.offset)[0] < q.outer[0]]
            if len(between) <= 4 and all(
                    (t.pos_ in ("DET", "ADP", "ADV") or t.dep_ == "case"
                     or (t.pos_ == "PRON" and t.dep_ not in _SUBJECTS))
                    and t.tag_ not in ("WP", "WDT", "WRB") and t.morph.get("PronType") not in (["Int"], ["Rel"])
                    for t in between):
                return True
        for child in verb.children:
            if child.dep_ in ("obj", "dobj", "xcomp", "attr", "oprd", "ccomp") and \
                    q.inner[0] <= _tok_span(child, sent.offset)[0] < q.inner[1]:
                return True
        # what the object is called: "called the plan “a disaster”", "described the ruling as
        # “deeply flawed”", "a qualifié l'attaque de « lâche »"
        inside = [t for t in verb.doc[verb.i + 1:] if q.inner[0] <= _tok_span(t, sent.offset)[0] < q.inner[1]]
        for t in inside:
            h = t.head
            if h in inside or h.i == t.i or t.is_punct:
                continue
            if h.head.i == verb.i and h.i != verb.i and (
                    (h.dep_ in ("obj", "dobj") and t.dep_ in ("appos", "oprd", "xcomp", "acl", "nmod", "amod"))
                    or (h.dep_ in ("prep", "case", "mark") and h.lower_ in ("as", "comme"))):
                return True
        return False

    def _chained(self, q: Quote) -> list[Quote]:
        """Quotes that follow `q` with only blanks between them ("saluant un « grand combattant »
        « tombé en martyr »"): the same words go on."""
        out: list[Quote] = []
        for other in self.quotes:
            last = out[-1] if out else q
            if other.outer[0] >= last.outer[1] and not self.text[last.outer[1]:other.outer[0]].strip():
                out.append(other)
        return out

    def _statement(self, q: Quote, si: int) -> bool:
        """A quote that holds a clause (a finite verb), not a title or a name."""
        for sent in self.sentences[si:si + 4]:
            if sent.start >= q.inner[1]:
                break
            for tok in sent.span:
                pos = tok.idx + sent.offset
                if q.inner[0] <= pos < q.inner[1] and "Fin" in tok.morph.get("VerbForm"):
                    return True
                if q.inner[0] <= pos < q.inner[1] and tok.tag_ in ("VBD", "VBZ", "VBP", "MD"):
                    return True
        return False
