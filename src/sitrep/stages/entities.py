"""Stage `entities`: who the text is about — countries, persons, organisations, anonymous sources.

Mentions come from four sources, in this order of trust: the shipped gazetteers (countries,
persons with their roles over time, organisations with their kind and country), title patterns read
from the text ("le président ukrainien Volodymyr Zelensky", "Secretary of Defense Lloyd Austin"),
spaCy's named entities (PER/PERSON, ORG), and anonymous-source patterns ("un haut responsable de
l'administration", "US officials"). Mentions are then merged into entities within the document:
surnames join full names, and a bare title ("le président russe") joins the person who holds it in
the document or, failing that, in the gazetteer at the publication date.

Titles are exposed by `title_spans(doc)` so that the places stage does not read "la Défense" in
"secrétaire à la Défense" as a place. What this stage must not do: geocode (places does that) or
decide who said what (attribution does).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from .. import lexicons
from ..countries import CountryMention, country_name, find_mentions, lookup, normalise, trie_regex
from ..models import Document, Entity, Segment, Span
from ..pipeline import DocumentStage, register_stage

__all__ = ["EntitiesStage", "title_spans", "find_titles", "Title", "PersonInfo", "persons", "OrgInfo"]

_LANGS = ("fr", "en")
_PER = {"PER", "PERSON"}
_ORG = {"ORG"}
_LOC = {"LOC", "GPE"}
# Name particles that may stand lower-case inside a person's name.
_PARTICLES = {"de", "du", "des", "von", "van", "der", "den", "bin", "ben", "al", "el", "da", "dos", "la", "le", "ibn"}
# "of" before a country form that completes an anonymous source ("un responsable du Pentagone")
_OF = {"fr": re.compile(r"\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*"), "en": re.compile(r"\s+(?:of|in|at)(?:\s+the)?\s+")}
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|as|ash|an)-", re.IGNORECASE)


# --------------------------------------------------------------------------- gazetteers


def _data_rows(name: str) -> list[list[str]]:
    text = resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class PersonInfo:
    """A person of the gazetteer: name variants and the roles held, with their months."""

    name: str
    variants: tuple[str, ...]
    roles: tuple[tuple[str | None, str, str, str], ...]  # (country, role, start, end) as YYYY-MM

    def role_at(self, date: str | None) -> tuple[str | None, str | None]:
        """(country, role) held at `date` ("YYYY-MM-DD"), else the most recent one."""
        if not self.roles:
            return None, None
        month = (date or "")[:7]
        held = [r for r in self.roles if month and (not r[2] or r[2] <= month) and (not r[3] or month <= r[3])]
        chosen = max(held or self.roles, key=lambda r: r[2] or "")
        return chosen[0], chosen[1]


@dataclass(frozen=True)
class OrgInfo:
    name: str
    kind: str
    country: str | None


@cache
def persons() -> dict[str, PersonInfo]:
    """The person gazetteer, by canonical name."""
    variants: dict[str, list[str]] = defaultdict(list)
    roles: dict[str, list[tuple[str | None, str, str, str]]] = defaultdict(list)
    for cells in _data_rows("persons.tsv"):
        cells += [""] * (6 - len(cells))
        name, country, role, start, end, names = (c.strip() for c in cells[:6])
        roles[name].append((country or None, role, start, end))
        for v in [name, *names.split("|")]:
            if v and v not in variants[name]:
                variants[name].append(v)
    return {n: PersonInfo(n, tuple(variants[n]), tuple(roles[n])) for n in variants}


@dataclass(frozen=True)
class _Gazetteer:
    """Surface forms → payloads, with one trie regex over the folded forms."""

    forms: dict[str, list[tuple[str, Any]]]  # folded → [(written form, payload)]
    pattern: re.Pattern[str]

    def find(self, text: str) -> Iterator[tuple[int, int, str, list[Any]]]:
        pos = 0
        while (m := self.pattern.search(text, pos)) is not None:
            surface = m.group()
            hits = [p for written, p in self.forms.get(normalise(surface), ()) if _cased_like(surface, written)]
            if hits:
                yield m.start(), m.end(), surface, hits
                pos = m.end()
            else:  # "the Washington Post": the longest form is miscased, a shorter one inside may not be
                pos = m.start() + 1


def _cased_like(surface: str, written: str) -> bool:
    """A match is written as the form is: acronyms in capitals, capitalised names capitalised."""
    letters = [c for c in written if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 6:
        return [c for c in surface if c.isalpha()] == letters or normalise(surface).upper() == normalise(written).upper() == surface
    return not written[:1].isupper() or surface[:1].isupper()


def _gazetteer(entries: list[tuple[str, Any]]) -> _Gazetteer:
    forms: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for written, payload in entries:
        key = normalise(written)
        if key and (written, payload) not in forms[key]:
            forms[key].append((written, payload))
    pattern = re.compile(r"(?<![\w@#])(?:" + trie_regex(forms) + r")(?![\w])", re.IGNORECASE)
    return _Gazetteer(dict(forms), pattern)


@cache
def _person_gazetteer() -> _Gazetteer:
    return _gazetteer([(v, p.name) for p in persons().values() for v in p.variants])


@cache
def _org_gazetteer(lang: str) -> _Gazetteer:
    entries = []
    for cells in _data_rows("organizations.tsv"):
        cells += [""] * (5 - len(cells))
        name, kind, country, lg, names = (c.strip() for c in cells[:5])
        if lg not in ("*", lang):
            continue
        info = OrgInfo(name, kind, country or None)
        entries += [(v, info) for v in [name, *names.split("|")] if v]
    return _gazetteer(entries)


# --------------------------------------------------------------------------- titles


@dataclass(frozen=True)
class Title:
    """A title in the text: its span (head and complement), canonical role and family, and the
    country an adjacent country form gives it ("le président *ukrainien*", "*Russian* President")."""

    start: int
    end: int
    role: str
    family: str
    country: str | None = None
    country_span: Span | None = None


@cache
def _titles(lang: str) -> tuple[dict[str, dict[str, tuple[str, str]]], re.Pattern[str], re.Pattern[str]]:
    """head → complement → (role, family); a head regex; an anchored complement regex."""
    table: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    written: dict[str, str] = {}
    for row in lexicons.table(lang, "entities_titles"):
        head, complement, role, family = (list(row) + ["", "", "", ""])[:4]
        table[normalise(head)][normalise(complement)] = (role, family or role)
        written.setdefault(normalise(head), head)
    heads = re.compile(r"(?<![\w])(?:" + trie_regex(table) + r")(?![\w])", re.IGNORECASE)
    complements = {c for by in table.values() for c in by if c}
    comp = re.compile(r"\s+(?:" + trie_regex(complements) + r")(?![\w])", re.IGNORECASE)
    return dict(table), heads, comp


@cache
def _title_heads(lang: str) -> frozenset[str]:
    return frozenset(_titles(lang)[0])


def _next_mention(mentions: dict[int, CountryMention], text: str, pos: int) -> CountryMention | None:
    m = re.match(r"\s*", text[pos:])
    return mentions.get(pos + (m.end() if m else 0))


def find_titles(text: str, lang: str, offset: int = 0,
                countries: Sequence[CountryMention] | None = None) -> list[Title]:
    """Titles in `text` (a segment starting at `offset` in the document)."""
    table, heads, comp = _titles(lang)
    countries = find_mentions(text, lang, offset) if countries is None else countries
    starts = {c.start - offset: c for c in countries if c.kind in ("adj", "name", "alt", "metonym")}
    ends = {c.end - offset: c for c in countries}
    out = []
    for m in heads.finditer(text):
        by_complement = table[normalise(m.group())]
        end, country = m.end(), None
        if lang == "fr":  # "ministre *russe* des Affaires étrangères", "président *ukrainien*"
            adj = _next_mention(starts, text, end)
            if adj is not None and adj.kind == "adj":
                country, end = adj, adj.end - offset
        c = comp.match(text, end)
        if c and normalise(c.group()) in by_complement:
            role, family = by_complement[normalise(c.group())]
            end = c.end()
        elif "" in by_complement:
            role, family = by_complement[""]
        else:
            continue
        if lang == "fr" and country is None:  # "le secrétaire à la Défense *américain*"
            adj = _next_mention(starts, text, end)
            if adj is not None and adj.kind == "adj":
                country, end = adj, adj.end - offset
        if lang == "fr" and country is None:  # "le porte-parole *du Kremlin*", "ministre ... *de la Russie*"
            of = _OF["fr"].match(text, end)
            named = _next_mention(starts, text, of.end()) if of else None
            if named is not None and named.kind in ("name", "alt", "metonym"):
                country, end = named, named.end - offset
        if lang == "en" and country is None:  # "*Russian* Foreign Minister", "the *Kremlin* spokesman"
            before = re.search(r"(\S+)\s+$", text[:m.start()])
            if before is not None:
                country = ends.get(before.end(1))
        start = m.start()
        span = (country.start, country.end) if country else None
        out.append(Title(start + offset, end + offset, role, family, country.iso3 if country else None, span))
    return out


def title_spans(doc: Document) -> list[Span]:
    """Spans of the titles of persons ("secrétaire à la Défense"): not places, whatever they hold."""
    spans = []
    for seg in doc.segments:
        if seg.supported and seg.language in _LANGS:
            text = doc.text[seg.span[0]:seg.span[1]]
            spans += [(t.start, t.end) for t in find_titles(text, seg.language, seg.span[0])]
    return spans


# --------------------------------------------------------------------------- anonymous sources


@dataclass(frozen=True)
class _AnonLexicon:
    det: dict[str, tuple[str, str]]  # folded → (number, flag)
    pre: dict[str, tuple[str, str]]
    head: dict[str, tuple[str, str]]
    heads: re.Pattern[str]
    mods: re.Pattern[str]
    mod: dict[str, tuple[str, str]]


@cache
def _anon(lang: str) -> _AnonLexicon:
    slots: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row in lexicons.table(lang, "entities_anonymous"):
        slot, form, number, flag = (list(row) + ["", "", "", ""])[:4]
        slots[slot][normalise(form)] = (number or "any", flag)
    heads = re.compile(r"(?<![\w])(?:" + trie_regex(slots["head"]) + r")(?![\w])", re.IGNORECASE)
    mods = re.compile(r"\s*(?:" + trie_regex(slots["mod"]) + r")(?![\w])", re.IGNORECASE)
    return _AnonLexicon(slots["det"], slots["pre"], slots["head"], heads, mods, slots["mod"])


# --------------------------------------------------------------------------- mentions


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    kind: str  # country|person|organization|group
    key: str  # what mentions of one entity share
    country: str | None = None
    role: str | None = None
    family: str | None = None
    org_kind: str | None = None
    anonymous: bool = False
    gazetteer: str | None = None  # canonical person name in the gazetteer
    single: bool = False  # a one-word name, kept only when something else supports it
    name_text: str = ""  # for anonymous sources: the phrase without its determiner


@dataclass
class _Segment:
    """One parsed segment and what was found in it."""

    seg: Segment
    offset: int
    text: str
    sdoc: Any
    lang: str
    countries: list[CountryMention] = field(default_factory=list)
    titles: list[Title] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    # spaCy's named entities, read once: Doc.ents builds new Span objects on every access.
    ner: list[tuple[int, int, str, str]] | None = None


@cache
def _context(lang: str, kind: str) -> frozenset[str]:
    return frozenset(row[1].lower() for row in lexicons.table(lang, "entities_context") if row[0] == kind and len(row) > 1)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _token_before(sdoc: Any, char: int) -> Any:
    """The token ending before character `char` of the segment, or None."""
    for tok in reversed(sdoc):  # segments are short; called only for risky forms
        if tok.idx + len(tok.text) <= char:
            return tok
    return None


def _token_at(sdoc: Any, char: int) -> Any:
    for tok in sdoc:
        if tok.idx >= char:
            return tok
    return None


def _title_case_sentence(tok: Any) -> bool:
    """Headlines in Title Case capitalise every word, so capitals there say nothing about names."""
    words = [t for t in tok.sent if t.is_alpha and not t.is_stop]
    return len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words)


def _capitalised_name_word(tok: Any, titles: set[str]) -> bool:
    return (tok is not None and tok.text[:1].isupper() and tok.is_alpha and not tok.is_sent_start
            and not tok.is_stop and tok.text.lower() not in titles)


class _Reader:
    """Reads the mentions of one document, then merges them into entities."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        by_offset = {seg.span[0]: seg for seg in doc.segments}
        self.segments = []
        for parsed in doc.parsed:
            seg = by_offset.get(parsed.offset)
            if seg is None or seg.language not in _LANGS or seg.kind == "boilerplate":
                continue
            text = doc.text[seg.span[0]:seg.span[1]]
            self.segments.append(_Segment(seg, parsed.offset, text, parsed.doc, seg.language))

    # -- per segment -------------------------------------------------------------------------

    def read(self) -> list[Entity]:
        for s in self.segments:
            s.countries = find_mentions(s.text, s.lang, s.offset)
            s.titles = find_titles(s.text, s.lang, s.offset, s.countries)
            self._orgs_and_persons(s)
            self._countries(s)
            self._anonymous(s)
        return self._entities()

    def _ents(self, s: _Segment, labels: set[str]) -> list[tuple[int, int, str]]:
        if s.ner is None:
            s.ner = [(s.offset + e.start_char, s.offset + e.end_char, s.text[e.start_char:e.end_char], e.label_)
                     for e in s.sdoc.ents]
        return [(start, end, text) for start, end, text, label in s.ner if label in labels]

    def _orgs_and_persons(self, s: _Segment) -> None:
        taken: list[tuple[int, int]] = []

        def free(span: tuple[int, int]) -> bool:
            return not any(_overlaps(span, t) for t in taken)

        def add(m: _Mention) -> None:
            s.mentions.append(m)
            taken.append((m.start, m.end))

        title_spans_ = [(t.start, t.end) for t in s.titles]
        for start, end, surface, infos in _org_gazetteer(s.lang).find(s.text):
            info: OrgInfo = infos[0]
            add(_Mention(start + s.offset, end + s.offset, surface, "organization", "org:" + info.name,
                         info.country, org_kind=info.kind))
        ner_per = self._ents(s, _PER)
        for start, end, surface, names in _person_gazetteer().find(s.text):
            span = (start + s.offset, end + s.offset)
            if not free(span) or any(_overlaps(span, t) for t in title_spans_):
                continue
            name = names[0]
            single = len(surface.split()) == 1
            add(_Mention(*span, surface, "person", "person:" + name, gazetteer=name, single=single))
        # A name right after a title: "le président russe Vladimir Poutine", "Secretary of Defense Lloyd Austin"
        for t in s.titles:
            span = self._name_after(s, t.end, ner_per)
            if span is not None and free(span):
                add(_Mention(*span, self.doc.text[span[0]:span[1]], "person", "name:" + self.doc.text[span[0]:span[1]]))
        for start, end, surface in ner_per:
            start, end = self._trim_name(s, start, end, title_spans_)
            if any(a <= start and end <= b for a, b in title_spans_):
                continue
            if end - start < 2 or not free((start, end)) or not self._looks_like_name(self.doc.text[start:end], s.lang):
                continue
            surface = self.doc.text[start:end]
            add(_Mention(start, end, surface, "person", "name:" + surface, single=len(surface.split()) == 1))
        # "Paris Hilton", "Jordan Bardella", "Denzel Washington": a country form that is also a
        # common name, inside a longer proper name, is that person's name.
        for c in s.countries:
            if c.weak and c.kind in ("name", "metonym") and free((c.start, c.end)):
                span = self._name_around(s, c)
                if span is not None and free(span):
                    surface = self.doc.text[span[0]:span[1]]
                    add(_Mention(*span, surface, "person", "name:" + surface))
        for start, end, surface in self._ents(s, _ORG):
            start, end = self._trim_name(s, start, end, title_spans_)
            if any(a <= start and end <= b for a, b in title_spans_):
                continue
            surface = self.doc.text[start:end]
            if end - start < 2 or not free((start, end)) or not surface[:1].isupper():
                continue
            if lookup(surface, s.lang) is not None or any(_overlaps((start, end), (c.start, c.end)) and c.end - c.start >= (end - start) // 2 for c in s.countries):
                continue  # the Kremlin, "Washington": the country stands for its government
            inner = [c for c in s.countries if c.start >= start and c.end <= end]
            add(_Mention(start, end, surface, "organization", "org:" + surface,
                         inner[0].iso3 if inner else None, org_kind=_org_kind(surface, s.lang)))
        # Roles from titles: before a name ("le secrétaire à la Défense, Lloyd Austin") or after it
        # in apposition ("Lloyd Austin, le secrétaire à la Défense").
        people = [m for m in s.mentions if m.kind == "person"]
        for t in s.titles:
            after = [p for p in people if 0 <= p.start - t.end <= 3 and re.fullmatch(r"[\s,]*", self.doc.text[t.end:p.start])]
            before = [p for p in people if 0 <= t.start - p.end <= 12
                      and re.fullmatch(r",\s*(?:(?:le|la|l'|l’|the|un|une|a|an)\s*)?", self.doc.text[p.end:t.start], re.IGNORECASE)]
            holder = (after or before or [None])[0]
            if holder is not None:
                holder.role, holder.family = holder.role or t.role, holder.family or t.family
                holder.country = holder.country or t.country
                holder.single = False  # a title vouches for a one-word name
            else:
                s.mentions.append(_Mention(t.start, t.end, self.doc.text[t.start:t.end], "person", "",
                                           t.country, t.role, t.family))  # resolved later

    def _name_after(self, s: _Segment, end: int, ner_per: list[tuple[int, int, str]]) -> tuple[int, int] | None:
        """The person name right after a title: capitalised words, maybe after a comma."""
        gap = re.match(r",?[ \u00a0]+", self.doc.text[end:s.seg.span[1]])
        if gap is None:
            return None
        start = end + gap.end()
        for a, b, _ in ner_per:
            if a == start:
                return a, b
        words = re.match(r"(?=[A-ZÀ-ÖØ-Þ])(?:(?:[A-ZÀ-ÖØ-Þ][\w’'\.-]*|(?:" + "|".join(_PARTICLES) + r")|(?:al|el)-\w+)[ \u00a0]?){1,5}",
                         self.doc.text[start:s.seg.span[1]])
        if words is None:
            return None
        tokens = words.group().split()
        while tokens and (tokens[-1].lower() in _PARTICLES or not tokens[-1][:1].isupper()):
            tokens.pop()
        if len(tokens) < 2:
            return None
        text = " ".join(tokens)
        return start, start + len(text)

    def _name_around(self, s: _Segment, c: CountryMention) -> tuple[int, int] | None:
        """The proper name a weak country form is part of: it and its capitalised neighbours."""
        tok = _token_at(s.sdoc, c.start - s.offset)
        if tok is None or _title_case_sentence(tok):
            return None
        titles = _title_heads(s.lang)
        first = last = tok
        while first.i > 0 and _capitalised_name_word(s.sdoc[first.i - 1], titles) and not first.is_sent_start:
            first = s.sdoc[first.i - 1]
        while last.i + 1 < len(s.sdoc) and _capitalised_name_word(s.sdoc[last.i + 1], titles):
            last = s.sdoc[last.i + 1]
        if first is last or last.i - first.i > 3:
            return None
        span = (s.offset + first.idx, s.offset + last.idx + len(last))
        if any(_overlaps(span, (o.start, o.end)) for o in s.countries if (o.start, o.end) != (c.start, c.end)):
            return None
        return span

    def _trim_name(self, s: _Segment, start: int, end: int, titles: list[tuple[int, int]]) -> tuple[int, int]:
        """Drop a title that NER took into a name ("Defense Lloyd Austin")."""
        for a, b in titles:
            if a <= start < b < end:
                start = b
        text = self.doc.text[start:end]
        lead = len(text) - len(text.lstrip(" ,"))
        possessive = re.search(r"['’]s?$", text)  # "Osama bin Laden's"
        return start + lead, end - (len(possessive.group()) if possessive else 0)

    @staticmethod
    def _looks_like_name(text: str, lang: str) -> bool:
        words = text.split()
        if not words or len(words) > 5 or any(ch.isdigit() for ch in text):
            return False
        if not all(w[:1].isupper() or w.lower() in _PARTICLES or _PARTICLE_PREFIX.match(w) for w in words):
            return False
        if any((f := lookup(w, lang)) is not None and f.kind == "adj" for w in words):
            return False  # "Bosnian Serbs": a people, not a person
        if len(words) == 1 and normalise(text) in _common_name_words(lang):
            return False  # "Interior" of "Interior Ministry"
        return lookup(text, lang) is None

    def _countries(self, s: _Segment) -> None:
        others = [(m.start, m.end) for m in s.mentions if m.kind in ("person", "organization") and m.key]
        titles = _title_heads(s.lang)
        per = self._ents(s, _PER)
        loc = self._ents(s, _LOC)
        locatives, articles = _context(s.lang, "locative"), _context(s.lang, "article")
        for c in s.countries:
            span = (c.start, c.end)
            if any(_overlaps(span, o) for o in others):
                continue  # "Israel Katz", "Radio France": part of a longer name
            if any(a <= c.start and c.end <= b and (a, b) != span for a, b, _ in per):
                continue  # NER reads "Paris Hilton" as one person
            if c.kind != "adj" and c.kind != "prefix":
                tok = _token_at(s.sdoc, c.start - s.offset)
                prev = _token_before(s.sdoc, c.start - s.offset)
                nxt = _token_at(s.sdoc, c.end - s.offset)
                prev_word = prev.text.lower() if prev is not None else ""
                if c.kind == "metonym" and prev_word in locatives:
                    continue  # "à Moscou": the city itself, a place
                if c.weak and tok is not None and not _title_case_sentence(tok):
                    near = [t for t in (prev, nxt) if t is not None and _capitalised_name_word(t, titles)
                            and not any(_overlaps((s.offset + t.idx, s.offset + t.idx + len(t)), (o.start, o.end)) for o in s.countries)]
                    if near:
                        continue  # "Jordan Bardella", "Denzel Washington"
                if c.weak == "?" and prev_word not in articles and not any(_overlaps(span, (a, b)) for a, b, _ in loc):
                    continue  # "Maurice a déclaré": the first name, not Mauritius
            s.mentions.append(_Mention(c.start, c.end, c.text, "country", "country:" + c.iso3, c.iso3))

    def _anonymous(self, s: _Segment) -> None:
        lex = _anon(s.lang)
        starts = {c.start - s.offset: c for c in s.countries}
        ends = {c.end - s.offset: c for c in s.countries}
        for m in lex.heads.finditer(s.text):
            number, flag = lex.head[normalise(m.group())]
            head_tok = _token_at(s.sdoc, m.start())
            start, end, country, gov, modified = m.start(), m.end(), None, False, False
            # Left: pre-head words and country forms ("a senior US defense official", "un haut responsable")
            det, det_end = None, start
            while True:
                before = re.search(r"([\w’'-]+(?:\s+[\w’'-]+)?)\s+$", s.text[:start])
                if before is None:
                    break
                two, one = before.group(1), before.group(1).split()[-1]
                one_start = before.end(1) - len(one)
                if normalise(two) in lex.pre or normalise(one) in lex.pre:
                    key = normalise(two) if normalise(two) in lex.pre else normalise(one)
                    gov = gov or lex.pre[key][1] == "gov"
                    start = before.start(1) if key == normalise(two) else one_start
                    modified = True
                    continue
                if before.end(1) in ends and ends[before.end(1)].kind != "prefix":
                    c = ends[before.end(1)]
                    country, start, modified = country or c.iso3, c.start - s.offset, True
                    continue
                d = re.search(r"(?:^|\s)(d[’']autres|d[’']|[\w]+)\s*$", s.text[:start])
                if d is not None and normalise(d.group(1)) in lex.det:
                    det = lex.det[normalise(d.group(1))]
                    det_end = start
                    start = d.start(1)
                break
            # Right: modifiers and country adjectives ("de l'administration", "américain", "militaires")
            while True:
                c = _next_mention(starts, s.text, end) if s.lang == "fr" else None  # "un responsable *américain*"
                if c is not None and c.kind == "adj":
                    country, end, modified = country or c.iso3, c.end - s.offset, True
                    continue
                of = _OF[s.lang].match(s.text, end)  # "un responsable du Pentagone", "de la Maison-Blanche"
                c = _next_mention(starts, s.text, of.end()) if of else None
                if c is not None and c.kind in ("name", "alt", "metonym"):
                    country, end, modified = country or c.iso3, c.end - s.offset, True
                    continue
                mod = lex.mods.match(s.text, end)
                if mod is not None:
                    gov = gov or lex.mod[normalise(mod.group())][1] == "gov"
                    end, modified = mod.end(), True
                    continue
                break
            if det is None and (number == "sg" or s.lang == "fr"):
                continue  # "official figures"; French sources always take a determiner
            if det is not None and det[1] == "def" and (number == "sg" or not modified):
                continue  # "le responsable", "the officials": someone named before
            if det is not None and "any" not in (det[0], number) and det[0] != number:
                continue
            if det is not None and det[1] == "sources_only" and not normalise(m.group()).startswith("source"):
                continue  # "l'envoi de conseillers militaires": a partitive, not a source
            if flag == "needs_mod" and not modified:
                continue
            if head_tok is not None and head_tok.pos_ in ("ADJ", "VERB"):
                continue  # "an official Syrian newspaper", "responsable de l'attaque"
            if re.match(r",?\s+[A-ZÀ-Ý][\w-]+\s+[A-ZÀ-Ý]", s.text[end:]):
                continue  # "un porte-parole du Kremlin, Dmitri Peskov": a title, not an anonymous source
            if country is None and gov:
                country = self._governing_country(s, m.start() + s.offset)
            surface = s.text[start:end]
            kind = "group" if number == "pl" or (det and det[0] == "pl") else "person"
            bare = s.text[det_end:end] if det else surface
            key = "anon:" + normalise(bare) + ":" + (country or "")
            s.mentions.append(_Mention(start + s.offset, end + s.offset, surface, kind, key, country,
                                       anonymous=True, name_text=bare))

    def _governing_country(self, s: _Segment, at: int) -> str | None:
        """The country whose government the sentence (else the paragraph) is about: the country
        that is the subject of the sentence, else the country most named in the segment."""
        named = [m for m in s.mentions if m.kind == "country" and m.key]
        sent = next((sp for sp in s.seg.sentences if sp[0] <= at < sp[1]), s.seg.span)
        for m in named:
            if sent[0] <= m.start < sent[1] and lookup(m.text, s.lang) and lookup(m.text, s.lang).kind != "adj":
                span = s.sdoc.char_span(m.start - s.offset, m.end - s.offset, alignment_mode="expand")
                if span is not None and span.root.dep_.startswith("nsubj"):
                    return m.country
        counts = Counter(m.country for m in named if (f := lookup(m.text, s.lang)) is not None and f.kind != "adj")
        if counts:
            best = counts.most_common()
            if len(best) == 1 or best[0][1] > best[1][1]:
                return best[0][0]
        return None

    # -- merging -----------------------------------------------------------------------------

    def _entities(self) -> list[Entity]:
        mentions = sorted((m for s in self.segments for m in s.mentions), key=lambda m: (m.start, m.end))
        people = [m for m in mentions if m.kind == "person" and m.key and not m.anonymous]
        full_keys = {m.key for m in people if not m.single}
        gaz_in_doc = {m.gazetteer for m in people if m.gazetteer and not m.single}
        # Surnames join full names: "Poutine" ↔ "Vladimir Poutine"
        by_last: dict[str, str] = {}
        for m in people:
            if not m.single:
                by_last.setdefault(normalise(m.text.split()[-1]), m.key)
        kept = []
        for m in mentions:
            if m.kind == "person" and m.key and m.single:
                joined = by_last.get(normalise(m.text))
                if m.gazetteer in gaz_in_doc:
                    m.key = "person:" + m.gazetteer
                elif joined is not None and joined != m.key:
                    m.key = joined
                elif not (m.gazetteer and self._ner_says_person(m)) and m.key not in full_keys and m.key.startswith("person:"):
                    continue  # a lone surname of the gazetteer ("Austin") with nothing to support it
            kept.append(m)
        mentions = kept
        # Names outside the gazetteer whose surname is a gazetteer person's join it too
        for m in mentions:
            if m.kind == "person" and m.key.startswith("name:"):
                hit = next(iter(_person_gazetteer().forms.get(normalise(m.text), ())), None)
                if hit is not None:
                    m.key, m.gazetteer = "person:" + hit[1], hit[1]
        # Bare titles join the person holding them: in the document first, then in the gazetteer
        for m in mentions:
            if m.kind == "person" and not m.key:
                m.key = self._holder(m, mentions) or ""
        groups: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            if m.key:
                groups[m.key].append(m)
        out = []
        n = 0
        for key, ms in groups.items():
            first = ms[0]
            if first.kind == "country":
                out.append(Entity(id=key, name=country_name(first.country or "", "en"), kind="country",
                                  country=first.country, aliases=_aliases(ms), mentions=tuple((m.start, m.end) for m in ms)))
                continue
            n += 1
            name, country, role = self._describe(key, ms)
            org_kind = next((m.org_kind for m in ms if m.org_kind), None)
            out.append(Entity(id=f"e{n}", name=name, kind=first.kind, country=country, role=role,
                              anonymous=first.anonymous, aliases=_aliases(ms),
                              mentions=tuple((m.start, m.end) for m in ms), org_kind=org_kind))
        return out

    def _ner_says_person(self, m: _Mention) -> bool:
        for s in self.segments:
            if s.offset <= m.start < s.seg.span[1]:
                return any(_overlaps((m.start, m.end), (a, b)) for a, b, _ in self._ents(s, _PER))
        return False

    def _holder(self, title: _Mention, mentions: list[_Mention]) -> str | None:
        if title.country is None or title.family is None:
            return None
        for m in mentions:
            if m.kind == "person" and m.key and m is not title:
                country, family = m.country, m.family
                if m.gazetteer and (country is None or family is None):
                    g_country, g_role = persons()[m.gazetteer].role_at(self.doc.published)
                    country, family = country or g_country, family or _family(g_role)
                if country == title.country and family == title.family:
                    return m.key
        holders = []
        for p in persons().values():
            country, role = p.role_at(self.doc.published)
            if country == title.country and _family(role) == title.family and self._in_office(p, self.doc.published):
                holders.append((max(r[2] for r in p.roles), p.name))
        return "person:" + max(holders)[1] if holders else None  # undated: the latest holder

    @staticmethod
    def _in_office(p: PersonInfo, date: str | None) -> bool:
        month = (date or "")[:7]
        return not month or any((not r[2] or r[2] <= month) and (not r[3] or month <= r[3]) for r in p.roles)

    def _describe(self, key: str, ms: list[_Mention]) -> tuple[str, str | None, str | None]:
        """Canonical name, country and role of one entity from its mentions and the gazetteer."""
        country = next((m.country for m in ms if m.country), None)
        role = next((m.role for m in ms if m.role), None)
        if key.startswith("person:"):
            g_country, g_role = persons()[key[7:]].role_at(self.doc.published)
            return key[7:], country or g_country, role or g_role
        if key.startswith("org:"):
            return key[4:], country, role
        if ms[0].anonymous:
            return ms[0].name_text, country, role
        named = [m for m in ms if m.kind == "person"]
        name = max((m.text for m in named), key=len) if named else ms[0].text
        return name, country, role


def _aliases(ms: list[_Mention]) -> tuple[str, ...]:
    seen: list[str] = []
    for m in ms:
        if m.text not in seen:
            seen.append(m.text)
    return tuple(seen)


@cache
def _families() -> dict[str, str]:
    return {row[2]: (row[3] if len(row) > 3 and row[3] else row[2])
            for lang in _LANGS for row in lexicons.table(lang, "entities_titles") if len(row) > 2}


def _family(role: str | None) -> str | None:
    return _families().get(role or "", role)


@cache
def _common_name_words(lang: str) -> frozenset[str]:
    """Words of titles and organisation kinds: capitalised in names, never a name on their own."""
    words = {w for row in lexicons.table(lang, "entities_titles") for cell in row[:2] for w in normalise(cell).split()}
    words |= {w for row in lexicons.table(lang, "entities_org_kinds") if len(row) > 1 for w in normalise(row[1]).split()}
    return frozenset(words)


@cache
def _org_kind_words(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = lexicons.table(lang, "entities_org_kinds")
    return tuple((re.compile(r"(?<![\w])" + re.escape(w) + r"(?![\w])", re.IGNORECASE), k) for k, w in rows)


def _org_kind(name: str, lang: str) -> str | None:
    """The kind of an organisation that is not in the gazetteer, from a word of its name."""
    for pattern, kind in _org_kind_words(lang):
        if pattern.search(name):
            return kind
    return None


class EntitiesStage(DocumentStage):
    name = "entities"
    requires = ("segments", "parsed")
    assigns = ("entities",)

    def annotate(self, doc: Document) -> Document:
        return replace(doc, entities=tuple(_Reader(doc).read()))


register_stage("entities")(EntitiesStage)
