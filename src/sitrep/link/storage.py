"""Stories in the store: linking inside an ingest transaction, and the queries behind the CLI.

`link_documents` runs the linker over newly stored documents on the ingest's own connection, so a
batch and its links commit or roll back together. The index it links through (`SqlIndex`) reads
candidate stories by blocking key from `story_keys` and their bounded summaries from `stories`;
members go to `events`, one row per event with its resolved Facts, and are never deleted.
`list_stories` and `get_story` rebuild story views (views.py) from those rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..models import Document
from ..store.schema import documents, events, key_counts, signatures, sightings, stories, story_keys
from .facts import Facts, document_facts, outlet_of
from .independence import Signature, signature
from .linker import Linker, idf
from .summary import StorySummary
from .views import DocumentInfo, Member, story_view

__all__ = ["SqlIndex", "link_documents", "list_stories", "get_story"]

_CHUNK = 500  # bound parameters per IN (...) query


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class SqlIndex:
    """The linker's index over the store's tables, on one connection (one transaction).

    Summaries read in this transaction are cached and written back by `flush()`.
    """

    def __init__(self, conn: Connection, now: datetime) -> None:
        self.conn = conn
        self.now = now
        self._insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        self._cache: dict[int, StorySummary] = {}
        self._counts: dict[str, int] = {}  # key document counts read in this transaction

    def candidates(self, keys: Iterable[str]) -> list[StorySummary]:
        wanted = sorted(set(keys))
        ids: set[int] = set()
        for chunk in _chunks(wanted):
            ids.update(self.conn.execute(select(story_keys.c.story_id).where(story_keys.c.key.in_(chunk))).scalars())
        missing = sorted(i for i in ids if i not in self._cache)
        for chunk in _chunks(missing):
            query = select(stories.c.id, stories.c.summary).where(stories.c.id.in_(chunk))
            for ident, summary in self.conn.execute(query):
                self._cache[ident] = StorySummary.from_dict(json.loads(summary))
        return [self._cache[i] for i in sorted(ids)]

    def create(self, f: Facts) -> StorySummary:
        ident = self.conn.execute(
            stories.insert().values(type=f.type, historical=f.historical, title="", countries="", events=0,
                                    documents=0, summary="{}", created=self.now, updated=self.now)
            .returning(stories.c.id)
        ).scalar_one()
        story = StorySummary.start(ident, f)
        self._cache[ident] = story
        return story

    def file(self, story: StorySummary, keys: Iterable[str]) -> None:
        rows = [{"key": k, "story_id": story.id} for k in dict.fromkeys(keys)]
        if rows:
            self.conn.execute(self._insert(story_keys).on_conflict_do_nothing(), rows)

    def unfile_undated(self, story: StorySummary) -> None:
        self.conn.execute(story_keys.delete().where(story_keys.c.story_id == story.id, story_keys.c.key.like("%|u")))

    def save(self, story: StorySummary) -> None:
        story.dirty = True

    def rarity(self, keys: Iterable[str]) -> dict[str, float]:
        keys = set(keys)
        wanted = sorted((keys | {""}) - self._counts.keys())
        for chunk in _chunks(wanted):
            found = {k: n for k, n in self.conn.execute(select(key_counts.c.key, key_counts.c.documents)
                                                        .where(key_counts.c.key.in_(chunk)))}
            self._counts.update({k: found.get(k, 0) for k in chunk})
        total = self._counts[""]
        out = {k: idf(total, self._counts.get(k, 0)) for k in keys}
        out[""] = idf(total, 0)
        return out

    def count(self, keys: Iterable[str]) -> None:
        rows = [{"key": k} for k in {"", *keys}]
        self.conn.execute(
            self._insert(key_counts).values(documents=1).on_conflict_do_update(
                index_elements=["key"], set_={"documents": key_counts.c.documents + 1}),
            rows,
        )
        for row in rows:
            self._counts.pop(row["key"], None)

    def flush(self) -> None:
        dirty = [s for s in self._cache.values() if s.dirty]
        if not dirty:
            return
        counts: dict[int, int] = {}
        for chunk in _chunks([s.id for s in dirty]):
            counts.update((story_id, n) for story_id, n in self.conn.execute(
                select(events.c.story_id, func.count(func.distinct(events.c.document_id)))
                .where(events.c.story_id.in_(chunk)).group_by(events.c.story_id)
            ))
        rows = []
        for s in dirty:
            s.documents = counts.get(s.id, s.documents)
            rows.append({
                "sid": s.id, "title": s.title(), "first_day": s.first, "last_day": s.last,
                "countries": "|" + "|".join(sorted(s.countries)) + "|", "events": s.events, "documents": s.documents,
                "summary": json.dumps(s.to_dict(), ensure_ascii=False), "updated": self.now,
            })
            s.dirty = False
        self.conn.execute(
            update(stories).where(stories.c.id == bindparam("sid")).values(
                title=bindparam("title"), first_day=bindparam("first_day"), last_day=bindparam("last_day"),
                countries=bindparam("countries"), events=bindparam("events"), documents=bindparam("documents"),
                summary=bindparam("summary"), updated=bindparam("updated"),
            ),
            rows,
        )


def link_documents(conn: Connection, docs: Sequence[Document], now: datetime) -> int:
    """Link the events of newly stored documents into stories; returns the number of events."""
    index = SqlIndex(conn, now)
    linker = Linker(index)
    insert = index._insert  # noqa: SLF001 (same module family)
    linked = 0
    for doc in docs:
        facts = document_facts(doc)
        if not facts:
            continue
        conn.execute(insert(signatures).values(document_id=doc.id, minhash=signature(doc.text).to_bytes())
                     .on_conflict_do_nothing())
        rows = []
        for link in linker.link_document(facts):
            f = link.facts
            rows.append({
                "document_id": doc.id, "event_id": f.event, "story_id": link.story, "type": f.type,
                "historical": f.historical, "day": f.day, "score": None if link.new else round(link.score, 3),
                "facts": json.dumps(f.to_dict(), ensure_ascii=False),
            })
        conn.execute(insert(events).on_conflict_do_nothing(index_elements=["document_id", "event_id"]), rows)
        linked += len(rows)
    index.flush()
    return linked


# -- reading stories back ----------------------------------------------------------------------

def _document_infos(conn: Connection, ids: Sequence[str]) -> dict[str, DocumentInfo]:
    meta: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(ids)):
        for row in conn.execute(select(documents.c.id, documents.c.published, documents.c.language)
                                .where(documents.c.id.in_(chunk))):
            meta[row.id] = {"published": row.published, "language": row.language}
        # The first sighting that names an outlet stands for the document; else the first one.
        for row in conn.execute(select(sightings.c.document_id, sightings.c.url, sightings.c.outlet, sightings.c.path)
                                .where(sightings.c.document_id.in_(chunk)).order_by(sightings.c.id)):
            entry = meta.setdefault(row.document_id, {})
            if "url" not in entry or (entry.get("outlet") is None and row.outlet):
                entry.update(url=row.url, outlet=outlet_of(row.url, row.outlet, row.path))
        for row in conn.execute(select(signatures.c.document_id, signatures.c.minhash)
                                .where(signatures.c.document_id.in_(chunk))):
            meta.setdefault(row.document_id, {})["signature"] = Signature.from_bytes(bytes(row.minhash))
    return {i: DocumentInfo(id=i, **meta.get(i, {})) for i in ids}


def _views(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    members: dict[int, list[tuple[str, Facts]]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        for story_id, doc_id, facts in conn.execute(
            select(events.c.story_id, events.c.document_id, events.c.facts)
            .where(events.c.story_id.in_(chunk)).order_by(events.c.id)
        ):
            members[story_id].append((doc_id, Facts.from_dict(json.loads(facts))))
    infos = _document_infos(conn, sorted({d for group in members.values() for d, _ in group}))
    out = []
    for r in rows:
        summary = StorySummary.from_dict(json.loads(r.summary))
        out.append(story_view(summary, [Member(f, infos[d]) for d, f in members[r.id]]))
    return out


def list_stories(conn: Connection, actor: str | None = None, since: str | None = None,
                 limit: int = 100, historical: bool | None = None) -> list[dict[str, Any]]:
    """Stories, most recent first; `actor` is a country code (PRK) or part of a participant's name."""
    query = select(stories.c.id, stories.c.summary)
    if actor:
        if len(actor) == 3 and actor.isalpha() and actor.isupper():
            query = query.where(stories.c.countries.contains(f"|{actor}|", autoescape=True))
        else:
            query = query.where(func.lower(stories.c.summary).contains(actor.lower(), autoescape=True))
    if since:
        query = query.where(stories.c.last_day >= since)
    if historical is not None:
        query = query.where(stories.c.historical == historical)
    query = query.order_by(stories.c.last_day.desc().nulls_last(), stories.c.id.desc()).limit(limit)
    return _views(conn, conn.execute(query).all())


def get_story(conn: Connection, ident: int) -> dict[str, Any] | None:
    rows = conn.execute(select(stories.c.id, stories.c.summary).where(stories.c.id == ident)).all()
    return _views(conn, rows)[0] if rows else None
