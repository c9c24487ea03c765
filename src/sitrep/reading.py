"""Read inputs through the pipeline: the importable function behind `sitrep read` and `ingest`.

`read_inputs` yields, in input order, either an analysed Document or a Reject; it never raises
for a bad input. Documents go through the stages in batches of `settings.batch_size`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

from .documents import to_document
from .errors import InputError, SitrepError, StageError
from .models import Document, RawDocument, Reject
from .pipeline import Pipeline
from .settings import Settings, load_settings
from .sources import iter_inputs

__all__ = ["read_inputs", "read_text", "analyse", "batches"]

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last one shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyse(items: Iterable[RawDocument | Reject], settings: Settings, pipeline: Pipeline | None = None,
            published: str | None = None) -> Iterator[Document | Reject]:
    """Normalise and run the pipeline over raw inputs, keeping input order and rejects."""
    pipeline = pipeline or Pipeline.from_names(settings=settings)
    for batch in batches(items, settings.batch_size):
        slots: list[Document | Reject] = []
        for item in batch:
            if isinstance(item, Reject):
                slots.append(item)
                continue
            if published and not item.published:
                item = replace(item, published=published)
            try:
                slots.append(to_document(item, settings.min_text_chars))
            except InputError as exc:
                slots.append(Reject(exc.source, exc.reason))
        failures: dict[int, Reject] = {}

        def record(doc: Document, error: SitrepError) -> None:
            reason = error.reason if isinstance(error, InputError) else str(error)
            # Key by source: the document the handler gets is the copy an earlier stage returned.
            failures[id(doc.source)] = Reject(doc.source.name, reason)

        docs = [s for s in slots if isinstance(s, Document)]
        # Keep each input's place: match results back by object identity of the source.
        done = {id(d.source): d for d in pipeline.run(docs, on_error=record)}
        for slot in slots:
            if isinstance(slot, Reject):
                yield slot
            elif id(slot.source) in done:
                yield done[id(slot.source)]
            elif id(slot.source) in failures:
                yield failures[id(slot.source)]
            else:  # dropped by a stage without a recorded error: say so rather than lose it
                yield Reject(slot.source.name, str(StageError("pipeline", slot.source.name, RuntimeError("document lost"))))


def read_inputs(paths: Iterable[str], settings: Settings | None = None, pipeline: Pipeline | None = None,
                published: str | None = None) -> Iterator[Document | Reject]:
    settings = settings or load_settings()
    return analyse(iter_inputs(paths, settings), settings, pipeline, published)


def read_text(text: str, *, published: str | None = None, url: str | None = None,
              settings: Settings | None = None, pipeline: Pipeline | None = None) -> Document:
    """Analyse one text; raise InputError if it cannot be read."""
    from .models import Source

    settings = settings or load_settings()
    raw = RawDocument(text=text, source=Source(url=url, path=None if url else "<text>"), published=published)
    result = next(analyse([raw], settings, pipeline))
    if isinstance(result, Reject):
        raise InputError(result.source, result.reason)
    return result
