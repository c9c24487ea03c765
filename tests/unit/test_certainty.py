"""Certainty of clauses: status, hedging, negation and background, in French and English,
on real news sentences through the real pipeline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sitrep import read_text
from sitrep.models import Clause, Document
from sitrep.pipeline import Pipeline
from sitrep.settings import Settings
from sitrep.stages.attribution import AttributionStage
from sitrep.stages.certainty import CertaintyStage

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nk-troops-russia.fr.txt"
_BEFORE = ("segment", "posts", "disclosure", "dating", "nlp", "entities", "times")


@cache
def _base() -> Pipeline:
    return Pipeline.from_names(_BEFORE)


@cache
def analyse(text: str, published: str = "2024-10-23") -> Document:
    doc = read_text(text, published=published, pipeline=_base())
    doc = next(AttributionStage(Settings()).pipe([doc]))
    return next(CertaintyStage(Settings()).pipe([doc]))


def clause(doc: Document, word: str, segment: int | None = None) -> Clause:
    """The innermost clause holding `word` (in segment `segment` when given)."""
    lo, hi = doc.segments[segment].span if segment is not None else (0, len(doc.text))
    at = doc.text.find(word, lo, hi)
    assert at >= 0, word
    hits = [c for c in doc.clauses if c.span[0] <= at < c.span[1]]
    assert hits, f"no clause holds {word!r}"
    return min(hits, key=lambda c: c.span[1] - c.span[0])


def test_example_lines_0_1_6_7_8_and_background() -> None:
    doc = analyse(EXAMPLE.read_text(encoding="utf-8"))
    line0 = clause(doc, "a déployé", 0)
    assert (line0.status, line0.certainty, line0.negated, line0.historical) == ("occurred", "asserted", False, False)
    assert line0.attribution is None
    line1 = clause(doc, "envoyées", 1)
    assert line1.status == "possible" and line1.certainty == "reported" and line1.attribution is not None
    line6 = clause(doc, "déployés", 6)
    assert line6.certainty == "hedged" and line6.cue == "seraient" and line6.attribution is not None
    line7 = clause(doc, "observées", 7)
    assert line7.certainty == "hedged" and line7.attribution is None and not line7.historical
    line8 = clause(doc, "préparation", 8)
    assert line8.status == "planned"
    feared = clause(doc, "envoyées", 0)
    assert feared.status == "feared"
    assert clause(doc, "se sont consolidées", 9).historical
    assert clause(doc, "a effectué", 11).historical and clause(doc, "s’est rendu", 11).historical
    assert not clause(doc, "ne connaissent", 6).historical and clause(doc, "ne connaissent", 6).negated


def test_fr_denial_negates_what_is_denied_and_ne_pas() -> None:
    doc = analyse("Le Kremlin a démenti que le chef de l'Etat soit malade. Les gendarmes n'ont jamais retrouvé l'arme.")
    assert clause(doc, "malade").negated
    assert not clause(doc, "a démenti").negated
    assert clause(doc, "retrouvé").negated
    assert not analyse("Les gendarmes ont retrouvé l'arme.").clauses[0].negated


def test_fr_future_in_the_past_is_planned_not_hedged() -> None:
    doc = analyse("Bill Clinton a annoncé qu'il mettrait son veto à une réduction d'impôts.", "1999-08-06")
    c = clause(doc, "mettrait")
    assert c.status == "planned" and c.certainty == "reported"
    doc = analyse("Le premier succédera à Thibault de Silguy.", "1999-07-09")
    assert clause(doc, "succédera").status == "planned"


def test_fr_hypothetical_si_clause_and_conditional_main_clause() -> None:
    doc = analyse("Si la Russie envoyait des troupes, l'Ukraine répondrait immédiatement.")
    assert clause(doc, "envoyait").status == "hypothetical"
    main = clause(doc, "répondrait")
    assert main.status == "hypothetical" and main.certainty != "hedged"


def test_fr_dated_past_events_are_background_recent_ones_are_not() -> None:
    doc = analyse("Le régiment a quitté Mitrovica le 2 mars 2019. Il est arrivé à Pristina le 20 octobre 2024.")
    assert clause(doc, "a quitté").historical
    assert not clause(doc, "est arrivé").historical


def test_en_hedges_modals_fears_plans_and_negation() -> None:
    doc = analyse("North Korean troops reportedly crossed the border. Russia could send more troops by December. "
                  "Kyiv fears that Moscow will use them in Kursk. The army is set to withdraw next week. "
                  "The police did not confirm the toll. The rebels would have seized the town.", "2024-10-23")
    assert clause(doc, "crossed").certainty == "hedged"
    could = clause(doc, "send")
    assert could.status == "possible" and could.certainty == "uncertain"
    assert clause(doc, "use them").status == "feared"
    assert clause(doc, "withdraw").status == "planned"
    assert clause(doc, "confirm").negated
    assert clause(doc, "seized").certainty == "hedged"


def test_en_plain_past_is_asserted_occurred_and_last_year_is_background() -> None:
    doc = analyse("Troops crossed the border on Tuesday. The two leaders met in Pyongyang last year.", "2024-10-23")
    first = clause(doc, "crossed")
    assert (first.status, first.certainty, first.negated, first.historical) == ("occurred", "asserted", False, False)
    assert clause(doc, "met").historical


def test_en_reported_clause_carries_its_attribution() -> None:
    doc = analyse("Lloyd Austin says North Korea has deployed troops to Russia.", "2024-10-23")
    c = clause(doc, "deployed")
    assert c.certainty == "reported" and c.status == "occurred"
    a = next(a for a in doc.attributions if a.id == c.attribution)
    assert "North Korea has deployed troops" in a.content["text"]
