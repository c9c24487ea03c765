"""Readable summaries of reports for the terminal (Rich). JSON is the contract; this is for people."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["document"]


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def document(console: Console, report: dict[str, Any]) -> None:
    src = report.get("source", {})
    console.print(f"[bold]{src.get('title') or src.get('url') or src.get('path') or 'document'}[/]", highlight=False)
    pub = report.get("published") or "unknown"
    if report.get("published_inferred"):
        pub += " (inferred from the text)"
    console.print(f"id {report['id'][:19]}…  language {report.get('language')}  published {pub}", highlight=False)
    for sighting in report.get("sightings", []):
        console.print(f"  seen at {sighting['location']} ({sighting['first_seen'][:19]})", highlight=False)
    seg = Table("segment", "lang", "kind", "text", title="Segments", title_justify="left")
    text = report["text"]
    for i, s in enumerate(report.get("segments", [])):
        lang = s["language"] + ("" if s.get("supported", True) else " (unsupported)")
        seg.add_row(str(i), lang, s["kind"], _clip(text[s["span"][0]:s["span"][1]]))
    console.print(seg)
    for post in report.get("embedded_posts", []):
        console.print(
            f"[bold]Embedded post[/] ({post['platform']}) {post.get('author')} {post.get('handle') or ''}, "
            f"{post.get('published') or 'undated'}, {post.get('url') or ''}\n  “{_clip(post['text'], 200)}” [{post.get('language')}]",
            highlight=False,
        )
    disclosure = report.get("ai_disclosure")
    console.print(f"[bold]AI-use disclosure[/]: {disclosure['text'] if disclosure else 'none found'}", highlight=False)
    for name, label, fmt in _SECTIONS:
        items = report.get(name) or []
        if items:
            table = Table(*label, title=name.capitalize(), title_justify="left")
            for item in items:
                table.add_row(*[_clip(str(v), 70) for v in fmt(item)])
            console.print(table)


_SECTIONS = [
    ("entities", ("name", "kind", "country", "role"), lambda e: (e["name"], e["kind"], e.get("country") or "", e.get("role") or ("anonymous" if e.get("anonymous") else ""))),
    ("times", ("text", "type", "value", "start–end"), lambda t: (t["text"], t["type"], t["value"], f"{t.get('start') or ''}–{t.get('end') or ''}")),
    ("quantities", ("text", "value", "unit", "approx."), lambda q: (q["text"], q["value"], q.get("unit") or "", "yes" if q.get("approximate") else "")),
    ("places", ("text", "name", "country", "precision"), lambda p: (p["text"], p["name"], p.get("country") or "", p.get("precision") or "")),
    ("attributions", ("source", "cue", "content", "direct"), lambda a: (a.get("source") or "?", a["cue"]["text"], a["content"]["text"], "yes" if a.get("direct") else "")),
    ("events", ("type", "trigger", "status", "certainty"), lambda e: (f"{e['type']}/{e.get('mode') or ''}", e["trigger"]["text"], e["status"] + (" historical" if e.get("historical") else ""), e["certainty"])),
]
