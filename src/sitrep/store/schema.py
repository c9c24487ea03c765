"""The store's tables, in SQLAlchemy Core. Migrations (store/migrations) create and change them;
queries in store/__init__.py read them. The same schema runs on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
    UniqueConstraint,
)

__all__ = [
    "metadata", "documents", "sightings", "rejects", "stories", "story_keys", "events", "signatures", "key_counts",
]

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(80), primary_key=True),  # sha256:<hex> of the normalised text
    Column("language", String(8)),
    Column("published", String(40)),
    Column("published_inferred", Boolean, nullable=False, default=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("report", Text, nullable=False),  # the report JSON (DESIGN.md contract)
    Column("first_seen", DateTime(timezone=True), nullable=False),
)

sightings = Table(
    "sightings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("location", Text, nullable=False),  # url, else path: where this copy was seen
    Column("url", Text),
    Column("path", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("document_id", "location", name="uq_sightings_document_location"),
)

rejects = Table(
    "rejects", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# -- stories (link/): events linked across documents ------------------------------------------

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(32), nullable=False),  # PLOVER type of its events
    Column("historical", Boolean, nullable=False),  # background events have their own stories
    Column("title", Text, nullable=False),
    Column("first_day", String(10)),  # days its events cover (ISO), null when none is dated
    Column("last_day", String(10)),
    Column("countries", Text, nullable=False),  # "|PRK|RUS|": participant and place countries
    Column("events", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("summary", Text, nullable=False),  # link.summary.StorySummary as JSON (bounded size)
    # Set when the second pass (link/revisit.py) moved all its reports to another story: the id
    # stays valid and leads there (a story id; no foreign key, see migration 0003). Such a story
    # has no events and is not listed.
    Column("merged_into", Integer),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Index("ix_stories_last_day", "last_day"),
    Index("ix_stories_type", "type"),
)

story_keys = Table(
    "story_keys", metadata,
    Column("key", String(200), primary_key=True),  # blocking key (link/keys.py)
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_story_keys_story_id", "story_id"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(40), nullable=False),  # the event's id in its document's report
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False),
    Column("type", String(32), nullable=False),
    Column("historical", Boolean, nullable=False),
    Column("day", String(10)),  # reference day (ISO)
    # the compatibility that linked it (after a move by the second pass: with its new story's other
    # members), null when it started the story
    Column("score", Float),
    Column("facts", Text, nullable=False),  # link.facts.Facts as JSON: the resolved attributes
    UniqueConstraint("document_id", "event_id", name="uq_events_document_event"),
    Index("ix_events_story_id", "story_id"),
    Index("ix_events_document_id", "document_id"),
)

signatures = Table(
    "signatures", metadata,
    Column("document_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),  # link.independence.Signature: near-duplicate texts
)

key_counts = Table(
    "key_counts", metadata,
    Column("key", String(200), primary_key=True),  # a context key (link/facts.py); "" counts the documents
    Column("documents", Integer, nullable=False),  # how many linked documents name it: its rarity
)
