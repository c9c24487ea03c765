"""Evaluation "ecb": stories against ECB+ cross-document coreference, at the document level.

ECB+ groups English news articles by topic; within a topic, the `ecb` documents report one real
happening and the `ecbplus` documents another of the same kind (two earthquakes, two rehab
check-ins). The gold clustering is topic × {ecb, ecbplus}. Each topic is linked on its own, as an
analyst's store would be: every document goes through the whole pipeline, then is linked by the
product linker (link/) as one report of its main happening — its salient participants, places,
dates and figures (`document_stories`), then the topic's decisions are revisited once by the
bounded second pass (link/revisit.py). Most ECB+ happenings (rehab, Oscars hosts, trades) are
not PLOVER events, so the figure from the documents' PLOVER events' stories, as `sitrep ingest`
links them, is reported beside it (`event_stories`), and so is the event level: our events on
ECB+'s gold event mentions, their stories against the gold cross-document chains
(`event_mentions`), with and without the second pass. Scores, pooled over all documents:

- B³ precision/recall/F1, MUC F1, CEAF-e F1 and CoNLL F1 (the mean of the three);
- the same for three baselines: all documents of a topic in one story, every document alone,
  and TF-IDF cosine clustering (average link) at the threshold that scores best on this very
  data — an oracle-tuned baseline, so a hard one.

Usage: sitrep eval ecb ../shared/data/ecbplus (the whole pipeline over ~770 documents: minutes).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import replace
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..link.revisit import average_link
from ..models import Document, RawDocument, Source
from . import register_eval
from .corpora import CorpusText, ecb_texts

__all__ = ["evaluate", "evaluate_documents", "document_stories", "event_stories", "b_cubed", "muc", "ceaf_e",
           "score_clusterings", "tfidf_clusters"]

Labels = Sequence[Any]


# -- scores -------------------------------------------------------------------------------------

def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _clusters(labels: Labels) -> list[set[int]]:
    groups: dict[Any, set[int]] = defaultdict(set)
    for i, label in enumerate(labels):
        groups[label].add(i)
    return list(groups.values())


def b_cubed(gold: Labels, pred: Labels) -> tuple[float, float]:
    """Summed B³ precision and recall numerators over items (divide by the item count)."""
    g_size, p_size, both = Counter(gold), Counter(pred), Counter(zip(gold, pred))
    p = sum(both[(g, s)] / p_size[s] for g, s in zip(gold, pred))
    r = sum(both[(g, s)] / g_size[g] for g, s in zip(gold, pred))
    return p, r


def muc(gold: Labels, pred: Labels) -> tuple[float, float, float, float]:
    """MUC recall numerator/denominator and precision numerator/denominator (Vilain et al. 1995)."""
    def side(key: Labels, response: Labels) -> tuple[float, float]:
        num = den = 0.0
        for cluster in _clusters(key):
            parts = {response[i] for i in cluster}
            num += len(cluster) - len(parts)
            den += len(cluster) - 1
        return num, den

    rn, rd = side(gold, pred)
    pn, pd = side(pred, gold)
    return rn, rd, pn, pd


def _assignment(weights: list[list[float]]) -> float:
    """Maximum-weight matching of a rectangular matrix (Hungarian algorithm, Kuhn–Munkres)."""
    n_rows, n_cols = len(weights), len(weights[0]) if weights else 0
    size = max(n_rows, n_cols)
    if size == 0:
        return 0.0
    top = max((w for row in weights for w in row), default=0.0)
    cost = [[top - (weights[i][j] if i < n_rows and j < n_cols else 0.0) for j in range(size)] for i in range(size)]
    u, v = [0.0] * (size + 1), [0.0] * (size + 1)
    match, way = [0] * (size + 1), [0] * (size + 1)
    for i in range(1, size + 1):
        match[0] = i
        j0 = 0
        minv = [math.inf] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], math.inf, 0
            for j in range(1, size + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(size + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while True:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
            if j0 == 0:
                break
    total = 0.0
    for j in range(1, size + 1):
        i = match[j]
        if i and i <= n_rows and j <= n_cols:
            total += weights[i - 1][j - 1]
    return total


def ceaf_e(gold: Labels, pred: Labels) -> tuple[float, int, int]:
    """CEAF-e: the best one-to-one alignment of clusters under φ4 (Luo 2005); returns
    (aligned similarity, number of gold clusters, number of predicted clusters)."""
    keys, responses = _clusters(gold), _clusters(pred)
    sims = [[2 * len(k & r) / (len(k) + len(r)) for r in responses] for k in keys]
    return _assignment(sims), len(keys), len(responses)


def score_clusterings(topics: Iterable[tuple[Labels, Labels]]) -> dict[str, float]:
    """B³, MUC, CEAF-e and CoNLL F1 pooled over topics (clusters never cross topics)."""
    n = 0
    b3p = b3r = mrn = mrd = mpn = mpd = phi = nk = nr = 0.0
    for gold, pred in topics:
        n += len(gold)
        p, r = b_cubed(gold, pred)
        b3p, b3r = b3p + p, b3r + r
        a, b, c, d = muc(gold, pred)
        mrn, mrd, mpn, mpd = mrn + a, mrd + b, mpn + c, mpd + d
        s, k, q = ceaf_e(gold, pred)
        phi, nk, nr = phi + s, nk + k, nr + q
    b3 = _f1(b3p / n, b3r / n)
    m = _f1(mpn / mpd if mpd else 1.0, mrn / mrd if mrd else 1.0)
    ce = _f1(phi / nr, phi / nk)
    return {"b3_precision": round(b3p / n, 4), "b3_recall": round(b3r / n, 4), "b3_f1": round(b3, 4),
            "muc_f1": round(m, 4), "ceafe_f1": round(ce, 4), "conll_f1": round((b3 + m + ce) / 3, 4)}


# -- the TF-IDF baseline -----------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z][a-z0-9'-]+")
_STOP = frozenset(
    "the a an and or of to in on at for with by from as is are was were be been has have had it its this that "
    "these those he she they his her their him them we our you your i not no but if then than so said says say "
    "will would could should can may might after before over into about up out more most also who which what when "
    "where while there here all any some one two new".split()
)


def _tfidf(texts: Sequence[str], idf: dict[str, float]) -> list[dict[str, float]]:
    vectors = []
    for text in texts:
        counts = Counter(t for t in _TOKEN.findall(text.lower()) if t not in _STOP)
        vec = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors.append({t: w / norm for t, w in vec.items()})
    return vectors


def _idf(texts: Iterable[str]) -> dict[str, float]:
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        df.update({t for t in _TOKEN.findall(text.lower()) if t not in _STOP})
    return {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def tfidf_clusters(texts: Sequence[str], idf: dict[str, float], threshold: float) -> list[int]:
    vectors = _tfidf(texts, idf)
    sims = [[_cosine(a, b) for b in vectors] for a in vectors]
    return average_link(sims, threshold)


# -- stories from the pipeline -----------------------------------------------------------------

# A document-level story follows a happening through its aftermath (the arrest, then the charges):
# reports of it are weeks apart more often than events' reports are.
DOCUMENT_WINDOW_DAYS = 60
# Any positive evidence joins a document to a story: a document is about something, and the
# story most like it is its best guess.
DOCUMENT_THRESHOLD = 0.0


def document_stories(docs: Sequence[Document], revisited: bool = True) -> list[int]:
    """The story of each document: each document, as one report of its main happening (its most
    salient participants, place, date and context: `report_facts`), is linked in order by the
    product linker with a fresh in-memory index; then, unless `revisited` is false, the
    decisions are revisited once by the bounded second pass (link/revisit.py)."""
    from ..link import Linker, MemoryIndex
    from ..link.facts import report_facts
    from ..link.revisit import revisit

    index = MemoryIndex()
    linker = Linker(index, threshold=DOCUMENT_THRESHOLD, window_days=DOCUMENT_WINDOW_DAYS)
    facts = [report_facts(doc) for doc in docs]
    labels = [linker.link_document([f])[0].story for f in facts]
    if not revisited:
        return labels
    # Once the topic's reports are in, the second pass revisits the incremental decisions with
    # the matured stories (split a story holding two happenings, move misplaced reports).
    return revisit(facts, labels, DOCUMENT_THRESHOLD, DOCUMENT_WINDOW_DAYS, index.rarity(()))


Rows = list[tuple[str, int, dict[str, Any]]]  # (document id, story, facts) of each stored event


def _ingest_topic(docs: Sequence[Document], revisited: bool) -> Rows:
    """The documents through `sitrep ingest` (`Store.ingest`, in ingest batches, each batch
    linked, then its stories revisited unless `revisited` is false) into a fresh SQLite store;
    returns each event row: document id, story, facts."""
    import json
    import tempfile

    from sqlalchemy import select

    from ..reading import batches
    from ..settings import Settings
    from ..store import open_store
    from ..store.schema import events

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "ecb.db"))
        try:
            for batch in batches(docs, Settings().batch_size):
                store.ingest(batch, revisit=revisited)
            with store.engine.connect() as conn:
                rows = conn.execute(select(events.c.document_id, events.c.story_id, events.c.facts)).all()
        finally:
            store.close()
    return [(d, story, json.loads(facts)) for d, story, facts in rows]


def event_stories(docs: Sequence[Document], rows: Rows) -> list[int]:
    """The story of each document from its events' stories (`rows`, as `_ingest_topic` stores
    them): each document is given the story its events weigh most in — early events more (news
    puts the main happening first), background events less. A document without events has a
    story of its own."""
    weights: dict[str, Counter[int]] = defaultdict(Counter)
    for doc_id, story, f in rows:
        weights[doc_id][story] += (0.3 if f["historical"] else 1.0) / (1 + f["position"])
    return [weights[d.id].most_common(1)[0][0] if weights[d.id] else -1 - i for i, d in enumerate(docs)]


def event_mentions(texts: Sequence[CorpusText], docs: Sequence[Document], rows: Rows) -> tuple[list[str], list[int]]:
    """Event-level linking against ECB+ event coreference, for one topic: each of our events
    whose trigger overlaps a gold event mention (one event a mention) is labelled with its story
    (`rows`) and with the mention's gold chain; returns (gold, predicted) over those events.
    Only PLOVER events are ours, so this scores the linking of the mentions we find."""
    triggers: dict[tuple[str, str], tuple[int, int]] = {}
    gold_of: dict[str, CorpusText] = {}
    for t, d in zip(texts, docs):
        gold_of.setdefault(d.id, t)
        for e in d.events:
            span = (e.trigger or {}).get("span")
            if span:
                triggers[(d.id, e.id)] = (int(span[0]), int(span[1]))
    gold: list[str] = []
    pred: list[int] = []
    taken: set[tuple[str, int]] = set()
    for doc_id, story, f in rows:
        span = triggers.get((doc_id, f["event"]))
        if span is None:
            continue
        hits = [m for m in gold_of[doc_id].events if m[0] < span[1] and span[0] < m[1]]
        if not hits:
            continue
        m = min(hits, key=lambda m: m[1] - m[0])
        if (doc_id, m[0]) in taken:
            continue
        taken.add((doc_id, m[0]))
        gold.append(m[2])
        pred.append(story)
    return gold, pred


def _analyse(texts: Sequence[CorpusText]) -> list[Document]:
    from ..errors import InputError
    from ..reading import analyse
    from ..settings import Settings

    raws = [RawDocument(text=t.text, source=Source(path=t.name), published=t.published) for t in texts]
    out = []
    for t, item in zip(texts, analyse(raws, Settings())):
        if not isinstance(item, Document):
            raise InputError(t.name, f"the pipeline rejected an ECB+ document: {item.reason}")
        # The spaCy parses are not needed past the stages; 770 of them would fill the memory.
        out.append(replace(item, parsed=()))
    return out


def evaluate_documents(texts: Sequence[CorpusText], docs: Sequence[Document],
                       cluster: Callable[[Sequence[Document]], list[int]] = document_stories) -> dict[str, Any]:
    """Scores of `cluster` and of the baselines, given the analysed documents."""
    topics: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(texts):
        topics[(t.group or "").split("_")[0]].append(i)
    gold = {k: [texts[i].group for i in idx] for k, idx in topics.items()}
    stories = {k: cluster([docs[i] for i in idx]) for k, idx in topics.items()}
    idf = _idf(t.text for t in texts)
    sims = {k: [[_cosine(a, b) for b in vecs] for a in vecs]
            for k, idx in topics.items() for vecs in [_tfidf([texts[i].text for i in idx], idf)]}
    tuned = []
    for step in range(2, 40):
        threshold = step / 100
        pred = {k: average_link(sims[k], threshold) for k in topics}
        tuned.append((score_clusterings((gold[k], pred[k]) for k in topics)["b3_f1"], threshold))
    best_f1, best_threshold = max(tuned)
    tfidf = {k: average_link(sims[k], best_threshold) for k in topics}
    figures: dict[str, Any] = {"documents": len(texts), "topics": len(topics)}
    figures.update(score_clusterings((gold[k], stories[k]) for k in topics))
    for revisited in (True, False):
        # The topic's documents through `sitrep ingest`'s linking, once per setting of the pass.
        rows = {k: _ingest_topic([docs[i] for i in idx], revisited) for k, idx in topics.items()}
        suffix = "" if revisited else "_incremental"
        by_events = {k: event_stories([docs[i] for i in idx], rows[k]) for k, idx in topics.items()}
        for key, value in score_clusterings((gold[k], by_events[k]) for k in topics).items():
            if key in ("b3_f1", "conll_f1"):
                figures[f"event_stories{suffix}_{key}"] = value
        # Event level: our events on gold event mentions, their stories against gold chains.
        pairs = {k: event_mentions([texts[i] for i in idx], [docs[i] for i in idx], rows[k])
                 for k, idx in topics.items()}
        figures[f"event_mentions{suffix}_matched"] = sum(len(g) for g, _ in pairs.values())
        for key, value in score_clusterings(pairs[k] for k in topics if pairs[k][0]).items():
            if key in ("b3_precision", "b3_recall", "b3_f1", "conll_f1"):
                figures[f"event_mentions{suffix}_{key}"] = value
        if revisited:
            figures["event_mentions_singletons_b3_f1"] = score_clusterings(
                (g, list(range(len(g)))) for g, _ in pairs.values() if g)["b3_f1"]
            figures["event_mentions_gold"] = sum(len(texts[i].events) for idx in topics.values() for i in idx)
    for name, pred in (("all_in_one", {k: [0] * len(v) for k, v in topics.items()}),
                       ("singletons", {k: list(range(len(v))) for k, v in topics.items()}),
                       ("tfidf_tuned", tfidf)):
        for key, value in score_clusterings((gold[k], pred[k]) for k in topics).items():
            if key in ("b3_f1", "conll_f1"):
                figures[f"{name}_{key}"] = value
    figures["tfidf_threshold"] = best_threshold
    figures["per_topic_b3_f1"] = {k: score_clusterings([(gold[k], stories[k])])["b3_f1"] for k in topics}
    return figures


@register_eval("ecb")
def evaluate(path: Path) -> dict[str, Any]:
    """Document stories against ECB+ topic × {ecb, ecbplus}, beside the trivial baselines."""
    texts = list(ecb_texts(path))
    if not texts:
        from ..errors import ConfigError

        raise ConfigError(f"no ECB+ documents (<topic>/<name>.xml) under {path}")
    return evaluate_documents(texts, _analyse(texts))
