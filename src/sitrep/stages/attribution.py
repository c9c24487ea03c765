"""Stage `attribution`: who says what, through whom — quotes and reported speech.

Works from the existing spaCy parse (no second pass over the text with a model) and from the
per-language lexicons `attribution_*` (reporting verbs and nouns, source markers such as
"selon"/"according to", channels such as agencies and platforms, time nouns, "auprès de"-type
origins, reporting phrases such as "faire état"). It finds:
- reported speech: a reporting verb with its clausal complement ("X affirme que …", "X said …"),
  in either order ("…, police said"), passive ("a été confirmé par X"), its infinitive
  ("a dit avoir …", "a accusé les médias d'utiliser …", "lui reprochent d'avoir …");
- incises, the reporting clause after what it reports with its subject after the verb (French
  inversion, English "said X"): "« … », a-t-elle précisé", "…, a expliqué à l'AFP le
  porte-parole", "…, a-t-on appris de source proche du dossier"; the content is the text before
  the incise, which holds up where the parser does not; "…, comme l'a indiqué X";
- a quote that a speech verb governs ("a dénoncé les « paroles tronquées »", "called it “a
  disaster”");
- direct quotes in « », “ ”, " " and ‘ ’, tied to the reporting verb of their sentence, to a
  colon introduction ("X : « … »"), or to the previous sentence (floating quotes "confirmé par
  … Lloyd Austin:" then the quote on its own line, and quotes that continue a speaker's words);
- source markers ("selon X", "d'après X", "de source policière", "according to X"), also with
  a relative ("selon ce qu'a constaté X", "l'ONU, d'après qui …") and credit lines ("« … » —
  Une citation de X"); set off by commas mid-sentence, a marker sources the whole sentence;
- reporting nouns with a clause ("l'annonce que …", "his claim that …");
- embedded posts: the post is its author's words, and claims reported inside it came through
  the post (`via`), as does a statement made "à CNN" / "to CNN" or sourced "selon l'AFP".

Speakers resolve to entities of `doc.entities` by span overlap; pronouns ("Il affirme") resolve
to the last speaker they agree with (gender and number in French; "he"/"she" a person, "it" not),
else to the person last named. A definite description that names no entity ("The agency said",
"le ministère a démenti") stands for the latest organisation whose name or kind fits its head
noun (`attribution_speakers`); any other speaker phrase with no entity becomes a new entity
("South Korea's spy agency", "a local resident" — anonymous when generic), so that `source` is
always an entity id when a speaker is named. The speaker's words stay in
`cue["speaker"]` = {text, span[, refers_to]}.
This module must not decide how certain a claim is: that is the `certainty` stage's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .. import lexicons
from ..countries import find_mentions
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
    "en": frozenset({"he", "she", "they", "him", "her", "them", "it"}),
}
# "it" speaks when it is the subject of an active reporting verb ("the company said it …, it
# added"); the dummy "it" of "it is believed that" never gets there (a passive without agent).
_IMPERSONAL = frozenset({"on", "-on", "t", "-t", "-t-on", "t-on"})
_SUBORDINATORS = frozenset({"où", "qui", "que", "qu", "dont", "si", "quand", "lorsque", "puisque", "parce",
                            "where", "who", "which", "that", "if", "when", "because", "whom"})
_COMPLEMENTIZERS = frozenset({"que", "qu'", "qu’", "that"})
_FIRST_PERSON = frozenset({"je", "j'", "j’", "nous", "i", "we"})
# Object clitics and negation that may stand between an incise's comma and its verb
# ("…, nous a expliqué X", "…, l'a confirmé X", "…, n'a pas caché X").
_PREVERBAL = frozenset({"me", "m'", "m’", "te", "t'", "t’", "se", "s'", "s’", "lui", "leur", "l'", "l’", "le", "la",
                        "les", "y", "en", "nous", "vous", "ne", "n'", "n’", "quant", "à"})
_CLOSERS = frozenset({"»", "”", '"', "’"})
# Marks that may open an incise: a comma, a closing quote, a dash or a closing bracket.
_INCISE_OPENERS = frozenset({",", "»", "”", '"', "—", "–", ")"})
_CLAUSE_BREAK = re.compile(r"[:;]\s|[.!?…]\s+(?=[«“\"A-ZÀ-ÖØ-Þ])")
_SENTENCE_END = re.compile(r"(?:[.!?…:;]\s*[»”\"]?\s*|\n\s*)$")
_CREDIT_GAP = re.compile(r"[\s—–-]*(?:(?:une|un|a|an)\s+)?", re.I)
_HYPHENATED = re.compile(r"(?:-\w+)+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class _Lexicon:
    verbs: frozenset[str]
    xcomp: frozenset[str]  # verbs whose infinitive/adjective complement is the content
    nouns: frozenset[str]
    markers: tuple[tuple[tuple[str, ...], str], ...]  # (lower-case words, kind), longest first
    not_sources: frozenset[str]
    media: frozenset[str]
    time_words: frozenset[str]  # bare time nouns that may stand between a verb and its subject
    present: frozenset[str]  # third-person present of the regular -er verbs ("précise", "raconte")
    participles: frozenset[str]  # their past participles ("tweeté", "précisé")
    accuse: frozenset[str]  # verbs whose object is blamed and whose infinitive says for what
    origins: tuple[tuple[tuple[str, ...], bool], ...]  # "auprès de", "de source": who told it
    phrases: frozenset[tuple[str, str]]  # (verb lemma, noun): "faire état (de)", "faire part (de)"


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
        time_words=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_time_words")),
        origins=tuple(sorted(((tuple(w for w in re.split(r"\s+|(?<=')", row[0].lower()) if w),
                               len(row) > 1 and row[1] == "noun")
                              for row in lexicons.table(lang, "attribution_origins")),
                             key=lambda o: -len(o[0]))),
        phrases=frozenset((row[0].lower(), row[1].lower()) for row in lexicons.table(lang, "attribution_phrases")
                          if len(row) > 1),
        accuse=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_accuse")),
        present=frozenset(v[:-2] + "e" for v in verbs if lang == "fr" and v.endswith("er")),
        participles=frozenset(v[:-2] + "é" for v in verbs if lang == "fr" and v.endswith("er")),
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
    # and a closing mark just after, opened inside ("que ses propos « refléteront … »")
    after = end
    while after < len(text) and text[after] in " \u00a0\u202f":
        after += 1
    if after < len(text) and any(c == text[after] and _unclosed(text[start:end], o, c) for o, c in _PAIRS.items()):
        end = after + 1
    return _trim(text, start, end)


_PAIRS = {"«": "»", "“": "”", '"': '"', "‘": "’"}


def _unclosed(inside: str, opener: str, closer: str) -> bool:
    if opener == closer:
        return inside.count(opener) % 2 == 1
    return inside.count(opener) > inside.count(closer)


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


def _speaker_np(head: Any, offset: int, text: str, after: int = -1) -> Span | None:
    """The speaker's noun phrase around `head`, without clauses that depend on it (nor, for a
    subject after its verb, anything at or before the verb at index `after`)."""
    toks = [t for t in _subtree_without(head, _SPEAKER_CUT) if t.i > after]
    span = _extent(toks, offset, text)
    if span is None:
        return None
    # a compound the tokenizer split at its hyphen ("l'état-major") stays whole
    hyphen = _HYPHENATED.match(text, span[1])
    if hyphen:
        span = (span[0], hyphen.end())
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
        if verb_lemma(tok, lex.verbs) is None and _phrase_noun(tok, lex) is None:
            return False
        forms = tok.morph.get("VerbForm")
        if "Inf" in forms and (tok.dep_ in ("acl", "amod") and tok.head.pos_ in ("NOUN", "PROPN") or (
                tok.i > 1 and tok.doc[tok.i - 1].lower_ == "à" and tok.doc[tok.i - 2].pos_ == "NOUN"
                and not any(True for _ in tok.children))):
            return False  # "machine à écrire", "un droit de réponse": the infinitive names a thing
        if "Part" in forms and tok.dep_ in ("acl", "amod") and "Past" in tok.morph.get("Tense") \
                and _agent(tok) is None and not any(c.dep_ in _AUX for c in tok.children):
            return False  # "une enquête, confiée à un juge": a participle describing a noun
        return True
    if tok.pos_ not in ("NOUN", "ADJ", "PROPN", "X") or tok.i == 0:
        return False
    low = tok.lower_
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    # the tagger sometimes reads a finite reporting verb as a noun: "le président … juge que …",
    # and in an incise as an adjective: "« … », raconte Joyce Kempt"
    if tok.pos_ in ("NOUN", "ADJ") and nxt is not None and nxt.lower_ in ("que", "qu'", "qu’"):
        return low in lex.present or low.rstrip("t") + "re" in lex.verbs
    if low in lex.present and tok.doc[tok.i - 1].text in _INCISE_OPENERS and nxt is not None \
            and nxt.pos_ in ("DET", "PROPN", "NOUN"):
        return True
    # "a-t-il tweeté": a participle after an inverted clitic, whatever the tagger made of it
    return low in lex.participles and _inverted_clitic(tok.doc[tok.i - 1])


def _phrase_noun(verb: Any, lex: _Lexicon) -> Any:
    """The noun of a reporting phrase right after its verb ("fait état", "a fait part"), or None."""
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and lex.phrases and (_lemma(verb), nxt.lower_) in lex.phrases:
        return nxt
    return None


def _is_passive(verb: Any) -> bool:
    # The French tagger marks many active participles Voice=Pass ("a-t-il expliqué"): a participle
    # with "avoir"/"have" is active whatever its tag says.
    # (auxiliaries stand just before their verb: one far away is a parse error)
    if any(c.dep_ in ("aux:pass", "auxpass") and verb.i - 4 <= c.i < verb.i for c in verb.children):
        return True
    if any(c.dep_ in _AUX and _lemma(c) in ("avoir", "have") and verb.i - 4 <= c.i < verb.i for c in verb.children):
        return False
    return "Pass" in verb.morph.get("Voice") or any(c.dep_ in ("nsubj:pass", "nsubjpass") for c in verb.children)


def _agent(verb: Any) -> Any:
    for child in verb.children:
        if child.dep_ == "obl:agent":
            return child
        if child.dep_ == "agent":  # English "by" phrase
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


_INVERTED = re.compile(r"^-(?:t-)?(il|elle|ils|elles|on)$", re.I)
_CLITIC_SUBJECTS = frozenset({"il", "elle", "ils", "elles", "on"})


def _inverted_clitic(t: Any) -> bool:
    """"-t-il", "-elle", or "elles" split from its hyphen ("ont-elles" → "ont", "-", "elles")."""
    if _INVERTED.match(t.text):
        return True
    return t.lower_ in _CLITIC_SUBJECTS and t.i > 0 and t.doc[t.i - 1].text in ("-", "-t-", "-t") \
        and t.doc[t.i - 1].idx + len(t.doc[t.i - 1].text) == t.idx


def _subject(verb: Any, lex: _Lexicon) -> Any:
    """The token naming who speaks through `verb`, or None."""
    if _is_passive(verb):
        return _agent(verb)
    # French inversion: "dit-elle", "souligne-t-il", "a-t-on annoncé" (the parse varies)
    clitic = _own_clitic(verb)
    if clitic is not None:
        return clitic
    for child in verb.children:
        if child.dep_ in ("nsubj", "expl:subj") and child.lower_.lstrip("-") not in ("t",):
            if child.tag_ in ("WP", "WDT") or "Rel" in child.morph.get("PronType"):
                # "X, qui a alerté …" / "X, who said …": the antecedent speaks
                return verb.head if verb.dep_ in ("acl:relcl", "relcl", "acl") else None
            return child
    if verb.dep_ == "conj":
        partner = _coordinated_report(verb, lex)
        if partner is not None:
            return _subject(partner, lex)
    if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        return _subject(verb.head, lex)
    return None


def _coordinated_report(verb: Any, lex: _Lexicon) -> Any:
    """The reporting verb that `verb`, a reporting verb without a subject of its own, is
    coordinated with, where the parser hung it inside the first one's clause: "X a assuré que
    ses propos « refléteront … » et a dénoncé les « paroles tronquées »" ("dénoncé" goes with
    "assuré", not with "refléteront"). Same auxiliary or same verb form on both."""
    if verb.dep_ != "conj" or not _is_reporting_verb(verb, lex) or any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    if not any(c.dep_ == "cc" for c in verb.children):
        return None

    def shape(v: Any) -> tuple[str, ...]:
        aux = tuple(_lemma(c) for c in v.children if c.dep_ in ("aux", "aux:tense"))
        return aux or (str(v.morph.get("VerbForm")), str(v.morph.get("Tense")))

    cur = verb.head
    for _ in range(4):
        if cur.i < verb.i and _is_reporting_verb(cur, lex) and shape(cur) == shape(verb):
            return cur
        if cur.head.i == cur.i or cur.dep_ not in ("ccomp", "conj", "xcomp", "parataxis", "advcl"):
            return None
        cur = cur.head
    return None


def _infinitive(tok: Any) -> bool:
    """An infinitive, simple or compound ("utiliser", "avoir divulgué")."""
    return "Inf" in tok.morph.get("VerbForm") or any(
        c.dep_ in _AUX and "Inf" in c.morph.get("VerbForm") for c in tok.children)


def _relative(clause: Any) -> bool:
    """A clause opened by a relative pronoun ("qui vit à …", "who lives …"), whatever its label."""
    left = clause.left_edge
    return ("Rel" in left.morph.get("PronType") or left.tag_ in ("WDT", "WP")) and left.lower_ not in _COMPLEMENTIZERS


def _finite_or_compound(verb: Any) -> bool:
    """A finite verb or a participle with its auxiliary ("précise", "a déclaré"), not a bare
    participle or infinitive ("ajoutant", "confirmé")."""
    forms = verb.morph.get("VerbForm")
    if "Fin" in forms or not forms:
        return True
    return "Part" in forms and any(c.dep_ in _AUX for c in verb.children)


def _incise_opener(verb: Any) -> tuple[Any, bool] | None:
    """The comma, closing quote or dash just before the verb group of an incise ("…, a-t-il
    ajouté", "…», nous a expliqué X", "…,\" said X"), when only auxiliaries, object clitics,
    inverted subject clitics and adverbs stand between; with whether an auxiliary stands there.
    The segmenter sometimes cuts "…, ont-elles ajouté" after "ont": the walk goes on across."""
    doc = verb.doc
    aux = False
    for i in range(verb.i - 1, max(0, verb.i - 8) - 1, -1):
        t = doc[i]
        if t.text in ("-", "-t-", "-t") and i + 1 < len(doc) and _inverted_clitic(doc[i + 1]):
            continue
        if t.is_punct:
            return (t, aux) if t.text in _INCISE_OPENERS else None
        if t.pos_ == "AUX" or (t.dep_ in _AUX and t.head.i == verb.i):
            aux = True
            continue
        if t.pos_ in ("ADV", "PART") or _inverted_clitic(t) or t.lower_ in _PREVERBAL:
            continue
        return None
    return None


def _skip_np(doc: Any, i: int, end: int, time_words: frozenset[str]) -> int:
    """The index after the noun phrase starting at `i`, with its "de …" complements."""
    while i < end and doc[i].pos_ in ("DET", "ADJ", "NUM", "ADV"):
        i += 1
    names = True
    if i < end and doc[i].pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X"):
        # "vers 14 heures Claire Deschamps": a name after a time noun is not its apposition
        names = not (doc[i].pos_ == "NOUN" and _lemma(doc[i]) in time_words)
        i += 1
    while i < end and (doc[i].pos_ in ("ADJ", "NUM") or (names and doc[i].pos_ == "PROPN")
                       or doc[i].dep_ in ("flat:name", "flat", "compound")):
        i += 1
    if i + 1 < end and doc[i].lower_ in ("de", "d'", "d’", "du", "des", "of") and doc[i + 1].pos_ != "VERB":
        return _skip_np(doc, i + 1, end, time_words)
    return i


def _own_clitic(verb: Any) -> Any:
    """The inverted subject clitic of `verb`: right after it ("dit-elle", "souligne-t-il") or
    between its auxiliary and it ("a-t-on appris", "ont-elles ajouté", "a-t-il toutefois dit")."""
    doc = verb.doc
    for i in range(verb.i + 1, min(len(doc), verb.i + 3)):
        if _inverted_clitic(doc[i]):
            return doc[i]
        if doc[i].text not in ("-", "-t", "-t-"):
            break
    for i in range(verb.i - 1, max(-1, verb.i - 6), -1):
        t = doc[i]
        if _inverted_clitic(t):
            return t
        if not (t.pos_ in ("ADV", "AUX") or t.text in ("-", "-t", "-t-") or t.dep_ in _AUX):
            break
    return None


def _asyndetic_series(verb: Any, before: list[Any]) -> bool:
    """Whether `verb` goes on a list of actions joined by commas, with the same auxiliary and no
    subject of their own ("ont bloqué la route, ont brûlé des pneus, ont lancé …"), which an
    incise's content never ends with ("a arrêté X et a saisi Y, a précisé le procureur" is one)."""
    aux = [_lemma(c) for c in verb.children if c.dep_ in _AUX and c.i < verb.i]
    if not aux:
        return False
    for t in before:
        if t.pos_ != "VERB" or any(c.dep_ in _SUBJECTS for c in t.children):
            continue
        own = [c for c in t.children if c.dep_ in _AUX and c.i < t.i]
        first = min([c.i for c in own] + [t.i])
        if [_lemma(c) for c in own] == aux and first > 0 and t.doc[first - 1].text == ",":
            return True
    return False


def _agree_in_number(verb: Any, subj: Any) -> bool:
    """Whether a noun after a verb can be its subject by number: "a salué les secouristes" (a
    singular auxiliary, a plural noun) cannot; "ont constaté des journalistes" can."""
    finite = next((c for c in verb.children if c.dep_ in _AUX and "Fin" in c.morph.get("VerbForm")), verb)
    have, want = finite.morph.get("Number"), subj.morph.get("Number")
    if subj.pos_ == "PROPN" or not have or not want:
        return True
    return have == want


def _series_follows(subj: Any) -> bool:
    """A noun phrase followed by "et"/"puis" and another verb: the verb before it was one of a
    series of actions ("a salué les secouristes et a visité un hôpital")."""
    doc = subj.doc
    i = subj.right_edge.i + 1
    if i + 1 < len(doc) and doc[i].lower_ in ("et", "puis", "and", "then"):
        nxt = doc[i + 1]
        return nxt.pos_ in ("AUX", "VERB") or (
            nxt.pos_ == "ADV" and i + 2 < len(doc) and doc[i + 2].pos_ in ("AUX", "VERB"))
    return False


def _np_start(head: Any) -> int:
    """The index where the noun phrase of `head` begins: its determiners, adjectives and the
    names or titles before it ("vers 18 heures la maire de Lyon" → "la", "said Mayor Anne
    Clark" → "Mayor")."""
    i = head.i
    below = {t.i for t in head.subtree}
    while i > 0 and i - 1 in below and head.doc[i - 1].dep_ in (
            "det", "amod", "nummod", "compound", "flat", "flat:name", "poss", "nmod:poss"):
        i -= 1
    return i


def _postverbal_subject(verb: Any, lex: _Lexicon) -> Any:
    """The subject set after its verb, French inversion chiefly: an inverted clitic ("a-t-elle
    précisé"), else the first noun phrase after the verb that no preposition introduces, past
    prepositional phrases, adverbs and bare time nouns ("a expliqué à l'AFP le porte-parole",
    "a raconté vers 14 heures Claire Deschamps", "a déclaré dimanche le préfet", "said Smith")."""
    doc = verb.doc
    end = verb.sent.end
    clitic = _own_clitic(verb)
    if clitic is not None:
        return clitic
    i = verb.i + 1
    while i < end:
        t = doc[i]
        if t.pos_ in ("ADV", "PART") or t.lower_ in ("ne", "n'", "n’", "pas"):
            i += 1
        elif t.pos_ == "ADP" or t.dep_ == "case":
            # "à l'AFP", "vers 14 heures", "dans un communiqué"
            i = max(i + 1, _skip_np(doc, i + 1, end, lex.time_words))
        elif t.text == "," and i + 1 < end and (doc[i + 1].pos_ in ("ADP", "ADV")):
            i += 1  # "a raconté, vers 14 heures, X"
        elif t.pos_ in ("DET", "NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"):
            j = i
            while j < end and doc[j].pos_ in ("DET", "ADJ", "NUM") and doc[j].dep_ != "nsubj":
                j += 1
            if j >= end or doc[j].pos_ not in ("NOUN", "PROPN", "PRON", "X", "NUM"):
                return None
            head = doc[j]
            if _lemma(head) in lex.time_words:
                i = max(j + 1, _skip_np(doc, i, end, lex.time_words))  # "a déclaré dimanche le préfet"
                continue
            if head.pos_ == "PRON" and (head.lower_ in _PREVERBAL or "Rel" in head.morph.get("PronType")):
                return None
            while head.dep_ in ("flat:name", "flat", "compound") and head.head.i > verb.i:
                head = head.head
            return head
        else:
            return None
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
            if self._first_person(tok):
                continue  # "je peux vous confirmer …" outside marks, "Rappelons que …": the writer's voice
            if self._as_clause(tok, sent, lex):
                continue
            chained: list[Quote] = []
            content_head, before = self._content_child(tok, lex, off)
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
            if content_head is None and sent.lang == "en":
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
                    chained = self._chained(q)
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
            if speaker_tok is not None and not _inverted_clitic(speaker_tok) and any(
                    q.inner[0] <= _tok_span(speaker_tok, off)[0] < q.inner[1] and not q.inner[0] <= cue[0] < q.inner[1]
                    for q in self.quotes):
                speaker_tok = None  # a "subject" inside someone's quoted words is a parse error
            if speaker_tok is None and before:
                speaker_tok = self._inverted_subject(tok, lex)
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
                speaker_tok = _postverbal_subject(tok, lex)
            speaker = None
            if speaker_tok is not None and speaker_tok.lower_.lstrip("-") not in _IMPERSONAL:
                speaker = _speaker_np(speaker_tok, off, self.text)
                if speaker is not None and content[0] <= speaker[0] < content[1]:
                    speaker = _tok_span(speaker_tok, off)
            elif speaker_tok is not None:
                speaker_tok, speaker = self._origin(tok, lex, off)
            else:
                speaker_tok = None
            channel = self._channel(tok, lex, off)
            self._add(_Found(content, direct, cue, speaker, speaker_tok, channel))
            for more in chained:
                self._add(_Found(more.inner, True, cue, speaker, speaker_tok, channel))

    def _trailing_report(self, verb: Any, sent: _Sentence, off: int) -> _Found | None:
        """"<clause>, South Korea's spy agency said (on Friday)." when the parser failed to make
        the name the verb's subject (an apposition, the verb an adverbial clause): read it from
        the token sequence — a comma, a noun phrase, the verb with no subject of its own, then only
        adverbials to the end of the sentence."""
        if any(c.dep_ in _SUBJECTS | {"dobj", "obj", "ccomp", "xcomp"} for c in verb.children) or verb.head.i >= verb.i:
            return None  # a subject or an object of its own ("his brother said nothing"): not a trailing report
        doc, start = verb.doc, sent.span.start
        comma = next((i for i in range(verb.i - 1, start, -1) if doc[i].text == ","), None)
        if comma is None or comma - start < 3 or verb.i - comma < 2 or verb.i - comma > 8:
            return None
        phrase = [doc[i] for i in range(comma + 1, verb.i)]
        if not all(t.pos_ in _TRAILING_NP_POS or t.lower_ == "of" for t in phrase) \
                or not any(t.pos_ in ("NOUN", "PROPN") for t in phrase):
            return None
        tail = [doc[i] for i in range(verb.i + 1, sent.span.end)]
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
            if any(m.dep_ == "mark" and m.lower_ in ("si", "s'", "s’", "whether") for m in child.children):
                continue  # "établir si …", "asked whether …": a question, not a claim
            if child.dep_ in ("ccomp", "xcomp") and child.i > tok.i:
                after = after or child
            elif child.dep_ in ("ccomp", "xcomp", "parataxis", "advcl") and child.i < tok.i \
                    and _inverted(child, tok) and (child.dep_ in ("ccomp", "xcomp") or _finite_or_compound(child)):
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
        speaker, speaker_tok = None, None
        if subj.lower_.lstrip("-") not in _IMPERSONAL:
            speaker_tok = subj
            speaker = _speaker_np(subj, off, self.text, after=_np_start(subj) - 1 if subj.i > verb.i else -1)
        else:
            speaker_tok, speaker = self._origin(verb, lex, off)
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


# Gender and number of French subject pronouns, for agreement with an antecedent noun.
_PRONOUN_FEATURES = {"il": ("Masc", "Sing"), "elle": ("Fem", "Sing"), "ils": ("Masc", "Plur"),
                     "elles": ("Fem", "Plur")}


def _agrees(pronoun: Any, head: Any, ent: Entity | None) -> bool:
    """Whether a previous speaker can be what `pronoun` refers to: "he"/"she" a person, "it"
    not one; French "elle"/"ils" agreeing in gender and number with a common-noun head
    ("la porte-parole … a-t-elle précisé", not "l'hebdomadaire")."""
    low = pronoun.lower_.lstrip("-").split("-")[-1]
    if low in ("he", "she"):
        return ent is None or ent.kind == "person"
    if low == "it":
        return ent is None or ent.kind != "person"
    features = _PRONOUN_FEATURES.get(low)
    if features is None or head is None or head.pos_ != "NOUN":
        return True
    gender, number = head.morph.get("Gender"), head.morph.get("Number")
    return (not gender or features[0] in gender) and (not number or features[1] in number)


def _focus(doc: Document, finder: _Finder, found: _Found, before: int) -> tuple[Entity | None, Span | None]:
    """What a pronoun speaker refers to: the last speaker before it that agrees with it, else the
    last person named ("it": the last speaker that is not a person)."""
    pronoun = found.speaker_head
    prev = [f for f in finder.found if f is not found and f.speaker is not None and f.speaker[1] <= before
            and f.refers_to is None and f.speaker_head is not None and f.speaker_head.pos_ != "PRON"
            and _agrees(pronoun, f.speaker_head, _entity_at(doc, f.speaker, None))]
    last_speaker = max(prev, key=lambda f: f.speaker[1]) if prev else None  # type: ignore[index]
    if pronoun.lower_ == "it":  # an organisation, a country, a document: never the last person
        return (_entity_at(doc, last_speaker.speaker, None), last_speaker.speaker) if last_speaker else (None, None)
    last_person: tuple[int, Entity | None, Span] | None = None
    for ent in doc.entities:
        if ent.kind != "person":
            continue
        for s, e in ent.mentions:
            if e <= before and (last_person is None or s > last_person[2][0]):
                last_person = (s, ent, (s, e))
    if not finder.doc.entities:  # no entities stage: persons from spaCy's labels
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


# -- speakers that name no entity ----------------------------------------------------------

@dataclass(frozen=True)
class _SpeakerNoun:
    kind: str  # organization|person
    name_words: frozenset[str]  # words of an earlier organisation's name it may stand for
    org_kinds: frozenset[str]


@dataclass(frozen=True)
class _SpeakerLexicon:
    det: dict[str, str]  # determiner -> def|indef
    nouns: dict[str, _SpeakerNoun]
    titles: frozenset[str]  # one-word titles (entities_titles): a person's
    generic: frozenset[str]  # heads of anonymous sources (entities_anonymous): nobody named


@cache
def _speakers(lang: str) -> _SpeakerLexicon:
    det: dict[str, str] = {}
    nouns: dict[str, _SpeakerNoun] = {}
    for row in lexicons.table(lang, "attribution_speakers"):
        if row[0] == "det" and len(row) > 2:
            det[row[1].lower()] = row[2]
        elif row[0] == "noun" and len(row) > 2:
            words = row[3].split() if len(row) > 3 and row[3] != "-" else []
            kinds = row[4].split() if len(row) > 4 and row[4] != "-" else []
            nouns[row[1].lower()] = _SpeakerNoun(row[2], frozenset(w.lower() for w in words), frozenset(kinds))
    titles = frozenset(row[0].lower() for row in lexicons.table(lang, "entities_titles") if row and " " not in row[0])
    generic = frozenset(row[1].lower() for row in lexicons.table(lang, "entities_anonymous")
                        if len(row) > 1 and row[0] == "head" and (len(row) < 4 or row[3] != "needs_mod"))
    return _SpeakerLexicon(det, nouns, titles, generic)


_WORD = re.compile(r"[\w-]+")
# spaCy labels of a named speaker -> entity kind (English and French label sets)
_LABEL_KIND = {"PERSON": "person", "PER": "person", "ORG": "organization", "NORP": "group"}


def _determiner(head: Any, lex: _SpeakerLexicon) -> str | None:
    """"def" for "the agency" / "l'agence", "indef" for "a resident" / "des témoins", else None."""
    for child in head.children:
        if child.dep_ in ("det", "det:poss") and child.i < head.i:
            kind = lex.det.get(child.lower_.replace("’", "'"))
            if kind is not None:
                return kind
    return None


def _antecedent(doc: Document, noun: _SpeakerNoun, before: int) -> Entity | None:
    """The most recent organisation named before `before` that a definite description with this
    head noun can stand for: one whose name holds one of the noun's name words, or of a fitting
    org kind ("the agency" -> "National Intelligence Service")."""
    best: tuple[int, Entity] | None = None
    for ent in doc.entities:
        if ent.kind not in ("organization", "group"):
            continue
        names = [ent.name, *ent.aliases]
        fits = (ent.org_kind is not None and ent.org_kind in noun.org_kinds) or any(
            w.lower() in noun.name_words for n in names for w in _WORD.findall(n))
        if not fits:
            continue
        last = max((s for s, e in ent.mentions if e <= before), default=None)
        if last is not None and (best is None or last > best[0]):
            best = (last, ent)
    return best[1] if best else None


def _speaker_entity(doc: Document, speaker: Span, head: Any, head_span: Span | None) -> tuple[Document, Entity | None]:
    """The entity of a speaker phrase that names none: an earlier organisation that a definite
    description stands for ("The agency said …"), else a new entity for the phrase ("South
    Korea's spy agency", "a local resident" — anonymous when generic). Pronouns are left alone."""
    if head is None or head.pos_ not in ("NOUN", "PROPN"):
        return doc, None
    lang = head.lang_ if head.lang_ in ("fr", "en") else "en"
    lex = _speakers(lang)
    lemma = _lemma(head)
    noun = lex.nouns.get(lemma) or lex.nouns.get(head.lower_)
    det = _determiner(head, lex)
    text = doc.text[speaker[0]:speaker[1]]
    if det == "def" and noun is not None and noun.kind == "organization" and head.pos_ == "NOUN":
        ent = _antecedent(doc, noun, speaker[0])
        if ent is not None:
            updated = replace(ent, mentions=tuple(sorted({*ent.mentions, speaker})))
            return replace(doc, entities=tuple(updated if e is ent else e for e in doc.entities)), updated
    # A new entity: its kind from spaCy's label, else from the head noun and its number
    label = head.ent_type_ or None
    if label is None and head.pos_ == "PROPN":  # "Joyce Kempt du bureau …": a name in the phrase
        label = next((t.ent_type_ for t in head.subtree if t.ent_type_ in ("PER", "PERSON")), None)
    plural = "Plur" in head.morph.get("Number")
    if label in _LABEL_KIND:
        kind = _LABEL_KIND[label]
    elif noun is not None:
        kind = "group" if noun.kind == "person" and plural else noun.kind
    elif lemma in lex.titles or head.lower_ in lex.titles:
        kind = "group" if plural else "person"  # "le procureur", "the ministers"
    elif head.pos_ == "PROPN":
        kind = "organization"
    else:
        # A common noun that names no speaker kind we know ("juillet 2017", "premier bilan"):
        # most often a parse error; an entity made of it would only mislead.
        return doc, None
    has_name = head.pos_ == "PROPN" or label in _LABEL_KIND
    # Unnamed people are anonymous when generic: "a resident", "des témoins", "the residents",
    # "la même source" — not "le ministre", someone the article names elsewhere.
    anonymous = not has_name and kind in ("person", "group") and (
        det == "indef" or plural or lemma in lex.generic or head.lower_ in lex.generic)
    mentions = find_mentions(text, lang, speaker[0])
    country = next((m.iso3 for m in mentions), None)
    name = text
    first = _WORD.match(name)
    if det is not None and first is not None and first.group().lower().replace("’", "'") in lex.det:
        name = name[first.end():].lstrip(" '’")  # "the agency" -> "agency"
    elif det is not None and re.match(r"(?i)l['’]", name):
        name = name[2:]
    key = name.lower()
    for ent in doc.entities:
        if ent.id.startswith("e") and ent.name.lower() == key and ent.kind == kind and ent.country == country:
            updated = replace(ent, mentions=tuple(sorted({*ent.mentions, speaker})))
            return replace(doc, entities=tuple(updated if e is ent else e for e in doc.entities)), updated
    taken = [int(e.id[1:]) for e in doc.entities if re.fullmatch(r"e\d+", e.id)]
    ent = Entity(id=f"e{max(taken, default=0) + 1}", name=name, kind=kind, country=country,
                 anonymous=anonymous, mentions=(speaker,))
    return replace(doc, entities=(*doc.entities, ent)), ent


def find_attributions(doc: Document) -> list[Attribution]:
    return list(_find_attributions(doc)[0])


def _find_attributions(doc: Document) -> tuple[list[Attribution], Document]:
    finder = _Finder(doc)
    found = finder.run()
    text = doc.text
    out: list[Attribution] = []
    sources: list[str | None] = [None] * len(found)
    # Named speakers first, in text order, so that a definite description finds the latest
    # antecedent and a pronoun afterwards finds the entity its antecedent speaker became.
    order = sorted((i for i, f in enumerate(found) if f.speaker is not None),
                   key=lambda i: found[i].speaker[0])  # type: ignore[index]
    pronouns: list[tuple[int, Span | None]] = []
    for i in order:
        f = found[i]
        assert f.speaker is not None
        head = None
        if f.speaker_head is not None:
            sent = next((s for s in finder.sentences if s.span.doc is f.speaker_head.doc), None)
            head = _tok_span(f.speaker_head, sent.offset) if sent is not None else None
        pronoun = f.speaker_head is not None and f.speaker_head.pos_ == "PRON" and \
            f.speaker_head.lower_.split("-")[-1] in _PERSONAL.get(f.speaker_head.lang_, frozenset())
        if pronoun:
            pronouns.append((i, head))
            continue
        ent = _entity_at(doc, f.speaker, head)
        if ent is None:
            doc, ent = _speaker_entity(doc, f.speaker, f.speaker_head, head)
        sources[i] = ent.id if ent is not None else None
    for i, head in pronouns:
        f = found[i]
        assert f.speaker is not None
        ent = _entity_at(doc, f.speaker, head)
        if ent is None or ent.kind not in ("person", "group"):
            ent, f.refers_to = _focus(doc, finder, f, f.speaker[0])
        sources[i] = ent.id if ent is not None else None
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
    return out, doc


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
    assigns = ("attributions", "entities")

    def __init__(self, settings: Settings) -> None:
        pass

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]:
        for doc in docs:
            attributions, doc = _find_attributions(doc)
            yield replace(doc, attributions=tuple(attributions))


register_stage("attribution")(AttributionStage)
