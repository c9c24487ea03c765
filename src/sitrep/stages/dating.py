"""Stage `dating`: the document's publication date.

Given (metadata or --published) it is normalised to ISO. Otherwise it is inferred as the newest
explicit date in the text — an embedded post's date counts — that is not after today, and
`published_inferred` is set: the article cannot be older than the newest thing it reports.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ..dates import find_dates, parse_iso
from ..errors import InputError
from ..models import Document
from ..pipeline import DocumentStage, register_stage

__all__ = ["DatingStage", "infer_published"]


def infer_published(doc: Document, today: date | None = None) -> str | None:
    limit = (today or date.today()) + timedelta(days=1)
    candidates = [d for d, _ in find_dates(doc.text) if d <= limit]
    candidates += [date.fromisoformat(p.published[:10]) for p in doc.embedded_posts if p.published]
    candidates = [d for d in candidates if d <= limit]
    return max(candidates).isoformat() if candidates else None


class DatingStage(DocumentStage):
    name = "dating"
    requires = ("segments", "embedded_posts")
    assigns = ("published", "published_inferred")

    def annotate(self, doc: Document) -> Document:
        if doc.published:
            value = parse_iso(doc.published)
            if value is None:
                raise InputError(doc.source.name, f"publication date {doc.published!r} is not a date")
            return replace(doc, published=value, published_inferred=False)
        inferred = infer_published(doc)
        return replace(doc, published=inferred, published_inferred=inferred is not None)


register_stage("dating")(DatingStage)
