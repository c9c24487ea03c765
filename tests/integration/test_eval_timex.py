"""`sitrep eval timex` on the English gold of tests/data/times: the gold is well formed, both
ways of placing an expression (offsets, n-th occurrence) read the same, and the evaluation runs
end to end with the scorer of `sitrep eval timebank`. The figures are reported in
docs/ACCURACY.md, not pinned here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.eval import run_eval
from sitrep.eval.timex import read_jsonl

GOLD = Path(__file__).resolve().parents[1] / "data" / "times"
# TIMEX3 values: dates and weeks (with X for unknown or padded digits), parts of days, clock
# times, durations, sets and the reference points.
VALUE = re.compile(
    r"(?:[\dX]{2,4}(?:-(?:\d\d|W\d\d|Q[1-4]|H[12]|SP|SU|FA|WI)(?:-\d\d|-WE)?)?(?:T(?:\d\d:\d\d|MO|AF|EV|NI))?"
    r"|P(?:[\dX.]+(?:Y|M|W|D|DE|CE))+|PT(?:[\dX.]+[HMS])+|(?:PRESENT|PAST|FUTURE)_REF)")


@pytest.mark.parametrize("name", ["en.jsonl", "en_heldout.jsonl"])
def test_gold_is_well_formed(name: str) -> None:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        record = json.loads(line)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", record["published"]), record["id"]
        assert record["reason"] and record["origin"].startswith("shared/data/ecbplus/")
        previous_end = 0
        for t in record["timexes"]:
            assert record["text"][t["start"]:t["end"]] == t["text"], (record["id"], t)
            assert t["start"] >= previous_end, (record["id"], t)  # in order, no overlap
            previous_end = t["end"]
            assert t["type"] in {"DATE", "TIME", "DURATION", "SET"}, (record["id"], t)
            assert VALUE.fullmatch(t["value"]), (record["id"], t)


def test_main_gold_is_large_enough() -> None:
    records = [json.loads(line) for line in (GOLD / "en.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 25
    assert sum(len(r["timexes"]) for r in records) >= 200
    assert len({r["id"].split("_")[0] for r in records}) >= 25  # one article per ECB+ topic


def test_offsets_and_occurrences_read_the_same(tmp_path: Path) -> None:
    text = "Rebels struck on Monday.\nOn Monday night and again on Monday, shells fell for two hours."
    second = [m.start() for m in re.finditer(r"\bMonday\b", text)][2]
    by_occurrence = {"id": "a", "published": "2024-10-23", "text": text, "timexes": [
        {"text": "Monday", "type": "DATE", "value": "2024-10-21"},
        {"text": "Monday", "occurrence": 3, "type": "DATE", "value": "2024-10-21"},
        {"text": "two hours", "type": "DURATION", "value": "PT2H"}]}
    by_offsets = dict(by_occurrence, id="b", timexes=[
        {"text": "Monday", "start": 17, "end": 23, "type": "DATE", "value": "2024-10-21"},
        {"text": "Monday", "start": second, "end": second + 6, "type": "DATE", "value": "2024-10-21"},
        {"text": "two hours", "start": text.index("two"), "end": text.index("two") + 9, "type": "DURATION",
         "value": "PT2H"}])
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (by_occurrence, by_offsets)), encoding="utf-8")
    a, b = read_jsonl(path)
    assert a.timexes == b.timexes
    assert [a.text[s:e] for s, e in (t.span for t in a.timexes)] == ["Monday", "Monday", "two hours"]
    assert a.timexes[1].span[0] > text.index("Monday night")  # the third Monday, not the one of "Monday night"


def test_a_missing_occurrence_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "a", "published": "2024-10-23", "text": "Rebels struck on Monday.",
                                "timexes": [{"text": "Tuesday", "type": "DATE", "value": "2024-10-22"}]}),
                    encoding="utf-8")
    with pytest.raises(InputError):
        list(read_jsonl(path))


def test_eval_timex_runs_and_scores() -> None:
    figures = run_eval("timex", GOLD / "en.jsonl")
    assert figures["documents"] == 27
    assert figures["gold"] == 236
    assert figures["predicted"] > 0
    for name in ("strict", "relaxed", "value"):
        for measure in ("precision", "recall", "f1"):
            assert 0.0 <= figures[f"{name}_{measure}"] <= 1.0
    assert figures["relaxed_f1"] >= figures["strict_f1"]
    assert 0.0 <= figures["type_accuracy"] <= 1.0 and 0.0 <= figures["value_accuracy"] <= 1.0
    assert figures["times_seconds"] >= 0 and figures["nlp_seconds"] > 0
