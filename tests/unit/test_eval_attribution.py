"""The attribution scorer: held-out records get rows of their own, never pooled with dev."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.eval.attribution import evaluate_attribution

TEXT = "Le ministre a déclaré que les troupes partiraient vendredi."
GOLD = [{"speaker": ["Le ministre"], "cue": "a déclaré", "content": "les troupes partiraient vendredi",
         "direct": False}]


def test_held_out_records_are_scored_apart(tmp_path: Path) -> None:
    records = [
        {"id": "d1", "lang": "fr", "text": TEXT, "published": "2025-03-03", "attributions": GOLD},
        # held out, and annotated with an attribution the text does not make: recall 0 there only
        {"id": "h1", "lang": "fr", "split": "heldout", "text": TEXT, "published": "2025-03-03",
         "attributions": GOLD + [{"speaker": None, "cue": None, "content": "Le ministre a déclaré",
                                  "direct": False}]},
    ]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                         encoding="utf-8")
    figures = evaluate_attribution(tmp_path / "gold.jsonl")
    assert figures["fr.documents"] == 1 and figures["fr.heldout.documents"] == 1
    assert figures["fr.content_recall"] == 1.0
    assert figures["fr.heldout.content_recall"] == 0.5 and figures["all.heldout.content_recall"] == 0.5
