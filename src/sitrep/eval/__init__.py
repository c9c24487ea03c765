"""Evaluations against gold data, behind `sitrep eval NAME PATH`.

Each evaluation module registers a function `(path: Path) -> dict` with `@register_eval(name)`;
the dict holds the figures (precision, recall, F1, accuracies, counts) that the CLI prints and
docs/ACCURACY.md reports. Modules in this package are imported on first use.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["register_eval", "evaluations", "run_eval"]

Evaluation = Callable[[Path], dict[str, Any]]
_REGISTRY: dict[str, Evaluation] = {}


def register_eval(name: str) -> Callable[[Evaluation], Evaluation]:
    def wrap(fn: Evaluation) -> Evaluation:
        _REGISTRY[name] = fn
        return fn

    return wrap


def evaluations() -> dict[str, Evaluation]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items()))


def run_eval(name: str, path: Path) -> dict[str, Any]:
    from ..errors import ConfigError

    found = evaluations()
    if name not in found:
        raise ConfigError(f"unknown evaluation {name!r}; known: {', '.join(found) or 'none'}")
    if not path.exists():
        raise ConfigError(f"gold data not found: {path}")
    return found[name](path)
