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
