"""A bounded second pass over recent linking decisions, once the stories' contexts have matured.

Incremental linking decides with what it has seen: the second report of a happening is compared
with a story of one report, and two happenings that share their main participants (the same
actor, another opponent or another year) fall into the first story that came. Once a batch of
recent reports is in, their stories are revisited — the reports themselves are never touched:

1. split: within each story, the members are clustered by average link over their pairwise
   scores (the linker's own score, each report against the other as a one-report story); a
   group of at least `min_split` reports that the rest does not hold at the linking threshold
   becomes a story of its own (one or two stray reports are left where they are: too few to
   tell a second happening from noise);
2. reassign: each report goes to the story that now scores it best, compared with that story
   without it (leave-one-out), or alone when none reaches the threshold.

The pass costs O(n²) scores for n revisited reports, so callers bound n (a topic, a day's
ingest, the last stories' members). Reports of different types, or background and news, can
never share a story: each such part is revisited on its own, which costs less and changes
nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .facts import Facts
from .score import Probe
from .summary import StorySummary

__all__ = ["revisit", "average_link"]

# A second happening needs this many mutually agreeing reports to be split off a story.
MIN_SPLIT = 3


def average_link(similarity: Sequence[Sequence[float]], threshold: float) -> list[int]:
    """Agglomerative clustering: merge the two most similar clusters (mean pairwise similarity)
    while that similarity is at least `threshold`; returns a cluster number per item."""
    clusters = [[i] for i in range(len(similarity))]
    while len(clusters) > 1:
        best, pair = float("-inf"), (0, 0)
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                total = sum(similarity[i][j] for i in clusters[a] for j in clusters[b])
                s = total / (len(clusters[a]) * len(clusters[b]))
                if s > best:
                    best, pair = s, (a, b)
        if best < threshold:
            break
        a, b = pair
        clusters[a] += clusters.pop(b)
    labels = [0] * len(similarity)
    for n, cluster in enumerate(clusters):
        for i in cluster:
            labels[i] = n
    return labels


def revisit(facts: Sequence[Facts], labels: Sequence[int], threshold: float, window_days: int,
            rarity: Mapping[str, float] | None = None, min_split: int = MIN_SPLIT) -> list[int]:
    """New story labels for `facts` (reports, in ingest order) given their incremental `labels`:
    split stories that hold two groups, then move each report to its best story (see above).
    New stories get labels above the largest given one."""
    out = list(labels)
    if len(facts) < 2:
        return out
    parts: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        parts[(f.type, f.historical)].append(i)
    fresh = max(out) + 1
    for idx in parts.values():
        new, fresh = _revisit([facts[i] for i in idx], [out[i] for i in idx], fresh, threshold, window_days,
                              rarity, min_split)
        for i, label in zip(idx, new):
            out[i] = label
    return out


def _revisit(facts: Sequence[Facts], labels: Sequence[int], fresh: int, threshold: float, window_days: int,
             rarity: Mapping[str, float] | None, min_split: int) -> tuple[list[int], int]:
    """`revisit` over reports that may all share a story; returns the labels and the next fresh one."""
    n = len(facts)
    out = list(labels)
    if n < 2:
        return out, fresh
    probes = [Probe(f, window_days, rarity) for f in facts]
    alone = [StorySummary.start(0, f) for f in facts]
    raw = [[probes[a].score(alone[b]) if a != b else 0.0 for b in range(n)] for a in range(n)]
    pair = [[(raw[a][b] + raw[b][a]) / 2 for b in range(n)] for a in range(n)]

    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(out):
        members[label].append(i)
    for group in list(members.values()):
        if len(group) <= min_split:  # too small to hold a second happening beside the first
            continue
        sub = average_link([[pair[x][y] for y in group] for x in group], threshold)
        parts: dict[int, list[int]] = defaultdict(list)
        for x, s in zip(group, sub):
            parts[s].append(x)
        # The largest group stays with the story's strays; other solid groups become stories of
        # their own. Whichever holds the story's first report keeps its label (an id an analyst
        # has seen keeps telling the happening it first told).
        ranked = sorted(parts.values(), key=len, reverse=True)
        solid = [part for part in ranked[1:] if len(part) >= min_split]
        split_off = {x for part in solid for x in part}
        rest = [x for x in group if x not in split_off]
        for part in (rest, *solid):
            if group[0] in part:
                continue
            for x in part:
                out[x] = fresh
            fresh += 1

    for a in range(n):
        others: dict[int, list[Facts]] = defaultdict(list)
        for b, label in enumerate(out):
            if b != a:
                others[label].append(facts[b])
        best, target = float("-inf"), None
        for label, group in others.items():
            score = probes[a].score(StorySummary.of(0, group))
            if score > best:
                best, target = score, label
        if target is None or best < threshold:
            if out[a] in others:  # alone now: its story holds others it does not fit
                out[a], fresh = fresh, fresh + 1
        else:
            out[a] = target
    return out, fresh
