"""Sources: turn what the user names (files, folders, JSON Lines, stdin) into raw documents.

One module per source kind; each registers a reader by name in `READERS`. `iter_inputs` walks
the user's paths in order and yields, for every article, a `RawDocument` or a `Reject` with a
one-line reason — it never raises for a bad input, so the rest of the batch goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import RawDocument, Reject, Source
from ..settings import Settings
from . import html, jsonl, text

__all__ = ["READERS", "iter_inputs", "read_bytes", "reader_for"]

Reader = Callable[[bytes, Source, Settings], Iterator[RawDocument | Reject]]

READERS: dict[str, Reader] = {
    "text": text.read,
    "html": html.read,
    "jsonl": jsonl.read,
}

_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def reader_for(name: str, head: bytes) -> str:
    """The reader for an input, by its suffix, else by sniffing its first bytes."""
    kind = _SUFFIXES.get(Path(name).suffix.lower())
    if kind:
        return kind
    start = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_bytes(data: bytes, source: Source, settings: Settings, kind: str | None = None) -> Iterator[RawDocument | Reject]:
    name = source.name
    if len(data) > settings.max_bytes:
        yield Reject(name, f"input is {len(data):,} bytes, over the limit of {settings.max_bytes:,} (setting max_bytes)")
        return
    if not data.strip():
        yield Reject(name, "input is empty")
        return
    try:
        yield from READERS[kind or reader_for(name, data)](data, source, settings)
    except InputError as exc:
        yield Reject(exc.source, exc.reason)


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child
    else:
        yield path


def iter_inputs(paths: Iterable[str], settings: Settings) -> Iterator[RawDocument | Reject]:
    """Every article under `paths` ("-" is stdin), in order, as a RawDocument or a Reject."""
    for arg in paths:
        if arg == "-":
            data = sys.stdin.buffer.read(settings.max_bytes + 1)
            yield from read_bytes(data, Source(path="<stdin>"), settings)
            continue
        path = Path(arg)
        if not path.exists():
            yield Reject(arg, "no such file or folder")
            continue
        for file in _files(path):
            try:
                size = file.stat().st_size
                if size > settings.max_bytes:
                    yield Reject(str(file), f"input is {size:,} bytes, over the limit of {settings.max_bytes:,} (setting max_bytes)")
                    continue
                data = file.read_bytes()
            except OSError as exc:
                yield Reject(str(file), f"cannot read: {exc.strerror or exc}")
                continue
            yield from read_bytes(data, Source(path=str(file)), settings)
