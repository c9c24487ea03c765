"""The stage contract, the stage registry and the pipeline that runs stages in order.

A stage is an object with a `name`, the document fields it `requires` and `assigns`, and a
batched `pipe(docs)` that yields the same documents, annotated, in the same order. A stage that
reads each document on its own subclasses `DocumentStage` and writes only `annotate(doc)`; one
that works across the batch (spaCy's `nlp.pipe`, language detection) writes `pipe` itself.
Built-in stages register themselves with `@register_stage` exactly as a third-party stage would.
The pipeline checks, when it is assembled, that every stage's requirements are assigned by an
earlier stage — not halfway through a run.

A stage that raises on one document must not sink the batch: `Pipeline.run` re-runs that batch
document by document, and hands the failures to `on_error` (raise in tests, record in batch runs).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol, runtime_checkable

from .errors import ConfigError, InputError, SitrepError, StageError
from .models import Document
from .settings import Settings

__all__ = ["Stage", "DocumentStage", "register_stage", "stage_names", "Pipeline", "DEFAULT_STAGES", "BASE_FIELDS"]

# Fields a Document has when it leaves the sources, before any stage.
BASE_FIELDS = frozenset({"id", "text", "source", "published"})

# The order of the built-in stages; a name whose module is absent is skipped.
DEFAULT_STAGES = (
    "segment", "posts", "disclosure", "dating", "nlp", "entities", "times", "quantities", "places",
    "attribution", "certainty", "events",
)


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]: ...


class DocumentStage(ABC):
    """A stage that annotates one document at a time: `pipe` is the loop over the batch, a
    subclass sets `name`, `requires` and `assigns` and writes `annotate`."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __init__(self, settings: Settings) -> None:
        """Most such stages need no setting; one that does overrides this."""

    @abstractmethod
    def annotate(self, doc: Document) -> Document:
        """`doc` with the fields in `assigns` filled in."""

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self.annotate(doc)


_REGISTRY: dict[str, Callable[[Settings], Stage]] = {}


def register_stage(name: str) -> Callable[[Callable[[Settings], Stage]], Callable[[Settings], Stage]]:
    """Register a stage factory (a class or function taking Settings) under `name`."""

    def wrap(factory: Callable[[Settings], Stage]) -> Callable[[Settings], Stage]:
        _REGISTRY[name] = factory
        return factory

    return wrap


def _load_builtins() -> None:
    from . import stages  # noqa: F401  (importing registers the built-in stages)


def stage_names() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


ErrorHandler = Callable[[Document, SitrepError], None]


def raise_error(doc: Document, error: SitrepError) -> None:
    raise error


class Pipeline:
    """Stages in order, checked at assembly."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        have = set(BASE_FIELDS)
        for stage in stages:
            missing = [r for r in stage.requires if r not in have]
            if missing:
                raise ConfigError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, which no earlier stage assigns"
                )
            have.update(stage.assigns)
        self.stages = list(stages)

    @classmethod
    def from_names(cls, names: Iterable[str] | None = None, settings: Settings | None = None) -> "Pipeline":
        _load_builtins()
        settings = settings or Settings()
        if names is None:
            names = settings.stage_list()
        chosen = list(names) if names is not None else [n for n in DEFAULT_STAGES if n in _REGISTRY]
        unknown = [n for n in chosen if n not in _REGISTRY]
        if unknown:
            raise ConfigError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(stage_names())}")
        return cls([_REGISTRY[n](settings) for n in chosen])

    @classmethod
    def through(cls, last: str, settings: Settings | None = None) -> "Pipeline":
        """The built-in stages in pipeline order, up to and including `last`: a stage with all it
        requires (for evaluations and tests of one stage)."""
        _load_builtins()
        if last not in DEFAULT_STAGES:
            raise ConfigError(f"unknown stage {last!r}; known: {', '.join(DEFAULT_STAGES)}")
        names = DEFAULT_STAGES[:DEFAULT_STAGES.index(last) + 1]
        return cls.from_names([n for n in names if n in _REGISTRY], settings)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def run(self, docs: Sequence[Document], on_error: ErrorHandler = raise_error) -> list[Document]:
        """Run every stage over one batch; documents that fail are dropped after `on_error`."""
        batch = list(docs)
        for stage in self.stages:
            try:
                batch = list(stage.pipe(batch))
            except Exception:
                batch = self._one_by_one(stage, batch, on_error)
        return batch

    @staticmethod
    def _one_by_one(stage: Stage, batch: list[Document], on_error: ErrorHandler) -> list[Document]:
        kept = []
        for doc in batch:
            try:
                kept.extend(stage.pipe([doc]))
            except InputError as exc:  # the document itself is unusable (e.g. its language)
                on_error(doc, exc)
            except Exception as exc:  # a stage bug on one document must not sink the batch
                on_error(doc, StageError(stage.name, doc.source.name, exc))
        return kept

    def __call__(self, doc: Document) -> Document:
        return self.run([doc])[0]
