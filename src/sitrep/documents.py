"""From RawDocument to Document: normalised text and a content id.

Normalisation is Unicode NFC and newlines unified to "\\n", trailing spaces on lines removed and
runs of blank lines collapsed. No-break spaces (U+00A0, U+202F) stay as they are: French
typography uses them before « ; : ? ! » and inside digit groups, and later stages read them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .errors import InputError
from .models import Document, RawDocument

__all__ = ["normalize_text", "document_id", "to_document"]

_TRAILING = re.compile(r"[ \t]+\n")
_BLANKS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _TRAILING.sub("\n", text)
    text = _BLANKS.sub("\n\n", text)
    return text.strip()


def document_id(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_document(raw: RawDocument, min_chars: int = 1) -> Document:
    text = normalize_text(raw.text)
    if len(text) < min_chars:
        raise InputError(raw.source.name, f"no text to read ({len(text)} characters)")
    return Document(id=document_id(text), text=text, source=raw.source, published=raw.published)
