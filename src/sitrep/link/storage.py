"""Stories in the store: linking inside an ingest transaction, and the queries behind the CLI.

`link_documents` runs the linker over newly stored documents on the ingest's own connection, so a
batch and its links commit or roll back together. The index it links through (`SqlIndex`) reads
candidate stories by blocking key from `story_keys` and their bounded summaries from `stories`;
members go to `events`, one row per event with its resolved Facts, and are never deleted.
Once the batch is linked, the stories it touched are revisited (`revisit_stories`, the second
pass of link/revisit.py): members may move between those stories or to new ones, and the
summaries and keys of every story that changed are rebuilt from its members. A story left
empty keeps its row and id, pointing to its heir (`merged_into`).
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
from . import keys as blocking
from .facts import Facts, document_facts, outlet_of
from .independence import Signature, signature
from .linker import Linker, idf
from .revisit import revisit
from .score import THRESHOLD, Probe
from .summary import StorySummary
from .views import DocumentInfo, Member, story_view

__all__ = ["SqlIndex", "link_documents", "link_reports", "revisit_stories", "list_stories", "get_story"]

_CHUNK = 500  # bound parameters per IN (...) query
# The second pass costs O(n²) scores in the n events it revisits: stories larger than this have
# settled (their summary outweighs any one report) and keep their members; a batch revisits at
# most this many events of one type, the stories with the newest events first.
REVISIT_STORY_EVENTS = 60
REVISIT_EVENTS = 400


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
        self.insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        self._cache: dict[int, StorySummary] = {}
        self._counts: dict[str, int] = {}  # key document counts read in this transaction
        self.created: set[int] = set()  # stories made in this transaction

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
        self.created.add(ident)
        return story

    def file(self, story: StorySummary, keys: Iterable[str]) -> None:
        rows = [{"key": k, "story_id": story.id} for k in dict.fromkeys(keys)]
        if rows:
            self.conn.execute(self.insert(story_keys).on_conflict_do_nothing(), rows)

    def unfile_undated(self, story: StorySummary) -> None:
        self.conn.execute(story_keys.delete().where(story_keys.c.story_id == story.id, story_keys.c.key.like("%|u")))

    def save(self, story: StorySummary) -> None:
        story.dirty = True

    def replace(self, story: StorySummary) -> None:
        """Take a rebuilt summary in place of the cached one; written by `flush`."""
        story.dirty = True
        self._cache[story.id] = story

    def forget(self, ident: int) -> None:
        self._cache.pop(ident, None)

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
            self.insert(key_counts).values(documents=1).on_conflict_do_update(
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


def link_documents(conn: Connection, docs: Sequence[Document], now: datetime, revisited: bool = True) -> int:
    """Link the events of newly stored documents into stories, then (unless `revisited` is false)
    revisit the stories they joined; returns the number of events linked."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    reports: list[tuple[str, list[Facts]]] = []
    for doc in docs:
        facts = document_facts(doc)
        if facts:
            conn.execute(insert(signatures).values(document_id=doc.id, minhash=signature(doc.text).to_bytes())
                         .on_conflict_do_nothing())
            reports.append((doc.id, facts))
    return link_reports(conn, reports, now, revisited)


def link_reports(conn: Connection, reports: Sequence[tuple[str, Sequence[Facts]]], now: datetime,
                 revisited: bool = True) -> int:
    """Link each stored document's events (document id, its Facts in text order), then revisit
    the stories they joined; returns the number of events linked."""
    index = SqlIndex(conn, now)
    linker = Linker(index)
    touched: set[int] = set()
    linked = 0
    for doc_id, facts in reports:
        rows = []
        for link in linker.link_document(facts):
            f = link.facts
            rows.append({
                "document_id": doc_id, "event_id": f.event, "story_id": link.story, "type": f.type,
                "historical": f.historical, "day": f.day, "score": None if link.new else round(link.score, 3),
                "facts": json.dumps(f.to_dict(), ensure_ascii=False),
            })
        if rows:
            conn.execute(index.insert(events).on_conflict_do_nothing(
                index_elements=["document_id", "event_id"]), rows)
        touched.update(r["story_id"] for r in rows)
        linked += len(rows)
    if revisited and touched:
        revisit_stories(conn, index, touched)
    index.flush()
    return linked


def revisit_stories(conn: Connection, index: SqlIndex, touched: Iterable[int]) -> dict[int, int]:
    """The second pass (link/revisit.py) over the members of the `touched` stories that are
    still small (at most REVISIT_STORY_EVENTS events, at most REVISIT_EVENTS in all, newest
    stories first). Members that move keep their rows (only `story_id` and `score` change);
    stories that change get their summary and keys rebuilt from all their members; a story left
    empty points to the story that took most of its members. Returns {event row id: new story}."""
    wanted = sorted(set(touched))
    sizes: dict[int, tuple[int, str]] = {}
    for chunk in _chunks(wanted):
        for ident, n, last in conn.execute(
            select(events.c.story_id, func.count(), func.max(events.c.id)).where(events.c.story_id.in_(chunk))
            .group_by(events.c.story_id)
        ):
            sizes[ident] = (n, last)
    small = sorted((i for i, (n, _) in sizes.items() if n <= REVISIT_STORY_EVENTS),
                   key=lambda i: sizes[i][1], reverse=True)
    chosen: list[int] = []
    total = 0
    for ident in small:
        if total + sizes[ident][0] > REVISIT_EVENTS:
            continue
        chosen.append(ident)
        total += sizes[ident][0]
    rows: list[tuple[int, int, Facts]] = []  # (event row id, story, facts), in ingest order
    for chunk in _chunks(chosen):
        rows.extend((r.id, r.story_id, Facts.from_dict(json.loads(r.facts))) for r in conn.execute(
            select(events.c.id, events.c.story_id, events.c.facts).where(events.c.story_id.in_(chunk))))
    rows.sort(key=lambda r: r[0])
    if len(rows) < 2:
        return {}
    facts = [f for _, _, f in rows]
    wanted_keys = {k for f in facts for k in (*f.context, *(p.key for p in f.participants if p.key))}
    rarity = index.rarity(wanted_keys)
    labels = revisit(facts, [story for _, story, _ in rows], THRESHOLD, blocking.WINDOW_DAYS, rarity)
    if all(label == story for label, (_, story, _) in zip(labels, rows)):
        return {}

    # Stories the pass made up get rows of their own; the revisited stories keep their ids (a
    # made-up label may equal the id of a story outside the pass: it is still a new story).
    known = {story for _, story, _ in rows}
    new_ids: dict[int, int] = {}
    for i, label in enumerate(labels):
        if label not in known and label not in new_ids:
            new_ids[label] = index.create(facts[i]).id
    final = [new_ids.get(label, label) for label in labels]
    members: dict[int, list[Facts]] = {}
    for f, story in zip(facts, final):
        members.setdefault(story, []).append(f)
    changed: set[int] = set()
    for (_, old, _), new in zip(rows, final):
        if new != old:
            changed.update((old, new))
    updates = []
    for i, (row_id, old, f) in enumerate(rows):
        if final[i] == old:
            continue
        others = [g for g in members[final[i]] if g is not f]
        score = Probe(f, blocking.WINDOW_DAYS, rarity).score(StorySummary.of(0, others)) if others else None
        updates.append({"rid": row_id, "story": final[i], "score": None if score is None else round(score, 3)})
    conn.execute(update(events).where(events.c.id == bindparam("rid"))
                 .values(story_id=bindparam("story"), score=bindparam("score")), updates)
    for story in sorted(changed):
        conn.execute(story_keys.delete().where(story_keys.c.story_id == story))
        group = members.get(story)
        if not group:
            # Emptied: its members went elsewhere; its id leads to where most of them went.
            heirs = [new for (_, old, _), new in zip(rows, final) if old == story]
            heir = max(set(heirs), key=lambda h: (heirs.count(h), -h))
            index.forget(story)
            if story in index.created:
                # Made in this very transaction: no one has seen its id, so nothing needs to lead on.
                conn.execute(stories.delete().where(stories.c.id == story))
                continue
            conn.execute(update(stories).where(stories.c.merged_into == story).values(merged_into=heir))
            conn.execute(update(stories).where(stories.c.id == story).values(
                merged_into=heir, events=0, documents=0, first_day=None, last_day=None, updated=index.now))
            continue
        summary = StorySummary.of(story, group)
        for f in group:
            index.file(summary, blocking.index_keys(f))
        if summary.first is not None:
            index.unfile_undated(summary)
        index.replace(summary)
    return {rows[i][0]: final[i] for i in range(len(rows)) if final[i] != rows[i][1]}


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
    query = select(stories.c.id, stories.c.summary).where(stories.c.merged_into.is_(None))
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
    """The story `ident`; a story the second pass emptied leads to its heir, whose view then
    says `merged_from` (the id asked for)."""
    asked = ident
    for _ in range(64):  # heirs are re-pointed when they empty in turn: chains stay short
        row = conn.execute(select(stories.c.id, stories.c.summary, stories.c.merged_into)
                           .where(stories.c.id == ident)).first()
        if row is None:
            return None
        if row.merged_into is None:
            view = _views(conn, [row])[0]
            if ident != asked:
                view["merged_from"] = asked
            return view
        ident = row.merged_into
    return None
