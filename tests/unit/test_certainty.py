"""Certainty of clauses: status, hedging, negation and background, in French and English,
on real news sentences through the real pipeline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sitrep import read_text
from sitrep.models import Clause, Document
from sitrep.pipeline import Pipeline

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nk-troops-russia.fr.txt"
@cache
def _pipeline() -> Pipeline:
    return Pipeline.through("certainty")


@cache
def analyse(text: str, published: str = "2024-10-23") -> Document:
    return read_text(text, published=published, pipeline=_pipeline())


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


# Rules found from the errors of the dev split of tests/data/certainty (sentences from that split
# or written alike).

def test_fr_future_form_aller_falloir_and_scheduled_passive_are_planned() -> None:
    doc = analyse("Bill Clinton a annoncé qu'il mettra son veto à une réduction d'impôts. Elle va beaucoup manquer "
                  "au village. Il faut désormais éviter toute reprise. Une première réunion est prévue le 16 juillet.",
                  "1999-08-07")
    assert clause(doc, "mettra").status == "planned"
    assert clause(doc, "manquer").status == "planned"
    assert clause(doc, "éviter").status == "planned"
    assert clause(doc, "prévue").status == "planned"


def test_fr_an_obligation_in_the_compound_past_was_met() -> None:
    doc = analyse("Aucune habitation n'a été touchée, et personne n'a dû évacuer. Il a fallu rapidement se rendre "
                  "à l'évidence.", "2022-09-13")
    evacuer = clause(doc, "évacuer")
    assert evacuer.status == "occurred" and evacuer.negated
    assert clause(doc, "rendre").status == "occurred"


def test_fr_past_of_etre_verbs_and_past_state_markers() -> None:
    doc = analyse("La victime est décédée peu après. Le drame est survenu en présence de témoins. "
                  "Des travaux étaient en cours dans une ferme.", "2023-06-27")
    assert clause(doc, "décédée").status == "occurred"
    assert clause(doc, "survenu").status == "occurred"
    assert clause(doc, "étaient").status == "occurred"


def test_fr_condition_consequence_and_indirect_question() -> None:
    doc = analyse("« Si on laisse cela en l'état, ils vont être pillés », soupirait-elle. L'objectif est de mettre en "
                  "lumière si le policier a tiré en état de légitime défense.", "2022-06-17")
    assert clause(doc, "pillés").status == "hypothetical"
    tire = clause(doc, "tiré")
    assert tire.status == "possible" and tire.certainty == "uncertain"


def test_fr_not_ruling_out_leaves_open_and_denied_information_is_negated() -> None:
    doc = analyse("Oleksii Danilov n’exclut pas qu’une offensive russe se produise déjà dans les deux à trois "
                  "semaines. Le Kremlin a démenti ce mercredi les informations selon lesquelles l'Iran aurait livré "
                  "des missiles à la Russie.", "2023-02-01")
    offensive = clause(doc, "produise")
    assert offensive.status == "possible" and not offensive.negated
    livre = clause(doc, "livré")
    assert livre.certainty == "hedged" and livre.negated


def test_fr_negation_under_an_adverb_a_bare_personne_and_ni() -> None:
    doc = analyse("Les pompiers luttent contre l'incendie et ce n'est pas encore terminé. Il n'y avait personne à "
                  "l'intérieur. Les mallettes ne contenaient ni billet de banque ni chèque.", "2021-08-20")
    assert clause(doc, "terminé").negated
    assert clause(doc, "avait").negated
    assert clause(doc, "contenaient").negated


def test_fr_imperfect_reported_after_a_past_verb_is_a_present() -> None:
    doc = analyse("Le Kremlin a démenti ces informations, affirmant que les allégations concernant divers transferts "
                  "d'armes étaient sans fondement.", "2024-09-11")
    assert clause(doc, "étaient").status == "ongoing"


def test_fr_background_il_y_a_pluperfect_sequel_and_present_clauses() -> None:
    doc = analyse("L'auteur présumé faisait déjà partie de la liste d'une vingtaine de suspects, il y a 10 ans. "
                  "Il avait alors été entendu par les enquêteurs.", "2015-02-03")
    assert clause(doc, "faisait").historical
    assert clause(doc, "entendu").historical
    doc = analyse("L'Autriche réclame Carlos afin de le juger pour la prise d'otages des ministres de l'OPEP à "
                  "Vienne en 1975.", "1999-05-27")
    assert not clause(doc, "réclame").historical


def test_en_plain_would_is_no_hedge_and_its_condition_makes_it_hypothetical() -> None:
    doc = analyse("No member of the team's front office would add comment yesterday. "
                  "\"And if we did that, we'd send a hell of a lot more troops than that,\" Trump told reporters.",
                  "2019-05-15")
    assert clause(doc, "add comment").certainty == "asserted"
    assert clause(doc, "send").status == "hypothetical"


def test_en_fear_adjectives_coordinated_complements_and_warnings() -> None:
    doc = analyse("U.S. officials are worried that the uprising could have ominous implications. Some fear Putin "
                  "will not stop at Crimea and may try to grab more territory. Motorola warned that the loss could "
                  "be even wider.", "2014-03-17")
    worried = clause(doc, "have ominous")
    assert worried.status == "feared" and worried.certainty == "uncertain"
    assert clause(doc, "try to grab").status == "feared"
    assert clause(doc, "be even wider").status == "possible"


def test_en_unlikely_going_to_and_denied_reports() -> None:
    doc = analyse("SEACOM is offline and is unlikely to come back online for a few days. Hopefully we're not going "
                  "to have to plan for that. The director denied reports that his talks with the studio hit a snag.",
                  "2012-04-11")
    come = clause(doc, "come back")
    assert come.status == "possible" and come.negated
    assert clause(doc, "plan for").status == "planned"
    assert clause(doc, "hit a snag").negated


def test_en_past_progressives_perfect_infinitives_and_headline_present_are_past() -> None:
    doc = analyse("Earthquake strikes New Zealand, toppling buildings\nAnalysts had been expecting a new round of job "
                  "cuts. Nearly 12,000 people are believed to have perished. Investigators were still trying to "
                  "determine the motivation.", "2011-02-22")
    assert clause(doc, "strikes").status == "occurred"
    assert clause(doc, "expecting").status == "occurred"
    perished = clause(doc, "perished")
    assert perished.status == "occurred" and perished.certainty == "hedged"
    assert clause(doc, "trying").status == "occurred"


def test_en_hearsay_sources_hedge_and_nominal_markers_do_not() -> None:
    doc = analyse("Various news reports pegged the Boston offer, though subsequent rumors suggested that the numbers "
                  "are a little lower. The Orioles have the weakest offer of the bunch -- a proposal reportedly worth "
                  "$140 million.", "2008-12-23")
    assert clause(doc, "a little lower").certainty == "hedged"
    assert clause(doc, "have the weakest").certainty == "asserted"
