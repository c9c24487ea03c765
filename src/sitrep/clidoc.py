"""The CLI reference (docs/CLI.md), generated from the commands themselves.

`python -m sitrep.clidoc > docs/CLI.md` rewrites it; a test fails when the file and the code
disagree, so the reference cannot drift from `--help`.
"""

from __future__ import annotations

import inspect

import typer.main

from .cli import app

__all__ = ["render"]


def render() -> str:
    group = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the code by `python -m sitrep.clidoc > docs/CLI.md`; `sitrep COMMAND --help` prints the same.",
        "",
        "Exit codes: 0 every input read; 1 some inputs rejected (each explained on stderr and, on ingest, "
        "recorded in the store's rejects); 2 usage or configuration error; 3 the store cannot be opened or written.",
        "",
    ]
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        lines += [f"## sitrep {name}", "", inspect.cleandoc(command.help or ""), ""]
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        usage = " ".join(["[OPTIONS]"] + [(p.metavar or p.name.upper()) + ("…" if p.nargs == -1 else "") for p in arguments])
        lines += ["```", f"sitrep {name} {usage}", "```", ""]
        rows = []
        for param in command.params:
            if param.param_type_name == "argument":
                rows.append((param.metavar or param.name.upper(), getattr(param, "help", "") or ""))
            elif param.name != "help":
                rows.append((", ".join(param.opts), getattr(param, "help", "") or ""))
        if rows:
            lines += ["| argument / option | meaning |", "|---|---|"]
            lines += [f"| `{a}` | {h} |" for a, h in rows]
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
