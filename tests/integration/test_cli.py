"""The CLI as users run it: reports, exit codes, order of JSON Lines, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_read_prints_the_reading_for_people(example_path: Path) -> None:
    shown = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["read", str(example_path)], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert "MOBILIZE/troops" in shown.stdout and "CONSULT/visit" in shown.stdout
    assert "ASSAULT/" not in shown.stdout  # a type without a mode is shown bare
    assert "ASSAULT" in shown.stdout and "Volodymyr Zelensky" in shown.stdout


def test_read_json_of_the_example(example_path: Path) -> None:
    result = _run("read", str(example_path), "--json")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.strip().splitlines()
    report = json.loads(line)
    assert report["language"] == "fr"
    assert report["published"] == "2024-10-23" and report["published_inferred"] is True
    assert report["source"]["path"] == str(example_path)
    assert report["ai_disclosure"]["text"] == "Ce contenu a été créé avec l’aide de l’IA."
    (post,) = report["embedded_posts"]
    assert {k: post[k] for k in ("author", "handle", "published", "url", "language")} == {
        "author": "CNN", "handle": "@CNN", "published": "2024-10-23", "url": "https://t.co/uEqO7x4fAg", "language": "en",
    }
    assert "https" not in post["text"]
    english = [report["text"][s["span"][0]:s["span"][1]] for s in report["segments"] if s["language"] == "en"]
    assert english == [
        report["text"][post["span"][0]:post["text_span"][1]] + "https://t.co/uEqO7x4fAg",
        "— CNN (@CNN) October 23, 2024",
    ]
    for field in ("id", "text", "segments", "entities", "times", "quantities", "places", "attributions", "events"):
        assert field in report


def test_published_option_wins_over_inference(example_path: Path) -> None:
    report = json.loads(_run("read", str(example_path), "--json", "--published", "2024-10-25").stdout)
    assert (report["published"], report["published_inferred"]) == ("2024-10-25", False)
    bad = _run("read", str(example_path), "--published", "someday")
    assert bad.exit_code == 2 and "not a date" in bad.stderr


def test_several_inputs_one_report_per_line_in_input_order(tmp_path: Path) -> None:
    lines = [
        {"url": "https://a.example/1", "text": "Des frappes russes ont visé Kharkiv dans la nuit, faisant trois blessés, selon le maire."},
        {"url": "https://a.example/2", "text": ""},
        {"url": "https://a.example/3", "text": "Russian strikes hit Kharkiv overnight, wounding three people, the mayor said on Telegram."},
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    result = _run("read", str(batch), "--json")
    assert result.exit_code == 1
    reports = [json.loads(x) for x in result.stdout.strip().splitlines()]
    assert [(r["source"]["url"], r["language"]) for r in reports] == [("https://a.example/1", "fr"), ("https://a.example/3", "en")]
    assert "batch.jsonl:2" in result.stderr and "no 'text' or 'html'" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert _run("read").exit_code == 2
    assert _run("read", "x", "--no-such-option").exit_code == 2


def test_missing_file_is_a_rejected_input_not_a_traceback(tmp_path: Path) -> None:
    result = _run("read", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr and "Traceback" not in result.output


def test_help_teaches() -> None:
    result = _run("read", "--help")
    assert "Example: sitrep read" in result.stdout and "--published" in result.stdout


def test_real_entry_point_reads_stdin(example_path: Path) -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("sitrep")), "read", "-", "--json"],
        input=example_path.read_bytes(), capture_output=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["source"]["path"] == "<stdin>" and report["language"] == "fr"


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02" * 50])
def test_stdin_bad_input_exit_1(data: bytes) -> None:
    result = runner.invoke(app, ["read", "-", "--json"], input=data)
    assert result.exit_code == 1 and result.stdout == ""
    assert "rejected <stdin>:" in result.stderr
