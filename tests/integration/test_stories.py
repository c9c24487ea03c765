"""Stories end to end: ingest links events into stories; `sitrep stories` / `sitrep story` show them.

1. The store path on SQLite and PostgreSQL, with documents given as records (what the stages
   produce), so linking inside ingest, the tables and the views are tested on their own.
2. The done-when of issue 6 on real texts through the whole pipeline: the example article, a
   French copy of it published by a second outlet, and an English report of the same deployment
   with 12,000 troops (tests/data/stories/) make one deployment story with three documents, two
   independent sources, the figures 3,000 / 10,000 / 12,000 with their sources and statuses, and
   a contradiction between the figures of the same status.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sitrep import open_store
from sitrep.cli import app
from sitrep.link.cli import register
from sitrep.models import Attribution, Document, Entity, Event, Place, Quantity, Segment, Source

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "stories"
runner = CliRunner()


def _cli() -> typer.Typer:
    """The story commands on their own app (register() is what cli.py calls)."""
    local = typer.Typer()
    register(local)
    return local


def _record(doc_id: str, text: str, lang: str, figure: int, published: str, url: str, outlet: str,
            source: Entity | None = None, status: str = "occurred") -> Document:
    entities = [Entity("e1", "North Korea" if lang == "en" else "Corée du Nord", "country", "PRK"),
                Entity("e2", "Russia" if lang == "en" else "Russie", "country", "RUS")]
    if source is not None:
        entities.append(source)
    return Document(
        id=doc_id, text=text, source=Source(url=url, outlet=outlet), published=published, language=lang,
        segments=(Segment((0, len(text)), lang, sentences=((0, len(text)),)),),
        entities=tuple(entities),
        quantities=(Quantity("q1", str(figure), (0, 5), figure, "troops"),),
        places=(Place("p1", "Russie", (10, 16), "Russie" if lang == "fr" else "Russia", "RUS", 2017370, 60.0, 100.0),),
        attributions=(Attribution("a1", source.id, {"text": "said", "span": (0, 1)}, {"text": text, "span": (0, 2)}),)
        if source else (),
        events=(Event("v1", "MOBILIZE", "troops", ("military",), {"text": "deployed", "span": (5, 13)}, actors=("e1",),
                      recipients=("e2",), place="p1", quantity="q1", status=status,
                      attribution="a1" if source else None, sentence={"text": text, "span": (0, len(text))}),),
    )


def test_ingest_links_records_into_a_story(tmp_path: Path, db_url: str) -> None:
    example = (ROOT / "examples" / "nk-troops-russia.fr.txt").read_text(encoding="utf-8")
    zelensky = Entity("e3", "Volodymyr Zelensky", "person", "UKR")
    nis = Entity("e3", "National Intelligence Service", "organization", "KOR")
    docs = [
        _record("sha256:a", example, "fr", 3000, "2024-10-23", "https://a.example/1", "Outlet A"),
        _record("sha256:b", "Par la rédaction\n" + example, "fr", 3000, "2024-10-23", "https://b.example/1",
                "Outlet B"),
        _record("sha256:c", "North Korea has deployed about 12,000 troops to Russia, Seoul said.", "en", 12000,
                "2024-10-24", "https://c.example/1", "Outlet C", nis),
        _record("sha256:d", "Zelensky: 10 000 soldats nord-coréens en préparation.", "fr", 10000, "2024-10-23",
                "https://d.example/1", "Outlet D", zelensky, status="planned"),
    ]
    store = open_store(db_url)
    try:
        assert store.ingest(docs[:2]).ingested == 2
        assert store.ingest(docs[2:] + [docs[0]]).to_dict() == {"ingested": 2, "duplicates": 1, "rejected": 0}
        (story,) = store.stories()
        assert story["documents"] == 4 and len(story["reports"]) == 4  # the duplicate is not linked twice
        assert story["independent_sources"] == 3  # A and B are one text
        figures = {(v["value"], v["status"]) for v in story["values"]["quantity"]}
        assert figures == {(3000, "occurred"), (12000, "occurred"), (10000, "planned")}
        (clash,) = story["contradictions"]
        assert clash["values"] == [3000, 12000]
        assert store.story(story["id"]) == story
        assert store.story(story["id"] + 1) is None
        assert store.stories(actor="PRK") and not store.stories(actor="IRN")
        assert store.stories(actor="corée du nord") and not store.stories(since="2025-01-01")
        assert not store.stories(actor="zelensky")  # a source, not a participant
    finally:
        store.close()

    local = _cli()
    listed = runner.invoke(local, ["stories", "--db", db_url, "--json"])
    assert listed.exit_code == 0, listed.output
    (line,) = listed.stdout.splitlines()
    ident = json.loads(line)["id"]
    shown = runner.invoke(local, ["story", str(ident), "--db", db_url])
    assert shown.exit_code == 0 and "contradiction" in shown.stdout and "12000" in shown.stdout
    assert runner.invoke(local, ["story", "999", "--db", db_url]).exit_code == 2
    assert runner.invoke(local, ["stories", "--since", "yesterday", "--db", db_url]).exit_code == 2


def test_stories_survive_a_reopened_store_and_keep_linking(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    first = _record("sha256:a", "La Corée du Nord a déployé 3 000 soldats en Russie.", "fr", 3000, "2024-10-23",
                    "https://a.example/1", "Outlet A")
    later = replace(_record("sha256:c", "North Korea has deployed 12,000 troops to Russia.", "en", 12000, "2024-10-24",
                            "https://c.example/1", "Outlet C"))
    store = open_store(db)
    store.ingest([first])
    store.close()
    store = open_store(db)  # a new process: the story comes back from the tables
    try:
        store.ingest([later])
        (story,) = store.stories()
        assert story["documents"] == 2
    finally:
        store.close()




def test_example_copy_and_english_report_make_one_deployment_story(tmp_path: Path, example_path: Path) -> None:
    db = str(tmp_path / "stories.db")
    result = runner.invoke(app, ["ingest", str(example_path), str(DATA / "nk-troops-copy.fr.jsonl"),
                                 str(DATA / "nk-troops-12000.en.jsonl"), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ingested"] == 3

    listed = runner.invoke(_cli(), ["stories", "--actor", "PRK", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    stories = [json.loads(line) for line in listed.stdout.splitlines()]
    deployments = [s for s in stories if s["type"] == "MOBILIZE" and not s["historical"] and s["documents"] == 3]
    assert len(deployments) == 1, [(s["title"], s["documents"]) for s in stories]
    story = deployments[0]
    assert story["independent_sources"] == 2  # the copy is not independent
    outlets = {r["outlet"] for r in story["reports"]}
    assert {"Exemple Info", "Example News", "nk-troops-russia.fr.txt"} <= outlets
    assert {r["language"] for r in story["reports"]} == {"fr", "en"}

    figures = {v["value"]: v for v in story["values"]["quantity"] if v["unit"] == "troops"}
    assert {3000, 10000, 12000} <= set(figures)
    by_value: dict[int, list[dict]] = {}  # type: ignore[type-arg]
    for v in story["values"]["quantity"]:
        by_value.setdefault(v["value"], []).append(v)
    assert any("Zelensky" in s for v in by_value[10000] for s in v["sources"])
    assert {v["status"] for v in by_value[10000]} == {"planned"}
    assert any(v["status"] in ("occurred", "ongoing") for v in by_value[3000])
    assert any(v["status"] in ("occurred", "ongoing") and v["sources"] == ["National Intelligence Service"]
               for v in by_value[12000])
    clashes = [c for c in story["contradictions"] if c["attribute"] == "quantity"]
    assert clashes and {3000, 12000} <= set(clashes[0]["values"]) and 10000 not in clashes[0]["values"]

    # Background events (the visits of 2023 and 2024) have stories of their own.
    reports = {(r["document"], r["event"]) for r in story["reports"]}
    background = [s for s in stories if s["historical"]]
    assert background and not any((r["document"], r["event"]) in reports for s in background for r in s["reports"])
    # Putin's June visit, told as background in French ("le 19 juin") and in English ("in June"), is one story.
    visits = [s for s in background if s["type"] == "CONSULT" and any(p["name"] in ("Vladimir Putin", "Vladimir Poutine")
                                                                      for p in s["participants"])]
    assert len(visits) == 1 and {r["language"] for r in visits[0]["reports"]} == {"fr", "en"}
    assert visits[0]["time"]["start"].startswith("2024-06")

    shown = runner.invoke(_cli(), ["story", str(story["id"]), "--db", db, "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == story["id"]


@pytest.mark.slow
def test_ecb_evaluation_on_two_topics_beats_the_trivial_baselines(tmp_path: Path) -> None:
    """`sitrep eval ecb` on a small ECB+ subset: two topics, five documents per happening."""
    gold = ROOT.parent / "shared" / "data" / "ecbplus"
    if not gold.is_dir():
        pytest.fail("ECB+ data not found next to the checkout (../shared/data/ecbplus)")
    for topic in ("1", "7"):
        (tmp_path / topic).mkdir()
        for kind in ("ecb", "ecbplus"):
            for path in sorted(gold.joinpath(topic).glob(f"{topic}_*{kind}.xml"))[:5]:
                (tmp_path / topic / path.name).write_bytes(path.read_bytes())
    result = runner.invoke(app, ["eval", "ecb", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["documents"] == 20 and figures["topics"] == 2
    assert figures["all_in_one_b3_f1"] == pytest.approx(2 / 3, abs=0.01)  # two happenings of five per topic
    assert figures["b3_f1"] > max(figures["all_in_one_b3_f1"], figures["singletons_b3_f1"])
    assert 0 < figures["conll_f1"] <= 1
