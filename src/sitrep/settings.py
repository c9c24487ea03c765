"""Every setting of sitrep, declared once: name, default, type, help.

Layers, lowest first: the defaults below < a TOML config file (`sitrep.toml` in the working
directory, or the file named by SITREP_CONFIG) < environment variables (SITREP_<NAME>) <
command-line options. `docs/SETTINGS.md` documents each one; a test checks that.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["Settings", "SETTINGS_HELP", "load_settings"]


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    db: str = _setting("sitrep.db", "Store: a SQLAlchemy URL (sqlite:///file.db, postgresql://…) or a file path.")
    max_bytes: int = _setting(10_000_000, "Inputs larger than this many bytes are rejected.")
    batch_size: int = _setting(32, "Documents per batch sent through the stages (and per store transaction).")
    encoding: str = _setting("auto", "Encoding of plain-text inputs: 'auto' detects it, or a codec name such as utf-8.")
    languages: str = _setting("fr,en", "Languages sitrep analyses (ISO 639-1, comma-separated); others are marked unsupported.")
    min_text_chars: int = _setting(20, "Inputs whose main text is shorter than this are rejected as having no text.")
    stages: str = _setting("", "Stages to run, comma-separated, in pipeline order; empty runs every built-in stage.")
    revisit: bool = _setting(True, "After each ingest batch, revisit the stories it touched: split a story that holds "
                                   "two happenings, move misplaced events (link/revisit.py). Off: linking only grows stories.")

    def stage_list(self) -> list[str] | None:
        names = [name.strip() for name in self.stages.split(",") if name.strip()]
        return names or None

    def language_set(self) -> frozenset[str]:
        return frozenset(code.strip() for code in self.languages.split(",") if code.strip())


SETTINGS_HELP: dict[str, str] = {f.name: f.metadata["help"] for f in fields(Settings)}


def _coerce(name: str, raw: Any) -> Any:
    kind = type(getattr(Settings(), name))
    if kind is bool and isinstance(raw, str):  # from the environment: bool("false") would be True
        value = raw.strip().lower()
        if value in ("1", "true", "yes", "on"):
            return True
        if value in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"setting {name}: {raw!r} is not a valid bool (true or false)")
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: {raw!r} is not a valid {kind.__name__}") from exc


def load_settings(overrides: dict[str, Any] | None = None, config: Path | None = None) -> Settings:
    """Build the settings from the layers; `overrides` are the command line's non-None values."""
    values: dict[str, Any] = {}
    path = config or Path(os.environ.get("SITREP_CONFIG", "sitrep.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path}: {exc}") from exc
        for name, raw in data.items():
            if name not in SETTINGS_HELP:
                raise ConfigError(f"config file {path}: unknown setting {name!r}")
            values[name] = _coerce(name, raw)
    for name in SETTINGS_HELP:
        env = os.environ.get(f"SITREP_{name.upper()}")
        if env is not None:
            values[name] = _coerce(name, env)
    for name, raw in (overrides or {}).items():
        if raw is not None:
            values[name] = _coerce(name, raw)
    return replace(Settings(), **values)
