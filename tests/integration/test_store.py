"""The store on SQLite and on the local PostgreSQL: idempotent ingest, sightings, rejects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep import open_store, read_inputs
from sitrep.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _folder(tmp_path: Path, example_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "copies").mkdir(parents=True)
    shutil.copy(example_path, folder / "a-example.txt")
    shutil.copy(example_path, folder / "copies" / "b-example-again.txt")
    (folder / "c-empty.txt").write_bytes(b"")
    (folder / "d-binary.bin").write_bytes(bytes(range(256)) * 16)
    shutil.copy(ROOT / "tests" / "data" / "inputs" / "latin1-fr.txt", folder / "e-latin1.txt")
    return folder


def test_ingest_folder_dedupes_copies_and_records_rejects(tmp_path: Path, example_path: Path, db_url: str) -> None:
    folder = _folder(tmp_path, example_path)
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "--json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout) == {"ingested": 2, "duplicates": 1, "rejected": 2}
    assert "c-empty.txt: input is empty" in result.stderr and "binary data" in result.stderr

    stats = json.loads(runner.invoke(app, ["stats", "--db", db_url, "--json"]).stdout)
    assert stats == {"documents": 2, "sightings": 3, "rejects": 2}

    store = open_store(db_url)
    try:
        reasons = sorted(r["reason"] for r in store.rejects())
        assert reasons == ["binary data, not text", "input is empty"]
        example_id = next(d.id for d in read_inputs([str(example_path)]) if hasattr(d, "id"))
        report = store.get(example_id)
        assert report is not None and len(report["sightings"]) == 2
        assert report["embedded_posts"][0]["handle"] == "@CNN"
        latin = next(d for d in read_inputs([str(folder / "e-latin1.txt")]) if hasattr(d, "id"))
        stored = store.get(latin.id)
        assert stored is not None and "autorités françaises" in stored["text"] and "Nouméa" in stored["text"]
    finally:
        store.close()

    # Idempotent: the same inputs again add no document and no sighting (only new reject rows).
    again = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "--json"])
    assert json.loads(again.stdout) == {"ingested": 0, "duplicates": 3, "rejected": 2}
    stats = json.loads(runner.invoke(app, ["stats", "--db", db_url, "--json"]).stdout)
    assert (stats["documents"], stats["sightings"]) == (2, 3)


def test_show_by_prefix(tmp_path: Path, example_path: Path, db_url: str) -> None:
    assert runner.invoke(app, ["ingest", str(example_path), "--db", db_url]).exit_code == 0
    doc_id = next(d.id for d in read_inputs([str(example_path)]) if hasattr(d, "id"))
    shown = runner.invoke(app, ["show", doc_id.split(":")[1][:12], "--db", db_url, "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == doc_id
    missing = runner.invoke(app, ["show", "ffff", "--db", db_url])
    assert missing.exit_code == 2 and "no single document" in missing.stderr


def test_sqlite_store_is_a_plain_wal_database(tmp_path: Path, example_path: Path) -> None:
    import sqlite3

    db = tmp_path / "plain.db"
    assert runner.invoke(app, ["ingest", str(example_path), "--db", f"sqlite:///{db}"]).exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003"


def test_unreachable_database_is_a_clean_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 3 and "cannot open the store" in result.stderr


def test_every_kind_of_bad_input_is_recorded_and_the_rest_stored(
    tmp_path: Path, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(example_path, folder / "a-good.txt")
    (folder / "b-german.txt").write_text(
        "Nordkorea hat nach Angaben des Pentagons Truppen nach Russland verlegt. Die Soldaten sollen im Osten trainieren.",
        encoding="utf-8",
    )
    (folder / "c-damaged.txt").write_bytes("Déjà trois frappes sur Kharkiv cette nuit.".encode() + b"\xff\xfe")
    (folder / "d-huge.txt").write_text("Un texte long. " * 2000, encoding="utf-8")
    (folder / "e-nav.html").write_text("<html><body><nav>Accueil | Monde</nav></body></html>", encoding="utf-8")
    (folder / "f-hostile.jsonl").write_text('{"text": ' + "[" * 5000 + "]" * 5000 + "}\n", encoding="utf-8")
    monkeypatch.setenv("SITREP_MAX_BYTES", "20000")
    db = tmp_path / "mixed.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"ingested": 1, "duplicates": 0, "rejected": 5}
    assert "Traceback" not in result.output
    store = open_store(str(db))
    try:
        reasons = {Path(r["source"].split(":")[0]).name: r["reason"] for r in store.rejects()}
    finally:
        store.close()
    assert "language 'de' is not supported" in reasons["b-german.txt"]
    assert "invalid UTF-8" in reasons["c-damaged.txt"]
    assert "over the limit" in reasons["d-huge.txt"]
    assert "no main text" in reasons["e-nav.html"]
    assert "nested too deeply" in reasons["f-hostile.jsonl"]
