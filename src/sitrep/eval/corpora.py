"""Readers for the raw text of the gold corpora (FR-TimeBank .tml, ECB+ token XML), shared by
evaluations and benchmarks. Scoring lives in the evaluation modules, not here."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CorpusText", "timebank_texts", "ecb_texts", "detokenize"]


@dataclass(frozen=True)
class CorpusText:
    name: str
    text: str
    published: str | None
    group: str | None = None  # ECB+: "<topic>_ecb" or "<topic>_ecbplus"


def timebank_texts(folder: Path) -> Iterator[CorpusText]:
    """Each .tml document's TEXT (markup removed) with its DCT."""
    for path in sorted(folder.glob("*.tml")):
        root = ET.parse(path).getroot()
        dct = root.find("DCT/TIMEX3")
        body = root.find("TEXT")
        text = "".join(body.itertext()) if body is not None else ""
        yield CorpusText(path.stem, text.strip(), dct.get("value") if dct is not None else None)


_NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|'')$", re.I)
_NO_SPACE_AFTER = {"(", "[", "{", "``", "$"}


def detokenize(tokens: list[str]) -> str:
    out: list[str] = []
    for tok in tokens:
        if out and not _NO_SPACE_BEFORE.match(tok) and out[-1] not in _NO_SPACE_AFTER:
            out.append(" ")
        out.append({"``": "\"", "''": "\"", "-LRB-": "(", "-RRB-": ")"}.get(tok, tok))
    return "".join(out)


def ecb_texts(folder: Path) -> Iterator[CorpusText]:
    """Each ECB+ document's text rebuilt from its tokens, one line per sentence."""
    for path in sorted(folder.glob("*/*.xml"), key=lambda p: (int(p.parent.name) if p.parent.name.isdigit() else 0, p.name)):
        root = ET.parse(path).getroot()
        sentences: dict[int, list[str]] = {}
        for tok in root.iter("token"):
            sentences.setdefault(int(tok.get("sentence", 0)), []).append(tok.text or "")
        text = "\n".join(detokenize(toks) for _, toks in sorted(sentences.items()))
        kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        yield CorpusText(path.stem, text, None, f"{path.parent.name}_{kind}")
