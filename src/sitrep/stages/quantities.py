"""Stage `quantities`: numbers in the text with what they count and how exact they are.

A quantity is a number that counts something: "3 000 de ses troupes" (3000 troops), "Environ
3 000 militaires" (3000 troops, approximate), "au moins 45 morts" (45 fatalities, at least),
"10 millions de dollars" (10000000 USD), "12 %" (12 percent), "des centaines de civils"
(100 civilians, at least, approximate). Figures ("3 000", "10,000", "1,2 million", "1.2 million",
"$5bn"), number words ("trois mille", "twenty-five", "half a million") and quantity nouns ("une
dizaine", "dozens", "des milliers") are read; the thing counted comes from the words after the
number ("3 000 de ses troupes", "«10 000» soldats") or from the parse ("45 were killed", "the
death toll rose to 50"), through the per-language unit lexicons.

What this stage must not report: numbers that count nothing. Years, dates and times ("en 2023",
"le 19 juin", "14 h"), durations ("deux jours": the times stage reads them), ages ("âgé de 45
ans", "aged 45": an age describes a person, it does not count anything), ordinals ("3e",
"21st"), labels ("l'article 5", "G7", "F-16", "Boeing 737"), phone numbers, the article "un" /
"a", and figures whose counted thing cannot be found.

Language knowledge lives in lexicons/<lang>/quantities_*.tsv|txt; this module holds only the
grammar of numbers and the parse rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any

from .. import lexicons
from ..dates import months
from ..models import Document, Quantity
from ..pipeline import DocumentStage, register_stage

__all__ = ["QuantitiesStage"]

# A figure as one token (the nlp stage merges "3 000" into one), optionally with a glued scale
# abbreviation and sign: "3000", "10,000", "1,2", "1.2", "5bn", "3,5Md€", "12%".
_FIGURE = re.compile(
    r"^(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"(?P<abbr>[^\W\d_]{1,3})?(?P<sign>[€$£%])?$"
)
_SIGN_ONLY = re.compile(r"^(?P<abbr>[^\W\d_]{1,3})?(?P<sign>[€$£])$")
# Phone numbers: French 10-digit, international "+33 …", North American "(202) 555-0100".
_PHONE = re.compile(
    r"(?<![\w+])(?:0\d(?:[ .\-]?\d\d){4}|\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,}"
    r"|\(?\d{3}\)?[ .\-]\d{3}[ .\-]\d{4})(?![\w])"
)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|fr|uk|io)/\S*", re.I)
# A number glued to a label by a hyphen or slash ("Su-25", "COVID-19", "19/06") is no count.
_GLUED_BEFORE = re.compile(r"[^\W\d_][\-/]$|\d/$")
_PARTITIVES = frozenset({"de", "d'", "des", "du", "of"})
_QUOTES = frozenset("«»\"“”‘’'()")
_OBJECT_DEPS = frozenset({"obj", "dobj", "nsubj:pass", "nsubjpass", "obl:agent"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "obj", "dobj"})
_MODIFIER_DEPS = frozenset({"amod", "acl", "acl:relcl", "relcl"})
_RANGE = re.compile(r"^\s*(?P<c>à|-|–|—|to|et|and|ou|or)\s*$", re.I)
_BETWEEN = re.compile(r"(?<!\w)(?:entre|between)\s*$", re.I)


@dataclass(frozen=True)
class _Lexicon:
    """One language's quantity words, compiled once."""

    numbers: dict[str, Decimal]
    articles: frozenset[str]  # "un", "a": a number only before a scale word
    abbreviations: frozenset[str]  # "bn", "Md": a scale only next to a currency
    conjunctions: frozenset[str]  # "et", "and" inside a number word sequence
    halves: frozenset[str]
    multipliers: frozenset[str]  # "million": a number only after another one or an article
    collectives: dict[str, tuple[Decimal, bool]]
    units: dict[str, tuple[str, str]]
    not_counts: frozenset[str]
    tolls: frozenset[str]
    currencies: dict[str, str]
    percents: dict[str, str]
    approx: dict[tuple[str, str], str | None]  # (position, phrase) → bound
    approx_before: re.Pattern[str]
    approx_after: re.Pattern[str]
    vague_before: re.Pattern[str]
    context_before: re.Pattern[str]
    currency_before: re.Pattern[str]
    currency_after: re.Pattern[str]
    percent_after: re.Pattern[str]


def _norm(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.replace("’", "'")).strip().lower()


def _alternation(phrases: Sequence[str]) -> str:
    """A regex alternation of phrases, longest first, tolerant of spacing and apostrophes."""
    out = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        body = body.replace("'", "['’]\\s*")
        if phrase[-1].isalnum():
            body += r"(?![\w])"
        if phrase[0].isalnum():
            body = r"(?<![\w])" + body
        out.append(body)
    return "|".join(out) or r"(?!x)x"


@cache
def _lexicon(lang: str) -> _Lexicon:
    numbers: dict[str, Decimal] = {}
    flags: dict[str, set[str]] = {"article": set(), "abbr": set(), "and": set(), "half": set(), "multiplier": set()}
    for row in lexicons.table(lang, "quantities_numbers"):
        flag = row[2] if len(row) > 2 else "-"
        if flag in flags:
            flags[flag].add(row[0].lower())
        if flag not in ("and", "half"):
            numbers[row[0].lower()] = Decimal(row[1])
    collectives = {r[0].lower(): (Decimal(r[1]), r[2] == "yes") for r in lexicons.table(lang, "quantities_collectives")}
    units = {r[0].lower(): (r[1], r[2]) for r in lexicons.table(lang, "quantities_units")}
    currency_rows = lexicons.table(lang, "quantities_currencies")
    currencies = {_norm(r[0]): r[1] for r in currency_rows}
    percents = {_norm(r[0]): r[1] for r in lexicons.table(lang, "quantities_percent")}
    approx = {(r[1], _norm(r[0])): (None if r[2] == "-" else r[2]) for r in lexicons.table(lang, "quantities_approx")}
    # Ages, labels and negations all make a number no count; the kind column documents which.
    contexts = [_norm(r[0]) for r in lexicons.table(lang, "quantities_context")]
    vague = [_norm(w) for w in lexicons.lines(lang, "quantities_vague")]
    quotes = r"[«\"“‘'(]?\s*"
    # Signs and codes may stand before a figure ("$10", "USD 10"); words only after it.
    prefixes = [r[0] for r in currency_rows if not r[0].isalpha() or r[0].isupper()]
    return _Lexicon(
        numbers=numbers,
        articles=frozenset(flags["article"]),
        abbreviations=frozenset(flags["abbr"]),
        conjunctions=frozenset(flags["and"]),
        halves=frozenset(flags["half"]),
        multipliers=frozenset(flags["multiplier"]),
        collectives=collectives,
        units=units,
        not_counts=frozenset(w.lower() for w in lexicons.lines(lang, "quantities_not_counts")),
        tolls=frozenset(w.lower() for w in lexicons.lines(lang, "quantities_tolls")),
        currencies=currencies,
        percents=percents,
        approx=approx,
        approx_before=re.compile(
            rf"(?P<p>{_alternation([p for pos, p in approx if pos == 'before'])})\s*{quotes}$", re.I),
        approx_after=re.compile(
            rf"^\s*[»\"”’')]?\s*(?P<p>{_alternation([p for pos, p in approx if pos == 'after'])})", re.I),
        vague_before=re.compile(rf"(?P<p>{_alternation(vague)})\s*$", re.I),
        context_before=re.compile(rf"(?P<p>{_alternation(contexts)})\s*$", re.I),
        currency_before=re.compile(rf"(?P<p>{_alternation(prefixes)})\s*$"),
        currency_after=re.compile(
            rf"^\s*(?:(?:de|d['’]|of)\s*)?(?P<p>{_alternation(list(currencies))})", re.I),
        percent_after=re.compile(rf"^\s*(?P<p>{_alternation(list(percents))})", re.I),
    )


@dataclass
class _Candidate:
    """A number expression being read: token range, character span, value and qualifiers."""

    first: int  # first token of the numeral
    last: int  # one past its last token
    start: int  # character span in the segment, widened by cues, signs and the counted noun
    end: int
    value: Decimal
    figure: bool = False  # written in digits
    approximate: bool = False
    bound: str | None = None
    unit: str | None = None
    currency: bool = False
    sign: str = ""
    num_end: int = 0  # end of the number and its cues, before the counted noun


def _figure_value(digits: str, scaled: bool) -> Decimal:
    """'3 000' → 3000, '10,000' → 10000, '1,2' → 1.2; a lone separator before three digits groups
    thousands unless a scale word follows ("1,500 milliard" is 1.5 billion)."""
    digits = re.sub(r"[ \u00a0\u202f]", "", digits)
    seps = re.findall(r"[.,]", digits)
    groups = re.split(r"[.,]", digits)
    if not seps:
        return Decimal(digits)
    if len(set(seps)) == 2:  # "1,234.5" / "1.234,5": the last one is the decimal mark
        return Decimal("".join(groups[:-1]) + "." + groups[-1])
    if len(seps) > 1 or (len(groups[1]) == 3 and not scaled and groups[0] != "0"):
        if all(len(g) == 3 for g in groups[1:]):
            return Decimal("".join(groups))
    return Decimal(groups[0] + "." + "".join(groups[1:]))


def _lower(token: Any) -> str:
    return token.text.lower().replace("’", "'")


def _word_parts(word: str, lex: _Lexicon) -> list[Decimal] | None:
    """Values of a (hyphenated) number word, longest lexicon entries first."""
    pieces = word.split("-")
    values: list[Decimal] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            key = "-".join(pieces[i:j])
            if key in lex.numbers and key not in lex.abbreviations and key not in lex.articles:
                values.append(lex.numbers[key])
                i = j
                break
        else:
            return None
    return values


def _combine(values: list[Decimal]) -> Decimal:
    """Numeral values in reading order → the number ("deux cent mille" → 200000)."""
    total, current = Decimal(0), Decimal(0)
    for v in values:
        if v == 100:
            current = (current or 1) * 100
        elif v >= 1000:
            if not current and 0 < total < v:  # "two thousand million"
                total *= v
            else:
                total += (current or 1) * v
            current = Decimal(0)
        else:
            current += v
    return total + current


def _read_numeral(doc: Any, i: int, lex: _Lexicon) -> tuple[Decimal, int, bool, str] | None:
    """The numeral starting at token i: (value, token after it, written in digits, its sign:
    "$", "€", "%" … or "")."""
    n = len(doc)
    m = _FIGURE.match(doc[i].text)
    if m:
        abbr = (m.group("abbr") or "").lower()
        sign = m.group("sign") or ""
        if abbr and (abbr not in lex.abbreviations or sign == "%" or not (sign or _near_currency(doc, i, lex))):
            return None  # "3e", "21st", "14h", "3m" (metres): not a count; "€5bn", "£3m" are
        scales = [lex.numbers[abbr]] if abbr else []
        j = i + 1
        while j < n and not sign:
            word = _lower(doc[j])
            glued = _SIGN_ONLY.match(doc[j].text)
            if word in lex.numbers and lex.numbers[word] >= 1000 and word not in lex.abbreviations:
                scales.append(lex.numbers[word])  # "1,2 million", "5 thousand"
            elif glued and (glued.group("abbr") or "").lower() in lex.abbreviations:
                scales.append(lex.numbers[glued.group("abbr").lower()])  # "5 Md€"
                sign = glued.group("sign")
            elif word in lex.abbreviations and (_near_currency(doc, i, lex) or _near_currency(doc, j, lex)):
                scales.append(lex.numbers[word])  # "2 mds de dollars", "£3 m"
            else:
                break
            j += 1
        value = _figure_value(m.group("num"), bool(scales))
        for scale in scales:
            value *= scale
        return _halves(doc, j, lex, value, scales), _after_halves(doc, j, lex), True, sign
    # Number words: "trois mille", "twenty - five", "two hundred and fifty", "un million",
    # "vingt et un", "half a million".
    word = _lower(doc[i])
    if word in lex.halves and i + 2 < n and _lower(doc[i + 1]) in lex.articles:
        scale = lex.numbers.get(_lower(doc[i + 2]))
        if scale is not None and scale >= 1000 and _lower(doc[i + 2]) not in lex.abbreviations:
            return Decimal("0.5") * scale, i + 3, False, ""
        return None
    values: list[Decimal] = []
    j = i
    if word in lex.articles:
        nxt = _lower(doc[i + 1]) if i + 1 < n else ""
        if lex.numbers.get(nxt, Decimal(0)) < 100 or nxt in lex.abbreviations or nxt in lex.articles:
            return None  # an article, not the number one
        values.append(Decimal(1))
        j += 1
    while j < n:
        parts = _word_parts(_lower(doc[j]), lex)
        if parts is not None:
            values.extend(parts)
            j += 1
            continue
        word = _lower(doc[j])
        if not values or j + 1 >= n or not (word == "-" or word in lex.conjunctions) or values[-1] < 20:
            break
        nxt = _lower(doc[j + 1])
        following = [Decimal(1)] if nxt in lex.articles and word in lex.conjunctions else _word_parts(nxt, lex)
        if not following or following[0] >= values[-1]:
            break  # "cinq et trois" are two numbers
        values.extend(following)  # "twenty - five", "vingt et un", "two hundred and fifty"
        j += 2
    if not values or (j == i + 1 and _lower(doc[i]) in lex.multipliers):
        return None  # "Million Dollar Mermaid", "Thousand Oaks"
    scales = [v for v in values if v >= 1000]
    return _halves(doc, j, lex, _combine(values), scales), _after_halves(doc, j, lex), False, ""


def _near_currency(doc: Any, i: int, lex: _Lexicon) -> bool:
    start, end = doc[i].idx, doc[i].idx + len(doc[i])
    before = "".join(t.text_with_ws for t in doc[max(0, i - 2):i])
    after = doc[i].whitespace_ + "".join(t.text_with_ws for t in doc[i + 1:i + 4])
    return bool(lex.currency_before.search(before) or lex.currency_after.match(after))


def _half_at(doc: Any, j: int, lex: _Lexicon) -> int:
    """Tokens of "et demi" / "and a half" at j (0 when absent)."""
    # Index the tokens: slicing a spaCy Doc builds a Span, which costs far more here.
    words = [_lower(doc[k]) for k in range(j, min(j + 3, len(doc)))]
    if len(words) >= 2 and words[0] in lex.conjunctions:
        if words[1] in lex.halves:
            return 2
        if len(words) == 3 and words[1] in lex.articles and words[2] in lex.halves:
            return 3
    return 0


def _halves(doc: Any, j: int, lex: _Lexicon, value: Decimal, scales: list[Decimal]) -> Decimal:
    """Add the half of "un million et demi" (1.5 million) or "two and a half million"."""
    k = _half_at(doc, j, lex)
    if not k:
        return value
    after = _lower(doc[j + k]) if j + k < len(doc) else ""
    scale = lex.numbers.get(after)
    if scale is not None and scale >= 1000 and after not in lex.abbreviations:
        return (value + Decimal("0.5")) * scale
    return value + Decimal("0.5") * (scales[-1] if scales else 1)


def _after_halves(doc: Any, j: int, lex: _Lexicon) -> int:
    k = _half_at(doc, j, lex)
    if not k:
        return j
    j += k
    if j < len(doc) and _lower(doc[j]) in lex.numbers and lex.numbers[_lower(doc[j])] >= 1000:
        j += 1
    return j


def _read_collective(doc: Any, text: str, i: int, lex: _Lexicon) -> _Candidate | None:
    """ "une dizaine de", "des centaines de milliers de", "dozens of", "several hundred"."""
    n = len(doc)
    word = _lower(doc[i])
    vague = lex.vague_before.search(text[max(0, doc[i].idx - 20):doc[i].idx])
    prev = _lower(doc[i - 1]) if i else ""
    if word in lex.collectives:
        value, approx = lex.collectives[word]
        nxt = _lower(doc[i + 1]) if i + 1 < n else ""
        if nxt not in _PARTITIVES and not (i + 1 < n and doc[i + 1].pos_ == "NOUN"):
            return None  # "en quarantaine": a quarantine, not forty
        plural = word.endswith("s")
        at_least = bool(vague) or (plural and prev not in lex.articles)
    elif word in lex.numbers and lex.numbers[word] >= 100 and vague and word not in lex.abbreviations:
        value, approx, at_least = lex.numbers[word], True, True  # "several hundred", "quelques milliers"
    else:
        return None
    j = i + 1
    # Chains multiply: "des dizaines de milliers de", "hundreds of thousands of".
    while j + 1 < n and _lower(doc[j]) in _PARTITIVES:
        nxt = _lower(doc[j + 1])
        mult = lex.collectives.get(nxt, (lex.numbers.get(nxt) if nxt not in lex.abbreviations else None, True))[0]
        if mult is None or mult < 100:
            break
        value *= mult
        j += 2
    start = doc[i].idx
    if vague:
        start = max(0, doc[i].idx - 20) + vague.start()
    elif prev in lex.articles:
        start = doc[i - 1].idx
    return _Candidate(i, j, start, doc[j - 1].idx + len(doc[j - 1]), value,
                      approximate=approx or at_least, bound="at_least" if at_least else None)


def _unit_of(token: Any, lex: _Lexicon) -> tuple[str, str] | None:
    return lex.units.get(_lower(token)) or lex.units.get(token.lemma_.lower())


def _outcome(noun: Any, lex: _Lexicon) -> str | None:
    """What happened to the persons a noun names, from the parse: "45 civils tués", "45 people
    were killed", "killing 12 civilians", "45 personnes sont mortes" → fatalities."""
    head = _unit_of(noun.head, lex) if noun.head is not noun else None
    if head and head[1] == "outcome" and noun.dep_ in _OBJECT_DEPS:
        return head[0]
    if head and head[1] == "outcome_subject" and noun.dep_ in _SUBJECT_DEPS:
        return head[0]
    owner = noun.head.head if noun.head.pos_ == "ADP" else noun.head  # "the deaths of two women"
    unit = _unit_of(owner, lex) if noun.dep_ in ("nmod", "pobj") else None
    if unit and unit[1].startswith("outcome") and owner.pos_ == "NOUN" and owner.i < noun.i:
        return unit[0]  # "la mort de 15 personnes"
    for child in noun.children:
        unit = _unit_of(child, lex)
        if unit and unit[1].startswith("outcome") and child.dep_ in _MODIFIER_DEPS:
            return unit[0]
    return None


def _counted(doc: Any, cand: _Candidate, lex: _Lexicon) -> tuple[str, Any] | str | None:
    """What the number counts: (unit, token) when found, "reject" when the number is a duration,
    an age or a time, None when nothing is counted."""
    n = len(doc)
    j = cand.last
    while j < n and doc[j].idx < cand.end:  # tokens already taken by a sign or cue
        j += 1
    # Surface: «10 000» soldats, 3 000 de ses troupes, 3,000 North Korean troops, 45 killed.
    skipped = {"quote": 0, "partitive": 0, "det": 0, "mod": 0}
    while j < n:
        tok = doc[j]
        low = _lower(tok)
        if low in lex.not_counts or tok.lemma_.lower() in lex.not_counts:
            return "reject"
        unit = _unit_of(tok, lex)
        if tok.pos_ == "NOUN" and tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and 0 < tok.head.i - tok.i <= 2:
            tok = tok.head  # "two plainclothes officers", "31 fire trucks", "13 home runs"
            unit = _unit_of(tok, lex)
        if unit and tok.pos_ in ("NOUN", "ADJ", "VERB", "PROPN"):
            return unit[0], tok
        if tok.pos_ == "NOUN" and not tok.is_title:
            if _is_number_word(_lower(tok), lex):
                return "reject"  # "the nineteen seventies"
            return (tok.lemma_.lower(), tok) if _countable(tok, cand) else None
        if low in _QUOTES and skipped["quote"] < 2 and not skipped["mod"]:
            skipped["quote"] += 1
        elif low in _PARTITIVES and not skipped["partitive"] and not skipped["det"] and not skipped["mod"]:
            skipped["partitive"] += 1
        elif tok.pos_ == "DET" and not skipped["det"] and not skipped["mod"]:
            skipped["det"] += 1
        elif (tok.pos_ in ("ADJ", "PROPN") or low == "-") and skipped["mod"] < 3:
            skipped["mod"] += 1
        else:
            break
        j += 1
    # Parse: the number's head.
    for k in range(cand.first, cand.last):
        tok = doc[k]
        if cand.first <= tok.head.i < cand.last:
            continue
        head = tok.head
        unit = _unit_of(head, lex)
        if tok.dep_ == "nummod" and head.pos_ == "NOUN" and head.i > tok.i:
            if head.lemma_.lower() in lex.not_counts or _lower(head) in lex.not_counts:
                return "reject"
            if unit:
                return unit[0], head
            return (head.lemma_.lower(), head) if _countable(head, cand) else None
        if unit and ((unit[1] == "outcome" and tok.dep_ in _OBJECT_DEPS)
                     or (unit[1] == "outcome_subject" and tok.dep_ in _SUBJECT_DEPS)):
            return unit[0], None  # "45 were killed", "killing 45"
        # "the death toll rose to 50", "le bilan s'élève à 45"
        node = tok
        for _ in range(3):
            node = node.head
            if node.lemma_.lower() in lex.tolls or any(
                    c.dep_.startswith("nsubj") and c.lemma_.lower() in lex.tolls for c in node.children):
                return "fatalities", None
            if node.head is node:
                break
    return None


def _is_number_word(word: str, lex: _Lexicon) -> bool:
    """A plural number word names a decade or a set ("seventies", "les années soixante")."""
    stems = (word, word[:-1], word[:-3] + "y") if word.endswith("s") else (word,)
    return any(_word_parts(w, lex) for w in stems if w)


def _countable(noun: Any, cand: _Candidate) -> bool:
    """A noun outside the unit lexicons counts only in the plural (not "the 2022 invasion")."""
    return cand.value > 1 and "Sing" not in noun.morph.get("Number")


def _excluded(doc: Any, text: str, cand: _Candidate, lex: _Lexicon, blocked: list[tuple[int, int]]) -> bool:
    """Is this number a date, time, year, age, label or phone number rather than a count?"""
    if any(s < cand.end and cand.start < e for s, e in blocked):
        return True
    first = doc[cand.first]
    if _GLUED_BEFORE.search(text[max(0, first.idx - 2):first.idx]):
        return True
    if lex.context_before.search(text[max(0, first.idx - 25):first.idx]):
        return True
    month_words = months()
    for k in (cand.first - 1, cand.last):  # "le 19 juin", "June 19", "septembre 2023"
        if 0 <= k < len(doc) and doc[k].text.lower() in month_words and doc[k].pos_ not in ("AUX", "VERB"):
            return True
    prev = doc[cand.first - 1] if cand.first else None
    if prev is not None and prev.pos_ == "PROPN" and prev.is_title and not prev.is_sent_start \
            and prev.idx + len(prev) == first.idx - 1 and not cand.currency:
        return True  # "Boeing 737", "Ligue 1"
    if cand.figure and not cand.currency and cand.value == cand.value.to_integral_value() \
            and 1000 <= cand.value <= 2100 and re.fullmatch(r"\d{4}", first.text) \
            and (prev is not None and prev.pos_ == "ADP"):
        return True  # "en 2023", "in 2022 troops crossed"
    return False


def _clean(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _find(doc: Any, text: str, lang: str, blocked: Sequence[tuple[int, int]] = ()) -> list[_Candidate]:
    """Quantities of one parsed segment (spans relative to the segment), in text order.
    `text` is the segment's text (spaCy rebuilds Doc.text on every access); `blocked` are
    segment-relative spans already known to be something else (times)."""
    lex = _lexicon(lang)
    blocked = list(blocked) + [m.span() for m in _PHONE.finditer(text)] + [m.span() for m in _URL.finditer(text)]
    found: list[_Candidate] = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        low = _lower(tok)
        cand = None
        if low in lex.collectives or (low in lex.numbers and lex.numbers[low] >= 100):
            cand = _read_collective(doc, text, i, lex)
        if cand is None and (tok.text[:1].isdigit() or low in lex.numbers or low in lex.halves
                             or _word_parts(low, lex)):
            read = _read_numeral(doc, i, lex)
            if read is not None:
                value, j, figure, sign = read
                cand = _Candidate(i, j, tok.idx, doc[j - 1].idx + len(doc[j - 1]), value, figure=figure, sign=sign)
                if value == 1 and j < n and _lower(doc[j]) in _PARTITIVES:
                    cand = None  # "one of the soldiers": a reference, not a count
                    i = j
                    continue
        if cand is None:
            i += 1
            continue
        _qualify(text, cand, lex)
        if not cand.currency and cand.unit is None and _excluded(doc, text, cand, lex, blocked):
            i = max(cand.last, i + 1)
            continue
        cand.num_end = cand.end
        if cand.unit is None and not _attach_unit(doc, text, cand, lex):
            i = max(cand.last, i + 1)
            continue
        found.append(cand)
        i = max(cand.last, i + 1)
    _ranges(text, found)
    return [c for c in found if c.unit is not None]


def _attach_unit(doc: Any, text: str, cand: _Candidate, lex: _Lexicon) -> bool:
    """Find what the number counts and widen its span over the counted noun; False when the
    number is a duration, age or time after all."""
    counted = _counted(doc, cand, lex)
    if counted == "reject":
        return False
    if not isinstance(counted, tuple):
        return True  # nothing counted (yet): a range may still lend it a unit
    cand.unit, noun = counted
    if noun is None:
        return True
    unit = _unit_of(noun, lex)
    if unit is None or unit[1] == "person":
        # The outcome may attach to the noun or to the quantity word governing it: "dozens of
        # protesters were detained".
        heads = [noun] + [t for t in doc[cand.first:cand.last] if not cand.first <= t.head.i < cand.last]
        cand.unit = next(filter(None, (_outcome(t, lex) for t in heads)), cand.unit)
    if noun.idx >= cand.end and _contiguous(text, cand.end, noun.idx):
        cand.end = noun.idx + len(noun)
        opening = cand.start and text[cand.start - 1] in "«“\""
        if opening and re.search(r"[»”\"]", text[cand.start:cand.end]):
            cand.start -= 1  # keep «10 000» soldats whole
    return True


def _contiguous(text: str, start: int, end: int) -> bool:
    return end - start < 40 and not re.search(r"[.;:!?\n]", text[start:end])


def _qualify(text: str, cand: _Candidate, lex: _Lexicon) -> None:
    """Signs, currency, percent and approximation cues around the numeral."""
    before = text[max(0, cand.start - 30):cand.start]
    m = lex.currency_before.search(before)
    if m:
        cand.unit, cand.currency = lex.currencies[_norm(m.group("p"))], True
        cand.start -= len(before) - m.start()
        before = text[max(0, cand.start - 30):cand.start]
    after = text[cand.end:cand.end + 40]
    if cand.sign in lex.currencies:
        cand.unit, cand.currency = lex.currencies[cand.sign], True
    elif cand.sign in lex.percents:
        cand.unit = lex.percents[cand.sign]
    elif cand.unit is None:
        m = lex.currency_after.match(after) or lex.percent_after.match(after)
        if m:
            key = _norm(m.group("p"))
            cand.currency = key in lex.currencies
            cand.unit = lex.currencies.get(key) or lex.percents.get(key)
            cand.end += m.end()
            after = text[cand.end:cand.end + 40]
    m = lex.approx_before.search(before)
    if m:
        cand.approximate = True
        cand.bound = lex.approx.get(("before", _norm(m.group("p"))), cand.bound)
        cand.start -= len(before) - m.start()
    m = lex.approx_after.match(after)
    if m:
        cand.approximate = True
        cand.bound = lex.approx.get(("after", _norm(m.group("p"))), cand.bound)
        cand.end += m.end()


def _ranges(text: str, found: list[_Candidate]) -> None:
    """"entre 3 000 et 5 000 soldats", "3,000 to 5,000 troops": the first figure takes the unit of
    the second; the pair bounds the count ("ou"/"or" makes both approximate instead)."""
    for a, b in zip(found, found[1:]):
        if a.end > b.start:  # "3 000 à 4 000 hommes": the first reached the noun over the second
            a.end = a.num_end
        if a.unit not in (None, b.unit) or b.unit is None:
            continue
        m = _RANGE.match(text[a.end:b.start])
        if not m:
            continue
        between = _BETWEEN.search(text[max(0, a.start - 10):a.start])
        conj = m.group("c").lower()
        if conj in ("et", "and") and not between:
            continue
        a.unit = b.unit
        if conj in ("ou", "or"):
            a.approximate = b.approximate = True
            continue
        a.bound, b.bound = a.bound or "at_least", b.bound or "at_most"
        if between:
            a.start -= len(text[max(0, a.start - 10):a.start]) - between.start()


@cache
def _languages() -> frozenset[str]:
    return frozenset(lexicons.languages())


class QuantitiesStage(DocumentStage):
    name = "quantities"
    requires = ("segments", "parsed")
    assigns = ("quantities",)

    def annotate(self, doc: Document) -> Document:
        return replace(doc, quantities=tuple(self._quantities(doc)))

    @staticmethod
    def _quantities(doc: Document) -> Iterator[Quantity]:
        times = [t.span for t in doc.times]
        count = 0
        for parsed in doc.parsed:
            sdoc, offset = parsed.doc, parsed.offset
            if sdoc.lang_ not in _languages():
                continue
            text = doc.text[offset:parsed.end]
            end = offset + len(text)
            blocked = [(s - offset, e - offset) for s, e in times if s < end and e > offset]
            for cand in _find(sdoc, text, sdoc.lang_, blocked):
                count += 1
                span = (offset + cand.start, offset + cand.end)
                yield Quantity(
                    id=f"q{count}", text=doc.text[span[0]:span[1]], span=span, value=_clean(cand.value),
                    unit=cand.unit, approximate=cand.approximate, bound=cand.bound,
                )


register_stage("quantities")(QuantitiesStage)
