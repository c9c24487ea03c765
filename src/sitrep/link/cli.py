"""`sitrep stories` and `sitrep story`: thin commands over the store's story queries.

`register(app)` adds them to the main Typer app (cli.py calls it). Errors become exit codes as in
cli.py: 2 for usage (a bad date, an unknown story), 3 for the store.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, Optional

import typer

__all__ = ["register", "stories", "story"]

_DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="Store: a SQLAlchemy URL (sqlite:///file.db, postgresql://host/db) or a SQLite "
                 "file path. Default: $SITREP_DB or sitrep.db.", show_default=False),
]
_JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (one object per line) instead of a readable summary."),
]


def stories(
    actor: Annotated[Optional[str], typer.Option(
        help="Only stories with this participant: a country code (PRK) or part of a person's or organisation's "
             "name.", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option(help="Only stories with events on or after this date (YYYY-MM-DD).",
                                                 show_default=False)] = None,
    background: Annotated[bool, typer.Option("--background/--no-background",
                                             help="Include stories of background (historical) events.")] = True,
    limit: Annotated[int, typer.Option(help="How many of the most recent stories to list.")] = 100,
    db: _DbOption = None,
    json_out: _JsonOption = False,
) -> None:
    """List stories — the same happening told by many reports — newest first, with their timeline.

    A story gathers the events of stored documents that report one happening, across outlets and
    languages; `reported` is its timeline, reports per day of publication. With --json, one story
    per line: its reports, independent sources, every value (figure, place, date, status,
    certainty) with who gives it, the timeline (what each day of reporting added) and the
    contradictions.

    Example: sitrep stories --actor PRK --since 2024-10-01
    """
    from .. import cli as base
    from ..dates import parse_iso

    if since is not None and parse_iso(since) is None:
        base._fail(f"--since {since!r} is not a date (expected YYYY-MM-DD)", base.EXIT_USAGE)
    settings = base._settings()
    with base._open(db, settings) as store:
        found = _guard(lambda: store.stories(actor=actor, since=since, limit=limit,
                                             historical=None if background else False))
    if json_out:
        for item in found:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    table = Table("id", "when", "story", "reported", "sources", "clashes")
    for item in found:
        when = item["time"]["start"] or ""
        if item["time"]["end"] and item["time"]["end"] != when:
            when += f" → {item['time']['end']}"
        table.add_row(str(item["id"]), when, item["title"], _reported(item["timeline"]),
                      str(item["independent_sources"]), str(len(item["contradictions"])))
    base.out.print(table)


def _reported(timeline: list[dict[str, Any]], days: int = 3) -> str:
    """The reporting timeline in a few words: reports per day of publication, latest days."""
    parts = [f"{d['day'] or 'undated'}: {d['reports']}" for d in timeline]
    if len(parts) > days:
        parts = [f"… ({sum(d['reports'] for d in timeline[:-days])} earlier)"] + parts[-days:]
    return "\n".join(parts)


def story(
    ident: Annotated[int, typer.Argument(metavar="ID", help="Story id, as `sitrep stories` lists it.")],
    db: _DbOption = None,
    json_out: _JsonOption = False,
) -> None:
    """Show one story: its reports in time order, each value with its sources, its timeline, contradictions.

    Values are never averaged: 3,000 troops per one source and 10,000 per another are both shown,
    with their status (deployed, planned…). Values that cannot both hold are flagged.

    Example: sitrep story 12 --json
    """
    from .. import cli as base

    settings = base._settings()
    with base._open(db, settings) as store:
        found = _guard(lambda: store.story(ident))
    if found is None:
        base._fail(f"no story with id {ident} in the store", base.EXIT_USAGE)
    if json_out:
        sys.stdout.write(json.dumps(found, ensure_ascii=False) + "\n")
        return
    _render(found)


def _guard(query: Any) -> Any:
    from .. import cli as base
    from ..errors import StoreError

    try:
        return query()
    except StoreError as exc:
        base._fail(str(exc), base.EXIT_STORE)


def _render(item: dict[str, Any]) -> None:
    from rich.table import Table

    from .. import cli as base

    out = base.out
    if item.get("merged_from") is not None:
        out.print(f"story {item['merged_from']} was merged into story {item['id']} when linking revisited it",
                  highlight=False)
    out.print(f"[bold]story {item['id']}[/]: {item['title']}", highlight=False)
    out.print(f"{len(item['reports'])} reports in {item['documents']} documents, "
              f"{item['independent_sources']} independent sources", highlight=False)
    reports = Table("published", "outlet", "lang", "status", "certainty", "source", "sentence", title="reports",
                    title_justify="left")
    for r in item["reports"]:
        status = ("not " if r["negated"] else "") + r["status"]
        reports.add_row(r["published"] or "", r["outlet"] or "", r["language"] or "", status, r["certainty"],
                        r["source"] or "(the outlet)", _short(r["sentence"], 60))
    out.print(reports)
    values = Table("attribute", "value", "status", "sources", "independent", title="values", title_justify="left")
    for attribute, entries in item["values"].items():
        for e in entries:
            value = f"{e['value']} {e.get('unit') or ''}".strip()
            values.add_row(attribute, value, e.get("status") or "", "; ".join(e["sources"]),
                           str(e["independent_sources"]))
    out.print(values)
    timeline = Table("published", "reports", "outlets", "first told", title="timeline", title_justify="left")
    for d in item["timeline"]:
        told = "; ".join(f"{n['attribute']} {n['value']}{' ' + n['unit'] if n.get('unit') else ''}"
                         f"{' (' + n['status'] + ')' if n.get('status') and n['attribute'] == 'quantity' else ''}"
                         f" per {n['source']}" for n in d["new"])
        timeline.add_row(d["day"] or "undated", str(d["reports"]), ", ".join(d["outlets"]), told)
    out.print(timeline)
    for c in item["contradictions"]:
        out.print(f"[bold red]contradiction[/] ({c['attribute']}): " + " vs ".join(
            f"{claim['value']} per {', '.join(claim['sources'])}" for claim in c["claims"]) + f" — {c['reason']}",
            highlight=False)
    for d in item["differences"]:
        out.print(f"[yellow]difference[/] ({d['attribute']}, {d['kind']}): " + " / ".join(
            f"{claim['value']} ({', '.join(claim['status'])})" for claim in d["claims"]), highlight=False)


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def register(app: typer.Typer) -> None:
    """Add `stories` and `story` to the sitrep app."""
    app.command("stories")(stories)
    app.command("story")(story)
