"""`sitrep eval timebank PATH`: time expressions against ISO-TimeML gold (French TimeBank, or
any folder of .tml files: TimeBank, TempEval-3).

Each document's text is rebuilt from its <TEXT> element, run through sitrep with the document
creation time (DCT) as `published`, and the predicted times are aligned one-to-one with the
gold TIMEX3 of the body (the DCT itself sits in metadata and is left out) by character
overlap. Gold offsets are mapped into sitrep's normalised text, which only drops whitespace.

Figures: strict (same extent) and relaxed (overlapping) precision, recall and F1; type and
value accuracy over the relaxed matches; value precision/recall/F1 (a prediction counts when it
overlaps a gold expression and has its value, as in TempEval-3); and the time spent in the
`times` and `nlp` stages, to keep the stage cheap. `run` and `score` are shared with
`sitrep eval timex` (src/sitrep/eval/timex.py), which reads gold kept as JSON Lines.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import normalize_text, to_document
from ..errors import ConfigError, InputError
from ..models import Document, RawDocument, Source, TimeExpr
from ..pipeline import DEFAULT_STAGES, Pipeline, stage_names
from . import register_eval

__all__ = ["GoldTimex", "GoldDocument", "read_tml", "offset_map", "align", "run", "compare", "score", "evaluate"]


@dataclass(frozen=True)
class GoldTimex:
    span: tuple[int, int]
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class GoldDocument:
    name: str
    dct: str
    text: str  # normalised as sitrep normalises
    timexes: tuple[GoldTimex, ...]


def _raw_text(element: ET.Element) -> tuple[str, list[tuple[int, int, dict[str, str]]]]:
    """The text of an element with the offsets of the TIMEX3 inside it."""
    parts: list[str] = []
    spans: list[tuple[int, int, dict[str, str]]] = []
    size = 0

    def walk(el: ET.Element) -> None:
        nonlocal size
        if el.text:
            parts.append(el.text)
            size += len(el.text)
        for child in el:
            start = size
            walk(child)
            if child.tag == "TIMEX3":
                spans.append((start, size, dict(child.attrib)))
            if child.tail:
                parts.append(child.tail)
                size += len(child.tail)

    walk(element)
    return "".join(parts), spans


def offset_map(raw: str, normal: str) -> list[int]:
    """Position in `normal` of every position of `raw` (normalisation only deletes characters:
    blank lines, trailing spaces, carriage returns), with one extra entry for the end."""
    out, j = [], 0
    for ch in raw:
        out.append(j)
        if j < len(normal) and (ch == normal[j] or (ch in "\r\u2028" and normal[j] == "\n")):
            j += 1
    out.append(j)
    return out


def read_tml(path: Path) -> GoldDocument:
    import unicodedata

    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise InputError(str(path), f"not well-formed TimeML: {exc}") from exc
    body = root.find(".//TEXT")
    dct = root.find(".//DCT/TIMEX3")
    if body is None or dct is None or not dct.get("value"):
        raise InputError(str(path), "no <TEXT> or no DCT value")
    raw, spans = _raw_text(body)
    raw = unicodedata.normalize("NFC", raw)
    text = normalize_text(raw)
    where = offset_map(raw, text)
    timexes = []
    for start, end, attrs in spans:
        a, b = where[start], where[end]
        while b > a and text[b - 1].isspace():
            b -= 1
        timexes.append(GoldTimex((a, b), text[a:b], attrs.get("type", ""), attrs.get("value", "")))
    return GoldDocument(path.stem, dct.get("value", "")[:10], text, tuple(timexes))


def align(gold: tuple[GoldTimex, ...], predicted: tuple[TimeExpr, ...]) -> list[tuple[GoldTimex, TimeExpr]]:
    """One-to-one pairs of overlapping gold and predicted expressions, largest overlap first."""
    pairs = []
    for g in gold:
        for p in predicted:
            overlap = min(g.span[1], p.span[1]) - max(g.span[0], p.span[0])
            if overlap > 0:
                pairs.append((overlap, g, p))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, g, p in sorted(pairs, key=lambda x: -x[0]):
        if id(g) not in used_g and id(p) not in used_p:
            used_g.add(id(g))
            used_p.add(id(p))
            out.append((g, p))
    return out


def _stages() -> list[str]:
    known = set(stage_names())
    wanted = DEFAULT_STAGES[: DEFAULT_STAGES.index("times") + 1]
    # Only what the times stage depends on: entities and the stages after it change nothing here.
    return [s for s in wanted if s in known and s not in ("entities",)]


def _documents(path: Path) -> Iterator[GoldDocument]:
    files = sorted(path.rglob("*.tml")) if path.is_dir() else [path]
    if not files:
        raise ConfigError(f"no .tml files in {path}")
    for file in files:
        yield read_tml(file)


def compare(path: Path) -> Iterator[tuple[GoldDocument, Document, dict[str, float]]]:
    """Each gold document of a .tml file or folder with sitrep's reading of it and the seconds
    each stage took."""
    return run(_documents(path))


def run(golds: Iterable[GoldDocument]) -> Iterator[tuple[GoldDocument, Document, dict[str, float]]]:
    """Each gold document, whatever its format, with sitrep's reading of it (its text, with its
    reference date as `published`) and the seconds each stage took."""
    pipeline = Pipeline.from_names(_stages())
    warm = False
    for gold in golds:
        raw = RawDocument(text=gold.text, source=Source(path=gold.name), published=gold.dct)
        doc = to_document(raw)
        if doc.text != gold.text:
            raise InputError(gold.name, "sitrep normalised the gold text differently")
        if not warm:  # load the models before the clock starts: timings compare stages, not loading
            pipeline.run([doc])
            warm = True
        seconds: dict[str, float] = {}
        for stage in pipeline.stages:
            started = time.perf_counter()
            doc = next(iter(stage.pipe([doc])))
            seconds[stage.name] = time.perf_counter() - started
        yield gold, doc, seconds


def _prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(path: Path) -> dict[str, Any]:
    return score(compare(path))


def score(results: Iterable[tuple[GoldDocument, Document, dict[str, float]]]) -> dict[str, Any]:
    """The figures over documents read by `run`: counts, strict/relaxed/value P/R/F1, type and
    value accuracy, and the seconds spent in the `times` and `nlp` stages."""
    n_gold = n_pred = strict = relaxed = typed = valued = 0
    seconds = {"times": 0.0, "nlp": 0.0}
    documents = 0
    for gold, doc, spent in results:
        documents += 1
        for name in seconds:
            seconds[name] += spent.get(name, 0.0)
        n_gold += len(gold.timexes)
        n_pred += len(doc.times)
        for g, p in align(gold.timexes, doc.times):
            relaxed += 1
            strict += g.span == p.span
            typed += g.type == p.type
            valued += g.value == p.value
    figures: dict[str, Any] = {"documents": documents, "gold": n_gold, "predicted": n_pred}
    for name, correct in (("strict", strict), ("relaxed", relaxed), ("value", valued)):
        p, r, f = _prf(correct, n_pred, n_gold)
        figures.update({f"{name}_precision": p, f"{name}_recall": r, f"{name}_f1": f})
    figures["type_accuracy"] = typed / relaxed if relaxed else 0.0
    figures["value_accuracy"] = valued / relaxed if relaxed else 0.0
    figures["times_seconds"] = round(seconds["times"], 3)
    figures["nlp_seconds"] = round(seconds["nlp"], 3)
    figures["times_vs_nlp"] = seconds["times"] / seconds["nlp"] if seconds["nlp"] else 0.0
    return figures


register_eval("timebank")(evaluate)
