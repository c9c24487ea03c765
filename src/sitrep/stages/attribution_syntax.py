"""The clause around a reporting cue in the parse, for the `attribution` stage: the subject of a
reporting verb (before it, inverted after it — "a-t-elle précisé", "a déclaré dimanche le
préfet" — or through a coordination), where a speaker's noun phrase begins and ends, whether the
verb stands in an incise after what it reports, and the series of actions that an incise's
content never ends with.

Parse reading only: which spans become attributions is the finder's decision
(`attribution_verbs`, `attribution_finder`). The names keep their leading underscore: they are
the attribution stage's own, imported only by the `attribution*` modules.
"""

from __future__ import annotations

import re
from typing import Any

from ..models import Span
from .attribution_cues import (
    _AUX, _INCISE_OPENERS, _Lexicon, _agent, _inverted_clitic, _is_passive, _is_reporting_verb, _lemma,
)
from .attribution_spans import _extent

__all__: list[str] = []


_SUBJECTS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj"})
# Clausal dependents cut out of a speaker's noun phrase ("Zelensky, qui a alerté …").
_SPEAKER_CUT = frozenset({"acl:relcl", "relcl", "acl", "advcl", "ccomp", "parataxis", "dep", "appos:clause"})
_COMPLEMENTIZERS = frozenset({"que", "qu'", "qu’", "that"})
# Object clitics and negation that may stand between an incise's comma and its verb
# ("…, nous a expliqué X", "…, l'a confirmé X", "…, n'a pas caché X").
_PREVERBAL = frozenset({"me", "m'", "m’", "te", "t'", "t’", "se", "s'", "s’", "lui", "leur", "l'", "l’", "le", "la",
                        "les", "y", "en", "nous", "vous", "ne", "n'", "n’", "quant", "à"})
_HYPHENATED = re.compile(r"(?:-\w+)+")


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


def _subject(verb: Any, lex: _Lexicon) -> Any:
    """The token naming who speaks through `verb`, or None."""
    if _is_passive(verb):
        return _agent(verb)
    # French inversion: "dit-elle", "souligne-t-il", "a-t-on annoncé" (the parse varies)
    clitic = _own_clitic(verb)
    if clitic is not None:
        return clitic
    # the verb's own subject first, then one the parser hung on its auxiliary ("La police a
    # quant à elle précisé": "police" on "a", "elle" on "précisé")
    children = [*verb.children, *(g for c in verb.children if c.dep_ in _AUX for g in c.children)]
    for child in children:
        if child.dep_ in ("nsubj", "expl:subj") and child.lower_.lstrip("-") not in ("t",) and not _topic(child):
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


def _topic(tok: Any) -> bool:
    """The pronoun of "quant à elle", "quant à lui" read as a subject: it takes up the subject to
    set it against another one, and is never the subject itself."""
    doc = tok.doc
    return tok.pos_ == "PRON" and tok.i >= 2 and doc[tok.i - 2].lower_ == "quant" \
        and doc[tok.i - 1].lower_ in ("à", "a")


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
    while i < end and (doc[i].pos_ in ("ADJ", "NUM") or (names and doc[i].pos_ == "PROPN" and not _new_name(doc[i]))
                       or doc[i].dep_ in ("flat:name", "flat", "compound")):
        i += 1
    if i + 1 < end and doc[i].lower_ in ("de", "d'", "d’", "du", "des", "of") and doc[i + 1].pos_ != "VERB":
        return _skip_np(doc, i + 1, end, time_words)
    return i


def _new_name(tok: Any) -> bool:
    """A name set after another name with no comma, which the parser hung on it as an apposition:
    a title takes a name after it ("le ministre Paul Martin"), a name does not, so it begins the
    next noun phrase — the inverted subject after an addressee ("a déclaré à l'AFP Paul Martin")."""
    return tok.dep_ == "appos" and tok.head.pos_ == "PROPN" and tok.head.i == tok.i - 1


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
                # "confirme un autre", "dit un troisième": a determiner and an adjective used as a noun
                last = doc[j - 1]
                if j - 1 > i and doc[i].pos_ == "DET" and last.pos_ == "ADJ" and last.head.i == verb.i \
                        and last.dep_ in ("obj", "dobj", "nsubj", "appos"):
                    return last
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
