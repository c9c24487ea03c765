"""The `sitrep` command: thin Typer commands over importable functions.

Library errors (SitrepError) become one-line messages here and nowhere else. Exit codes:
0 all inputs read, 1 some inputs rejected, 2 usage or configuration error, 3 store error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from .dates import parse_iso
from .errors import ConfigError, SitrepError, StoreError
from .models import Document, Reject
from .reading import read_inputs
from .report import to_report
from .settings import Settings, load_settings
from .store import Store

__all__ = ["app", "main"]

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3

app = typer.Typer(
    name="sitrep",
    help="Turn news articles (French, English) into a sourced situation picture: what happened, "
    "who did it, where, when, how many — according to whom, and how surely.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="Store: a SQLAlchemy URL (sqlite:///file.db, postgresql://host/db) or a SQLite file path. "
                 "Default: $SITREP_DB or sitrep.db.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (one object per line) instead of a readable summary.")]
PublishedOption = Annotated[
    Optional[str],
    typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none; "
                 "relative dates in the text resolve against it.", show_default=False),
]
PathsArgument = Annotated[
    list[str],
    typer.Argument(help="Files, folders (read recursively), JSON Lines files (.jsonl, one article a line), "
                   "HTML pages (.html), or - for standard input.", show_default=False),
]


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(overrides)
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE)
        raise  # unreachable


def _fail(message: str, code: int) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def _check_published(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = parse_iso(value)
    if parsed is None:
        _fail(f"--published {value!r} is not a date (expected YYYY-MM-DD)", EXIT_USAGE)
    return parsed


def _warn_reject(reject: Reject) -> None:
    err.print(f"rejected {reject.source}: {reject.reason}", markup=False, highlight=False)


@contextmanager
def _open(db: str | None, settings: Settings) -> Iterator[Store]:
    from .store import open_store

    try:
        store = open_store(db or settings.db)
    except StoreError as exc:
        _fail(str(exc), EXIT_STORE)
        raise  # unreachable
    try:
        yield store
    finally:
        store.close()


@app.command()
def read(
    paths: PathsArgument,
    json_out: JsonOption = False,
    published: PublishedOption = None,
    encoding: Annotated[Optional[str], typer.Option(help="Encoding of text inputs; 'auto' detects it.", show_default=False)] = None,
) -> None:
    """Read articles and print what sitrep understands of them, without storing anything.

    With --json, one report per input line, in input order (the contract of DESIGN.md); each
    carries source.path or source.url so you can match it to its input. Rejected inputs are
    skipped there and explained on stderr.

    Example: sitrep read examples/nk-troops-russia.fr.txt --json
    """
    settings = _settings(encoding=encoding)
    rejected = 0
    try:
        for item in read_inputs(paths, settings, published=_check_published(published)):
            if isinstance(item, Reject):
                rejected += 1
                _warn_reject(item)
            elif json_out:
                sys.stdout.write(json.dumps(to_report(item), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                _summary(item)
    except SitrepError as exc:
        _fail(str(exc), EXIT_USAGE)
    raise typer.Exit(EXIT_PARTIAL if rejected else EXIT_OK)


def _summary(doc: Document) -> None:
    from . import render

    render.document(out, to_report(doc))


@app.command()
def ingest(
    paths: PathsArgument,
    db: DbOption = None,
    published: PublishedOption = None,
    encoding: Annotated[Optional[str], typer.Option(help="Encoding of text inputs; 'auto' detects it.", show_default=False)] = None,
    json_out: JsonOption = False,
) -> None:
    """Read articles and store them: one document per distinct text, a sighting per copy.

    Rejected inputs (empty, binary, mis-encoded, too big, no text, unsupported language) are
    recorded in the store's rejects with their reason; the rest of the batch is stored.
    Exit code 1 when some inputs were rejected.

    Example: sitrep ingest articles/ --db postgresql://localhost/news
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .reading import batches
    from .store import IngestResult

    settings = _settings(encoding=encoding)
    total = IngestResult()
    with _open(db, settings) as store, Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=json_out or not err.is_terminal) as progress:
        task = progress.add_task("ingest", total=None)
        try:
            for batch in batches(read_inputs(paths, settings, published=_check_published(published)), settings.batch_size):
                for item in batch:
                    if isinstance(item, Reject):
                        _warn_reject(item)
                result = store.ingest(batch, revisit=settings.revisit)
                total.ingested += result.ingested
                total.duplicates += result.duplicates
                total.rejected += result.rejected
                progress.advance(task, len(batch))
        except StoreError as exc:
            _fail(str(exc), EXIT_STORE)
        except SitrepError as exc:
            _fail(str(exc), EXIT_USAGE)
    if json_out:
        sys.stdout.write(json.dumps(total.to_dict()) + "\n")
    else:
        out.print(f"ingested {total.ingested}, duplicates {total.duplicates}, rejected {total.rejected}")
    raise typer.Exit(EXIT_PARTIAL if total.rejected else EXIT_OK)


@app.command()
def stats(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Count what the store holds: documents, sightings, rejects."""
    settings = _settings()
    with _open(db, settings) as store:
        counts = store.stats()
    if json_out:
        sys.stdout.write(json.dumps(counts) + "\n")
        return
    table = Table("what", "count")
    for name, value in counts.items():
        table.add_row(name, str(value))
    out.print(table)


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Document id (sha256:…) or an unambiguous prefix of it.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Print one stored document: its report and where it was seen."""
    settings = _settings()
    with _open(db, settings) as store:
        report = store.get(ident)
    if report is None:
        _fail(f"no single document with id {ident!r} in the store", EXIT_USAGE)
    if json_out:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    from . import render

    render.document(out, report)


@app.command()
def rejects(db: DbOption = None, json_out: JsonOption = False,
            limit: Annotated[int, typer.Option(help="How many of the newest rejects to list.")] = 50) -> None:
    """List the inputs the store refused, newest first, with their reasons."""
    settings = _settings()
    with _open(db, settings) as store:
        rows = store.rejects(limit)
    if json_out:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table("at", "input", "reason")
    for row in rows:
        table.add_row(row["at"][:19], row["source"], row["reason"])
    out.print(table)


@app.command("eval")
def eval_(
    name: Annotated[str, typer.Argument(help="Which evaluation: timebank, timex, attribution, certainty, plover, ecb.")],
    path: Annotated[Path, typer.Argument(help="The gold data: a folder or a file, as the evaluation expects.")],
    json_out: JsonOption = False,
) -> None:
    """Score sitrep against gold data and print the figures (precision, recall, F1, accuracy).

    Example: sitrep eval timebank ../shared/data/fr-timebank
    """
    from .eval import run_eval

    try:
        figures = run_eval(name, path)
    except SitrepError as exc:
        _fail(str(exc), EXIT_USAGE)
    if json_out:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
        return
    table = Table("measure", "value", title=f"eval {name}", title_justify="left")
    for key, value in figures.items():
        if not isinstance(value, (dict, list)):
            table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    out.print(table)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning Click usage errors into exit code 2."""
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK


# The story commands live with the linker; they are added last so that they can import this module.
from .link.cli import register as _register_stories  # noqa: E402

_register_stories(app)
