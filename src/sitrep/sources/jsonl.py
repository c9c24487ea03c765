"""JSON Lines: one article per line, with `text` or `html`, and optional `url`, `title`,
`published`, `outlet`, `author`. A bad line is a reject naming its line number; the others go on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from ..errors import InputError
from ..models import RawDocument, Reject, Source
from ..settings import Settings
from .html import extract

__all__ = ["read"]


def read(data: bytes, source: Source, settings: Settings) -> Iterator[RawDocument | Reject]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source.name, f"JSON Lines must be UTF-8 (invalid byte at {exc.start})") from exc
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source.name}:{number}"
        try:
            yield _article(line, source, where, settings.min_text_chars)
        except InputError as exc:
            yield Reject(where, exc.reason)


def _article(line: str, source: Source, where: str, min_chars: int) -> RawDocument:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON ({exc.msg}, column {exc.colno})") from exc
    except RecursionError as exc:  # hostile nesting: refuse it, don't crash on it
        raise InputError(where, "JSON nested too deeply") from exc
    if not isinstance(item, dict):
        raise InputError(where, "a line must be a JSON object with 'text' or 'html'")
    fields = {}
    for key in ("url", "title", "outlet", "author"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(where, f"'{key}' must be a string")
        fields[key] = value
    published = item.get("published")
    if published is not None and not isinstance(published, str):
        raise InputError(where, "'published' must be a string date")
    line_source = replace(source, path=where, **fields)
    if isinstance(item.get("text"), str) and item["text"].strip():
        return RawDocument(text=item["text"], source=line_source, published=published)
    if isinstance(item.get("html"), str) and item["html"].strip():
        return extract(item["html"], line_source, published, min_chars)
    raise InputError(where, "no 'text' or 'html' with content")
