"""Language knowledge as data files: `lexicons/<lang>/<name>.txt` (one entry a line) or `.tsv`.

Lines starting with '#' are comments. Files are read once per process.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["lines", "table", "languages"]


@cache
def lines(lang: str, name: str) -> tuple[str, ...]:
    """Entries of lexicons/<lang>/<name>.txt; an absent file is an empty lexicon."""
    path = resources.files(__package__).joinpath(lang, f"{name}.txt")
    if not path.is_file():
        return ()
    return tuple(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def table(lang: str, name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of lexicons/<lang>/<name>.tsv, split on tabs."""
    path = resources.files(__package__).joinpath(lang, f"{name}.tsv")
    if not path.is_file():
        return ()
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


def languages() -> list[str]:
    root = resources.files(__package__)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))
