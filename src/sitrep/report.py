"""The report: a Document as the JSON contract of DESIGN.md ("The report"), and back.

Fields may be added to the contract; the meaning of those listed there never changes.
`clauses` is an addition (the certainty of every clause, which events inherit).
"""

from __future__ import annotations

import json
from typing import Any

from .models import Document

__all__ = ["to_report", "to_json", "from_report", "REPORT_FIELDS"]

REPORT_FIELDS = (
    "id", "text", "language", "source", "published", "published_inferred", "segments",
    "ai_disclosure", "embedded_posts", "entities", "times", "quantities", "places",
    "attributions", "clauses", "events",
)


def to_report(doc: Document) -> dict[str, Any]:
    data = doc.to_dict()
    source = {k: v for k, v in data["source"].items() if v is not None}
    report = {name: data[name] for name in REPORT_FIELDS}
    report["source"] = source
    return report


def to_json(doc: Document, indent: int | None = None) -> str:
    return json.dumps(to_report(doc), ensure_ascii=False, indent=indent)


def from_report(data: dict[str, Any]) -> Document:
    return Document.from_dict(data)
