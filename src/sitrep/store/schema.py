"""The store's tables, in SQLAlchemy Core. Migrations (store/migrations) create and change them;
queries in store/__init__.py read them. The same schema runs on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint

__all__ = ["metadata", "documents", "sightings", "rejects"]

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
