"""Migrations on stores that hold data, on SQLite and PostgreSQL: an analyst's store made by an
earlier version upgrades in place and loses nothing; the migrated schema is the one the code
declares (store/schema.py)."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text

from sitrep import open_store
from sitrep.store import database_url
from sitrep.store.schema import metadata

NOW = datetime(2024, 10, 24, tzinfo=timezone.utc)


def _upgrade(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(resources.files("sitrep.store").joinpath("migrations")))
    engine = create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")  # as the store runs it
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def test_a_store_of_revision_0002_upgrades_without_losing_a_row(db_url: str) -> None:
    url = database_url(db_url)
    _upgrade(url, "0002")
    engine = create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.execute(text("INSERT INTO documents (id, language, published, published_inferred, text, report, first_seen)"
                          " VALUES ('sha256:a', 'fr', '2024-10-23', false, 'texte', '{}', :now)"), {"now": NOW})
        conn.execute(text("INSERT INTO stories (id, type, historical, title, countries, events, documents, summary,"
                          " created, updated) VALUES (1, 'MOBILIZE', false, 't', '|PRK|', 1, 1, '{}', :now, :now)"),
                     {"now": NOW})
        conn.execute(text("INSERT INTO story_keys (key, story_id) VALUES ('N|MOBILIZE|PRK|*', 1)"))
        conn.execute(text("INSERT INTO events (document_id, event_id, story_id, type, historical, facts)"
                          " VALUES ('sha256:a', 'event:1', 1, 'MOBILIZE', false, '{}')"))
    engine.dispose()

    store = open_store(db_url)  # migrates to the head revision
    try:
        with store.engine.connect() as conn:
            counts = [conn.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
                      for name in ("documents", "stories", "story_keys", "events")]
            assert counts == [1, 1, 1, 1]
            assert conn.execute(text("SELECT merged_into FROM stories")).scalar_one() is None
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0003"
            # What the migrations built is what the code declares.
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
            assert diff == [], diff
    finally:
        store.close()
