"""Time expressions: the grammar read from the lexicons, and the calendar arithmetic that turns
a match into a TIMEX3 value relative to a reference date.

A language's grammar is two data files: `lexicons/<lang>/times_vocab.tsv` (classes of words
with their meaning: weekdays, units, parts of the day, "dernier" = last, …) and
`times_patterns.tsv` (one regular expression per line, with `{class}` placeholders, and the
kind of expression it finds). This module compiles them once per process, finds every
candidate in a text, and normalises one candidate given a `Context` (reference date, the tense
of its clause, the last day mentioned). It knows no spaCy: the `times` stage supplies the
tense and the checks that need the parse. It never decides between overlapping candidates'
meanings beyond "longest first".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache

from . import lexicons

__all__ = ["Found", "Context", "TimeValue", "Grammar", "grammar", "normalise", "shift", "period"]

# Built-in placeholders: digits only, the same in every language.
_BUILTIN = {
    "day": r"(?P<day>[12]\d|3[01]|0?[1-9])",
    "day2": r"(?P<day>[0-3]\d)",
    "monthnum": r"(?P<monthnum>1[0-2]|0?[1-9])",
    "year": r"(?P<year>(?:1[0-9]|20)\d\d)(?![\d]|[.,:]\d)",
    "year2": r"(?P<year2>\d\d)(?![\d%])",
    "hour": r"(?P<hour>[01]?\d|2[0-3])",
    "minute": r"(?P<minute>[0-5]\d)",
}
_DIGITS = r"\d+(?:[.,]\d+)?"
_WORD = re.compile(r"\w+")
_GLUED = re.compile(r"\d+([^\W\d_]+)$")
# Classes whose words anchor an expression: every match holds one of them (or a digit), so a
# rule only runs near their occurrences. The other classes (rel, part, approx…) only qualify.
_ANCHORS = ("month", "weekday", "weekdays", "unit", "weekend", "season", "pod", "apod", "tpod",
            "dpod", "dayword", "word", "setadj", "number", "named")
_MARGIN = 35  # characters around an anchor that a match may extend over
_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def key(text: str) -> str:
    """The form under which vocabulary phrases are stored and looked up."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("\u2011", "-").lower()).strip()


def _phrase_regex(phrase: str) -> str:
    out = re.escape(phrase).replace(r"\ ", " ").replace("'", "['’]")
    out = out.replace(r"\-", "[-\u2011]")
    return re.sub(" +", r"\\s+", out)


@dataclass(frozen=True)
class Found:
    """One match of one pattern: its extent in the searched text and its named groups."""

    start: int
    end: int
    kind: str
    rule: int
    groups: dict[str, str]
    classes: dict[str, str]
    span: tuple[int, int] = (0, 0)  # the whole match, `pre` included

    @property
    def length(self) -> int:
        return self.span[1] - self.span[0]


@dataclass(frozen=True)
class TimeValue:
    type: str
    value: str
    start: date | None = None
    end: date | None = None
    granularity: str | None = None
    mod: str | None = None


@dataclass
class Context:
    """What normalising one expression may ask about its surroundings (lazily: the tense
    costs a look at the parse and most expressions do not need it)."""

    ref: date | None
    tense: Callable[[], str] = lambda: "unknown"  # past|present|future|unknown
    anchor: Callable[[], date | None] = lambda: None  # the last day mentioned before
    bound: str | None = None  # since|by|until|before|after|from: the signal just before
    period: Callable[[], date | None] = lambda: None  # the start of the last period mentioned


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    classes: dict[str, str] = field(default_factory=dict)
    anchors: frozenset[str] | None = None  # None: no anchor known, run over the whole text


class Grammar:
    """The compiled time grammar of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.vocab: dict[str, dict[str, tuple[str, ...]]] = {}
        for row in lexicons.table(lang, "times_vocab"):
            cls, phrase, rest = row[0], row[1], tuple(row[2:])
            self.vocab.setdefault(cls, {})[key(phrase)] = rest
        self.vocab["month"] = {key(r[0]): (r[1],) for r in lexicons.table(lang, "months")}
        self.titlecase = set(self.vocab.get("titlecase", {}))
        # Numbers in words: "dix-huit", "quatre-vingt-dix", "vingt et un", "twenty-five".
        words, join, ones = self._alternation("number"), self._alternation("numjoin"), self._alternation("one")
        self._number_word = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.I)
        sep = r"(?:\s+|[-\u2011])"
        self._number = rf"(?:{_DIGITS}|(?:{words})(?:{sep}(?:{words})|{sep}(?:{join}){sep}(?:{ones}))*)"
        # The anchor word of each phrase is its longest word: "veille" for "la veille".
        self._anchor_words: dict[str, set[str]] = {}
        for cls in _ANCHORS:
            for phrase in self.vocab.get(cls, {}):
                words = _WORD.findall(phrase)
                if words:
                    self._anchor_words.setdefault(max(words, key=len), set()).add(cls)
        self.rules = [self._rule(kind, template) for kind, template, *_ in lexicons.table(lang, "times_patterns")]
        # Rules grouped by their anchors, so a text without, say, a month skips every month rule at once.
        groups: dict[frozenset[str] | None, list[tuple[int, Rule]]] = {}
        for index, rule in enumerate(self.rules):
            groups.setdefault(rule.anchors, []).append((index, rule))
        self._groups = list(groups.items())
        self._bound = self._tail_regex("bound")
        self._yearprep = self._tail_regex("yearprep")

    def _alternation(self, cls: str) -> str:
        phrases = sorted(self.vocab.get(cls, {}), key=len, reverse=True)
        if not phrases:
            return "(?!)"
        if cls in self.titlecase:  # proper nouns in this language: "May" is a month, "may" is not
            forms = {f for p in phrases for f in (p.title(), p.upper(), p[:1].upper() + p[1:])}
            return "(?-i:" + "|".join(_phrase_regex(f) for f in sorted(forms, key=len, reverse=True)) + ")"
        return "|".join(_phrase_regex(p) for p in phrases)

    def _rule(self, kind: str, template: str) -> Rule:
        classes: dict[str, str] = {}

        def expand(m: re.Match[str]) -> str:
            cls, name = m.group(1), m.group(2) or m.group(1)
            if cls in _BUILTIN:
                return _BUILTIN[cls]
            if cls == "num":
                classes[name] = "num"
                return f"(?P<{name}>{self._number})"
            classes[name] = cls
            return f"(?P<{name}>{self._alternation(cls)})"

        body = _PLACEHOLDER.sub(expand, template)
        if "(?P<day>" in body and "daysuffix" in self.vocab:
            body = body.replace(_BUILTIN["day"], _BUILTIN["day"] + f"(?:{self._alternation('daysuffix')})?")
        # Whole words only, unless the pattern itself starts or ends with punctuation.
        pattern = re.compile(rf"(?:(?<![\w])|(?=\W))(?:{body})(?:(?![\w])|(?<=\W))", re.I)
        return Rule(kind, pattern, classes, self._rule_anchors(template, classes))

    def _placeholder_anchors(self, cls: str) -> set[str]:
        if cls in _BUILTIN:
            return {"digit"}
        if cls == "num":
            return {"number", "digit"}
        return {cls} if cls in _ANCHORS else set()

    def _rule_anchors(self, template: str, classes: dict[str, str]) -> frozenset[str] | None:
        """The anchors one of which every match of the rule holds: those of its rarest required
        placeholder or literal word ("siècle" → the word itself), else of all it may contain."""
        placeholders, literal_required = _required(template)
        required = [a for cls in placeholders if (a := self._placeholder_anchors(cls))]
        required += [{"=" + w} for w in _WORD.findall(literal_required.lower()) if w in self._anchor_words]
        if required:
            return frozenset(min(required, key=_anchor_cost))
        anchors: set[str] = set()
        for name, _ in _PLACEHOLDER.findall(template):
            anchors |= self._placeholder_anchors(name)
        literal = _PLACEHOLDER.sub(" ", template)
        if r"\d" in literal:
            anchors.add("digit")
        for word in _WORD.findall(literal.lower()):
            anchors |= self._anchor_words.get(word, set())
        return frozenset(anchors) or None

    def _tail_regex(self, cls: str) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w])(?P<w>{self._alternation(cls)})\s*$", re.I)

    def lookup(self, cls: str, text: str) -> tuple[str, ...] | None:
        return self.vocab.get(cls, {}).get(key(text))

    def has(self, cls: str, text: str) -> bool:
        return key(text) in self.vocab.get(cls, {})

    def _anchor_positions(self, text: str) -> dict[str, list[int]]:
        where: dict[str, list[int]] = {}
        for m in _WORD.finditer(text):
            word = m.group().lower()
            if not word.isalpha() and any(ch.isdigit() for ch in word):
                where.setdefault("digit", []).append(m.start())
                glued = _GLUED.match(word)  # "24hrs", "15mins": the unit written against its number
                word = glued.group(1) if glued else word
            classes = self._anchor_words.get(word)
            if classes:
                where.setdefault("=" + word, []).append(m.start())
                for cls in classes:
                    where.setdefault(cls, []).append(m.start())
        return where

    def _windows(self, text: str, starts: list[int]) -> list[tuple[int, int]]:
        windows: list[tuple[int, int]] = []
        for at in sorted(starts):
            start, end = max(at - _MARGIN, 0), min(at + _MARGIN, len(text))
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        out = []
        for start, end in windows:  # never cut a word: "sept" is not "septembre"
            m = _WORD.match(text, end) if 0 < end < len(text) and text[end - 1].isalnum() else None
            out.append((start, m.end() if m else end))
        return out

    def find(self, text: str) -> list[Found]:
        """Every match of every rule, its extent shrunk by the `pre` group (and trailing
        punctuation). Rules run only near the words that can anchor them: most of a news text
        holds no time word, and this keeps the stage far cheaper than parsing."""
        where = self._anchor_positions(text)
        found = []
        for anchors, rules in self._groups:
            if anchors is None:
                windows = [(0, len(text))]
            else:
                starts = [p for a in anchors for p in where.get(a, ())]
                if not starts:
                    continue
                windows = self._windows(text, starts)
            for index, rule in rules:
                for window in windows:
                    for m in rule.pattern.finditer(text, *window):
                        found.append(self._found(text, index, rule, m))
        return found

    @staticmethod
    def _found(text: str, index: int, rule: Rule, m: re.Match[str]) -> Found:
        start, end = m.span()
        if m.groupdict().get("pre"):
            start = m.end("pre")
        while end > start and text[end - 1] in " ,;":
            end -= 1
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        return Found(start, end, rule.kind, index, groups, rule.classes, m.span())

    def bound_before(self, text: str) -> str | None:
        """The bound signalled by the words just before an expression ("depuis", "by")."""
        m = self._bound.search(text[-30:])
        if not m:
            return None
        value = self.lookup("bound", m.group("w"))
        return value[0] if value else None

    def year_preposition_before(self, text: str) -> bool:
        return bool(self._yearprep.search(text[-16:]))

    def number(self, text: str) -> float | None:
        """A number written in digits ("30,4") or words ("dix-huit", "quatre-vingt-dix")."""
        text = text.strip()
        if re.fullmatch(_DIGITS, text):
            return float(text.replace(",", "."))
        if key(text) in self.vocab.get("one", {}):
            return 1.0
        total, current = 0.0, 0.0
        for word in self._number_word.findall(text):
            value = float(self.lookup("number", word)[0])  # type: ignore[index]
            if value == 1000:
                total += max(current, 1) * 1000
                current = 0
            elif value == 100:
                current = max(current, 1) * 100
            else:
                current += value
        last = re.split(r"[\s\-\u2011]+", text)[-1]
        if total + current and self.has("one", last):
            current += 1  # "vingt et un"
        return total + current or None


def _anchor_cost(anchors: set[str]) -> int:
    """Digits and units are everywhere in news; month names, weekdays and one word are rare."""
    return sum({"digit": 100, "number": 20, "unit": 10}.get(a, 2 if a.startswith("=") else 1) for a in anchors)


def _required(template: str) -> tuple[list[str], str]:
    """Placeholders of a template that every match contains (outside optional groups and
    groups with alternatives), and the literal text every match contains."""
    optional_spans: list[tuple[int, int]] = []
    stack: list[int] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a character class holds no groups
            i = template.index("]", i + 1) + 1
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            start = stack.pop()
            inner = template[start:i + 1]
            after = template[i + 1:i + 2]
            lookaround = inner.startswith(("(?=", "(?!", "(?<=", "(?<!"))
            if after in ("?", "*") or template[i + 1:i + 3] == "{0" or lookaround or _has_alternative(inner):
                optional_spans.append((start, i + 1 if after in ("?", "*") else i))
        i += 1
    required = []
    for m in _PLACEHOLDER.finditer(template):
        if not any(a < m.start() < b for a, b in optional_spans):
            required.append(m.group(1))
    kept = "".join(ch if not any(a <= i <= b for a, b in optional_spans) else " " for i, ch in enumerate(template))
    # Literal words that stand apart in every match ("siècle" in "XXe siècle"); not "h" in
    # "{hour}\s*h", which may be glued to its number.
    apart = r"(?:^|(?<=\\s\+)|(?<=[(|> ])|(?<=\['’\]))"
    words = re.findall(apart + r"([^\W\d_]+)(?=\\s\+|[)| ]|\['’\]|$)", _PLACEHOLDER.sub("\x00", kept))
    return required, " ".join(words)


def _has_alternative(group: str) -> bool:
    depth, i = 0, 0
    while i < len(group):
        ch = group[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = group.index("]", i + 1) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 1:
            return True
        i += 1
    return False


@cache
def grammar(lang: str) -> Grammar | None:
    """The grammar of `lang`, compiled once; None when the language has no time lexicon."""
    if not lexicons.table(lang, "times_patterns"):
        return None
    return Grammar(lang)


# ---- calendar arithmetic ------------------------------------------------------------------

def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, _last_day(year, month)))


_UNIT_MONTHS = {"M": 1, "Q": 3, "6M": 6, "Y": 12, "DE": 120, "CE": 1200, "10CE": 12000}


def shift(d: date, n: int, unit: str) -> date:
    """`d` moved by `n` units (D, W, WE, 2W, M, Q, 6M, Y, DE, CE)."""
    if unit == "D":
        return d + timedelta(days=n)
    if unit in ("W", "WE"):
        return d + timedelta(weeks=n)
    if unit == "2W":
        return d + timedelta(weeks=2 * n)
    return add_months(d, n * _UNIT_MONTHS.get(unit, 12))


_GRANULARITY = {"D": "day", "W": "week", "WE": "weekend", "2W": "week", "M": "month", "Q": "quarter",
                "6M": "half", "Y": "year", "DE": "decade", "CE": "century", "10CE": "millennium",
                "H": "hour", "MIN": "minute", "S": "second"}


def period(unit: str, d: date) -> TimeValue:
    """The calendar period of `unit` that contains `d`, as a DATE."""
    y = d.year
    if unit in ("W", "2W"):
        iso = d.isocalendar()
        monday = d - timedelta(days=d.weekday())
        return TimeValue("DATE", f"{iso[0]}-W{iso[1]:02d}", monday, monday + timedelta(days=6), "week")
    if unit == "WE":
        iso = d.isocalendar()
        saturday = d - timedelta(days=d.weekday()) + timedelta(days=5)
        return TimeValue("DATE", f"{iso[0]}-W{iso[1]:02d}-WE", saturday, saturday + timedelta(days=1), "weekend")
    if unit == "M":
        return TimeValue("DATE", f"{y}-{d.month:02d}", d.replace(day=1), d.replace(day=_last_day(y, d.month)), "month")
    if unit == "Q":
        q = (d.month - 1) // 3 + 1
        return _quarter(y, q)
    if unit == "6M":
        return _half(y, 1 if d.month <= 6 else 2)
    if unit == "DE":
        return _decade(y // 10)
    if unit in ("CE", "10CE"):
        return _century(y // 100)
    if unit in ("H", "MIN", "S", "D"):
        return TimeValue("DATE", d.isoformat(), d, d, "day")
    return TimeValue("DATE", str(y), date(y, 1, 1), date(y, 12, 31), "year")


def _quarter(y: int, q: int) -> TimeValue:
    first = date(y, 3 * q - 2, 1)
    return TimeValue("DATE", f"{y}-Q{q}", first, date(y, 3 * q, _last_day(y, 3 * q)), "quarter")


def _half(y: int, h: int) -> TimeValue:
    return TimeValue("DATE", f"{y}-H{h}", date(y, 6 * h - 5, 1), date(y, 6 * h, 30 if h == 1 else 31), "half")


def _decade(d: int) -> TimeValue:
    return TimeValue("DATE", f"{d:03d}", date(max(d * 10, 1), 1, 1), date(d * 10 + 9, 12, 31), "decade")


def _century(c: int) -> TimeValue:
    return TimeValue("DATE", f"{c:02d}", date(max(c * 100, 1), 1, 1), date(c * 100 + 99, 12, 31), "century")


def _season(y: int, s: str) -> TimeValue:
    first, last = _SEASON_MONTHS[s]
    end_year = y + 1 if s == "WI" else y
    return TimeValue("DATE", f"{y}-{s}", date(y, first, 1), date(end_year, last, _last_day(end_year, last)), "season")


def _part(v: TimeValue, mod: str | None) -> TimeValue:
    """Narrow a period to its first, middle or last third ("début", "mid-", "late")."""
    if not mod or v.start is None or v.end is None:
        return v
    days = (v.end - v.start).days + 1
    third = max(days // 3, 1)
    if mod == "START":
        start, end = v.start, v.start + timedelta(days=third - 1)
    elif mod == "END":
        start, end = v.end - timedelta(days=third - 1), v.end
    else:
        start, end = v.start + timedelta(days=third), v.end - timedelta(days=third)
    return TimeValue(v.type, v.value, start, end, v.granularity, mod)


# How the tense of a clause, or a word such as "dernier", picks one of a period's repetitions.
_DIRECTION = {"past": "past", "future": "future", "present": "nearest", "unknown": "nearest"}


def choose(make: Callable[[int], TimeValue | None], ref: date, direction: str) -> TimeValue | None:
    """Among the repetitions make(k), k = -2…2 around `ref`, the one `direction` points at."""
    options = [(k, v) for k in range(-2, 3) if (v := make(k)) is not None and v.start and v.end]
    if not options:
        return None
    if direction in ("this", "same"):
        return next((v for k, v in options if k == 0), None)
    if direction == "past":
        picked = [v for _, v in options if v.start <= ref]  # type: ignore[operator]
        return picked[-1] if picked else None
    if direction == "future":
        picked = [v for _, v in options if v.end >= ref]  # type: ignore[operator]
        return picked[0] if picked else None
    if direction == "last":
        picked = [v for _, v in options if v.end < ref]  # type: ignore[operator]
        return picked[-1] if picked else None
    if direction == "next":
        picked = [v for _, v in options if v.start > ref]  # type: ignore[operator]
        return picked[0] if picked else None

    def distance(v: TimeValue) -> int:
        if v.start <= ref <= v.end:  # type: ignore[operator]
            return 0
        return min(abs((v.start - ref).days), abs((v.end - ref).days))  # type: ignore[operator]

    return min(options, key=lambda kv: (distance(kv[1]), kv[0] > 0))[1]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day(d: date | None) -> TimeValue | None:
    return TimeValue("DATE", d.isoformat(), d, d, "day") if d else None


# ---- normalisation --------------------------------------------------------------------------

def normalise(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """The TIMEX3 reading of one candidate, or None when it cannot be given one."""
    handler = _HANDLERS.get(f.kind)
    value = handler(g, f, ctx) if handler else None
    if value is None:
        return None
    if value.type == "DATE" and value.granularity in ("decade", "century") and g.has("pad", value.granularity):
        value = replace(value, value=value.value.ljust(4, "X"))  # English TimeML: "the 1990s" is 199X
    mod = value.mod
    for group, cls in (("approx", "approx"), ("pre", "near")):  # "environ deux mois"; "vers 18 h"
        found = g.lookup(cls, f.groups[group]) if f.groups.get(group) and not mod else None
        mod = found[0] if found and found[0] else mod
    return _bounded(replace(value, mod=mod), ctx)


def _bounded(v: TimeValue, ctx: Context) -> TimeValue:
    """Apply the signal before the expression: "depuis septembre" starts in September and
    runs to the reference date; "d'ici décembre" ends with December."""
    ref, bound = ctx.ref, ctx.bound
    if not bound or v.value.endswith("_REF"):
        return v
    if v.type == "DURATION":  # "depuis trois ans": the three years up to the reference date
        if bound == "since" and ref is not None and (length := _duration_days(v.value)):
            return replace(v, start=ref - timedelta(days=length), end=ref)
        return v
    if v.type not in ("DATE", "TIME") or v.start is None or v.end is None:
        return v
    if bound == "since":
        return replace(v, end=ref if ref and ref >= v.start else v.end, mod=v.mod or "START")
    if bound == "from":
        return replace(v, end=None, mod=v.mod or "START")
    if bound in ("until", "by"):
        start = ref if ref and ref <= v.end else None
        return replace(v, start=start, mod=v.mod or "END" if bound == "until" else "BEFORE")
    if bound == "before":
        return replace(v, start=None, end=v.start - timedelta(days=1), mod="BEFORE")
    if bound == "after":
        return replace(v, start=v.end + timedelta(days=1), end=None, mod="AFTER")
    return v


def _duration_days(value: str) -> int | None:
    m = re.fullmatch(r"P(\d+(?:\.\d+)?)(Y|M|W|D|DE|CE)", value)
    if not m:
        return None
    per = {"Y": 365.25, "M": 30.44, "W": 7, "D": 1, "DE": 3652.5, "CE": 36525}[m.group(2)]
    return round(float(m.group(1)) * per)


def _direction(g: Grammar, f: Found, ctx: Context) -> str:
    if f.groups.get("this"):
        found = g.lookup("this", f.groups["this"])
        return found[0] if found else "this"  # this|same
    rel = f.groups.get("rel")
    if rel:
        found = g.lookup("rel", rel)
        if found:
            return found[0]
    return _DIRECTION[ctx.tense()]


def _year(f: Found, ref: date | None) -> int | None:
    if f.groups.get("year"):
        return int(f.groups["year"])
    if f.groups.get("year2"):  # "octobre 98": the century that puts it at most 10 years ahead
        now = ref.year if ref else 2000
        year = now // 100 * 100 + int(f.groups["year2"])
        return year - 100 if year > now + 10 else year
    return None


def _month(g: Grammar, f: Found) -> int | None:
    if f.groups.get("month"):
        found = g.lookup("month", f.groups["month"])
        return int(found[0]) if found else None
    if f.groups.get("monthnum"):
        return int(f.groups["monthnum"])
    return None


def _ordinal(g: Grammar, text: str) -> int | None:
    found = g.lookup("ordinal", text)
    if found:
        return int(found[0])
    m = re.match(r"(\d+)", text)
    return int(m.group(1)) if m else None


def _roman(text: str) -> int | None:
    if not re.fullmatch(r"[IVXLC]+", text):
        return int(text) if text.isdigit() else None
    total, prev = 0, 0
    for ch in reversed(text):
        v = _ROMAN[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _part_mod(g: Grammar, f: Found) -> str | None:
    found = g.lookup("part", f.groups["part"]) if f.groups.get("part") else None
    return found[0] or None if found else None


def _date(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """Calendar expressions: day, month, year, season, quarter, decade, century, weekday."""
    ref, gr = ctx.ref, f.groups
    part = _part_mod(g, f)
    year = _year(f, ref)
    month = _month(g, f)
    value: TimeValue | None = None
    if gr.get("named"):  # a date that names an event: "9/11", "the September 11 attacks"
        found = g.lookup("named", gr["named"])
        try:
            return _day(date.fromisoformat(found[0])) if found else None
        except ValueError:
            return None
    if gr.get("decade"):
        digits = gr["decade"]
        value = _decade(int(digits) // 10 if len(digits) == 4 else 190 + int(digits) // 10)
    elif gr.get("century") or gr.get("centuryword"):
        n = _roman(gr["century"]) if gr.get("century") else _ordinal(g, gr["centuryword"])
        value = _century(n - 1) if n else None
    elif gr.get("quarter") or gr.get("half"):
        n = _ordinal(g, gr.get("ordinal", ""))
        limit = 4 if gr.get("quarter") else 2
        if not n or n > limit:
            return None
        make = _quarter if gr.get("quarter") else _half
        if year:
            value = make(year, n)
        elif ref:
            value = choose(lambda k: make(ref.year + k, n), ref, _direction(g, f, ctx))
    elif gr.get("season"):
        s = g.lookup("season", gr["season"])[0]  # type: ignore[index]
        if year:
            value = _season(year, s)
        elif ref is None:
            return None
        else:
            direction = _direction(g, f, ctx)
            if direction == "nearest" and ctx.tense() == "present":
                # "le tourisme connaît un boom en été": a bare season in the present is generic
                return TimeValue("DATE", f"XXXX-{s}", None, None, "season", part)
            winter_of = 1 if s == "WI" and ref.month <= 2 else 0  # January is in last year's winter
            value = choose(lambda k: _season(ref.year + k - winter_of, s), ref, direction)
    elif month and gr.get("day"):
        day = int(gr["day"])
        if year:
            value = _day(_safe_date(year, month, day))
        elif ref is not None:
            weekday = gr.get("weekday")
            wd = int(g.lookup("weekday", weekday)[0]) if weekday and g.lookup("weekday", weekday) else None
            if wd:  # "lundi 6 septembre": the year whose 6 September is a Monday, nearest first
                fits = [d for k in (0, -1, 1) if (d := _safe_date(ref.year + k, month, day)) and d.isoweekday() == wd]
                if fits:
                    return _part(_day(fits[0]), part)  # type: ignore[arg-type]
            value = choose(lambda k: _day(_safe_date(ref.year + k, month, day)), ref, _direction(g, f, ctx))
    elif month:
        def month_of(y: int) -> TimeValue:
            return period("M", date(y, month, 1))

        if year:
            value = month_of(year)
        elif ref is not None:
            value = choose(lambda k: month_of(ref.year + k), ref, _direction(g, f, ctx))
    elif year:
        if not 1 <= year <= 2999:
            return None
        value = TimeValue("DATE", str(year), date(year, 1, 1), date(year, 12, 31), "year")
    elif gr.get("weekday") and ref is not None:
        wd = int(g.lookup("weekday", gr["weekday"])[0])  # type: ignore[index]
        direction, base = _direction(g, f, ctx), ref
        if direction in ("this", "same"):
            # "ce lundi" is the nearest Monday; "ce même lundi" the one nearest the day just told
            base = (ctx.anchor() or ref) if direction == "same" else ref
            direction = "nearest"
        monday = base - timedelta(days=base.weekday())
        value = choose(lambda k: _day(monday + timedelta(weeks=k, days=wd - 1)), base, direction)
    if value is None:
        return None
    value = _part(value, part)
    return _with_pod(g, f, value)


def _with_pod(g: Grammar, f: Found, v: TimeValue) -> TimeValue:
    pod = f.groups.get("pod")
    if not pod or v.granularity != "day":
        return v
    found = g.lookup(f.classes.get("pod", "pod"), pod) or g.lookup("pod", pod)
    if not found:
        return v
    granularity = "minute" if found[0][1:2].isdigit() else "part_of_day"  # "midi" is T12:00
    return TimeValue("TIME", v.value + found[0], v.start, v.end, granularity, v.mod)


def _habitual(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """ "le mercredi" names a recurring day unless the clause tells a past event."""
    if ctx.tense() == "past":
        return _date(g, f, ctx)
    wd = g.lookup("weekday", f.groups["weekday"])
    return TimeValue("SET", f"XXXX-WXX-{wd[0]}", granularity="day") if wd else None


def _relunit(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """ "la semaine dernière", "cette année", "next month": a period counted from the
    reference date."""
    ref = ctx.ref
    unit_found = g.lookup("unit", f.groups.get("unit", ""))
    if ref is None or not unit_found:
        return None
    unit = unit_found[0]
    if unit in ("H", "MIN", "S"):
        return None
    direction = _direction(g, f, ctx)
    step = {"last": -1, "next": 1}.get(direction, 0)
    if unit == "WE" and direction not in ("last", "next"):
        # "ce week-end" told in the past, before the weekend, is the one just gone
        if ref.isoweekday() < 6 and ctx.tense() == "past":
            step = -1
    value = period(unit, shift(ref, step, unit))
    return _with_pod(g, f, _part(value, _part_mod(g, f)))


def _number_and_unit(g: Grammar, f: Found) -> tuple[float, str] | None:
    unit_found = g.lookup("unit", f.groups.get("unit", ""))
    if not unit_found:
        return None
    text = f.groups.get("num") or f.groups.get("one")
    n = g.number(text) if text else 1.0  # "the past year"
    if n is None:
        return None
    if f.groups.get("half"):
        n += 0.5
    return n, unit_found[0]


def duration_value(n: float, unit: str) -> str:
    """TIMEX3 duration: P2D, P18M (for 1.5 years), PT30M, P1DE."""
    scale = {"2W": (2, "W"), "6M": (6, "M"), "Q": (3, "M"), "WE": (2, "D"), "10CE": (1000, "Y")}
    if unit in scale:
        factor, unit = scale[unit]
        n *= factor
    if n != int(n):
        finer = {"Y": (12, "M"), "D": (24, "H"), "H": (60, "MIN"), "MIN": (60, "S"), "W": (7, "D")}
        if unit in finer and (n * finer[unit][0]) == int(n * finer[unit][0]):
            factor, unit = finer[unit]
            n *= factor
    amount = str(int(n)) if n == int(n) else f"{n:g}"
    if unit in ("H", "MIN", "S"):
        return f"PT{amount}{'M' if unit == 'MIN' else unit}"
    return f"P{amount}{unit}"


def _two_units(g: Grammar, f: Found, first: str) -> str | None:
    """ "1hr 4 mins" → PT1H4M: the second unit, smaller than the first, joined to its value."""
    second = g.lookup("unit", f.groups.get("unit2", ""))
    n2 = g.number(f.groups.get("num2", ""))
    if not second or not n2 or n2 != int(n2):
        return None
    part = duration_value(n2, second[0])
    clock = first.startswith("PT")
    order = "HMS" if clock else "YMWD"
    a, b = first.lstrip("PT"), part.lstrip("PT")
    if clock != part.startswith("PT") or a[-1] not in order or b[-1] not in order \
            or order.index(a[-1]) >= order.index(b[-1]):
        return None  # "5 years 3 hours" or "3 months 5 years": not one duration
    return first + b


def _duration(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    parsed = _number_and_unit(g, f)
    if parsed is None or parsed[0] <= 0:
        return None
    n, unit = parsed
    value = duration_value(n, unit)
    if f.groups.get("unit2"):
        joined = _two_units(g, f, value)
        if joined is None:
            return None
        second = g.lookup("unit", f.groups["unit2"])
        return TimeValue("DURATION", joined, None, None, _GRANULARITY.get(second[0]) if second else None)
    start = end = None
    rel = g.lookup("rel", f.groups.get("rel", ""))
    if rel and ctx.ref and n == int(n) and unit not in ("H", "MIN", "S"):
        # "les trois derniers jours", "the next two weeks": counted from the reference date
        start, end = sorted((ctx.ref, shift(ctx.ref, int(n) * (-1 if rel[0] == "last" else 1), unit)))
    return TimeValue("DURATION", value, start, end, _GRANULARITY.get(unit))


def _vague(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    unit_found = g.lookup("unit", f.groups.get("unit", ""))
    if not unit_found:
        return None
    unit = unit_found[0]
    letter = {"2W": "W", "6M": "M", "Q": "M", "WE": "D", "10CE": "CE"}.get(unit, unit)
    value = f"PTX{'M' if letter == 'MIN' else letter}" if letter in ("H", "MIN", "S") else f"PX{letter}"
    return TimeValue("DURATION", value, None, None, _GRANULARITY.get(unit))


# The period a date moved by a number of units is given in: "two decades ago" is a year.
_PERIOD_UNIT = {"DE": "Y", "CE": "Y", "10CE": "Y", "Q": "M", "6M": "M", "2W": "W", "WE": "W"}


def _ago(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """ "il y a trois jours", "two weeks ago": the reference date moved back."""
    if ctx.ref is None:
        return None
    if f.groups.get("vague"):
        return TimeValue("DATE", "PAST_REF", None, ctx.ref, None)
    parsed = _number_and_unit(g, f)
    if parsed is None:
        return None
    n, unit = parsed
    if unit in ("H", "MIN", "S"):
        return _day(ctx.ref)
    if n != int(n):
        months = round(n * _UNIT_MONTHS.get(unit, 0)) if unit in _UNIT_MONTHS else None
        if months is None:
            return None
        n, unit = months, "M"
    moved = shift(ctx.ref, -int(n), unit)
    return period(_PERIOD_UNIT.get(unit, unit), moved)


def _later(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """ "two days later", "a few hours later": the day told last (or the reference date) moved
    forward; a vague number of days or more cannot be placed."""
    unit_found = g.lookup("unit", f.groups.get("unit", ""))
    days = bool(unit_found) and unit_found[0] in ("D", "H", "MIN", "S")  # type: ignore[index]
    base = (ctx.anchor() if days else ctx.period() or ctx.anchor()) or ctx.ref
    if base is None or not unit_found:
        return None
    if unit_found[0] in ("H", "MIN", "S"):
        return _day(base)
    if f.groups.get("vague"):
        return None
    parsed = _number_and_unit(g, f)
    if parsed is None or parsed[0] != int(parsed[0]):
        return None
    n, unit = parsed
    moved = shift(base, int(n), unit)
    return period(_PERIOD_UNIT.get(unit, unit), moved)


def _set(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    gr = f.groups
    for cls in ("weekdays", "weekday"):
        if gr.get(cls):
            wd = g.lookup(cls, gr[cls])
            return TimeValue("SET", f"XXXX-WXX-{wd[0]}", granularity="day") if wd else None
    if gr.get("pod"):
        pod = g.lookup(f.classes.get("pod", "pod"), gr["pod"])
        return TimeValue("SET", f"XXXX-XX-XX{pod[0]}", granularity="part_of_day") if pod else None
    unit_found = g.lookup("unit", gr.get("unit", ""))
    if not unit_found:
        return None
    n = g.number(gr["num"]) if gr.get("num") else 1.0
    marker = g.lookup("set", gr.get("set", ""))
    if marker and "-" in marker[0]:  # "every other day"
        n = (n or 1.0) * float(marker[0].split("-")[1])
    if not n:
        return None
    return TimeValue("SET", duration_value(n, unit_found[0]), granularity=_GRANULARITY.get(unit_found[0]))


def _setadj(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    found = g.lookup("setadj", f.groups.get("setadj", ""))
    return TimeValue("SET", found[0]) if found else None


def _time(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """Clock times, anchored on the day last mentioned (or the reference date)."""
    gr = f.groups
    if gr.get("clock"):
        found = g.lookup("pod", gr["clock"])
        if not found:
            return None
        hour_minute = found[0].lstrip("T")
    else:
        hour = int(gr["hour"])
        minute = int(gr.get("minute") or 0)
        if gr.get("half"):
            minute = 30
        if gr.get("quarter_past"):
            minute = 15
        found_ampm = g.lookup("ampm", gr["ampm"]) if gr.get("ampm") else None
        ampm = found_ampm[0] if found_ampm else ""
        if hour > 24 or (hour > 12 and ampm):
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        hour_minute = f"{hour:02d}:{minute:02d}"
    if gr.get("dayword") or gr.get("weekday"):  # "hier à 10 h", "mardi à 21 h 45"
        told = _dayword(g, f, ctx) if gr.get("dayword") else _date(g, f, ctx)
        day = told.start if told else None
    else:
        day = ctx.anchor() or ctx.ref
    if day is None:
        return TimeValue("TIME", f"XXXX-XX-XXT{hour_minute}", None, None, "minute")
    return TimeValue("TIME", f"{day.isoformat()}T{hour_minute}", day, day, "minute")


def _pod(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """Parts of days: "hier soir", "ce matin", "mardi soir", "la nuit" (of the last day told)."""
    gr = f.groups
    if gr.get("dayword"):
        return _dayword(g, f, ctx)
    if gr.get("weekday") or gr.get("month"):
        return _date(g, f, ctx)
    day = ctx.ref if gr.get("this") else ctx.anchor() or ctx.ref
    if day is None:
        return None
    return _with_pod(g, f, _part(_day(day), _part_mod(g, f)))  # type: ignore[arg-type]


def _dayword(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    """ "hier", "demain", "today": the reference date moved by whole days."""
    found = g.lookup("dayword", f.groups["dayword"])
    if ctx.ref is None or not found:
        return None
    day = _day(ctx.ref + timedelta(days=int(found[0])))
    return _with_pod(g, f, _part(day, _part_mod(g, f)))  # type: ignore[arg-type]


_OFFSET = re.compile(r"(REF|@)([+-]\d+)(D|W|M|Y)")


def _word(g: Grammar, f: Found, ctx: Context) -> TimeValue | None:
    found = g.lookup("word", f.groups.get("word", ""))
    if not found:
        return None
    kind, value = found[0], found[1]
    m = _OFFSET.fullmatch(value)
    if m:
        if m.group(1) == "REF":
            base = ctx.ref
        else:  # "the next day" follows a day; "the following year" may follow "2015"
            base = ctx.anchor() if m.group(3) == "D" else ctx.period() or ctx.anchor()
            base = base or ctx.ref
        if base is None:
            return None
        told = _part(period(m.group(3), shift(base, int(m.group(2)), m.group(3))), _part_mod(g, f))
        if len(found) > 2 and found[2]:  # "tonight", "(late) last night"
            return TimeValue("TIME", told.value + found[2], told.start, told.end, "part_of_day", told.mod)
        return told
    if value == "PRESENT_REF":
        return TimeValue(kind, value, ctx.ref, ctx.ref)
    if value == "PAST_REF":
        return TimeValue(kind, value, None, ctx.ref)
    if value == "FUTURE_REF":
        return TimeValue(kind, value, ctx.ref, None)
    unit = re.search(r"(Y|M|W|D|H|S)$", value)  # "une demi-heure": PT30M, by the minute
    letter = unit.group(1) if unit else ""
    if value.startswith("PT") and letter == "M":
        letter = "MIN"
    return TimeValue(kind, value, granularity=_GRANULARITY.get(letter))


_HANDLERS: dict[str, Callable[[Grammar, Found, Context], TimeValue | None]] = {
    "date": _date, "weekday": _date, "habitual": _habitual, "relunit": _relunit,
    "duration": _duration, "vague": _vague, "ago": _ago, "later": _later, "set": _set, "setadj": _setadj,
    "time": _time, "pod": _pod, "dayword": _dayword, "word": _word,
}
