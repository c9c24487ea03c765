"""Sources: encodings detected, bad inputs refused with a reason, HTML and JSON Lines read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.models import RawDocument, Reject, Source
from sitrep.settings import Settings
from sitrep.sources import iter_inputs, read_bytes
from sitrep.sources.text import decode
from sitrep.errors import InputError

FR = "Les forces russes ont pris le contrôle de plusieurs villages près de Koupiansk, a indiqué l’état-major."


def _read(data: bytes, name: str = "a.txt", **settings: object) -> list[RawDocument | Reject]:
    return list(read_bytes(data, Source(path=name), Settings(**settings)))  # type: ignore[arg-type]


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_french_text_decodes_in_common_encodings(codec: str) -> None:
    (raw,) = _read(FR.replace("’", "'").encode(codec))
    assert isinstance(raw, RawDocument)
    assert "contrôle" in raw.text and "état-major" in raw.text


def test_damaged_utf8_is_refused_not_turned_into_mojibake() -> None:
    data = "Déjà la deuxième frappe de la journée à Kharkiv.".encode() + b"\xff\xfe suite"
    (reject,) = _read(data)
    assert isinstance(reject, Reject) and "invalid UTF-8" in reject.reason


def test_explicit_encoding_that_does_not_fit_is_refused() -> None:
    with pytest.raises(InputError, match="not valid utf-8"):
        decode("élevé".encode("latin-1"), "x", "utf-8")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t \n", "empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    ],
)
def test_bad_inputs_get_a_one_line_reason(data: bytes, reason: str) -> None:
    (reject,) = _read(data)
    assert isinstance(reject, Reject)
    assert reason in reject.reason and "\n" not in reject.reason


def test_size_limit_is_a_setting() -> None:
    (reject,) = _read(FR.encode() * 10, max_bytes=100)
    assert isinstance(reject, Reject) and "over the limit" in reject.reason


def test_html_main_text_and_metadata() -> None:
    page = f"""<!DOCTYPE html><html><head><title>Frappes à Koupiansk - Le Journal</title>
    <meta property="og:site_name" content="Le Journal"><meta name="author" content="Marie Dupont">
    <meta property="article:published_time" content="2024-11-02T08:15:00+01:00"></head>
    <body><nav>Accueil | Monde | Sport</nav><article><h1>Frappes à Koupiansk</h1>
    <p>{FR}</p><p>{FR.replace("plusieurs", "trois")}</p></article><footer>© Le Journal</footer></body></html>"""
    (raw,) = _read(page.encode(), "page.html")
    assert isinstance(raw, RawDocument)
    assert "Koupiansk" in raw.text and "Accueil" not in raw.text
    assert raw.source.author == "Marie Dupont"
    assert raw.source.outlet == "Le Journal"
    assert raw.published and raw.published.startswith("2024-11-02")


def test_html_without_main_text_is_refused() -> None:
    (reject,) = _read(b"<html><body><nav>Accueil</nav><script>var x=1;</script></body></html>", "p.html")
    assert isinstance(reject, Reject) and "no main text" in reject.reason


def test_json_lines_keep_order_and_reject_bad_lines() -> None:
    lines = [
        json.dumps({"text": FR, "url": "https://example.org/1", "published": "2024-11-02", "outlet": "Ex"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"html": f"<html><body><article><p>{FR}</p><p>{FR}</p></article></body></html>", "url": "https://example.org/2"}),
    ]
    items = _read("\n".join(lines).encode(), "batch.jsonl")
    assert [type(i).__name__ for i in items] == ["RawDocument", "Reject", "Reject", "RawDocument"]
    first, bad_json, no_text, html = items
    assert first.source.url == "https://example.org/1" and first.published == "2024-11-02"  # type: ignore[union-attr]
    assert bad_json.source.endswith("batch.jsonl:2") and "not valid JSON" in bad_json.reason  # type: ignore[union-attr]
    assert "no 'text' or 'html'" in no_text.reason  # type: ignore[union-attr]
    assert html.source.url == "https://example.org/2"  # type: ignore[union-attr]


def test_folders_are_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "1.txt").write_text(FR + " Un.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(FR, encoding="utf-8")
    items = list(iter_inputs([str(tmp_path), str(tmp_path / "missing.txt")], Settings()))
    assert [Path(i.source.path).name if isinstance(i, RawDocument) else i.reason for i in items] == [
        "1.txt", "2.txt", "no such file or folder",
    ]
