"""The ECB+ scorers (B³, MUC, CEAF-e, CoNLL) on clusterings whose scores are known by hand, and
the TF-IDF baseline's clustering."""

from __future__ import annotations

import pytest

from sitrep.eval.ecb import b_cubed, ceaf_e, muc, score_clusterings
from sitrep.link.revisit import average_link

GOLD = ["a", "a", "a", "b", "b"]


def test_perfect_clustering_scores_one_everywhere() -> None:
    scores = score_clusterings([(GOLD, [1, 1, 1, 2, 2])])
    assert scores["b3_f1"] == scores["muc_f1"] == scores["ceafe_f1"] == scores["conll_f1"] == 1.0


def test_all_in_one_and_singletons() -> None:
    p, r = b_cubed(GOLD, [0] * 5)
    assert r == 5 and p == pytest.approx(3 * 3 / 5 + 2 * 2 / 5)  # precision 13/25 per item
    p, r = b_cubed(GOLD, list(range(5)))
    assert p == 5 and r == pytest.approx(3 * 1 / 3 + 2 * 1 / 2)
    rn, rd, pn, pd = muc(GOLD, list(range(5)))
    assert (rn, rd) == (0, 3) and pd == 0  # singletons: no links at all


def test_ceaf_e_aligns_clusters_one_to_one() -> None:
    phi, keys, responses = ceaf_e(GOLD, [1, 1, 2, 2, 2])
    # best alignment: {0,1,2}↔{0,1} (φ4 = 2·2/5) and {3,4}↔{2,3,4} (φ4 = 2·2/5)
    assert (keys, responses) == (2, 2) and phi == pytest.approx(0.8 + 0.8)


def test_average_link_stops_at_the_threshold() -> None:
    sims = [[1, 0.9, 0.1], [0.9, 1, 0.2], [0.1, 0.2, 1]]
    assert average_link(sims, 0.5) == [0, 0, 1]
    assert len(set(average_link(sims, 0.05))) == 1


ECB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Document doc_name="3_1ecb.xml">
<token t_id="1" sentence="0" number="0">Police</token><token t_id="2" sentence="0" number="1">arrested</token>
<token t_id="3" sentence="0" number="2">two</token><token t_id="4" sentence="0" number="3">men</token>
<token t_id="5" sentence="0" number="4">.</token>
<token t_id="6" sentence="1" number="0">The</token><token t_id="7" sentence="1" number="1">arrest</token>
<token t_id="8" sentence="1" number="2">followed</token><token t_id="9" sentence="1" number="3">a</token>
<token t_id="10" sentence="1" number="4">raid</token><token t_id="11" sentence="1" number="5">.</token>
<Markables>
<ACTION_OCCURRENCE m_id="20"><token_anchor t_id="2"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="21"><token_anchor t_id="7"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="22"><token_anchor t_id="10"/></ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="23"><token_anchor t_id="4"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="30" TAG_DESCRIPTOR="t3_arrest" instance_id="ACT1"/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1"><source m_id="20"/><source m_id="21"/><target m_id="30"/></CROSS_DOC_COREF>
</Relations>
</Document>
"""


def test_ecb_reader_gives_event_mentions_with_their_chains(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sitrep.eval.corpora import ecb_texts

    (tmp_path / "3").mkdir()
    (tmp_path / "3" / "3_1ecb.xml").write_text(ECB_XML, encoding="utf-8")
    (text,) = ecb_texts(tmp_path)
    assert text.text == "Police arrested two men.\nThe arrest followed a raid."
    found = [(text.text[s:e], chain) for s, e, chain in text.events]
    # Both arrests share the cross-document chain; the raid, in no chain, is a chain of its own.
    assert found == [("arrested", "ACT1"), ("arrest", "ACT1"), ("raid", "3_1ecb:22")]
    assert text.group == "3_ecb"


def test_event_mentions_pair_each_gold_mention_with_one_event_s_story() -> None:
    from sitrep.eval.corpora import CorpusText
    from sitrep.eval.ecb import event_mentions
    from sitrep.models import Document, Event, Source

    text = "Police arrested two men.\nThe arrest followed a raid."
    gold = CorpusText("3_1ecb", text, None, "3_ecb", ((7, 15, "ACT1"), (29, 35, "ACT1"), (48, 52, "3_1ecb:22")))
    doc = Document(id="d1", text=text, source=Source(path="3_1ecb"), events=(
        Event("event:1", "COERCE", "arrest", (), {"text": "arrested", "span": (7, 15)}),
        Event("event:2", "COERCE", "arrest", (), {"text": "arrest", "span": (29, 35)}),
        Event("event:3", "COERCE", "arrest", (), {"text": "arrest", "span": (29, 35)}),  # same mention again
        Event("event:4", "ASSAULT", None, (), {"text": "two", "span": (16, 19)}),  # on no gold mention
    ))
    rows = [("d1", 1, {"event": "event:1"}), ("d1", 1, {"event": "event:2"}), ("d1", 2, {"event": "event:3"}),
            ("d1", 3, {"event": "event:4"})]
    assert event_mentions([gold], [doc], rows) == (["ACT1", "ACT1"], [1, 1])
