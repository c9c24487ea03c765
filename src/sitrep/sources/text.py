"""Plain-text articles: the encoding is detected, not assumed, and binary data is refused."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from charset_normalizer import from_bytes

from ..errors import InputError
from ..models import RawDocument, Reject, Source
from ..settings import Settings

__all__ = ["read", "decode"]

# Control characters other than tab, newlines and form feed: text has almost none of them.
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls > max(2, len(sample) // 100)


def _plausible(text: str) -> bool:
    """Decoded text that is mostly letters, digits, spaces and punctuation."""
    sample = text[:8192]
    if not sample:
        return False
    odd = sum(1 for ch in sample if not (ch.isprintable() or ch in "\n\r\t\f"))
    return odd <= len(sample) // 200


def decode(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding). Raise InputError with the reason."""
    if encoding != "auto":
        try:
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise InputError(name, f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(name, f"not valid {encoding} (byte {exc.start}); try --encoding auto") from exc
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputError(name, f"invalid {codec} after its byte-order mark (byte {exc.start})") from exc
    if _looks_binary(data):
        raise InputError(name, "binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # Text that already holds well-formed UTF-8 sequences was written as UTF-8 and then
        # damaged: decoding it as a legacy code page would only turn it into mojibake.
        if _UTF8_MULTIBYTE.search(data):
            raise InputError(name, f"invalid UTF-8 (byte {exc.start}: {data[exc.start]:#04x})") from exc
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if _plausible(text):
            return text, best.encoding
    raise InputError(name, "invalid UTF-8 and no other text encoding fits")


def read(data: bytes, source: Source, settings: Settings) -> Iterator[RawDocument | Reject]:
    text, encoding = decode(data, source.name, settings.encoding)
    if not _plausible(text):
        raise InputError(source.name, "binary data, not text")
    yield RawDocument(text=text, source=source, encoding=encoding)
