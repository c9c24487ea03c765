"""Stage `attribution`: who says what, through whom — quotes and reported speech.

Works from the existing spaCy parse (no second pass over the text with a model) and from the
per-language lexicons `attribution_*` (reporting verbs and nouns, source markers such as
"selon"/"according to", channels such as agencies and platforms). It finds:
- reported speech: a reporting verb with its clausal complement ("X affirme que …", "X said …"),
  in either order ("…, a-t-il déclaré", "…, police said"), passive ("a été confirmé par X");
- direct quotes in « », “ ”, " " and ‘ ’, tied to the reporting verb of their sentence, to a
  colon introduction ("X : « … »"), or to the previous sentence (floating quotes "confirmé par
  … Lloyd Austin:" then the quote on its own line, and quotes that continue a speaker's words);
- source markers ("selon X", "d'après X", "de source policière", "according to X");
- reporting nouns with a clause ("l'annonce que …", "his claim that …");
- embedded posts: the post is its author's words, and claims reported inside it came through
  the post (`via`), as does a statement made "à CNN" / "to CNN" or sourced "selon l'AFP".

Speakers resolve to entities of `doc.entities` by span overlap; pronouns ("Il affirme") resolve
to the speaker or person last in focus. When the entities stage has not run, `source` is None
and the speaker's words stay in `cue["speaker"]` = {text, span[, refers_to]}.
This module must not decide how certain a claim is: that is the `certainty` stage's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .. import lexicons
from ..models import Attribution, Document, Entity, Span
from ..pipeline import register_stage
from ..settings import Settings

__all__ = ["AttributionStage", "find_attributions", "find_quotes", "verb_lemma"]

# Quote pairs. The « » and “ ” forms may hold the other kind inside them; straight quotes pair
# within a line; ‘ ’ only when the closing mark is not an apostrophe inside a word.
_QUOTES = re.compile(
    r"«(?P<g>[^«»]+)»|“(?P<c>[^“”]+)”|\"(?P<s>[^\"\n]+)\"|(?<!\w)‘(?P<q>[^‘’\n]+)’(?!\w)"
)
_WORD = re.compile(r"\w+")
# A direct quote that is not an utterance's object must look like a statement, not a title.
_MIN_QUOTE_WORDS = 4
_SUBJECTS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj"})
_CONTENT_DEPS = ("ccomp", "parataxis", "xcomp", "advcl", "conj")
_AUX = frozenset({"aux", "aux:tense", "aux:pass", "auxpass", "aux:caus", "cop"})
# Clausal dependents cut out of a speaker's noun phrase ("Zelensky, qui a alerté …").
_SPEAKER_CUT = frozenset({"acl:relcl", "relcl", "acl", "advcl", "ccomp", "parataxis", "dep", "appos:clause"})
_PERSONAL = {
    "fr": frozenset({"il", "elle", "ils", "elles", "lui", "eux", "celui-ci", "celle-ci"}),
    "en": frozenset({"he", "she", "they", "him", "her", "them"}),
}
_IMPERSONAL = frozenset({"on", "it", "-on", "t", "-t", "-t-on", "t-on"})


@dataclass(frozen=True)
class _Lexicon:
    verbs: frozenset[str]
    xcomp: frozenset[str]  # verbs whose infinitive/adjective complement is the content
    nouns: frozenset[str]
    markers: tuple[tuple[tuple[str, ...], str], ...]  # (lower-case words, kind), longest first
    not_sources: frozenset[str]
    media: frozenset[str]


@cache
def _lexicon(lang: str) -> _Lexicon:
    markers = []
    for row in lexicons.table(lang, "attribution_markers"):
        words = tuple(w for w in re.split(r"\s+|(?<=')", row[0].lower()) if w)
        markers.append((words, row[1] if len(row) > 1 else "source"))
    markers.sort(key=lambda m: -len(m[0]))
    verbs = frozenset(v.lower() for v in lexicons.lines(lang, "attribution_verbs"))
    return _Lexicon(
        verbs=verbs,
        xcomp=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_xcomp")),
        nouns=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_nouns")),
        markers=tuple(markers),
        not_sources=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_not_sources")),
        media=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_media")),
    )


@dataclass(frozen=True)
class Quote:
    """A quoted passage: `inner` without the marks, `outer` with them."""

    inner: Span
    outer: Span
    words: int


def find_quotes(text: str) -> list[Quote]:
    quotes = []
    for m in _QUOTES.finditer(text):
        group = next(g for g in ("g", "c", "s", "q") if m.group(g) is not None)
        start, end = m.span(group)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            quotes.append(Quote((start, end), m.span(), len(_WORD.findall(text[start:end]))))
    return quotes


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


class _Sentence:
    """One parsed sentence with global offsets."""

    def __init__(self, span: Any, offset: int, lang: str, seg: int) -> None:
        self.span = span
        self.offset = offset
        self.lang = lang
        self.seg = seg
        self.start = span.start_char + offset
        self.end = span.end_char + offset


def _tok_span(tok: Any, offset: int) -> Span:
    return (tok.idx + offset, tok.idx + len(tok.text) + offset)


def _extent(tokens: Sequence[Any], offset: int, text: str) -> Span | None:
    toks = [t for t in tokens if not t.is_punct or t.text in "%"]
    if not toks:
        return None
    start = min(t.idx for t in toks) + offset
    end = max(t.idx + len(t.text) for t in toks) + offset
    # an opening quote mark just before, closed inside ("que «10 000» soldats …"), belongs to it
    before = start
    while before > 0 and text[before - 1] in " \u00a0\u202f":
        before -= 1
    if before > 0 and text[before - 1] in _PAIRS and _PAIRS[text[before - 1]] in text[start:end]:
        start = before - 1
    return _trim(text, start, end)


_PAIRS = {"«": "»", "“": "”", '"': '"', "‘": "’"}


def _trim(text: str, start: int, end: int) -> Span:
    """Without surrounding blanks and punctuation; a quote mark goes only when its pair is outside."""
    while start < end:
        ch = text[start]
        if ch.isspace() or ch in "-—–,:;" or (ch in _PAIRS and _PAIRS[ch] not in text[start + 1:end]):
            start += 1
        else:
            break
    while end > start:
        ch = text[end - 1]
        opener = next((o for o, c in _PAIRS.items() if c == ch), None)
        if ch.isspace() or ch in ",:;" or (opener is not None and opener not in text[start:end - 1]):
            end -= 1
        else:
            break
    return (start, end)


def _subtree_without(head: Any, cut: frozenset[str]) -> list[Any]:
    """`head` and its dependents, leaving out whole branches whose relation is in `cut`, and the
    head's own preposition ("par X", "selon X")."""
    out = [head]
    stack = [c for c in head.children if c.dep_ not in ("case", "mark")]
    while stack:
        tok = stack.pop()
        if tok.dep_ in cut or (tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX")) or tok.pos_ == "VERB":
            continue
        out.append(tok)
        stack.extend(tok.children)
    return out


def _speaker_np(head: Any, offset: int, text: str) -> Span | None:
    """The speaker's noun phrase around `head`, without clauses that depend on it."""
    toks = _subtree_without(head, _SPEAKER_CUT)
    span = _extent(toks, offset, text)
    if span is None:
        return None
    # An apposed name after a title ("le secrétaire à la Défense, Lloyd Austin") belongs to it,
    # even where the parser hung the name on the verb.
    nxt = head.doc[max(t.i for t in toks) + 1:]
    if len(nxt) >= 2 and nxt[0].text == "," and nxt[1].pos_ == "PROPN":
        name_end = nxt[1]
        for t in nxt[2:]:
            if t.pos_ == "PROPN" or t.dep_ in ("flat:name", "flat", "compound"):
                name_end = t
            else:
                break
        span = (span[0], name_end.idx + len(name_end.text) + offset)
    return span


def _lemma(tok: Any) -> str:
    return tok.lemma_.lower()


# Endings of regular French -er verbs, for tokens whose lemma the model got wrong ("redoute").
_ER_ENDINGS = re.compile(r"(?:e|es|ent|ons|ez|é|ée|és|ées|ait|aient|ais|ant|era|eront|erait|eraient|a|èrent|ai)")


def verb_lemma(tok: Any, known: frozenset[str] | dict[str, str]) -> str | None:
    """The lemma of `tok` if it is in `known`, also when the model mis-lemmatised a regular
    French -er verb ("redoute" → "redouter")."""
    lemma = _lemma(tok)
    if lemma in known:
        return lemma
    if tok.lang_ == "fr" and tok.pos_ in ("VERB", "AUX"):
        low = tok.lower_
        for cut in range(1, min(7, len(low) - 2)):
            stem = low[:-cut]
            if stem + "er" in known and _ER_ENDINGS.fullmatch(low[len(stem):]):
                return stem + "er"
    return None


def _is_reporting_verb(tok: Any, lex: _Lexicon) -> bool:
    if tok.dep_ in _AUX:
        return False
    if tok.pos_ in ("VERB", "AUX"):
        return verb_lemma(tok, lex.verbs) is not None
    # the tagger sometimes reads a finite reporting verb as a noun: "le président … juge que …"
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if tok.pos_ in ("NOUN", "ADJ") and nxt is not None and nxt.lower_ in ("que", "qu'", "qu’") and tok.i > 0:
        low = tok.lower_
        return any(low == v[:-2] + "e" for v in lex.verbs if v.endswith("er")) or low.rstrip("t") + "re" in lex.verbs
    return False


def _is_passive(verb: Any) -> bool:
    return "Pass" in verb.morph.get("Voice") or any(
        c.dep_ in ("aux:pass", "auxpass", "nsubj:pass", "nsubjpass") for c in verb.children)


def _agent(verb: Any) -> Any:
    for child in verb.children:
        if child.dep_ == "obl:agent":
            return child
        if child.dep_ == "agent":  # English "by" phrase
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


_INVERTED = re.compile(r"^-(?:t-)?(il|elle|ils|elles|on)$", re.I)


def _subject(verb: Any, lex: _Lexicon) -> Any:
    """The token naming who speaks through `verb`, or None."""
    if _is_passive(verb):
        return _agent(verb)
    # French inversion: "dit-elle", "souligne-t-il", "a-t-on annoncé" (the parse varies)
    doc = verb.doc
    lo = verb.i - 3 if any(c.dep_ in _AUX and c.i < verb.i for c in verb.children) else verb.i
    for t in doc[max(0, lo):min(len(doc), verb.i + 3)]:
        if _INVERTED.match(t.text) and t.i != verb.i:
            return t
    for child in verb.children:
        if child.dep_ in ("nsubj", "expl:subj") and child.lower_.lstrip("-") not in ("t",):
            if child.tag_ in ("WP", "WDT") or "Rel" in child.morph.get("PronType"):
                # "X, qui a alerté …" / "X, who said …": the antecedent speaks
                return verb.head if verb.dep_ in ("acl:relcl", "relcl", "acl") else None
            return child
    if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        return _subject(verb.head, lex)
    return None


def _clause_head(tok: Any) -> Any:
    """The nearest ancestor that heads a clause (a verb, or the root)."""
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX") or any(c.dep_ in _AUX for c in cur.children):
            return cur
    return cur


def _quote_at(quotes: Sequence[Quote], span: Span) -> Quote | None:
    for q in quotes:
        if q.outer[0] < span[1] and span[0] < q.outer[1]:
            return q
    return None


def _direct_content(quotes: Sequence[Quote], content: Span) -> tuple[Span, bool]:
    """A content that is mostly one quote becomes that quote, direct."""
    inside = [q for q in quotes if q.inner[0] < content[1] and content[0] < q.inner[1]]
    if not inside:
        return content, False
    covered = sum(min(q.inner[1], content[1]) - max(q.inner[0], content[0]) for q in inside)
    if covered >= 0.8 * (content[1] - content[0]) or (len(inside) == 1 and inside[0].inner[0] <= content[0] + 2
                                                      and inside[0].inner[1] >= content[1] - 2):
        return (min(q.inner[0] for q in inside), max(q.inner[1] for q in inside)), True
    return content, False


class _Finder:
    """Finds the attributions of one document."""

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

    def _content_of(self, head: Any, offset: int, exclude: Any = None) -> Span | None:
        toks = [t for t in head.subtree if exclude is None or t not in set(exclude.subtree)]
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
        for tok in sent.span:
            if not _is_reporting_verb(tok, lex):
                continue
            pos = tok.idx + off
            if any(q.inner[0] <= pos < q.inner[1] and q.words >= _MIN_QUOTE_WORDS for q in self.quotes):
                continue  # the quoted speaker's own "je crois", "we see": part of the quote
            if _is_passive(tok) and _agent(tok) is None:
                continue  # "It is believed that …", "was described as …": nobody is named as saying it
            content_head, before = None, False
            for child in tok.children:
                if "Rel" in child.left_edge.morph.get("PronType") or child.left_edge.tag_ in ("WDT", "WP"):
                    continue  # "X, qui s'occupait de …, a avancé": a relative clause reports nothing
                if child.dep_ == "xcomp" and verb_lemma(tok, lex.xcomp) is None:
                    continue  # "threatened to attack", "expected to extend": not a report
                if child.dep_ in ("ccomp", "xcomp") and (child.i > tok.i or _inverted(child, tok)) or (
                        child.dep_ in ("parataxis", "advcl") and child.i < tok.i and _inverted(child, tok)) or (
                        child.dep_ in ("advcl", "parataxis") and child.i > tok.i
                        and self.text[_tok_span(tok, off)[1]:_tok_span(child.left_edge, off)[0]].lstrip()[:1] == ":"):
                    content_head, before = child, child.i < tok.i
                    break
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
            exclude = None
            if content_head is None and tok.dep_ not in _SUBJECTS | {"acl", "acl:relcl", "relcl", "amod"} \
                    and tok.head.i < tok.i and not _is_passive(tok) and _inverted(tok.head, tok) \
                    and any(t.text in (",", "»", "”", '"') for t in tok.doc[tok.head.i:tok.i]):
                # "« … », dit-elle": the parser hung the reporting verb on the quoted clause.
                content_head, exclude, before = tok.head, tok, True
            content = self._content_of(content_head, off, exclude) if content_head is not None else None
            if content is None and tok.pos_ != "VERB":
                # a verb the tagger read as a noun ("le président … juge que …"): the que-clause
                # runs to the end of the sentence
                nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
                if nxt is not None and nxt.lower_ in ("que", "qu'", "qu’", "that"):
                    content = _trim(self.text, _tok_span(nxt, off)[1], sent.end)
            direct = False
            cue = self._cue_span(tok, off)
            if content is not None:
                content, direct = _direct_content(self.quotes, content)
            else:
                q = self._adjacent_quote(tok, sent)
                if q is not None:
                    content, direct = q.inner, True
                elif _is_passive(tok):
                    # "The death toll was confirmed by the ministry": what is confirmed is the subject
                    subj = next((c for c in tok.children if c.dep_ in ("nsubj:pass", "nsubjpass")), None)
                    if subj is not None and _agent(tok) is not None and subj.pos_ in ("NOUN", "PROPN"):
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
            if speaker_tok is None and before:
                # "…, a affirmé l'ambassade d'Espagne": the parser reads the inverted subject as object
                speaker_tok = next((c for c in tok.children if c.i > tok.i and c.pos_ in ("NOUN", "PROPN")
                                    and c.dep_ in ("obj", "dobj", "nsubj", "expl:subj")), None)
            if speaker_tok is None and "Inf" in tok.morph.get("VerbForm") and tok.dep_ == "ROOT":
                continue  # "Autant dire que …": nobody reports
            if speaker_tok is None and ("Part" in tok.morph.get("VerbForm") or "Inf" in tok.morph.get("VerbForm")
                                        or "Ger" in tok.morph.get("VerbForm")) and tok.dep_ not in ("ROOT",):
                speaker_tok = self._previous_speaker_in(sent, tok)
            if speaker_tok is None and tok.dep_ != "ROOT":
                root = sent.span.root
                if root.i < tok.i and root.pos_ in ("NOUN", "PROPN"):
                    speaker_tok = root
            if speaker_tok is not None and content[0] <= _tok_span(speaker_tok, off)[0] < content[1]:
                # a subject inside the reported words is theirs, not the speaker: look after the verb
                speaker_tok = next((c for c in tok.children if c.i > tok.i and c.dep_ in ("obj", "dobj", "nsubj")
                                    and c.pos_ in ("NOUN", "PROPN")), None)
            speaker = None
            if speaker_tok is not None and speaker_tok.lower_.lstrip("-") not in _IMPERSONAL:
                speaker = _speaker_np(speaker_tok, off, self.text)
                if speaker is not None and content[0] <= speaker[0] < content[1]:
                    speaker = _tok_span(speaker_tok, off)
            else:
                speaker_tok = None
            self._add(_Found(content, direct, cue, speaker, speaker_tok, self._channel(tok, lex, off)))

    def _previous_speaker_in(self, sent: _Sentence, tok: Any) -> Any:
        for other in reversed(self.found):
            cue_at = (other.cue or (0, 0))[0]
            if other.speaker_head is not None and sent.start <= cue_at < _tok_span(tok, sent.offset)[0]:
                return other.speaker_head
        root = sent.span.root
        return next((c for c in root.children if c.dep_ in _SUBJECTS), None)

    def _cue_span(self, verb: Any, offset: int) -> Span:
        toks = [verb] + [c for c in verb.children if c.dep_ in _AUX or c.dep_ in ("aux:tense",)]
        toks = [t for t in toks if abs(t.i - verb.i) <= 3]
        start = min(t.idx for t in toks) + offset
        end = verb.idx + len(verb.text) + offset
        return (start, end)

    def _adjacent_quote(self, verb: Any, sent: _Sentence) -> Quote | None:
        """A quote in the verb's sentence (closest first), or right after it on the next line."""
        vpos = verb.idx + sent.offset
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        subj_span = _extent(list(subject.subtree), sent.offset, self.text) if subject is not None else None
        si = self._sentence_of(vpos)
        in_sent = [q for q in self.quotes if sent.start - 2 <= q.outer[0] < sent.end
                   and not (q.outer[0] <= vpos < q.outer[1]) and q.inner not in self.used_quotes
                   and not (subj_span and _overlap(q.inner, subj_span) > 0)
                   and (self._is_object(verb, q, sent) or q.words >= _MIN_QUOTE_WORDS and self._statement(q, si))]
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
        for child in verb.children:
            if child.dep_ in ("obj", "dobj", "obl", "obl:arg", "xcomp", "attr", "oprd"):
                s = _extent(list(child.subtree), sent.offset, self.text)
                if s is not None and _overlap(q.inner, s) > 0:
                    return True
        return False

    # -- source markers -------------------------------------------------------------------
    def _markers(self, si: int, lex: _Lexicon) -> None:
        sent = self.sentences[si]
        off = sent.offset
        toks = list(sent.span)
        lowers = [t.lower_ for t in toks]
        for i, tok in enumerate(toks):
            for words, kind in lex.markers:
                if tuple(lowers[i:i + len(words)]) != words:
                    continue
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
                    speaker = _speaker_np(src_head, off, self.text)
                    marker_toks = [*toks[i:i + len(words)], *src_head.subtree]
                cue = (_tok_span(tok, off)[0], _tok_span(last, off)[1])
                content = self._marker_content(sent, marker_toks, src_head if kind != "anonymous" else tok)
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
                self._add(_Found(content, direct, cue, speaker, src_head, kind="marker"))
                break

    def _marker_content(self, sent: _Sentence, marker_toks: list[Any], anchor: Any) -> Span | None:
        """What a "selon X" phrase sources: the rest of the sentence when the phrase opens or
        closes it (the usual places, and robust to parse errors), else its clause."""
        off = sent.offset
        ms = min(t.idx for t in marker_toks) + off
        me = max(t.idx + len(t.text) for t in marker_toks) + off
        if not self.text[me:sent.end].strip(" .,;:!?»”\"\n"):
            return _trim(self.text, sent.start, ms)
        if not self.text[sent.start:ms].strip(" ,;:«“\"—–-\n"):
            return _trim(self.text, me, sent.end - (1 if self.text[sent.end - 1] in ".!?" else 0))
        head = _clause_head(anchor)
        inside = {t.i for t in marker_toks}
        body = [t for t in head.subtree if t.i not in inside and sent.span.start <= t.i < sent.span.end]
        return _extent(body, off, self.text)

    @staticmethod
    def _marker_object(first: Any, last: Any) -> Any:
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


def _np_end(tok: Any) -> Any:
    """The last token of the short noun phrase starting at `tok` ("source policière")."""
    end = tok
    for t in tok.doc[tok.i + 1:tok.i + 4]:
        if t.pos_ in ("ADJ", "NOUN", "PROPN") and t.head.i in (tok.i, end.i) or t.head.i == tok.i:
            end = t
        else:
            break
    return end


def _inverted(content: Any, verb: Any) -> bool:
    """"<content>, <subject> said" / "« … », a-t-il dit": between the content and the verb there is
    a comma (or closing quote) and then only the verb's subject, auxiliaries and adverbs."""
    doc = verb.doc
    content_side = {t.i for t in content.subtree}
    verb_side = {t.i for t in verb.subtree}
    if verb.i not in content_side:
        verb_side -= content_side
    end = max([i for i in content_side if i < verb.i and i not in verb_side and not doc[i].is_punct] + [content.i])
    if end >= verb.i:
        return False
    between = doc[end + 1:verb.i]
    if not any(t.text in (",", "»", "”", '"', "—", "–") for t in between) and end + 1 != verb.i:
        return False
    own = set()
    for child in verb.children:
        if child.dep_ in _SUBJECTS or child.dep_ in _AUX or child.dep_ in ("advmod", "expl:subj", "aux:tense"):
            own.update(child.subtree)
    return all(t.is_punct or t in own or t.pos_ in ("ADV", "PART") for t in between)


def _overlap(a: Span, b: Span) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / max(1, min(a[1] - a[0], b[1] - b[0]))


# -- resolution ----------------------------------------------------------------------------

_KIND_RANK = {"person": 0, "group": 1, "organization": 2, "country": 3, "place": 4}


def _entity_at(doc: Document, span: Span, head: Span | None) -> Entity | None:
    """The entity that the speaker phrase names: one covering its head word first."""
    best, best_key = None, None
    for ent in doc.entities:
        for s, e in ent.mentions:
            if s >= span[1] or e <= span[0]:
                continue
            covers_head = head is not None and s < head[1] and head[0] < e
            key = (0 if covers_head else 1, _KIND_RANK.get(ent.kind, 5), -(min(e, span[1]) - max(s, span[0])))
            if best_key is None or key < best_key:
                best, best_key = ent, key
    if best is not None and best_key is not None and best_key[0] == 1 \
            and best.kind not in ("person", "organization", "group"):
        return None  # "les autorités russes": the country is not who speaks
    return best


def _focus(doc: Document, finder: _Finder, found: _Found, before: int) -> tuple[Entity | None, Span | None]:
    """What a pronoun speaker refers to: the last speaker before it, else the last person named."""
    prev = [f for f in finder.found if f is not found and f.speaker is not None and f.speaker[1] <= before
            and f.refers_to is None and f.speaker_head is not None and f.speaker_head.pos_ != "PRON"]
    last_speaker = max(prev, key=lambda f: f.speaker[1]) if prev else None  # type: ignore[index]
    last_person: tuple[int, Entity | None, Span] | None = None
    for ent in doc.entities:
        if ent.kind != "person":
            continue
        for s, e in ent.mentions:
            if e <= before and (last_person is None or s > last_person[2][0]):
                last_person = (s, ent, (s, e))
    if not doc.entities:
        for sent in finder.sentences:
            for ent in sent.span.ents:
                s = ent.start_char + sent.offset
                e = ent.end_char + sent.offset
                if ent.label_ in ("PER", "PERSON") and e <= before and (last_person is None or s > last_person[0]):
                    last_person = (s, None, (s, e))
    if last_speaker is not None and last_speaker.speaker is not None and (
            last_person is None or last_speaker.speaker[0] >= last_person[0] - 200):
        return _entity_at(doc, last_speaker.speaker, None), last_speaker.speaker
    if last_person is not None:
        return last_person[1], last_person[2]
    return None, None


def find_attributions(doc: Document) -> list[Attribution]:
    finder = _Finder(doc)
    found = finder.run()
    text = doc.text
    out: list[Attribution] = []
    sources: list[str | None] = []
    for f in found:
        source = None
        if f.speaker is not None:
            head = None
            if f.speaker_head is not None:
                sent = next((s for s in finder.sentences if s.span.doc is f.speaker_head.doc), None)
                head = _tok_span(f.speaker_head, sent.offset) if sent is not None else None
            pronoun = f.speaker_head is not None and f.speaker_head.pos_ == "PRON" and \
                f.speaker_head.lower_.lstrip("-") in _PERSONAL.get(f.speaker_head.lang_, frozenset())
            ent = _entity_at(doc, f.speaker, head)
            if pronoun and (ent is None or ent.kind not in ("person", "group")):
                ent, f.refers_to = _focus(doc, finder, f, f.speaker[0])
            source = ent.id if ent is not None else None
        sources.append(source)
    for i, (f, source) in enumerate(zip(found, sources)):
        cue: dict[str, Any] = {"text": None, "span": None}
        if f.cue:
            cue = {"text": text[f.cue[0]:f.cue[1]], "span": list(f.cue)}
        if f.speaker is not None:
            cue["speaker"] = {"text": text[f.speaker[0]:f.speaker[1]], "span": list(f.speaker)}
            if f.refers_to is not None:
                cue["speaker"]["refers_to"] = {"text": text[f.refers_to[0]:f.refers_to[1]], "span": list(f.refers_to)}
        else:
            cue["speaker"] = None
        if f.channel is not None:
            cue["channel"] = {"text": text[f.channel[0]:f.channel[1]], "span": list(f.channel)}
        via = _via(doc, found, sources, i)
        out.append(Attribution(
            id=f"a{i + 1}", source=source, cue=cue,
            content={"text": text[f.content[0]:f.content[1]], "span": list(f.content)},
            direct=f.direct, via=via,
        ))
    return out


def _via(doc: Document, found: list[_Found], sources: list[str | None], i: int) -> str | None:
    """The channel a claim came through: an outlet it was told to, or an enclosing attribution
    (a post, "…, the AP reported") — as that channel's entity id when known, else its id."""
    f = found[i]
    if f.channel is not None:
        for ent in doc.entities:
            if any(s < f.channel[1] and f.channel[0] < e for s, e in ent.mentions):
                return ent.id
    anchor = f.cue[0] if f.cue is not None else f.content[0]
    outer = [j for j, g in enumerate(found) if j != i and g.content[0] <= anchor < g.content[1]
             and (g.content[1] - g.content[0]) > (f.content[1] - f.content[0])]
    if not outer:
        return None
    j = min(outer, key=lambda j: found[j].content[1] - found[j].content[0])
    return sources[j] or f"a{j + 1}"


class AttributionStage:
    name = "attribution"
    requires = ("segments", "parsed", "entities", "embedded_posts")
    assigns = ("attributions",)

    def __init__(self, settings: Settings) -> None:
        pass

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]:
        for doc in docs:
            yield replace(doc, attributions=tuple(find_attributions(doc)))


register_stage("attribution")(AttributionStage)
