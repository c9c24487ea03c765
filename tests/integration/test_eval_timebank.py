"""`sitrep eval timebank` on the French TimeBank: it runs end to end and returns sane figures.
The figures themselves are reported in docs/ACCURACY.md, not pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.eval import run_eval
from sitrep.eval.timebank import read_tml

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "fr-timebank"



def test_gold_offsets_point_at_the_gold_text() -> None:
    gold = read_tml(DATA / "1999-05-20-0108.tml")
    assert gold.dct == "1999-05-20"
    assert [t.text for t in gold.timexes] == ["mardi", "21 h 45", "hier matin"]
    for t in gold.timexes:
        assert gold.text[t.span[0]:t.span[1]] == t.text


def test_eval_timebank_runs_and_scores() -> None:
    figures = run_eval("timebank", DATA)
    assert figures["documents"] == 54
    assert figures["gold"] == 181  # body TIMEX3 only: the DCT sits in metadata
    assert figures["predicted"] > 0
    for name in ("strict", "relaxed", "value"):
        for measure in ("precision", "recall", "f1"):
            assert 0.0 <= figures[f"{name}_{measure}"] <= 1.0
    assert 0.0 <= figures["type_accuracy"] <= 1.0 and 0.0 <= figures["value_accuracy"] <= 1.0
    assert figures["relaxed_f1"] >= figures["strict_f1"]
    assert figures["times_seconds"] >= 0 and figures["nlp_seconds"] > 0
