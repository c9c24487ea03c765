"""Linking: blocking keys, compatibility, and the incremental linker over an in-memory index.

Events are built as Facts — what `document_facts` makes of the stages' output — for real
reports: North Korean troops in Russia (October 2024, French and English), Putin's visit to
Pyongyang (June 2024), and strikes on Ukrainian cities.
"""

from __future__ import annotations

from dataclasses import replace

from sitrep.link import Linker, MemoryIndex, compatibility
from sitrep.link.facts import Facts, Participant, PlaceFact, QuantityFact, TimeFact
from sitrep.link.keys import index_keys, query_keys
from sitrep.link.score import THRESHOLD, explain
from sitrep.link.summary import StorySummary

PRK_FR = Participant("c:PRK", "Corée du Nord", "country", "PRK")
RUS_FR = Participant("c:RUS", "Russie", "country", "RUS")
PRK_EN = Participant("c:PRK", "North Korea", "country", "PRK")
RUS_EN = Participant("c:RUS", "Russia", "country", "RUS")
UKR = Participant("c:UKR", "Ukraine", "country", "UKR")
PUTIN_FR = Participant("p:ptn", "Vladimir Poutine", "person", "RUS")
PUTIN_EN = Participant("p:ptn", "Vladimir Putin", "person", "RUS")
RUSSIA = PlaceFact("Russie", "RUS", 60.0, 100.0, "country", 2017370)
PYONGYANG = PlaceFact("Pyongyang", "PRK", 39.03, 125.75, "city", 1871859)
KHARKIV = PlaceFact("Kharkiv", "UKR", 49.98, 36.25, "city", 706483)
ODESA = PlaceFact("Odesa", "UKR", 46.48, 30.73, "city", 698740)


def deployment_fr(doc: str = "fr1", **kw: object) -> Facts:
    base = Facts(document=doc, event="v1", type="MOBILIZE", mode="troops", actors=(PRK_FR,), recipients=(RUS_FR,),
                 place=RUSSIA, quantity=QuantityFact(3000, "troops"), published="2024-10-23", language="fr",
                 trigger="deploye", context=("c:PRK", "c:RUS", "p:zlnsk", "c:UKR", "p:stn", "c:USA", "p:km"))
    return replace(base, **kw)  # type: ignore[arg-type]


def deployment_en(doc: str = "en1", **kw: object) -> Facts:
    base = Facts(document=doc, event="v1", type="MOBILIZE", mode="troops", actors=(PRK_EN,), recipients=(RUS_EN,),
                 place=replace(RUSSIA, name="Russia"), quantity=QuantityFact(12000, "troops", True),
                 published="2024-10-24", language="en", trigger="deployed",
                 context=("c:PRK", "c:RUS", "c:KOR", "o:national intelligence service", "p:stn", "c:USA"))
    return replace(base, **kw)  # type: ignore[arg-type]


def visit(doc: str, lang: str, **kw: object) -> Facts:
    putin, prk = (PUTIN_FR, PRK_FR) if lang == "fr" else (PUTIN_EN, PRK_EN)
    base = Facts(document=doc, event="v9", type="CONSULT", mode="visit", actors=(putin,), recipients=(prk,),
                 place=PYONGYANG, time=TimeFact("2024-06-19", "2024-06-19", "2024-06-19", "day"), historical=True,
                 published="2024-10-23", language=lang, context=("c:PRK", "c:RUS", "p:ptn", "p:km"))
    return replace(base, **kw)  # type: ignore[arg-type]


def strike(doc: str, place: PlaceFact, day: str, **kw: object) -> Facts:
    base = Facts(document=doc, event="v1", type="ASSAULT", mode="aerial", actors=(RUS_EN,), recipients=(UKR,),
                 place=place, time=TimeFact(day, day, day, "day"), published=day, language="en",
                 context=("c:RUS", "c:UKR", place.key))
    return replace(base, **kw)  # type: ignore[arg-type]


# -- blocking -----------------------------------------------------------------------------------

def test_keys_block_by_type_country_and_week_and_keep_background_apart() -> None:
    fr, en = deployment_fr(), deployment_en()
    assert set(query_keys(en)) & set(index_keys(fr))  # one day apart: they meet
    later = deployment_en(published="2024-12-20")
    assert not set(query_keys(later)) & set(index_keys(fr))  # two months apart: never compared
    assert not set(query_keys(replace(fr, historical=True))) & set(index_keys(fr))
    assert not set(query_keys(replace(fr, type="ASSAULT"))) & set(index_keys(fr))
    other = deployment_fr(actors=(Participant("c:IRN", "Iran", "country", "IRN"),), recipients=(), place=None)
    assert not set(query_keys(other)) & set(index_keys(fr))


def test_undated_events_still_meet_their_story() -> None:
    undated = deployment_en(published=None)
    assert set(query_keys(undated)) & set(index_keys(deployment_fr()))
    assert set(query_keys(deployment_fr())) & set(index_keys(undated))  # stories of undated reports, too


# -- compatibility ------------------------------------------------------------------------------

def test_french_and_english_reports_of_one_deployment_are_compatible() -> None:
    story = StorySummary.start(1, deployment_fr())
    parts = explain(deployment_en(), story)
    assert parts["participants"] > 0 and parts["place"] > 0 and parts["time"] >= 0
    assert compatibility(deployment_en(), story) >= THRESHOLD


def test_two_strikes_on_different_cities_and_days_are_not() -> None:
    story = StorySummary.start(1, strike("a", KHARKIV, "2024-11-02"))
    other = strike("b", ODESA, "2024-11-05")
    parts = explain(other, story)
    assert parts["place"] < 0 and parts["time"] < 0
    assert compatibility(other, story) < THRESHOLD
    same = strike("c", replace(KHARKIV, name="Kharkov"), "2024-11-02", language="fr")
    assert compatibility(same, story) >= THRESHOLD


def test_different_named_actors_count_against() -> None:
    story = StorySummary.start(1, visit("a", "en"))
    lavrov = visit("b", "en", actors=(Participant("p:lvrv", "Sergei Lavrov", "person", "RUS"),),
                   context=("c:PRK", "c:RUS", "p:lvrv"))
    assert explain(lavrov, story)["participants"] < explain(visit("c", "fr"), story)["participants"]


def test_background_never_joins_news() -> None:
    story = StorySummary.start(1, deployment_fr())
    assert compatibility(replace(deployment_en(), historical=True), story) == float("-inf")


# -- the linker ---------------------------------------------------------------------------------

def test_linker_gathers_languages_and_keeps_background_and_other_happenings_apart() -> None:
    linker = Linker(MemoryIndex())
    fr = linker.link(deployment_fr())
    fr_plan = linker.link(deployment_fr(event="v2", status="planned", quantity=QuantityFact(10000, "troops")))
    fr_visit = linker.link(visit("fr1", "fr"))
    en = linker.link(deployment_en())
    en_visit = linker.link(visit("en1", "en"))
    strike_a = linker.link(strike("s1", KHARKIV, "2024-10-23"))
    strike_b = linker.link(strike("s2", ODESA, "2024-10-27"))
    assert fr.new and not fr_plan.new and not en.new
    assert fr.story == fr_plan.story == en.story
    assert fr_visit.story == en_visit.story != fr.story  # background: its own story, shared across languages
    assert len({fr.story, fr_visit.story, strike_a.story, strike_b.story}) == 4


def test_linking_only_grows_stories_and_summaries_stay_bounded() -> None:
    index = MemoryIndex()
    linker = Linker(index)
    links = [linker.link(deployment_en(doc=f"d{i}", context=("c:PRK", "c:RUS", f"p:reporter{i}")))
             for i in range(400)]
    story = index.stories[links[0].story]
    assert {lnk.story for lnk in links} == {story.id} and story.events == 400 and story.documents == 400
    assert len(story.context) <= 48 and len(story.recent_docs) <= 8  # flat, however many members


def test_memory_index_forgets_stories_beyond_its_horizon() -> None:
    index = MemoryIndex(horizon_days=30)
    linker = Linker(index)
    old = linker.link(strike("a", KHARKIV, "2024-01-02"))
    linker.link(strike("b", ODESA, "2024-06-01"))
    index.sweep()
    assert old.story not in index.stories and len(index) == 1


def test_a_title_never_puts_a_recipient_country_in_the_actor_s_place() -> None:
    invasion = Facts(document="d", event="v1", type="ASSAULT", recipients=(UKR,), historical=True)
    assert StorySummary.start(1, invasion).title() == "background: ASSAULT: ? → Ukraine"
    assert StorySummary.start(2, replace(invasion, recipients=(), place=KHARKIV)).title() == "background: ASSAULT: UKR in Kharkiv"
