"""The stage contract: order checked at assembly, one bad document never sinks a batch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import pytest

import sitrep
from sitrep.documents import to_document
from sitrep.errors import ConfigError, SitrepError, StageError
from sitrep.models import Document, RawDocument, Source
from sitrep.pipeline import DEFAULT_STAGES, Pipeline, stage_names


class Shout:
    name = "shout"
    requires = ("segments",)
    assigns = ("shouted",)

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]:
        for doc in docs:
            if "boom" in doc.text:
                raise RuntimeError("cannot shout boom")
            yield replace(doc, language=doc.text.upper()[:2])


def test_public_api_is_pinned() -> None:
    assert sorted(sitrep.__all__) == sorted([
        "read_text", "read_inputs", "Pipeline", "register_stage", "open_store", "to_report",
        "Settings", "load_settings", "Document", "RawDocument", "Reject", "Source",
        "SitrepError", "InputError", "ConfigError", "StageError", "StoreError",
    ])


def test_default_stages_are_registered_in_order() -> None:
    names = Pipeline.from_names().names
    assert names[:5] == ["segment", "posts", "disclosure", "dating", "nlp"]
    assert names == [n for n in DEFAULT_STAGES if n in stage_names()]


def test_order_is_checked_at_assembly() -> None:
    with pytest.raises(ConfigError, match="requires segments"):
        Pipeline([Shout()])
    with pytest.raises(ConfigError, match="unknown stage"):
        Pipeline.from_names(["segment", "nonsense"])


def test_one_failing_document_does_not_sink_the_batch() -> None:
    base = Pipeline.from_names(["segment"])
    pipeline = Pipeline([*base.stages, Shout()])
    docs = [to_document(RawDocument(t, Source(path=str(i)))) for i, t in enumerate(
        ["Un texte français tout à fait ordinaire.", "Un autre texte qui fait boom ici.", "Encore un texte français ordinaire."]
    )]
    failures: list[tuple[str, SitrepError]] = []
    done = pipeline.run(docs, on_error=lambda d, e: failures.append((d.source.path or "", e)))
    assert [d.source.path for d in done] == ["0", "2"]
    assert [(p, type(e)) for p, e in failures] == [("1", StageError)]
    assert "cannot shout boom" in str(failures[0][1])
    with pytest.raises(StageError):  # the default handler raises, as tests want
        pipeline.run(docs)


def test_a_stage_failure_becomes_a_reject_with_its_reason_in_input_order() -> None:
    from sitrep.reading import analyse
    from sitrep.models import Reject
    from sitrep.settings import Settings

    pipeline = Pipeline([*Pipeline.from_names(["segment"]).stages, Shout()])
    raws = [RawDocument(t, Source(path=str(i))) for i, t in enumerate(
        ["Un texte français tout à fait ordinaire.", "Un autre texte qui fait boom ici.", "Encore un texte français ordinaire."]
    )]
    out = list(analyse(raws, Settings(), pipeline))
    assert [type(o).__name__ for o in out] == ["Document", "Reject", "Document"]
    assert isinstance(out[1], Reject) and "cannot shout boom" in out[1].reason
