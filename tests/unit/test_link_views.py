"""Story views: values per attribute with their sources, independence, contradictions, differences."""

from __future__ import annotations

from dataclasses import replace

from sitrep.link import DocumentInfo, Linker, MemoryIndex, Member, story_view
from sitrep.link.facts import Facts, PlaceFact, QuantityFact, SourceFact, TimeFact
from sitrep.link.independence import signature
from sitrep.link.summary import StorySummary

from test_link_linker import KHARKIV, ODESA, deployment_en, deployment_fr, strike

ZELENSKY = SourceFact("Volodymyr Zelensky", "p:zlnsk", "person", "UKR")
OFFICIAL = SourceFact("un haut responsable de l'administration", None, "person", "USA", anonymous=True)
NIS = SourceFact("National Intelligence Service", "o:national intelligence service", "organization", "KOR")
EXAMPLE = ("La Corée du Nord a déployé 3 000 de ses troupes en Russie pour s'entraîner, et Volodymyr Zelensky "
           "redoute qu'elles soient ensuite envoyées pour combattre en Ukraine. Environ 3 000 militaires nord-coréens "
           "seraient désormais déployés en Russie orientale, mais les États-Unis ne connaissent pas encore leur "
           "mission précise, selon un haut responsable de l'administration. Le président ukrainien Volodymyr "
           "Zelensky affirme désormais que «10 000» soldats sont en préparation pour se rendre en Russie.")


def _french(doc: str) -> list[Facts]:
    return [
        deployment_fr(doc),
        deployment_fr(doc, event="v2", status="ongoing", certainty="hedged", source=OFFICIAL,
                      quantity=QuantityFact(3000, "troops", approximate=True),
                      place=PlaceFact("Russie orientale", "RUS", None, None, "region")),
        deployment_fr(doc, event="v3", status="planned", source=ZELENSKY, quantity=QuantityFact(10000, "troops")),
    ]


def _view(members: list[Member]) -> dict:  # type: ignore[type-arg]
    index = MemoryIndex()
    linker = Linker(index)
    stories = {linker.link(m.facts).story for m in members}
    assert len(stories) == 1
    return story_view(index.stories[stories.pop()], members)


def _nk_story() -> dict:  # type: ignore[type-arg]
    original = DocumentInfo("A", "2024-10-23", "fr", None, "nk-troops-russia.fr.txt", signature(EXAMPLE))
    copy = DocumentInfo("B", "2024-10-23", "fr", "https://www.exemple-info.fr/x", "Exemple Info",
                        signature("Guerre en Ukraine. " + EXAMPLE + " Avec AFP."))
    english = DocumentInfo("C", "2024-10-24", "en", "https://www.example-news.com/y", "Example News",
                           signature("North Korea has deployed about 12,000 soldiers to Russia, South Korea's "
                                     "National Intelligence Service said on Wednesday."))
    members = [Member(f, original) for f in _french("A")] + [Member(f, copy) for f in _french("B")]
    members.append(Member(deployment_en("C", source=NIS), english))
    return _view(members)


def test_three_documents_two_independent_sources() -> None:
    view = _nk_story()
    assert view["documents"] == 3 and len(view["reports"]) == 7
    assert view["independent_sources"] == 2
    copies = next(g for g in view["sources"] if len(g["documents"]) == 2)
    assert sorted(copies["documents"]) == ["A", "B"] and "copies" in copies["reason"]


def test_the_timeline_tells_what_each_day_of_reporting_added() -> None:
    timeline = _nk_story()["timeline"]
    assert [(d["day"], d["reports"], sorted(d["documents"])) for d in timeline] == [
        ("2024-10-23", 6, ["A", "B"]), ("2024-10-24", 1, ["C"])]
    first = [(n["attribute"], n["value"]) for n in timeline[0]["new"]]
    assert ("quantity", 3000) in first and ("quantity", 10000) in first and ("status", "planned") in first
    # The copy repeats the original: nothing it says is new. The next day brings 12,000, per the NIS.
    assert [(n["attribute"], n["value"], n["source"]) for n in timeline[1]["new"]] == [
        ("quantity", 12000, "National Intelligence Service")]


def test_each_figure_with_its_sources_and_status() -> None:
    figures = {(v["value"], v["status"]): v for v in _nk_story()["values"]["quantity"]}
    assert set(figures) == {(3000, "occurred"), (3000, "ongoing"), (10000, "planned"), (12000, "occurred")}
    assert figures[(10000, "planned")]["sources"] == ["Volodymyr Zelensky"]
    assert figures[(12000, "occurred")]["sources"] == ["National Intelligence Service"]
    assert figures[(3000, "occurred")]["sources"] == ["nk-troops-russia.fr.txt", "Exemple Info"]
    assert figures[(3000, "occurred")]["independent_sources"] == 1  # a copy corroborates nothing


def test_figures_of_one_status_contradict_and_of_different_status_do_not() -> None:
    view = _nk_story()
    (clash,) = view["contradictions"]
    assert clash["attribute"] == "quantity" and clash["values"] == [3000, 12000]
    assert "National Intelligence Service" in clash["sources"]
    assert "Volodymyr Zelensky" not in clash["sources"]  # 10,000 is planned: a difference of status
    status = [d for d in view["differences"] if d["kind"] == "status"]
    assert status and 10000 in status[0]["values"]
    place = next(d for d in view["differences"] if d["attribute"] == "place")
    assert place["kind"] == "granularity" and "Russie orientale" in place["values"]


def test_margins_and_bounds_are_not_contradictions() -> None:
    doc = DocumentInfo("A", "2024-10-23")
    members = [Member(deployment_fr("A", quantity=QuantityFact(3000, "troops", approximate=True)), doc),
               Member(deployment_fr("B", event="v2", quantity=QuantityFact(3200, "troops")), replace(doc, id="B")),
               Member(deployment_fr("C", event="v3", quantity=QuantityFact(2000, "troops", bound="at_least")),
                      replace(doc, id="C"))]
    assert _view(members)["contradictions"] == []


def test_figures_days_apart_are_updates_not_contradictions() -> None:
    doc = DocumentInfo("A", "2024-10-23")
    members = [Member(deployment_fr("A"), doc),
               Member(deployment_fr("B", quantity=QuantityFact(10000, "troops"), published="2024-10-28"),
                      replace(doc, id="B", published="2024-10-28"))]
    assert _view(members)["contradictions"] == []


def test_one_strike_in_two_far_places_is_a_contradiction() -> None:
    day = "2024-11-02"
    members = [Member(strike("a", KHARKIV, day), DocumentInfo("a", day)),
               Member(strike("b", KHARKIV, day, event="v2"), DocumentInfo("b", day)),
               Member(strike("c", ODESA, day), DocumentInfo("c", day))]
    story = StorySummary.start(1, members[0].facts)
    for m in members[1:]:
        story.add(m.facts)
    view = story_view(story, members)
    (clash,) = view["contradictions"]
    assert clash["attribute"] == "place" and clash["values"] == ["Kharkiv", "Odesa"]


def test_september_and_12_september_differ_in_granularity_only() -> None:
    month = TimeFact("2024-09-01", "2024-09-30", "2024-09", "month")
    day = TimeFact("2024-09-12", "2024-09-12", "2024-09-12", "day")
    members = [Member(strike("a", KHARKIV, "2024-09-12", time=month), DocumentInfo("a", "2024-09-14")),
               Member(strike("b", KHARKIV, "2024-09-12", time=day), DocumentInfo("b", "2024-09-13"))]
    story = StorySummary.start(1, members[0].facts)
    story.add(members[1].facts)
    view = story_view(story, members)
    assert view["contradictions"] == []
    (diff,) = [d for d in view["differences"] if d["attribute"] == "time"]
    assert diff["kind"] == "granularity" and set(diff["values"]) == {"2024-09", "2024-09-12"}


def test_said_to_happen_and_denied_is_a_contradiction() -> None:
    kremlin = SourceFact("Dmitri Peskov", "p:pskv", "person", "RUS")
    members = [Member(deployment_fr("A"), DocumentInfo("A", "2024-10-23")),
               Member(deployment_en("B", negated=True, quantity=None, source=kremlin), DocumentInfo("B", "2024-10-24"))]
    view = _view(members)
    assert [c["attribute"] for c in view["contradictions"]] == ["status"]
    assert {"occurred", "not occurred"} <= {v["value"] for v in view["values"]["status"]}


def test_a_document_relaying_only_a_source_cited_elsewhere_is_not_independent() -> None:
    first = DocumentInfo("A", "2024-10-23", signature=signature(EXAMPLE))
    relay = DocumentInfo("R", "2024-10-24", signature=signature("Zelensky says 10,000 North Korean soldiers are "
                                                                  "being prepared to join Russian forces."))
    members = [Member(f, first) for f in _french("A")]
    members.append(Member(deployment_en("R", status="planned", source=ZELENSKY, quantity=QuantityFact(10000, "troops")),
                          relay))
    view = _view(members)
    assert view["documents"] == 2 and view["independent_sources"] == 1
    planned = next(v for v in view["values"]["quantity"] if v["status"] == "planned")
    assert planned["documents"] == ["A", "R"] and planned["independent_sources"] == 1


def test_participants_and_places_are_listed_once_across_languages() -> None:
    view = _nk_story()
    countries = [p["country"] for p in view["participants"]]
    assert countries.count("PRK") == 1 and countries.count("RUS") == 1
    assert len([p for p in view["places"] if p["name"] in ("Russie", "Russia")]) == 1  # one gazetteer entry
    assert view["time"] == {"start": "2024-10-23", "end": "2024-10-24"}
    assert {r["language"] for r in view["reports"]} == {"fr", "en"}
