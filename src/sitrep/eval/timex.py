"""`sitrep eval timex PATH`: time expressions against gold kept as JSON Lines (one article a
line), such as tests/data/times/en.jsonl — hand-annotated English news with TimeML values.

A line holds `id`, `published` (the reference date, YYYY-MM-DD), `text`, and `timexes`: a list
of {text, type, value} with either `start`/`end` (character offsets into `text`) or
`occurrence` (the n-th whole-word occurrence of `text`, counted from 1). The articles are read
and scored exactly as `sitrep eval timebank` reads and scores TimeML: same pipeline, same
one-to-one alignment, same figures (see `sitrep.eval.timebank`). PATH is a .jsonl file or a
folder of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..documents import normalize_text
from ..errors import ConfigError, InputError
from . import register_eval
from .timebank import GoldDocument, GoldTimex, offset_map, run, score

__all__ = ["read_jsonl", "evaluate"]


def _span(name: str, text: str, item: dict[str, Any]) -> tuple[int, int]:
    """The offsets of one gold expression: given, or found as its n-th whole-word occurrence."""
    phrase = str(item.get("text", ""))
    if isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
        start, end = item["start"], item["end"]
        if phrase and text[start:end] != phrase:
            raise InputError(name, f"offsets {start}-{end} hold {text[start:end]!r}, not {phrase!r}")
        return start, end
    n = int(item.get("occurrence", 1))
    found = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text)] if phrase else []
    if len(found) < n:
        raise InputError(name, f"{phrase!r} does not occur {n} time(s) in the text")
    return found[n - 1], found[n - 1] + len(phrase)


def _document(name: str, record: dict[str, Any]) -> GoldDocument:
    raw = str(record.get("text", ""))
    published = str(record.get("published") or "")
    if not raw or not re.fullmatch(r"\d{4}-\d\d-\d\d.*", published):
        raise InputError(name, "no text or no published date (YYYY-MM-DD)")
    spans = [(_span(name, raw, t), t) for t in record.get("timexes", [])]
    text = normalize_text(raw)
    where = offset_map(raw, text)  # normalising only drops characters: blank lines, trailing spaces
    timexes = []
    for (start, end), t in sorted(spans, key=lambda x: x[0]):
        a, b = where[start], where[end]
        timexes.append(GoldTimex((a, b), text[a:b], str(t.get("type", "")), str(t.get("value", ""))))
    return GoldDocument(name, published[:10], text, tuple(timexes))


def read_jsonl(path: Path) -> Iterator[GoldDocument]:
    """The gold documents of one .jsonl file."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}", f"not JSON: {exc}") from exc
            yield _document(str(record.get("id") or f"{path.stem}:{number}"), record)


def _documents(path: Path) -> Iterator[GoldDocument]:
    files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise ConfigError(f"no .jsonl files in {path}")
    for file in files:
        yield from read_jsonl(file)


@register_eval("timex")
def evaluate(path: Path) -> dict[str, Any]:
    return score(run(_documents(path)))
