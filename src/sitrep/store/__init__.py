"""The store: documents (once per content hash), their sightings, and rejected inputs.

SQLAlchemy Core over SQLite (default, WAL mode) or PostgreSQL, migrated with Alembic when opened.
Ingest is idempotent — the same text seen twice is one document with two sightings, the same copy
seen again only refreshes its sighting — and each batch is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..models import Document, Reject
from ..report import to_report
from .schema import documents, rejects, sightings

__all__ = ["Store", "IngestResult", "open_store", "database_url"]


def database_url(value: str) -> str:
    """A SQLAlchemy URL from what the user gave: a URL, or a plain path to a SQLite file."""
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


@dataclass
class IngestResult:
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"ingested": self.ingested, "duplicates": self.duplicates, "rejected": self.rejected}


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(resources.files(__package__).joinpath("migrations")))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def ingest(self, items: Iterable[Document | Reject], revisit: bool = True) -> IngestResult:
        """Store one batch in one transaction; its events are linked into stories, which are then
        revisited unless `revisit` is false (the `revisit` setting)."""
        from ..link.storage import link_documents

        result = IngestResult()
        now = _now()
        try:
            with self.engine.begin() as conn:
                fresh: list[Document] = []
                for item in items:
                    if isinstance(item, Reject):
                        conn.execute(rejects.insert().values(source=item.source, reason=item.reason, at=now))
                        result.rejected += 1
                        continue
                    # RETURNING rather than rowcount: drivers disagree on rowcount after ON CONFLICT.
                    added = conn.execute(
                        self._insert(documents).values(
                            id=item.id, language=item.language, published=item.published,
                            published_inferred=item.published_inferred, title=item.source.title,
                            text=item.text, report=json.dumps(to_report(item), ensure_ascii=False),
                            first_seen=now,
                        ).on_conflict_do_nothing(index_elements=["id"]).returning(documents.c.id)
                    ).first()
                    if added is not None:
                        result.ingested += 1
                        fresh.append(item)
                    else:
                        result.duplicates += 1
                    src = item.source
                    conn.execute(
                        self._insert(sightings).values(
                            document_id=item.id, location=src.url or src.path or "<stdin>", url=src.url,
                            path=src.path, outlet=src.outlet, title=src.title, first_seen=now, last_seen=now,
                        ).on_conflict_do_update(
                            index_elements=["document_id", "location"], set_={"last_seen": now},
                        )
                    )
                # Events join stories in the same transaction: a batch and its links stand or fall together.
                link_documents(conn, fresh, now, revisit)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the store: {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}") from exc
        return result

    def stats(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in (("documents", documents), ("sightings", sightings), ("rejects", rejects))
            }

    def get(self, ident: str) -> dict[str, Any] | None:
        """The stored report of a document by id or unambiguous id prefix (with or without sha256:)."""
        if not ident.startswith("sha256:"):
            ident = "sha256:" + ident
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.report).where(documents.c.id.startswith(ident, autoescape=True)).limit(2)).all()
            if len(rows) != 1:
                return None
            report: dict[str, Any] = json.loads(rows[0][0])
            found = conn.execute(
                select(sightings.c.location, sightings.c.url, sightings.c.path, sightings.c.outlet, sightings.c.first_seen)
                .where(sightings.c.document_id == report["id"]).order_by(sightings.c.id)
            ).all()
        report["sightings"] = [
            {"location": r.location, "url": r.url, "path": r.path, "outlet": r.outlet, "first_seen": r.first_seen.isoformat()}
            for r in found
        ]
        return report

    def stories(self, actor: str | None = None, since: str | None = None, limit: int = 100,
                historical: bool | None = None) -> list[dict[str, Any]]:
        """Stories (DESIGN.md, "Stories"), most recent first; `actor`: a country code or a name."""
        from ..link.storage import list_stories

        try:
            with self.engine.connect() as conn:
                return list_stories(conn, actor=actor, since=since, limit=limit, historical=historical)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read stories: {getattr(exc, 'orig', None) or exc}") from exc

    def story(self, ident: int) -> dict[str, Any] | None:
        """One story with its reports, values per source and contradictions; None if absent."""
        from ..link.storage import get_story

        try:
            with self.engine.connect() as conn:
                return get_story(conn, ident)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read story {ident}: {getattr(exc, 'orig', None) or exc}") from exc

    def rejects(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(rejects).order_by(rejects.c.id.desc()).limit(limit)).all()
        return [{"source": r.source, "reason": r.reason, "at": r.at.isoformat()} for r in rows]

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def open_store(db: str = "sitrep.db") -> Store:
    """Open (and create or migrate) the store at `db`: a SQLAlchemy URL or a SQLite file path."""
    url = database_url(db)
    try:
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = Store(engine)
        store.migrate()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the store {db}: {getattr(exc, 'orig', None) or exc}") from exc
    except ModuleNotFoundError as exc:
        raise StoreError(f"cannot open the store {db}: missing driver {exc.name}") from exc
    return store
