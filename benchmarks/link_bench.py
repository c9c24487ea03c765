"""Linking speed and memory: synthetic events streamed through the linker on one core.

Two streams of synthetic Facts (no pipeline: this measures linking alone):

1. news: 100,000 reports of 25,000 happenings over two years — 16 PLOVER types, 60 countries
   (Zipf-distributed, as in real coverage), 3,000 named persons, 800 places, figures, French and
   English; a happening is reported between 1 and a few hundred times (Zipf), each report keeping
   or dropping participants, moving its date by a day or two, coarsening its place.
2. few big stories: 100,000 reports of 40 happenings, so stories grow to thousands of members:
   memory must stay flat as they grow.

Reported: events/s, total seconds (goal: under a minute for 100,000), resident memory at each
quarter of the stream, the size of the largest story's summary, and B³ of events against the
happenings they were drawn from (a sanity check of the scoring, not an accuracy figure).

3. store: the first `--store` events of the news stream through `sitrep ingest`'s linking into a
   SQLite file (link/storage.py, batches of 32 reports, one transaction each), with the second
   pass over each batch's stories and without it, in the same process: the pass's cost as a
   ratio, and its effect on B³ against the happenings.
Writes benchmarks/results/link.json; figures go to docs/PERFORMANCE.md ("Stories").

Usage: .venv/bin/python benchmarks/link_bench.py [--events N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from sitrep.link import Linker, MemoryIndex
from sitrep.link.facts import Facts, Participant, PlaceFact, QuantityFact, SourceFact, TimeFact

ROOT = Path(__file__).resolve().parents[1]
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "REJECT", "ACCUSE",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
START = date(2023, 1, 1)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class World:
    """The pools synthetic happenings draw from."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.countries = [f"C{i:02d}" for i in range(60)]
        self.persons = [(f"p:n{i}", f"Person {i}", self.countries[i % 60]) for i in range(3000)]
        self.places = [(i, f"Place {i}", self.countries[i % 60], rng.uniform(-60, 70), rng.uniform(-180, 180))
                       for i in range(800)]

    def zipf(self, items: list, s: float = 1.1):  # type: ignore[no-untyped-def, type-arg]
        # Inverse-transform draw from a truncated power law over the list.
        n = len(items)
        u = self.rng.random()
        return items[min(n - 1, int(n ** u ** s) - 1)]


def happenings(world: World, count: int, days: int) -> list[dict]:  # type: ignore[type-arg]
    rng = world.rng
    out = []
    for h in range(count):
        actor, target = world.zipf(world.countries), world.zipf(world.countries)
        persons = [p for p in rng.sample(world.persons, 2) if rng.random() < 0.6]
        place = rng.choice([p for p in world.places if p[2] in (actor, target)] or world.places)
        out.append({
            "id": h, "type": rng.choice(TYPES), "actor": actor, "target": target, "persons": persons,
            "place": place, "day": START + timedelta(days=rng.randrange(days)),
            "figure": rng.choice([None, None, rng.randrange(1, 20) * 500]),
            "context": [p[0] for p in persons] + [f"c:{actor}", f"c:{target}", f"g:{place[0]}"],
        })
    return out


def report(world: World, h: dict, n: int) -> Facts:  # type: ignore[type-arg]
    rng = world.rng
    lang = rng.choice(("fr", "en"))
    actors = [Participant(f"c:{h['actor']}", h["actor"], "country", h["actor"])]
    actors += [Participant(k, name, "person", c) for k, name, c in h["persons"] if rng.random() < 0.7]
    recipients = [Participant(f"c:{h['target']}", h["target"], "country", h["target"])] if rng.random() < 0.8 else []
    pid, pname, pc, lat, lon = h["place"]
    place = (PlaceFact(pname, pc, lat, lon, "city", pid) if rng.random() < 0.7
             else PlaceFact(pc, pc, None, None, "country", None)) if rng.random() < 0.8 else None
    day = h["day"] + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
    iso = h["day"].isoformat()
    time_ = TimeFact(iso, iso, iso, "day") if rng.random() < 0.4 else None
    figure = h["figure"]
    quantity = QuantityFact(float(figure * rng.choice((1, 1, 1, 2))), "troops", rng.random() < 0.3) if figure else None
    source = SourceFact(f"Source {n % 97}", f"p:s{n % 97}") if rng.random() < 0.5 else None
    context = tuple(k for k in h["context"] if rng.random() < 0.8) + (f"p:noise{rng.randrange(5000)}",)
    return Facts(document=f"d{n}", event="e1", type=h["type"], actors=tuple(actors), recipients=tuple(recipients),
                 place=place, time=time_, quantity=quantity, source=source, published=day.isoformat(),
                 language=lang, trigger="deploy" if lang == "en" else "deplo", context=context)


def stream(world: World, n_events: int, n_happenings: int, days: int) -> tuple[list[Facts], list[int]]:
    pool = happenings(world, n_happenings, days)
    picks = [world.zipf(pool, 1.3) for _ in range(n_events)]
    # Everything is reported at least once where the stream allows it.
    picks[:min(n_happenings, n_events // 4)] = pool[:min(n_happenings, n_events // 4)]
    facts = [report(world, h, n) for n, h in enumerate(picks)]
    order = sorted(range(n_events), key=lambda i: (facts[i].published, i))
    return [facts[i] for i in order], [picks[i]["id"] for i in order]


def b3(gold: list[int], pred: list[int]) -> dict[str, float]:
    g_size, p_size, both = Counter(gold), Counter(pred), Counter(zip(gold, pred))
    p = sum(both[(g, s)] / p_size[s] for g, s in zip(gold, pred)) / len(gold)
    r = sum(both[(g, s)] / g_size[g] for g, s in zip(gold, pred)) / len(gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)}


def run(name: str, facts: list[Facts], gold: list[int], horizon: int | None) -> dict:  # type: ignore[type-arg]
    index = MemoryIndex(horizon_days=horizon)
    linker = Linker(index)
    quarter = max(1, len(facts) // 4)
    memory, stories = [], []
    base = rss_mb()
    start = time.perf_counter()
    pred = []
    for i, f in enumerate(facts, 1):
        pred.append(linker.link_document([f])[0].story)
        if i % quarter == 0:
            memory.append(round(rss_mb() - base, 1))
            stories.append(len(index))
    seconds = time.perf_counter() - start
    largest = max(index.stories.values(), key=lambda s: s.events)
    sizes = Counter(pred)
    return {
        "stream": name, "events": len(facts), "seconds": round(seconds, 2),
        "events_per_s": round(len(facts) / seconds), "stories_created": len(sizes),
        "largest_story_events": largest.events, "largest_summary_bytes": len(json.dumps(largest.to_dict())),
        "rss_growth_mb_by_quarter": memory, "stories_in_index_by_quarter": stories,
        "b3_vs_happenings": b3(gold, pred),
    }


def run_store(facts: list[Facts], gold: list[int], revisited: bool, batch: int = 32) -> dict:  # type: ignore[type-arg]
    import tempfile
    from datetime import datetime, timezone

    from sqlalchemy import select

    from sitrep import open_store
    from sitrep.link.storage import link_reports
    from sitrep.store.schema import documents, events

    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "link.db"))
        start = time.perf_counter()
        for i in range(0, len(facts), batch):
            chunk = facts[i:i + batch]
            with store.engine.begin() as conn:
                conn.execute(documents.insert(), [{"id": f.document, "text": "", "report": "{}", "first_seen": now}
                                                  for f in chunk])
                link_reports(conn, [(f.document, [f]) for f in chunk], now, revisited)
        seconds = time.perf_counter() - start
        with store.engine.connect() as conn:
            story_of = dict(conn.execute(select(events.c.document_id, events.c.story_id)).all())
        store.close()
    pred = [story_of[f.document] for f in facts]
    return {"stream": f"store, {'with' if revisited else 'without'} the second pass", "events": len(facts),
            "seconds": round(seconds, 2), "events_per_s": round(len(facts) / seconds),
            "stories": len(set(pred)), "b3_vs_happenings": b3(gold, pred)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", type=int, default=10_000, help="events of the news stream linked through the store")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results = []
    world = World(random.Random(args.seed))
    facts, gold = stream(world, args.events, args.events // 4, 730)
    results.append(run("news", facts, gold, horizon=None))
    results.append(run("news, 60-day horizon", facts, gold, horizon=60))
    if args.store:
        # The stream's first events are its busiest days' reports; take every n-th event instead, so the
        # sample spans the two years as the full stream does.
        step = max(1, len(facts) // args.store)
        sample, sample_gold = facts[::step][:args.store], gold[::step][:args.store]
        plain = run_store(sample, sample_gold, revisited=False)
        revisited = run_store(sample, sample_gold, revisited=True)
        revisited["seconds_over_without"] = round(revisited["seconds"] / plain["seconds"], 2)
        results += [plain, revisited]
    facts, gold = stream(World(random.Random(args.seed + 1)), args.events, 40, 30)
    results.append(run("few big stories", facts, gold, horizon=None))
    for r in results:
        print(json.dumps(r))
    out = ROOT / "benchmarks" / "results" / "link.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
