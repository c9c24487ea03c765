"""Stage `places`: place mentions, geocoded to GeoNames entries with coordinates and precision.

Candidates come from four sources, in this order of trust: the shipped region names ("la bande de
Gaza", "mer Noire", "Donbass"), country forms (countries.py: "en Russie", "le territoire russe",
"Moscou"), spaCy's LOC/GPE entities, and runs of capitalised proper nouns that the gazetteer knows.
Each candidate is looked up in the gazetteer (gazetteer.py) and, when a name has several entries
(Paris FR / Paris TX, Tripoli LBY / LBN, Georgia the country / the US state), the entry is chosen by
population and by the document's context: its countries (from the entities stage), the countries and
US states mentioned in the same sentence, the neighbours of those countries.

Forms around a name change what it names: a compass word makes a region ("Russie orientale",
"eastern Ukraine", "le nord de la Syrie" → eastern Russia …, precision region), a region word makes
a city's region ("la région de Koursk", "the Kharkiv oblast"), a country adjective with a territory
or capital noun makes a place ("le territoire russe" → Russia, "la capitale ukrainienne" → Kyiv).

What this stage must not report: countries and capitals named as actors ("La Corée du Nord a
déployé…", "Moscou a annoncé…": a country, or a capital that countries.py knows stands for its
government, is a place only in a locative context, "en Russie", "to Russia", "sur le territoire
russe", "à Moscou"), names inside persons' names, organisations and titles ("Paris
Hilton", "Jordan Bardella", "Lloyd Austin", "secrétaire à la Défense" — titles come from the
entities stage).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .. import gazetteer, lexicons
from ..gazetteer import GeoEntry
from ..models import Document, Place, Span
from ..pipeline import DocumentStage, register_stage

__all__ = ["PlacesStage"]

_NER_PLACE = frozenset({"LOC", "GPE", "FAC"})
_NER_BLOCK = frozenset({"PER", "PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT"})
_BLOCKING_KINDS = frozenset({"person", "organization", "group"})


@dataclass(frozen=True)
class _Lexicon:
    locative: re.Pattern[str]  # matches the end of the text before a locative name
    territory_before: re.Pattern[str]  # "le territoire " + adjective, "le territoire de la " + name
    territory_after: re.Pattern[str]  # adjective + " territory"
    capital_before: re.Pattern[str]
    capital_after: re.Pattern[str]
    cardinal_before: re.Pattern[str]  # "eastern ", "le nord de la "
    cardinal_after: re.Pattern[str]  # " orientale"
    directions: dict[str, str]
    region_before: re.Pattern[str]  # "la région de " + city
    region_after: re.Pattern[str]  # city + " region"
    region_words: dict[str, str]
    articles: re.Pattern[str]
    not_places: frozenset[str]  # folded: days, months, common words that are also town names
    street_before: re.Pattern[str]  # "place de la " + name: a street, not the place
    street_after: re.Pattern[str]  # name + " Avenue"


def _alt(words: Sequence[str]) -> str:
    """An alternation of phrases, longest first, tolerant of spacing, hyphens and apostrophes."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        body = re.escape(w).replace("'", "['’]").replace(r"\ ", r"\s+").replace(r"\-", r"[\-\s]?")
        out.append(body)
    return "|".join(out) or r"(?!x)x"


@cache
def _lexicon(lang: str) -> _Lexicon:
    articles = [a for a in lexicons.lines(lang, "places_articles")]
    art = rf"(?:(?:{_alt(articles)})(?:\s+|(?<=['’])))?"
    loc = lexicons.table(lang, "places_locative")
    with_art = [r[0] for r in loc if len(r) > 1 and r[1] == "yes"]
    bare = [r[0] for r in loc if len(r) < 2 or r[1] != "yes"]
    cardinals = lexicons.table(lang, "places_cardinals")
    directions = {r[0].lower(): r[1] for r in cardinals if r[2] != "connector"}
    connectors = _alt([r[0] for r in cardinals if r[2] == "connector"])
    nouns = _alt([r[0] for r in cardinals if r[2] == "noun"])
    territory = _alt(lexicons.lines(lang, "places_territory"))
    capital = _alt(lexicons.lines(lang, "places_capital"))
    regions = lexicons.table(lang, "places_region_words")
    streets = lexicons.table(lang, "places_streets")
    b = r"(?<![\w])"
    return _Lexicon(
        locative=re.compile(rf"{b}(?:(?:{_alt(with_art)})\s+{art}|(?:{_alt(bare)})\s+)$", re.I),
        territory_before=re.compile(rf"{b}(?:{territory})\s+(?:(?:{connectors})\s*)?$", re.I),
        territory_after=re.compile(rf"^\s+(?:{territory})(?![\w])", re.I),
        capital_before=re.compile(rf"{b}(?:{capital})\s+$", re.I),
        capital_after=re.compile(rf"^\s+(?:{capital})(?![\w])", re.I),
        cardinal_before=re.compile(
            rf"{b}(?:(?P<adj>{_alt([r[0] for r in cardinals if r[2] == 'before'])})\s+{art}"
            rf"|(?:{_alt(articles)})(?:\s+|(?<=['’]))(?P<noun>{nouns})\s+(?:{connectors})\s*{art})$", re.I),
        cardinal_after=re.compile(rf"^\s+(?P<adj>{_alt([r[0] for r in cardinals if r[2] == 'after'])})(?![\w])", re.I),
        directions=directions,
        region_before=re.compile(rf"{b}(?P<w>{_alt([r[0] for r in regions if r[1] == 'before'])})\s*{art}$", re.I),
        region_after=re.compile(rf"^\s+(?P<w>{_alt([r[0] for r in regions if r[1] == 'after'])})(?![\w])", re.I),
        region_words={_norm(r[0]): r[2] for r in regions},
        articles=re.compile(rf"^(?:{_alt(articles)})(?:\s+|(?<=['’]))", re.I),
        street_before=re.compile(
            rf"{b}(?:{_alt([r[0] for r in streets if r[1] == 'before'])})\s+(?:(?:{connectors})\s*)?{art}$", re.I),
        street_after=re.compile(rf"^\s+(?:{_alt([r[0] for r in streets if r[1] == 'after'])})(?![\w])"),
        not_places=frozenset(gazetteer.fold(w) for w in [*lexicons.lines(lang, "places_not_places"),
                                                         *(r[0] for r in lexicons.table(lang, "months"))]),
    )


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


@cache
def _region_pattern() -> tuple[re.Pattern[str], frozenset[str]]:
    """The shipped region names, for a scan of the text (many are lower-case: "mer Noire"), and
    the forms as written (a match must be written so, or capitalised at a sentence start)."""
    forms = gazetteer.region_forms()
    # Not inside a hyphenated name: "Bretagne" in "Grande-Bretagne" is no region.
    return re.compile(rf"(?<![\w\-])(?:{_alt(forms)})(?![\w\-])", re.I), frozenset(forms)


@dataclass
class _Candidate:
    start: int  # segment-relative span of the name
    end: int
    entries: tuple[GeoEntry, ...]
    origin: str  # region|country|adjective|metonym|ner|propn
    iso3: str | None = None  # the country a country form names
    weak: str = ""  # countries.py: "~" also a person's or place's name, "?" mostly not a country


@dataclass
class _Resolved:
    start: int
    end: int
    entry: GeoEntry


class _Context:
    """What the document says about where it is: its countries (entities, country names), the US
    states it names, and the places it names unambiguously."""

    def __init__(self, doc: Document, mentions: list[Any]) -> None:
        # Capitals and seats of power are left out: "Tripoli" or "Paris" must not vote for
        # themselves; nor do adjectives in the sentence ("the Russian army shelled Donetsk").
        metonyms = {(m.start, m.end) for m in mentions if m.kind == "metonym"}
        self.names = [(m.start, m.iso3) for m in mentions if m.kind in ("name", "alt")]
        votes: list[tuple[int, str, float]] = []  # (document offset or -1, country, weight)
        for e in doc.entities:
            if e.kind == "country" and e.country:
                votes += [(span[0], e.country, 1.0) for span in e.mentions if tuple(span) not in metonyms]
            elif e.country:
                votes.append((-1, e.country, 0.5))  # a person's or organisation's country
        if not doc.entities:
            votes = [(m.start, m.iso3, 1.0) for m in mentions if m.kind in ("name", "alt", "adj")]
        self.counts: Counter[str] = Counter()
        for _, iso3, weight in votes:
            self.counts[iso3] += weight  # type: ignore[assignment]
        self.at: dict[int, tuple[str, float]] = {at: (iso3, w) for at, iso3, w in votes if at >= 0}
        self.states: list[tuple[int, str]] = []  # (document offset, admin1) of US state names
        self.admin1: set[str] = set()  # US states of the cities named unambiguously
        self._update()

    def _update(self) -> None:
        self.total = sum(self.counts.values())
        self.neighbours = frozenset(n for c in self.counts for n in gazetteer.neighbours(c))

    def learn(self, entries: Sequence[GeoEntry]) -> None:
        """Places named unambiguously are context for the others ("Atlanta" → Georgia, US)."""
        for e in entries:
            if e.country:
                self.counts[e.country] += 1
            if e.kind == "city" and e.country == "USA" and e.admin1:
                self.admin1.add(e.admin1)
        self._update()

    def score(self, e: GeoEntry, sentence: Span, at: int) -> float:
        """How likely `e` is what the name at document offset `at` names."""
        s = math.log10(e.population + 10)
        s += {"curated": 2.0, "exonym": 2.0, "name": 1.0}.get(e.source, 0.0)
        if e.kind == "country":
            s += 2.0
        elif e.kind == "region" and e.source == "curated":
            s += 10.0  # a shipped region beats the city or country form it shares a name with
        capital = gazetteer.capital_of(e.country) if e.kind == "city" and e.country else None
        if capital is not None and capital.geonames_id == e.geonames_id:
            s += 1.0  # national capitals are named far more often than their namesakes
        if not e.country:
            return s
        # The name itself does not vote ("Georgia" read as a country by the entities stage).
        own, weight = self.at.get(at, ("", 0.0))
        count = self.counts.get(e.country, 0) - (weight if own == e.country else 0)
        # Country context moves small places less than regions: a US article still means Paris,
        # France; the prior (+2) keeps a thin context (one organisation's country) from deciding.
        share = count / (self.total - weight + 2)
        s += (2.0 if e.kind == "city" else 3.0) * share
        if e.country in self.neighbours:
            s += 0.5
        if any(sentence[0] <= where < sentence[1] and where != at and iso3 == e.country for where, iso3 in self.names):
            s += 2.0
        if e.kind == "city" and e.country == "USA":
            for where, admin1 in self.states:
                if admin1 == e.admin1:
                    s += 5.0 if sentence[0] <= where < sentence[1] else 3.0
                    break
        if e.kind == "state" and e.admin1 in self.admin1:
            s += 3.0
        return s


def _title_spans(doc: Document) -> list[Span]:
    try:
        from .entities import title_spans
    except ImportError:  # the entities stage is optional for this function
        return []
    return title_spans(doc)


def _country_mentions(text: str, lang: str, offset: int) -> list[Any]:
    try:
        from ..countries import find_mentions
    except ImportError:  # pragma: no cover - countries.py ships with the package
        return []
    return find_mentions(text, lang, offset)


class PlacesStage(DocumentStage):
    name = "places"
    requires = ("segments", "parsed", "entities")
    assigns = ("places",)

    def annotate(self, doc: Document) -> Document:
        return replace(doc, places=tuple(_places(doc)))


@cache
def _languages() -> frozenset[str]:
    return frozenset(lexicons.languages())


def _places(doc: Document) -> Iterator[Place]:
    parsed = [p for p in doc.parsed if p.doc.lang_ in _languages()]
    segments = [(p.doc, p.offset, p.doc.lang_) for p in parsed]
    texts = {id(p.doc): doc.text[p.offset:p.end] for p in parsed}
    mentions = {id(sdoc): _country_mentions(texts[id(sdoc)], lang, offset) for sdoc, offset, lang in segments}
    context = _Context(doc, [m for ms in mentions.values() for m in ms])
    titles = _title_spans(doc)
    others = [tuple(span) for e in doc.entities if e.kind in _BLOCKING_KINDS for span in e.mentions]
    # Words of persons' full names anywhere in the document: "Wayne" alone later is Reggie Wayne
    # (a one-word "person" is as often a town the parser misread).
    person_words = frozenset(
        gazetteer.fold(tok.text) for sdoc, _, _ in segments for ent in sdoc.ents
        if ent.label_ in ("PER", "PERSON") and len(ent) > 1 for tok in ent if tok.is_title
    ) | frozenset(gazetteer.fold(w) for e in doc.entities if e.kind == "person" and " " in e.name
                  for w in e.name.split() if w[:1].isupper())
    found: list[tuple[str, int, str, Span, _Candidate]] = []
    for sdoc, offset, lang in segments:
        text = texts[id(sdoc)]
        local = [(s - offset, e - offset) for s, e in titles if s < offset + len(text) and e > offset]
        names = [(s - offset, e - offset, "PER") for s, e in others if s < offset + len(text) and e > offset]
        sentences = [(offset + s.start_char, offset + s.end_char) for s in sdoc.sents]
        for cand in _candidates(sdoc, text, lang, mentions[id(sdoc)], offset, local, names, person_words):
            at = offset + cand.start
            sentence = next((s for s in sentences if s[0] <= at < s[1]), (offset, offset + len(text)))
            found.append((text, offset, lang, sentence, cand))
            surface = gazetteer.fold(text[cand.start:cand.end])
            context.states += [(at, e.admin1) for e in cand.entries
                               if e.kind == "state" and e.admin1 and gazetteer.fold(e.name) == surface]
    # Two passes: what the first resolves without doubt is context for the second.
    # Bare capitalised words are too weak to teach anything ("Dar" is a town in Cambodia).
    context.learn([c.entries[0] for *_, c in found if len(c.entries) == 1 and c.origin not in ("adjective", "propn")])
    count = 0
    for text, offset, lang, sentence, cand in found:
        resolved = _resolve(text, lang, cand, context, sentence, offset)
        if resolved is None:
            continue
        count += 1
        e = resolved.entry
        span = (offset + resolved.start, offset + resolved.end)
        yield Place(id=f"p{count}", text=doc.text[span[0]:span[1]], span=span, name=e.name, country=e.country,
                    geonames_id=e.geonames_id, lat=e.lat, lon=e.lon, precision=e.precision)


def _candidates(sdoc: Any, text: str, lang: str, mentions: list[Any], offset: int,
                titles: list[Span], names: list[tuple[int, int, str]],
                person_words: frozenset[str]) -> list[_Candidate]:
    """Place name candidates of one segment, without overlaps, most trusted first. `titles` are
    never places; `names` (persons and organisations of the entities stage) are checked like the
    parser's own person and organisation entities."""
    taken: list[Span] = list(titles)
    out: list[_Candidate] = []
    ents = [(e.start_char, e.end_char, e.label_) for e in sdoc.ents] + names

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(cand: _Candidate) -> None:
        if not cand.entries or not free(cand.start, cand.end) or _inside_other_name(text, lang, cand, ents):
            return
        taken.append((cand.start, cand.end))
        out.append(cand)

    pattern, written = _region_pattern()
    for m in pattern.finditer(text):
        surface = m.group()
        if surface in written or surface[0].isupper():
            add(_Candidate(m.start(), m.end(), gazetteer.lookup(surface), "region"))
    for m in mentions:
        start, end = m.start - offset, m.end - offset
        if m.kind in ("name", "alt"):
            entries = gazetteer.lookup(m.text) or tuple(filter(None, [gazetteer.country_entry(m.iso3)]))
            add(_Candidate(start, end, entries, "country", m.iso3, m.weak))
        elif m.kind == "adj":
            add(_Candidate(start, end, tuple(filter(None, [gazetteer.country_entry(m.iso3)])), "adjective", m.iso3))
        elif m.kind == "metonym":  # a capital ("Moscou"), or a namesake elsewhere ("Paris, Texas")
            cities = tuple(e for e in gazetteer.lookup(m.text) if e.kind == "city")
            if any(e.country == m.iso3 for e in cities):
                add(_Candidate(start, end, cities, "metonym", m.iso3, m.weak))
    lex = _lexicon(lang)
    for start, end, label in ents:
        if label in _NER_PLACE:
            start += _article_length(text[start:end], lang)
            if _parser_name_ok(text, start, end, lex, person_words, locative_needed=False):
                add(_Candidate(start, end, _plausible(text[start:end]), "ner"))
    starts = {t.idx for t in sdoc if t.is_sent_start}
    for start, end in _proper_runs(sdoc):
        entries = tuple(e for e in _plausible(text[start:end]) if e.source != "alternate")
        if start in starts:  # a capitalised first word may be a common word: "Mission accomplished"
            entries = tuple(e for e in entries if e.population >= 100_000 or e.source in ("exonym", "curated"))
        if _parser_name_ok(text, start, end, lex, person_words, locative_needed=True):
            add(_Candidate(start, end, entries, "propn"))
    return sorted(out, key=lambda c: c.start)


def _plausible(name: str) -> tuple[GeoEntry, ...]:
    """Gazetteer entries for a name the parser found; very short names ("Mo.", "La") only by their
    own name, never through an alternate name."""
    entries = gazetteer.lookup(name)
    if len(gazetteer.fold(name).replace(" ", "")) <= 3:
        entries = tuple(e for e in entries if e.source != "alternate")
    return entries


def _parser_name_ok(text: str, start: int, end: int, lex: _Lexicon, person_words: frozenset[str],
                    locative_needed: bool) -> bool:
    """A name found by the parser is no day, month or common word, and no person's name used
    elsewhere in the document ("Wayne" after "Reggie Wayne") unless it stands in a locative context."""
    key = gazetteer.fold(text[start:end])
    if key in lex.not_places:
        return False
    if lex.street_before.search(text[max(0, start - 30):start]) or lex.street_after.match(text[end:end + 15]):
        return False
    if key in person_words:
        return bool(lex.locative.search(text[max(0, start - 30):start])) and not locative_needed
    return True


def _article_length(name: str, lang: str) -> int:
    m = _lexicon(lang).articles.match(name)
    return m.end() if m and m.end() < len(name) else 0


def _proper_runs(sdoc: Any) -> Iterator[Span]:
    """Maximal runs of capitalised proper nouns ("Nova Kakhovka"), as character spans."""
    run: list[Any] = []
    for tok in sdoc:
        if tok.pos_ == "PROPN" and tok.is_alpha and tok.text[:1].isupper():
            run.append(tok)
            continue
        if run:
            yield run[0].idx, run[-1].idx + len(run[-1])
        run = []
    if run:
        yield run[0].idx, run[-1].idx + len(run[-1])


def _inside_other_name(text: str, lang: str, cand: _Candidate, ents: list[tuple[int, int, str]]) -> bool:
    """Is the name part of a person's or organisation's name ("Paris Hilton", "Lloyd Austin",
    "Université de Paris")? A person or organisation that is exactly the name is believed only
    outside a locative context and when the name is no curated place name: the parser takes
    "Zaporijjia" for a person."""
    if cand.origin == "adjective":  # nationality adjectives are NORP entities by nature
        return False
    for start, end, label in ents:
        if label not in _NER_BLOCK or not (start <= cand.start and cand.end <= end):
            continue
        if (start, end) != (cand.start, cand.end):
            return True
        curated = any(e.source in ("exonym", "curated") for e in cand.entries)
        if not curated and not _lexicon(lang).locative.search(text[max(0, start - 30):start]):
            return True
    # A form that is also a first or last name, glued to another capitalised word, is part of a
    # person's name the parser missed ("Jordan Bardella", "Georgia Meloni").
    if cand.weak:
        glued = re.match(r" [A-Z][\w\-]+", text[cand.end:cand.end + 40]) or re.search(
            r"[A-Z][\w\-]+ $", text[max(0, cand.start - 40):cand.start])
        if glued is not None and not gazetteer.lookup(glued.group().strip()):
            return True
    return False


def _resolve(text: str, lang: str, cand: _Candidate, context: _Context, sentence: Span,
             offset: int) -> _Resolved | None:
    """Choose the entry and widen the span for compass, region and territory words; None when the
    mention is not a place (a country or capital named as an actor)."""
    lex = _lexicon(lang)
    before, after = text[max(0, cand.start - 40):cand.start], text[cand.end:cand.end + 30]
    start, end = cand.start, cand.end
    if cand.origin == "adjective":  # "le territoire russe", "Russian territory", "la capitale ukrainienne"
        m = lex.territory_before.search(before)
        n = lex.territory_after.match(after)
        if m or n:
            entry = cand.entries[0]
            return _Resolved(start - (len(before) - m.start()) if m else start, end + (n.end() if n else 0), entry)
        m = lex.capital_before.search(before)
        n = lex.capital_after.match(after)
        capital = gazetteer.capital_of(cand.iso3 or "")
        if (m or n) and capital is not None:
            return _Resolved(start - (len(before) - m.start()) if m else start, end + (n.end() if n else 0), capital)
        return None
    at = offset + cand.start
    entry = max(cand.entries, key=lambda e: context.score(e, sentence, at))
    if cand.origin == "propn" and entry.kind == "city" and entry.population < 50_000 \
            and entry.source not in ("exonym", "curated") and not context.counts.get(entry.country or ""):
        return None  # a small town far from the story is more likely a word the parser capitalised
    # A compass word makes a region of a country, state, continent or region.
    if entry.kind in ("country", "state", "continent", "region") and entry.precision != "city":
        m = lex.cardinal_before.search(before)
        n = lex.cardinal_after.match(after)
        if m or n:
            word = (m.group("adj") or m.group("noun")) if m else n.group("adj")  # type: ignore[union-attr]
            direction = lex.directions.get(_norm(word).replace(" ", "-")) or lex.directions.get(_norm(word))
            if direction:
                if m:  # the record starts at the compass word: "nord de la Syrie", "eastern Ukraine"
                    start -= len(before) - m.start("adj" if m.group("adj") else "noun")
                else:
                    end += n.end()  # type: ignore[union-attr]
                return _Resolved(start, end, gazetteer.cardinal_of(entry, direction))
    # A region word makes a city's region: "la région de Koursk", "the Kharkiv oblast".
    if entry.kind == "city":
        m = lex.region_before.search(before)
        n = lex.region_after.match(after)
        if m or n:
            word = lex.region_words.get(_norm((m or n).group("w")))  # type: ignore[union-attr]
            if word:
                if m:
                    start -= len(before) - m.start()
                else:
                    end += n.end()  # type: ignore[union-attr]
                return _Resolved(start, end, gazetteer.region_of(entry, word))
    locative = bool(lex.locative.search(before) or lex.territory_before.search(before))
    if entry.kind == "country" and not locative:
        return None  # "La Corée du Nord a déployé…": an actor, not a location
    if cand.origin == "metonym" and entry.country == cand.iso3 and not locative:
        return None  # "Moscou a annoncé…", "Pyongyang, désireux de…": capitals stand for governments
    return _Resolved(start, end, entry)


register_stage("places")(PlacesStage)
