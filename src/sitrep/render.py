"""Readable summaries of reports for the terminal (Rich). JSON is the contract; this is for people."""

from __future__ import annotations

from collections.abc import Callable
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
    names = {e["id"]: e["name"] for e in report.get("entities") or []}
    names.update({a["id"]: names.get(a.get("source") or "", "?") for a in report.get("attributions") or []})
    for name, label, fmt in _SECTIONS:
        items = report.get(name) or []
        if items:
            table = Table(*label, title=name.capitalize(), title_justify="left")
            for item in items:
                table.add_row(*[_clip(str(v), 70) for v in fmt(item, names)])
            console.print(table)


def _who(ids: list[str] | None, names: dict[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids or [])


# (report field, column titles, row of an item given the names of entities and attributions)
_SECTIONS: list[tuple[str, tuple[str, ...], Callable[[dict[str, Any], dict[str, str]], tuple[Any, ...]]]] = [
    ("entities", ("name", "kind", "country", "role"), lambda e, _: (
        e["name"], e["kind"], e.get("country") or "", e.get("role") or ("anonymous" if e.get("anonymous") else ""))),
    ("times", ("text", "type", "value", "start–end"), lambda t, _: (
        t["text"], t["type"], t["value"], f"{t.get('start') or ''}–{t.get('end') or ''}")),
    ("quantities", ("text", "value", "unit", "approx."), lambda q, _: (
        q["text"], q["value"], q.get("unit") or "", "yes" if q.get("approximate") else "")),
    ("places", ("text", "name", "country", "precision"), lambda p, _: (
        p["text"], p["name"], p.get("country") or "", p.get("precision") or "")),
    ("attributions", ("source", "via", "cue", "content", "direct"), lambda a, n: (
        n.get(a.get("source") or "", "?"), n.get(a.get("via") or "", ""), a["cue"]["text"], a["content"]["text"],
        "yes" if a.get("direct") else "")),
    ("events", ("type", "trigger", "who → whom", "status", "certainty", "according to"), lambda e, n: (
        e["type"] + (f"/{e['mode']}" if e.get("mode") else ""), e["trigger"]["text"],
        f"{_who(e.get('actors'), n)} → {_who(e.get('recipients'), n)}",
        e["status"] + (" (historical)" if e.get("historical") else "") + (" negated" if e.get("negated") else ""),
        e["certainty"], n.get(e.get("attribution") or "", ""))),
]
