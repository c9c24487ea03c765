"""sitrep: a sourced situation picture from news reporting.

The public facade: `read_text` / `read_inputs` to analyse articles, `Pipeline` to assemble
stages, `open_store` for the database, the record types, and the error tree.
"""

from __future__ import annotations

from .errors import ConfigError, InputError, SitrepError, StageError, StoreError
from .models import Document, RawDocument, Reject, Source
from .pipeline import Pipeline, register_stage
from .reading import read_inputs, read_text
from .report import to_report
from .settings import Settings, load_settings
from .store import open_store

__all__ = [
    "read_text", "read_inputs", "Pipeline", "register_stage", "open_store", "to_report",
    "Settings", "load_settings", "Document", "RawDocument", "Reject", "Source",
    "SitrepError", "InputError", "ConfigError", "StageError", "StoreError",
]
__version__ = "0.1.0"
