"""Speakers to entities, for the `attribution` stage: the entity a speaker phrase names
(`_entity_at`, the one covering its head word first), what a pronoun refers to (`_focus`: the last
speaker it agrees with, else the last person named), and an entity for a speaker phrase that names
none (`_speaker_entity`: a definite description stands for an earlier organisation that fits its
head noun, per `attribution_speakers`, and a definite title — "le ministre", "the president" —
for the last person named with that title or role, `_titled_person`; any other phrase becomes a
new entity, anonymous when generic).

The names keep their leading underscore: they are the attribution stage's own, imported only by
the `attribution*` modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .. import lexicons
from ..countries import find_mentions
from ..models import Document, Entity, Span
from .attribution_cues import _lemma
from .attribution_finder import _Finder
from .attribution_spans import _WORD
from .attribution_verbs import _Found

__all__: list[str] = []


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


@cache
def _title_roles(lang: str) -> dict[str, frozenset[str]]:
    """Title head word -> the roles its titles give ("ministre" -> foreign minister, defence
    minister, …): the one-word heads of entities_titles, lower-cased."""
    roles: dict[str, set[str]] = {}
    for row in lexicons.table(lang, "entities_titles"):
        if len(row) > 2 and " " not in row[0]:
            roles.setdefault(row[0].lower(), set()).add(row[2].lower())
    return {k: frozenset(v) for k, v in roles.items()}


_TITLE_WINDOW = 80  # characters before a name where its title is read ("Le ministre de la Défense X")


def _titled_person(doc: Document, lang: str, word: str, before: int, country: str | None) -> Entity | None:
    """The person a definite title stands for ("the minister", "le président"): the last person
    named before `before` whose role is one the title gives, or who was introduced with that
    title just before one of their names — of `country` when the phrase names one ("le
    président russe"). None when the title is not one."""
    roles = _title_roles(lang).get(word)
    if roles is None:
        return None
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    best: tuple[int, Entity] | None = None
    for ent in doc.entities:
        if ent.kind != "person" or ent.anonymous or country is not None and ent.country != country:
            continue
        earlier = [(s, e) for s, e in ent.mentions if e <= before]
        if not earlier:
            continue
        fits = (ent.role or "").lower() in roles or any(
            pattern.search(doc.text[max(0, s - _TITLE_WINDOW):s]) for s, _ in earlier)
        last = max(s for s, _ in earlier)
        if fits and (best is None or last > best[0]):
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
    if det == "def" and head.pos_ == "NOUN" and "Plur" not in head.morph.get("Number"):
        named = next((m.iso3 for m in find_mentions(text, lang, speaker[0])), None)  # "le président russe"
        ent = _titled_person(doc, lang, head.lower_, speaker[0], named)
        if ent is not None:  # "le ministre a précisé …" after "le ministre de la Défense Sébastien Lecornu"
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
