"""Explicit calendar dates in French and English text ("23 octobre 2024", "October 23, 2024",
"1er mai 2023", "2024-10-23", "23/10/2024"), and ISO parsing of metadata dates.

This is the small shared piece that the posts and dating stages need before the full time
stage runs; the `times` stage builds on the same month lexicons.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache

from . import lexicons

__all__ = ["months", "find_dates", "parse_iso", "ExplicitDate"]

ExplicitDate = tuple[date, tuple[int, int]]


@cache
def months() -> dict[str, int]:
    """Month words of every language with a lexicon, lower case, to month numbers."""
    table: dict[str, int] = {}
    for lang in lexicons.languages():
        for row in lexicons.table(lang, "months"):
            table[row[0].lower()] = int(row[1])
    return table


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    names = sorted(months(), key=len, reverse=True)
    month = "(?P<month>" + "|".join(re.escape(n) for n in names) + r")(?![\w])"
    day = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
    year = r"(?P<year>(?:1[89]|20)\d\d)(?!\d)"
    return (
        re.compile(rf"(?<![\w]){day}\s+{month}\s*,?\s+{year}", re.I),
        re.compile(rf"(?<![\w]){month}\s+{day},?\s+{year}", re.I),
        re.compile(rf"(?<![\w.\d]){year}-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])"),
        re.compile(rf"(?<![\w/.\d])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/{year}"),
    )


def find_dates(text: str) -> Iterator[ExplicitDate]:
    """Every explicit, valid day-precision date in `text` with its span (dd/mm/yyyy order)."""
    seen: set[tuple[int, int]] = set()
    for pattern in _patterns():
        for m in pattern.finditer(text):
            groups = m.groupdict()
            month = months()[groups["month"].lower()] if groups.get("month") else int(groups["m"])
            day = int(groups["day"] if groups.get("day") else groups["d"])
            try:
                value = date(int(groups["year"]), month, day)
            except ValueError:
                continue
            span = m.span()
            if not any(s <= span[0] < e for s, e in seen):
                seen.add(span)
                yield value, span


def parse_iso(value: str) -> str | None:
    """A metadata date as "YYYY-MM-DD" or a full ISO datetime; None when it is not a date."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = next(find_dates(value), None)
        return found[0].isoformat() if found else None
    if len(value) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()
