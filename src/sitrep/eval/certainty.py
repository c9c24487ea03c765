"""Evaluation `certainty`: the factuality of clauses against hand-labelled news text.

Gold: JSON Lines files (a directory of them, or one file), one excerpt a line:
    {"id", "lang", "split": "dev"|"heldout", "source", "published", "text",
     "clauses": [{"trigger", "trigger_start", "kind": "verb"|"noun", "status", "certainty",
                  "negated", "historical"}]}
(tests/data/certainty/README.md gives the labelling rules). Each gold clause is aligned with the
smallest clause of the report (`doc.clauses`) whose span holds its trigger. Figures, per language
and split and for all languages per split:
- coverage: the share of gold clauses that some system clause holds;
- distinct: the share of verbal gold clauses whose system clause no other verbal gold clause of
  the excerpt shares (a lower figure means clauses the system did not find);
- status, certainty, negated, historical accuracy, and all four right together, over all gold
  clauses (an uncovered clause counts as wrong);
- negated and historical precision and recall (the rare true values);
- certainty_confusion: the gold → system certainty pairs that differ, most frequent first.
The pipeline runs up to and including the `certainty` stage; it never sees the gold labels.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Clause, Document, RawDocument, Source
from . import register_eval
from .corpora import jsonl_records

__all__ = ["evaluate_certainty", "load_gold", "check_record", "align", "compare", "figures", "analyse_gold", "Outcome",
           "STATUSES", "CERTAINTIES"]

STATUSES = ("occurred", "ongoing", "planned", "possible", "feared", "hypothetical")
CERTAINTIES = ("asserted", "reported", "hedged", "uncertain")
FIELDS = ("status", "certainty", "negated", "historical")
SPLITS = ("dev", "heldout")


def check_record(rec: dict[str, Any]) -> None:
    """Raise ValueError when a gold record breaks the format: unknown labels, a trigger that is not
    at its offset, a split or kind that is not one of ours."""
    where = rec.get("id", "?")
    if rec.get("split") not in SPLITS:
        raise ValueError(f"{where}: split {rec.get('split')!r}")
    if not rec.get("published"):
        raise ValueError(f"{where}: no published date")
    text = rec["text"]
    for c in rec["clauses"]:
        start = c["trigger_start"]
        if text[start:start + len(c["trigger"])] != c["trigger"]:
            raise ValueError(f"{where}: trigger {c['trigger']!r} is not at {start}")
        if c["status"] not in STATUSES or c["certainty"] not in CERTAINTIES:
            raise ValueError(f"{where}: labels {c['status']!r} {c['certainty']!r}")
        if not isinstance(c["negated"], bool) or not isinstance(c["historical"], bool):
            raise ValueError(f"{where}: negated and historical must be true or false")
        if c.get("kind", "verb") not in ("verb", "noun"):
            raise ValueError(f"{where}: kind {c['kind']!r}")


def load_gold(path: Path) -> list[dict[str, Any]]:
    records = jsonl_records(path)
    for rec in records:
        check_record(rec)
    return records


def align(clauses: Sequence[Clause], start: int, end: int) -> Clause | None:
    """The smallest clause whose span holds [start, end)."""
    holding = [c for c in clauses if c.span[0] <= start and end <= c.span[1]]
    return min(holding, key=lambda c: c.span[1] - c.span[0]) if holding else None


@dataclass(frozen=True)
class Outcome:
    """One gold clause and the system clause it was aligned with (None when none holds it)."""

    gold: dict[str, Any]
    system: Clause | None
    shared: bool = False  # another verbal gold clause of the excerpt fell on the same system clause

    def right(self, field: str) -> bool:
        return self.system is not None and getattr(self.system, field) == self.gold[field]


def compare(doc: Document, gold: Iterable[dict[str, Any]]) -> list[Outcome]:
    pairs = []
    for g in gold:
        start = g["trigger_start"]
        pairs.append((g, align(doc.clauses, start, start + len(g["trigger"]))))
    verbal = Counter(s.span for g, s in pairs if s is not None and g.get("kind", "verb") == "verb")
    return [Outcome(g, s, s is not None and g.get("kind", "verb") == "verb" and verbal[s.span] > 1) for g, s in pairs]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def figures(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    n = len(outcomes)
    covered = [o for o in outcomes if o.system is not None]
    verbal = [o for o in covered if o.gold.get("kind", "verb") == "verb"]
    out: dict[str, Any] = {
        "clauses": n,
        "coverage": _ratio(len(covered), n),
        "distinct": _ratio(sum(not o.shared for o in verbal), len(verbal)),
    }
    for field in FIELDS:
        out[f"{field}_accuracy"] = _ratio(sum(o.right(field) for o in outcomes), n)
    out["all_four_accuracy"] = _ratio(sum(all(o.right(f) for f in FIELDS) for o in outcomes), n)
    for field in ("negated", "historical"):
        gold_true = [o for o in outcomes if o.gold[field]]
        said_true = [o for o in covered if getattr(o.system, field)]
        out[f"{field}_precision"] = _ratio(sum(o.gold[field] for o in said_true), len(said_true))
        out[f"{field}_recall"] = _ratio(sum(o.right(field) for o in gold_true), len(gold_true))
    confusion = Counter((o.gold["certainty"], o.system.certainty) for o in covered
                        if o.system.certainty != o.gold["certainty"])
    out["certainty_confusion"] = ", ".join(f"{g}→{s} {k}" for (g, s), k in confusion.most_common()) or "none"
    return out


def _pipeline() -> Any:
    from ..pipeline import Pipeline

    return Pipeline.through("certainty")


def analyse_gold(records: Sequence[dict[str, Any]]) -> list[Document]:
    """Each excerpt through the pipeline, in order; its text must come back unchanged, since the
    gold offsets point into it."""
    from ..errors import ConfigError
    from ..reading import analyse
    from ..settings import Settings

    raws = [RawDocument(text=r["text"], source=Source(path=r["id"], url=r["source"] if "://" in r["source"] else None,
                                                     outlet=r.get("outlet")), published=r["published"])
            for r in records]
    docs = []
    for rec, result in zip(records, analyse(raws, Settings(), _pipeline())):
        if not isinstance(result, Document):
            raise ConfigError(f"gold excerpt {rec['id']} could not be read: {result.reason}")
        if result.text != rec["text"]:
            raise ConfigError(f"gold excerpt {rec['id']} is not in normal form; rebuild the gold data")
        docs.append(result)
    return docs


@register_eval("certainty")
def evaluate_certainty(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    records = load_gold(path)
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for rec, doc in zip(records, analyse_gold(records)):
        outcomes = compare(doc, rec["clauses"])
        groups[(rec["lang"], rec["split"])].extend(outcomes)
        groups[("all", rec["split"])].extend(outcomes)
    out: dict[str, Any] = {}
    langs = sorted({lang for lang, _ in groups if lang != "all"}) + ["all"]
    for lang in langs:
        for split in SPLITS:
            if (lang, split) in groups:
                for name, value in figures(groups[(lang, split)]).items():
                    out[f"{lang}.{split}.{name}"] = value
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out
