"""Blocking keys: which stories an event is compared with at all, so linking stays near-linear.

A key is `kind|TYPE|country|time bucket`: an event is only scored against stories of the same
PLOVER type, background or not (`H`/`N`: background events never meet current ones), sharing a
participant or place country, and close in time. Stories are also filed under `-` when a member
has no country, and under `*` always: an event with countries also looks under `-`, and an event
whose participants are all unresolved looks under `*`, among every story of its type and time —
as does a whole document (report_facts), which names many countries besides its main one.

Time buckets are ISO-week numbers for events dated to within two months, and calendar months for
coarser ones ("in 2023"); an event looks in its own buckets and `window` days either side.
Undated events (no time, no publication date) are rare in news; they look among all stories of
their type and country (bucket `*`), and stories with no dated member are kept under `u`, where
dated events look too.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from .facts import DOCUMENT_TYPE, Facts

__all__ = ["query_keys", "index_keys", "day_distance", "shift", "WINDOW_DAYS", "UNDATED"]

WINDOW_DAYS = 7  # how far either side of its days an event looks for a story
_FINE_SPAN = 62  # intervals up to two months are bucketed by week, longer ones by month
_MAX_WEEKS = 60
_MAX_MONTHS = 24
UNDATED = "|u"  # suffix of the keys of stories with no dated member


def _query_prefix(f: Facts) -> list[str]:
    head = f"{'H' if f.historical else 'N'}|{f.type}"
    if not f.countries or f.type == DOCUMENT_TYPE:
        # No country known (participants unresolved): any story of the type and time may be it.
        return [f"{head}|*"]
    return [f"{head}|{c}" for c in sorted(f.countries)] + [f"{head}|-"]


def _index_prefix(f: Facts) -> list[str]:
    head = f"{'H' if f.historical else 'N'}|{f.type}"
    return [f"{head}|{c}" for c in sorted(f.countries) or ["-"]] + [f"{head}|*"]


@cache
def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def _weeks(start: int, end: int) -> list[str]:
    first, last = start // 7, end // 7
    if last - first >= _MAX_WEEKS:
        return []
    return [f"w{w}" for w in range(first, last + 1)]


def _months(start: int, end: int) -> list[str]:
    a, b = date.fromordinal(start), date.fromordinal(end)
    months: list[str] = []
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month) and len(months) < _MAX_MONTHS:
        months.append(f"mc{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


@cache
def _query_buckets(start_day: str, end_day: str, window: int) -> tuple[str, ...]:
    start, end = _ordinal(start_day), _ordinal(end_day)
    if end - start <= _FINE_SPAN:
        return (*_weeks(start - window, end + window), *_months(start, end), "u")
    return (*_months(start, end), *_weeks(start, end), "u")


@cache
def _index_buckets(start_day: str, end_day: str) -> tuple[str, ...]:
    start, end = _ordinal(start_day), _ordinal(end_day)
    if end - start <= _FINE_SPAN:
        return tuple(_weeks(start, end))
    return tuple(_months(start, end))


def query_keys(f: Facts, window: int = WINDOW_DAYS) -> list[str]:
    """The keys under which candidate stories for `f` are found, `window` days either side."""
    interval = f.interval
    buckets = _query_buckets(*interval, window) if interval else ("*",)
    return [f"{p}|{b}" for p in _query_prefix(f) for b in buckets]


def index_keys(f: Facts) -> list[str]:
    """The keys a story is filed under once `f` has joined it."""
    interval = f.interval
    buckets: tuple[str, ...] = ("*",) + (_index_buckets(*interval) if interval else ("u",))
    return [f"{p}|{b}" for p in _index_prefix(f) for b in buckets]


def day_distance(a: str, b: str) -> int:
    return abs(_ordinal(a) - _ordinal(b))


def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
