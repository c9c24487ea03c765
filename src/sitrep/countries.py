"""Countries and territories as data: ISO-3166 codes and every surface form that names them.

What it is for: turning "nord-coréennes", "les États-Unis", "North Korean", "Moscou" or "le Kremlin"
into ISO-3166 alpha-3 codes, for every UN member state, the two observer states and the common
territories, in French and English. The forms live in `data/countries.tsv` (names, official forms,
adjectives and demonyms, metonyms: capitals and seats of power); French adjectives are given in the
masculine singular and their regular feminine and plural forms are generated here.

Matching is one compiled regex per language, built as a trie over accent- and case-folded forms,
so a text is scanned once whatever the number of forms. What this module must not do: decide from
context. It reports how risky a form is (`weak`) and the stages that hold a parse decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = [
    "CountryInfo", "CountryForm", "CountryMention", "country_table", "country_of", "country_name",
    "mention_pattern", "find_mentions", "lookup", "normalise", "trie_regex", "LANGUAGES",
]

LANGUAGES = ("en", "fr")
_COLUMNS = {"en": (3, 4, 5, 6), "fr": (7, 8, 9, 10)}  # name, alternatives, adjectives, metonyms
_KINDS = ("name", "alt", "adj", "metonym")
# Risk of a form, from the data file prefix: "" safe, "~" also a person/place name, "?" mostly not a country.
_WEAK_PREFIXES = "~?"


@dataclass(frozen=True)
class CountryForm:
    """One surface form: what it names, what kind of form it is, how it must be written."""

    text: str
    iso3: str | None  # None: a blocking phrase ("Amérique latine") that contains a country form
    kind: str  # name|alt|adj|metonym|prefix|block
    weak: str = ""  # "" | "~" | "?"

    @property
    def acronym(self) -> bool:
        """Acronyms ("US", "RDC") match only in capitals: "us" is a pronoun."""
        letters = [c for c in self.text if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5

    @property
    def proper(self) -> bool:
        """Names, metonyms and English adjectives are capitalised; French adjectives are not."""
        return self.kind != "adj"


@dataclass(frozen=True)
class CountryInfo:
    iso3: str
    iso2: str
    status: str  # un|observer|territory
    names: Mapping[str, str]  # lang -> canonical name
    forms: Mapping[str, tuple[CountryForm, ...]] = field(default_factory=dict)  # lang -> forms

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class CountryMention:
    start: int
    end: int
    text: str
    iso3: str
    kind: str
    weak: str = ""


def normalise(text: str) -> str:
    """Fold case, accents, apostrophes and separators, so that forms compare as keys."""
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("ʼ", "'")
    return re.sub(r"[\s\-\u2010\u2011\u2013]+", " ", text).strip()


def _fr_adjective_forms(masculine: str) -> list[str]:
    """m/f/mp/fp of a French adjective of nationality: given in full when irregular ("grec/grecque/…")."""
    if "/" in masculine:
        return masculine.split("/")
    m = masculine
    if m.endswith("e"):
        return [m, m + "s"]
    if m.endswith(("s", "x", "z")):
        return [m, m + "e", m + "es"]
    if m.endswith(("en", "on")):  # ukrainien → ukrainienne, letton → lettonne
        return [m, m + "ne", m + "s", m + "nes"]
    return [m, m + "e", m + "s", m + "es"]


def _en_adjective_forms(word: str) -> list[str]:
    """An English adjective or demonym, and the plural of the demonym where it takes -s."""
    if word.endswith(("ese", "ish", "ch", "ss", "s", "x", "z", "y")) or not word[-1].isalpha():
        return [word]
    return [word, word + "s"]


def _split(cell: str) -> list[str]:
    return [f.strip() for f in cell.split("|") if f.strip()] if cell else []


def _form(text: str, iso3: str | None, kind: str) -> CountryForm:
    weak = text[0] if text[0] in _WEAK_PREFIXES else ""
    return CountryForm(text[len(weak):], iso3, kind, weak)


def _data_lines(name: str) -> Iterable[list[str]]:
    path = resources.files("sitrep").joinpath("data", name)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@cache
def _rows() -> tuple[tuple[CountryInfo, ...], tuple[CountryForm, ...]]:
    infos: list[CountryInfo] = []
    blocks: list[CountryForm] = []
    for cells in _data_lines("countries.tsv"):
        cells = cells + [""] * (11 - len(cells))
        iso3 = None if cells[0] == "-" else cells[0]
        forms: dict[str, list[CountryForm]] = {}
        for lang, cols in _COLUMNS.items():
            out = forms.setdefault(lang, [])
            for kind, col in zip(_KINDS, cols):
                for raw in _split(cells[col]):
                    if kind == "adj":
                        weak = raw[0] if raw[0] in _WEAK_PREFIXES else ""
                        expand = _fr_adjective_forms if lang == "fr" else _en_adjective_forms
                        out.extend(CountryForm(f, iso3, kind, weak) for f in expand(raw[len(weak):]))
                    else:
                        out.append(_form(raw, iso3, kind))
        if iso3 is None:  # a row of blocking phrases
            blocks.extend(_with_kind(f, "block") for fs in forms.values() for f in fs)
            continue
        infos.append(CountryInfo(
            iso3=iso3, iso2=cells[1], status=cells[2],
            names={lang: cells[cols[0]].lstrip(_WEAK_PREFIXES) for lang, cols in _COLUMNS.items()},
            forms={lang: tuple(fs) for lang, fs in forms.items()},
        ))
    return tuple(infos), tuple(blocks)


def _with_kind(form: CountryForm, kind: str) -> CountryForm:
    return CountryForm(form.text, form.iso3, kind, form.weak)


@cache
def country_table() -> dict[str, CountryInfo]:
    """Every country and territory, by ISO-3166 alpha-3."""
    return {info.iso3: info for info in _rows()[0]}


@cache
def _index(lang: str) -> dict[str, CountryForm]:
    """Folded form → form, for one language. Blocking phrases are indexed too (iso3 None)."""
    index: dict[str, CountryForm] = {}
    forms = [f for info in _rows()[0] for f in info.forms.get(lang, ())]
    forms += [f for f in _rows()[1] if f.text]
    for form in forms:
        key = normalise(form.text)
        old = index.get(key)
        if old is None:
            index[key] = form
        elif old.iso3 == form.iso3 and old.kind == "adj" == form.kind:
            pass
        elif old.iso3 == form.iso3 and form.kind == "adj":
            # "suisse" is the name and the adjective: a lower-case match is then fine.
            index[key] = CountryForm(old.text, old.iso3, "adj", min(old.weak, form.weak))
    return index


@cache
def _prefixes(lang: str) -> dict[str, str]:
    return {normalise(p): iso3 for lg, p, iso3 in _data_lines("country_prefixes.tsv") if lg == lang}


# Folded character → the characters it stands for in running text (with re.IGNORECASE).
_CHAR_CLASS = {
    "a": "aàâäáãåă", "e": "eéèêë", "i": "iîïíì", "o": "oôöóòõø", "u": "uùûüú", "c": "cç",
    "n": "nñ", "y": "yÿý", "s": "sșş", "t": "tțţ", "z": "zž", "r": "rř",
}


def _char_re(c: str) -> str:
    if c == " ":
        return r"[\s\-\u2010\u2011]+"
    if c == "'":
        return "['’ʼ]"
    if c in _CHAR_CLASS:
        return "[" + _CHAR_CLASS[c] + "]"
    return re.escape(c)


def trie_regex(keys: Iterable[str]) -> str:
    """One regex for many keys, factored as a trie: matching costs one pass, longest key first."""
    trie: dict = {}
    for key in keys:
        node = trie
        for c in key:
            node = node.setdefault(c, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        alts = [_char_re(c) + emit(child) for c, child in sorted(node.items()) if c != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)


@cache
def mention_pattern(lang: str) -> re.Pattern[str]:
    """A compiled regex of every country form of `lang`; group 'form' or 'prefix' tells which.

    Matches are candidates: use `find_mentions` (or `lookup` on the match) to get the country and
    to drop blocking phrases and wrongly-cased matches.
    """
    forms = trie_regex(_index(lang))
    prefixes = trie_regex(_prefixes(lang))
    parts = [rf"(?P<form>{forms})(?![\w])"]
    if prefixes:
        parts.append(rf"(?P<prefix>{prefixes})(?=[\-\u2010\u2011]\w)")
    return re.compile(r"(?<![\w@])(?:" + "|".join(parts) + ")", re.IGNORECASE)


def lookup(surface: str, lang: str) -> CountryForm | None:
    """The form entry for an exact surface form of `lang`, or None."""
    return _index(lang).get(normalise(surface))


def _cased(surface: str, form: CountryForm, lang: str) -> bool:
    if form.acronym:
        return surface.replace("É", "E") == form.text.replace("É", "E") or surface == form.text
    if form.proper or lang != "fr":  # English adjectives are capitalised too
        return surface[:1].isupper() or not form.text[:1].isupper()  # "l'île Maurice" is written so
    return True


def find_mentions(text: str, lang: str, offset: int = 0) -> list[CountryMention]:
    """Country forms in `text`, cased as a country form must be; spans shifted by `offset`."""
    out = []
    pattern, pos = mention_pattern(lang), 0
    while (m := pattern.search(text, pos)) is not None:
        surface, pos = m.group(), m.end()
        if m.lastgroup == "prefix":
            out.append(CountryMention(m.start() + offset, m.end() + offset, surface,
                                      _prefixes(lang)[normalise(surface)], "prefix"))
            continue
        form = _index(lang).get(normalise(surface))
        if form is None or form.iso3 is None:
            continue  # a blocking phrase ("Amérique latine") hides the country form inside it
        if not _cased(surface, form, lang):
            pos = m.start() + 1  # a miscased long form may hide a well-cased shorter one
            continue
        out.append(CountryMention(m.start() + offset, m.end() + offset, surface, form.iso3, form.kind, form.weak))
    return out


_LEADING = re.compile(r"^(?:(?:the|les|le|la|du|des|de la|de|aux|au|en)\s+|(?:de l|l|d)')", re.IGNORECASE)


def country_of(text: str, lang: str) -> str | None:
    """ISO-3166 alpha-3 for a country name, short or official form, adjective, demonym or metonym.

    `lang` is tried first, then the other languages; a leading article or preposition is ignored
    ("les États-Unis", "du Japon"). Returns None when `text` is not a country form.
    """
    text = text.strip().replace("’", "'")
    candidates = [text]
    stripped = _LEADING.sub("", text)
    if stripped != text:
        candidates.append(stripped)
    for lg in (lang, *[lg for lg in LANGUAGES if lg != lang]):
        for candidate in candidates:
            form = _index(lg).get(normalise(candidate))
            if form is not None and form.iso3 is not None:
                if form.acronym and candidate != form.text and not candidate.isupper():
                    continue
                return form.iso3
    return None


def country_name(iso3: str, lang: str = "en") -> str:
    """The usual name of a country in `lang` ("Russie", "Russia"); the code itself if unknown."""
    info = country_table().get(iso3)
    return info.name(lang) if info else iso3
