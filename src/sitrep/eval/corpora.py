"""Readers for the gold corpora (FR-TimeBank .tml, ECB+ token XML, our JSON Lines gold sets),
shared by evaluations and benchmarks. Scoring lives in the evaluation modules, not here."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CorpusText", "timebank_texts", "ecb_texts", "detokenize", "jsonl_records"]


def jsonl_records(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines gold file, or of every .jsonl file of a folder (in name order);
    blank lines are skipped, a line that is not JSON is an InputError naming file and line."""
    from ..errors import InputError

    records = []
    for file in sorted(path.glob("*.jsonl")) if path.is_dir() else [path]:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{file}:{number}", f"not JSON: {exc}") from exc
    return records


@dataclass(frozen=True)
class CorpusText:
    name: str
    text: str
    published: str | None
    group: str | None = None  # ECB+: "<topic>_ecb" or "<topic>_ecbplus"
    # ECB+: gold event mentions (start, end, chain): characters of `text`; the chain is the
    # cross-document coreference instance, or the mention alone when it has none.
    events: tuple[tuple[int, int, str], ...] = ()


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
    return detokenize_spans(tokens)[0]


def detokenize_spans(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The text of `tokens` with spaces where English puts them, and each token's characters."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for tok in tokens:
        if out and not _NO_SPACE_BEFORE.match(tok) and out[-1] not in _NO_SPACE_AFTER:
            out.append(" ")
            at += 1
        piece = {"``": "\"", "''": "\"", "-LRB-": "(", "-RRB-": ")"}.get(tok, tok)
        out.append(piece)
        spans.append((at, at + len(piece)))
        at += len(piece)
    return "".join(out), spans


def ecb_texts(folder: Path) -> Iterator[CorpusText]:
    """Each ECB+ document's text rebuilt from its tokens, one line per sentence, with its gold
    event mentions (ACTION_* and NEG_ACTION_* markables) and their coreference chains."""
    for path in sorted(folder.glob("*/*.xml"), key=lambda p: (int(p.parent.name) if p.parent.name.isdigit() else 0, p.name)):
        root = ET.parse(path).getroot()
        sentences: dict[int, list[tuple[str, str]]] = {}
        for tok in root.iter("token"):
            sentences.setdefault(int(tok.get("sentence", 0)), []).append((tok.get("t_id", ""), tok.text or ""))
        lines, where, offset = [], {}, 0
        for _, toks in sorted(sentences.items()):
            line, spans = detokenize_spans([t for _, t in toks])
            for (t_id, _), (a, b) in zip(toks, spans):
                where[t_id] = (offset + a, offset + b)
            lines.append(line)
            offset += len(line) + 1
        text = "\n".join(lines)
        kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        yield CorpusText(path.stem, text, None, f"{path.parent.name}_{kind}", _event_mentions(root, where, path.stem))


def _event_mentions(root: ET.Element, where: dict[str, tuple[int, int]], doc: str) -> tuple[tuple[int, int, str], ...]:
    markables = root.find("Markables")
    if markables is None:
        return ()
    anchors: dict[str, tuple[int, int]] = {}
    for m in markables:
        if not (m.tag.startswith("ACTION_") or m.tag.startswith("NEG_ACTION_")):
            continue
        spans = [where[a.get("t_id", "")] for a in m.findall("token_anchor") if a.get("t_id", "") in where]
        if spans:
            anchors[m.get("m_id", "")] = (min(s for s, _ in spans), max(e for _, e in spans))
    chain: dict[str, str] = {}
    relations = root.find("Relations")
    for r in relations if relations is not None else ():
        target = r.find("target")
        name = r.get("note") if r.tag == "CROSS_DOC_COREF" else None
        if name is None and target is not None:
            name = f"{doc}:{target.get('m_id')}"  # within the document only
        for src in r.findall("source"):
            chain.setdefault(src.get("m_id", ""), name or "")
    return tuple(sorted((s, e, chain.get(m) or f"{doc}:{m}") for m, (s, e) in anchors.items()))
