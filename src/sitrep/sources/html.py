"""HTML pages: main text and metadata (title, author, date, site) extracted with trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import trafilatura

from ..errors import InputError
from ..models import RawDocument, Reject, Source
from ..settings import Settings
from .text import decode

__all__ = ["read", "extract"]


def extract(markup: str, source: Source, published: str | None = None, min_chars: int = 20) -> RawDocument:
    """Main text and metadata of one HTML page; InputError when the page has no main text."""
    try:
        result = trafilatura.bare_extraction(
            markup, url=source.url, with_metadata=True, include_comments=False,
            include_tables=False, favor_precision=True, deduplicate=False,
        )
    except (ValueError, RecursionError, MemoryError) as exc:  # lxml refuses some hostile markup
        raise InputError(source.name, f"cannot parse the HTML ({type(exc).__name__})") from exc
    body = (result.text if result is not None else None) or ""
    # Navigation crumbs ("Accueil") are what trafilatura falls back to on pages with no article.
    if len(body.strip()) < min_chars:
        raise InputError(source.name, "HTML page with no main text")
    meta = result
    source = replace(
        source,
        url=source.url or meta.url,
        title=source.title or meta.title,
        author=source.author or meta.author,
        outlet=source.outlet or meta.sitename or meta.hostname,
    )
    return RawDocument(text=body, source=source, published=published or meta.date)


def read(data: bytes, source: Source, settings: Settings) -> Iterator[RawDocument | Reject]:
    markup, _ = decode(data, source.name, "auto" if settings.encoding == "auto" else settings.encoding)
    yield extract(markup, source, min_chars=settings.min_text_chars)
