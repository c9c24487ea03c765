"""Facts: an event of a document resolved into comparable, language-independent attributes.

The documents here are built as records (what the entities, places, times, quantities,
attribution and events stages produce), so these tests pin the resolution alone.
"""

from __future__ import annotations

from dataclasses import replace

from sitrep.link.facts import Facts, document_facts, fold, name_key
from sitrep.models import Attribution, Document, Entity, Event, Place, Quantity, Segment, Source, TimeExpr

TEXT = ("Le président ukrainien Volodymyr Zelensky affirme désormais que «10 000» soldats nord-coréens sont en "
        "préparation pour se rendre en Russie. Poutine a effectué une visite en Corée du Nord le 19 juin.")


def _doc() -> Document:
    entities = (
        Entity("e1", "Volodymyr Zelensky", "person", "UKR", role="president", mentions=((23, 41),)),
        Entity("e2", "Corée du Nord", "country", "PRK", mentions=((79, 92),)),
        Entity("e3", "Russie", "country", "RUS", mentions=((138, 144),)),
        Entity("e4", "Vladimir Poutine", "person", "RUS", mentions=((146, 153),)),
    )
    return Document(
        id="sha256:fr", text=TEXT, source=Source(url="https://www.exemple.fr/a", outlet=None), published="2024-10-23",
        language="fr", segments=(Segment((0, len(TEXT)), "fr", sentences=((0, 145), (146, len(TEXT)))),),
        entities=entities,
        times=(TimeExpr("t1", "le 19 juin", (193, 203), "DATE", "2024-06-19", "2024-06-19", "2024-06-19", "day"),
               TimeExpr("t2", "septembre", (0, 1), "DATE", "2024-09", "2024-09-01", None, "month")),
        quantities=(Quantity("q1", "10 000", (62, 68), 10000, "troops"),),
        places=(Place("p1", "Russie", (138, 144), "Russie", "RUS", 2017370, 60.0, 100.0, "country"),
                Place("p2", "Corée du Nord", (178, 191), "Corée du Nord", "PRK", 1873107, 40.0, 127.0, "country")),
        attributions=(Attribution("a1", "e1", {"text": "affirme", "span": (42, 49)},
                                  {"text": "…", "span": (60, 145)}),),
        events=(
            Event("v2", "CONSULT", "visit", ("diplomatic",), {"text": "visite", "span": (171, 177)}, actors=("e4",),
                  recipients=("e2",), place="p2", time="t1", historical=True,
                  sentence={"text": "Poutine…", "span": (146, 203)}),
            Event("v1", "MOBILIZE", "troops", ("military",), {"text": "se rendre", "span": (123, 132)}, actors=("e2",),
                  recipients=("e3",), place="p1", time="t2", quantity="q1", status="planned", attribution="a1",
                  sentence={"text": "…", "span": (0, 145)}, cameo="15"),
        ),
    )


def test_participants_have_keys_that_meet_across_languages() -> None:
    putin_fr = Entity("x", "Vladimir Poutine", "person", "RUS")
    putin_en = Entity("y", "Vladimir Putin", "person", "RUS")
    assert name_key(putin_fr) == name_key(putin_en)
    assert name_key(Entity("x", "Volodymyr Zelensky", "person")) == name_key(Entity("y", "Zelenskyy", "person"))
    korea_fr, korea_en = Entity("x", "Corée du Nord", "country", "PRK"), Entity("y", "North Korea", "country", "PRK")
    assert name_key(korea_fr) == name_key(korea_en) == "c:PRK"
    assert name_key(Entity("x", "Lloyd Austin", "person")) != name_key(Entity("y", "Kim Jong-un", "person"))
    # An anonymous official in one article is not known to be the one of another.
    assert name_key(Entity("x", "un haut responsable", "person", "USA", anonymous=True)) is None
    assert fold("États-Unis") == "etats unis"


def test_document_facts_resolve_ids_in_text_order() -> None:
    first, second = document_facts(_doc())
    assert (first.event, second.event) == ("v1", "v2")  # sorted by trigger position, not list order
    assert [p.country for p in first.actors] == ["PRK"] and [p.country for p in first.recipients] == ["RUS"]
    assert first.place is not None and first.place.key == "g:2017370"
    assert first.quantity is not None and (first.quantity.value, first.quantity.unit) == (10000.0, "troops")
    assert first.source is not None and first.source.name == "Volodymyr Zelensky" and first.source.key == "p:zlnsk"
    assert first.outlet == "exemple.fr" and first.language == "fr"
    assert "p:zlnsk" in first.context and "c:PRK" in first.context and "y:2024" in first.context
    assert second.historical and second.time is not None and second.time.precise


def test_a_plan_is_dated_by_its_report_and_a_month_covers_its_days() -> None:
    plan, visit = document_facts(_doc())
    assert plan.time is not None and (plan.time.start, plan.time.end) == ("2024-09-01", "2024-09-30")
    # A plan is a claim made now, whatever date it names: it is placed at the report's date.
    assert plan.interval == ("2024-10-23", "2024-10-23") and plan.day == "2024-10-23"
    assert visit.interval == ("2024-06-19", "2024-06-19") and visit.day == "2024-06-19"


def test_a_background_event_without_a_time_is_undated() -> None:
    visit = replace(document_facts(_doc())[1], time=None)
    # Not dated by its report: "Putin visited Pyongyang" told as background is no news of the day.
    assert visit.interval is None and visit.day is None
    assert replace(visit, historical=False).day == "2024-10-23"


def test_facts_round_trip_through_json() -> None:
    import json

    for f in document_facts(_doc()):
        assert Facts.from_dict(json.loads(json.dumps(f.to_dict()))) == f
