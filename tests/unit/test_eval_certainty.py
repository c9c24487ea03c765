"""The certainty evaluation: its scorer on a tiny gold file, and the shipped gold data itself."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sitrep.documents import normalize_text
from sitrep.eval.certainty import (CERTAINTIES, STATUSES, Outcome, align, check_record, evaluate_certainty,
                                   figures, load_gold)
from sitrep.models import Clause

GOLD = Path(__file__).resolve().parents[1] / "data" / "certainty"


def _clause(text: str, trigger: str, status: str, certainty: str, negated: bool = False,
            historical: bool = False) -> dict[str, object]:
    return {"trigger": trigger, "trigger_start": text.index(trigger), "kind": "verb", "status": status,
            "certainty": certainty, "negated": negated, "historical": historical}


def test_scorer_on_a_tiny_gold_file(tmp_path: Path) -> None:
    first = "Les gendarmes n'ont jamais retrouvé l'arme."
    second = "Le régiment a quitté Mitrovica le 2 mars 2019."
    records = [
        {"id": "a", "lang": "fr", "split": "dev", "source": "test", "published": "2024-10-23", "text": first,
         "clauses": [_clause(first, "retrouvé", "occurred", "asserted", negated=True)]},
        # the second gold label is wrong on purpose (the regiment left, it does not plan to): the
        # scorer must count it as a status error and nothing else
        {"id": "b", "lang": "fr", "split": "dev", "source": "test", "published": "2024-10-23", "text": second,
         "clauses": [_clause(second, "quitté", "planned", "asserted", historical=True)]},
    ]
    gold = tmp_path / "fr.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = evaluate_certainty(gold)
    assert out["fr.dev.clauses"] == 2 and out["fr.dev.coverage"] == 1.0
    assert out["fr.dev.status_accuracy"] == 0.5
    assert out["fr.dev.certainty_accuracy"] == 1.0
    assert out["fr.dev.negated_accuracy"] == 1.0 and out["fr.dev.negated_recall"] == 1.0
    assert out["fr.dev.historical_accuracy"] == 1.0
    assert out["fr.dev.all_four_accuracy"] == 0.5
    assert out["fr.dev.certainty_confusion"] == "none"
    assert "fr.heldout.clauses" not in out and out["all.dev.clauses"] == 2


def test_alignment_takes_the_smallest_clause_and_figures_count_misses() -> None:
    outer = Clause(span=(0, 60), status="occurred", certainty="asserted")
    inner = Clause(span=(20, 40), status="planned", certainty="reported")
    assert align([outer, inner], 25, 30) is inner
    assert align([outer, inner], 5, 9) is outer
    assert align([outer, inner], 55, 70) is None
    gold = {"status": "planned", "certainty": "hedged", "negated": False, "historical": False, "kind": "verb"}
    outcomes = [Outcome(gold, inner), Outcome(gold, None)]
    out = figures(outcomes)
    assert out["coverage"] == 0.5 and out["status_accuracy"] == 0.5 and out["certainty_accuracy"] == 0.0
    assert out["certainty_confusion"] == "hedged→reported 1"


def test_a_record_with_an_unknown_label_or_a_misplaced_trigger_is_refused() -> None:
    text = "Des troupes seraient déployées."
    good = {"id": "x", "split": "dev", "published": "2024-10-23", "text": text,
            "clauses": [_clause(text, "déployées", "ongoing", "hedged")]}
    check_record(good)
    with pytest.raises(ValueError):
        check_record({**good, "clauses": [{**good["clauses"][0], "certainty": "rumoured"}]})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        check_record({**good, "clauses": [{**good["clauses"][0], "trigger_start": 0}]})  # type: ignore[dict-item]


def test_the_gold_files_parse_use_valid_labels_and_match_their_annotations() -> None:
    spec = importlib.util.spec_from_file_location("certainty_build", GOLD / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for lang in ("fr", "en"):
        records = load_gold(GOLD / f"{lang}.jsonl")  # load_gold checks every record
        assert records == build.build(lang), f"{lang}.jsonl is stale: run tests/data/certainty/build.py"
        assert {r["split"] for r in records} == {"dev", "heldout"}
        clauses = [c for r in records for c in r["clauses"]]
        assert len(clauses) >= 120
        assert {c["status"] for c in clauses} == set(STATUSES)
        assert {c["certainty"] for c in clauses} == set(CERTAINTIES)
        assert any(c["negated"] for c in clauses) and any(c["historical"] for c in clauses)
        for r in records:
            assert r["lang"] == lang and normalize_text(r["text"]) == r["text"]
