"""Cues of attribution, for the `attribution` stage: the per-language lexicon (`attribution_*`
files: reporting verbs and nouns, source markers, channels, origins, reporting phrases such as
"faire état") and the test of whether a token is a reporting verb (`_is_reporting_verb`), with the
French verbs the model mis-lemmatised (`verb_lemma`, which `certainty` uses too). The passive, its
agent and the inverted subject clitics ("a-t-il") are read here as well: they decide whether a
verb says who reports.

The other names keep their leading underscore: they are the attribution stage's own, imported
only by the `attribution*` modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import lexicons

__all__ = ["verb_lemma"]


_AUX = frozenset({"aux", "aux:tense", "aux:pass", "auxpass", "aux:caus", "cop"})
# Marks that may open an incise: a comma, a closing quote, a dash or a closing bracket.
_INCISE_OPENERS = frozenset({",", "»", "”", '"', "—", "–", ")"})


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
    directive: frozenset[str]  # verbs of request and order: their infinitive is what is asked
    addressee: frozenset[str]  # verbs whose direct object is who is told ("told reporters: …")
    learning: frozenset[str]  # verbs whose subject heard it: the teller is "auprès de X" ("a appris")
    relays: frozenset[str]  # participles of passing words on: "selon des propos rapportés par X"
    quoting: frozenset[str]  # "X quoted Y as saying …": Y speaks, X relays
    document_verbs: frozenset[str]  # verbs that report with a written text as subject ("reads")
    documents: frozenset[str]  # written texts that can be that subject ("statement", "letter")
    origins: tuple[tuple[tuple[str, ...], bool], ...]  # "auprès de", "de source": who told it
    phrases: frozenset[tuple[str, str]]  # (verb lemma, noun): "faire état (de)", "faire part (de)"


@cache
def _lexicon(lang: str) -> _Lexicon:
    markers = []
    for row in lexicons.table(lang, "attribution_markers"):
        words = tuple(w for w in re.split(r"\s+|(?<=')", row[0].lower()) if w)
        markers.append((words, row[1] if len(row) > 1 else "source"))
    markers.sort(key=lambda m: -len(m[0]))
    directive = frozenset(v.lower() for v in lexicons.lines(lang, "attribution_directive"))
    verbs = frozenset(v.lower() for v in lexicons.lines(lang, "attribution_verbs")) | directive
    return _Lexicon(
        verbs=verbs,
        xcomp=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_xcomp")) | directive,
        directive=directive,
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
        addressee=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_addressee")),
        learning=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_learning")),
        relays=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_relays")),
        quoting=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_quoting")),
        document_verbs=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_document_verbs")),
        documents=frozenset(v.lower() for v in lexicons.lines(lang, "attribution_documents")),
        present=frozenset(v[:-2] + "e" for v in verbs if lang == "fr" and v.endswith("er")),
        participles=frozenset(v[:-2] + "é" for v in verbs if lang == "fr" and v.endswith("er")),
    )


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


def _document_reads(tok: Any, lex: _Lexicon) -> bool:
    """"“…,” reads the statement", "the letter reads: …": a verb that reports only when a written
    text is its subject (lexicons attribution_document_verbs, attribution_documents)."""
    if _lemma(tok) not in lex.document_verbs:
        return False
    return any(c.dep_ in ("nsubj", "nsubj:pass") and _lemma(c) in lex.documents for c in tok.children)


def _is_reporting_verb(tok: Any, lex: _Lexicon) -> bool:
    if tok.dep_ in _AUX:
        return False
    if tok.ent_iob_ == "I" and tok.text[:1].isupper():
        return False  # "Port Said", "Cap Dit": a capitalised word that goes on a name
    if tok.pos_ in ("VERB", "AUX"):
        if verb_lemma(tok, lex.verbs) is None and _phrase_noun(tok, lex) is None \
                and not _document_reads(tok, lex):
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
