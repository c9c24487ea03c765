"""Stage `disclosure`: statements that the article was made with the help of AI.

The patterns live in lexicons/<lang>/disclosure.txt; every language's patterns are tried on
every segment, since a French site may print its disclosure in English and the other way round.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .. import lexicons
from ..models import Disclosure, Document
from ..pipeline import DocumentStage, register_stage

__all__ = ["DisclosureStage", "find_disclosure"]


@cache
def _patterns() -> re.Pattern[str]:
    alternatives = [line for lang in lexicons.languages() for line in lexicons.lines(lang, "disclosure")]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


def find_disclosure(doc: Document) -> Disclosure | None:
    # Disclosures sit at the end of articles more often than not: search from the last segment.
    for seg in reversed(doc.segments):
        for start, end in reversed(seg.sentences or (seg.span,)):
            sentence = doc.text[start:end]
            if _patterns().search(sentence):
                return Disclosure(text=sentence, span=(start, end))
    return None


class DisclosureStage(DocumentStage):
    name = "disclosure"
    requires = ("segments",)
    assigns = ("ai_disclosure",)

    def annotate(self, doc: Document) -> Document:
        found = find_disclosure(doc)
        if found is None:
            return doc
        segments = tuple(
            replace(seg, kind="disclosure") if seg.span[0] <= found.span[0] and found.span[1] <= seg.span[1]
            and (seg.span[1] - seg.span[0]) <= 2 * (found.span[1] - found.span[0]) else seg
            for seg in doc.segments
        )
        return replace(doc, ai_disclosure=found, segments=segments)


register_stage("disclosure")(DisclosureStage)
