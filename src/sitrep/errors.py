"""The one exception tree of sitrep.

    SitrepError
    ├── InputError    an input we cannot read (empty, binary, mis-encoded, too big, no text,
    │                 unsupported language); carries the input's name and a one-line reason
    ├── ConfigError   a setting or option with a value we cannot use
    ├── StageError    a stage failed on a document (a bug, not the user's fault)
    └── StoreError    the database cannot be opened, migrated or written

Library code raises these; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

__all__ = ["SitrepError", "InputError", "ConfigError", "StageError", "StoreError"]


class SitrepError(Exception):
    """Root of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """An input that cannot become a document; `reason` is one line for the user."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(SitrepError):
    """A setting or command-line value that cannot be used."""


class StageError(SitrepError):
    """A stage raised on one document."""

    def __init__(self, stage: str, document: str, cause: BaseException) -> None:
        super().__init__(f"stage {stage} failed on {document}: {type(cause).__name__}: {cause}")
        self.stage = stage
        self.document = document
        self.cause = cause


class StoreError(SitrepError):
    """The store cannot be opened, migrated or written."""
