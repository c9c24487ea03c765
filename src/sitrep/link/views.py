"""What a story says, attribute by attribute: each value with its sources, and where they clash.

Given the members of a story (the Facts of each linked event, with its document's metadata),
`story_view` builds the `sitrep stories --json` object of DESIGN.md ("Stories"): the reports, the
independent sources, for quantity, place, time, status and certainty every value with the sources
and documents that give it, and the contradictions.

Values are never averaged. Two values contradict only when they cannot both hold:
- figures for the same unit, both said to be real (occurred/ongoing) or both planned, for the
  same date (reference days at most a day apart), outside each other's margin (an approximate
  figure allows 25 %, "at least N" allows more);
- for a one-off happening (an assault), two places neither of which contains the other and
  more than 50 km apart, or two different days;
- the same happening said to occur and said not to.
Figures of different status (3,000 deployed, 10,000 in preparation) and values of different
granularity (September, 12 September; Russia, eastern Russia) are listed under `differences`
as what they are, not as contradictions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .facts import REALIS, Facts
from .independence import DocVoices, Signature, independent_groups
from .keys import day_distance
from .score import distance_km
from .summary import StorySummary

__all__ = ["DocumentInfo", "Member", "story_view", "claim_source", "POINT_TYPES"]

# Happenings that take place once, at one place and on one day: two places or two days for one
# of them cannot both be right. A deployment or a protest can be in several places at once.
POINT_TYPES = frozenset({"ASSAULT"})
_SAME_PLACE_KM = 50.0
_EXACT_MARGIN, _APPROX_MARGIN = 0.05, 0.25


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    published: str | None = None
    language: str | None = None
    url: str | None = None
    outlet: str | None = None
    signature: Signature | None = None


@dataclass(frozen=True)
class Member:
    facts: Facts
    document: DocumentInfo


def claim_source(m: Member) -> tuple[str | None, str]:
    """(key, name) of who makes the claim: the attributed source, else the publishing outlet."""
    source = m.facts.source
    if source is not None:
        if source.key is None and source.via_key is not None:
            return source.via_key, source.name  # an unnamed source behind a named channel
        return source.key, source.name
    name = m.document.outlet or m.facts.outlet or m.document.url or f"document {m.document.id[:15]}"
    return None, name


def _status_label(f: Facts) -> str:
    return f"not {f.status}" if f.negated else f.status


def _reports(members: Sequence[Member]) -> list[dict[str, Any]]:
    out = []
    for m in members:
        f = m.facts
        out.append({
            "document": m.document.id, "url": m.document.url, "outlet": m.document.outlet or f.outlet,
            "published": m.document.published or f.published, "language": f.language or m.document.language,
            "event": f.event, "status": f.status, "certainty": f.certainty, "negated": f.negated,
            "source": f.source.name if f.source else None, "via": f.source.via if f.source else None,
            "sentence": f.sentence,
        })
    return out


def _voices(members: Sequence[Member]) -> tuple[list[DocVoices], dict[str, str]]:
    by_doc: dict[str, list[Member]] = {}
    for m in members:
        by_doc.setdefault(m.document.id, []).append(m)
    voices, names = [], {}
    for doc_id, group in by_doc.items():
        channels: set[str] = set()
        own = False
        for m in group:
            key, name = claim_source(m)
            if key is None:
                own = True
            else:
                channels.add(key)
                names[key] = name
        info = group[0].document
        voices.append(DocVoices(doc_id, info.signature, info.published or group[0].facts.published,
                                frozenset(channels), own))
    return voices, names


class _Values:
    """Claims grouped by value, each with its sources and documents.

    A value's `independent_sources` counts its voices: a named source once however many
    documents cite it, and a document speaking for itself once with all its copies."""

    def __init__(self, doc_group: dict[str, int]) -> None:
        self.entries: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.voices: dict[tuple[Any, ...], set[str]] = {}
        self.doc_group = doc_group

    def add(self, key: tuple[Any, ...], fields: dict[str, Any], m: Member) -> None:
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = {**fields, "sources": [], "documents": []}
            self.voices[key] = set()
        source_key, name = claim_source(m)
        self.voices[key].add(source_key or f"group:{self.doc_group.get(m.document.id, -1)}")
        if name not in entry["sources"]:
            entry["sources"].append(name)
        if m.document.id not in entry["documents"]:
            entry["documents"].append(m.document.id)

    def out(self) -> list[dict[str, Any]]:
        for key, entry in self.entries.items():
            entry["independent_sources"] = len(self.voices[key])
        return list(self.entries.values())


def _margin(q: Any) -> float:
    return _APPROX_MARGIN if q.approximate else _EXACT_MARGIN


def _figures_agree(a: Facts, b: Facts) -> bool:
    qa, qb = a.quantity, b.quantity
    assert qa is not None and qb is not None
    margin = max(_margin(qa), _margin(qb))
    # A bound agrees with every figure on its side of it.
    for low, other in ((qa, qb), (qb, qa)):
        if low.bound == "at_least" and other.value >= low.value * (1 - margin):
            return True
        if low.bound == "at_most" and other.value <= low.value * (1 + margin):
            return True
    return abs(qa.value - qb.value) <= margin * max(abs(qa.value), abs(qb.value))


def _same_date(a: Facts, b: Facts) -> bool:
    if a.day is None or b.day is None:
        return True
    return day_distance(a.day, b.day) <= 1


def _family(f: Facts) -> str | None:
    """Claims that can contradict one another share a family: real ones, or planned ones."""
    if f.negated:
        return None
    if f.status in REALIS:
        return "real"
    if f.status == "planned":
        return "planned"
    return None  # what may or is feared to happen does not contradict anything


def _components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    touched: set[int] = set()
    for i, j in edges:
        parent[root(i)] = root(j)
        touched.update((i, j))
    groups: dict[int, list[int]] = {}
    for i in sorted(touched):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _claims(members: Sequence[Member], indices: Sequence[int], value: Any, key: Any = None) -> list[dict[str, Any]]:
    """The claims of `indices` grouped by value (or by `key`, e.g. one place named in two languages)."""
    by_value: dict[Any, dict[str, Any]] = {}
    for i in indices:
        m = members[i]
        v = value(m.facts)
        entry = by_value.setdefault(key(m.facts) if key else v,
                                    {"value": v, "status": [], "sources": [], "documents": []})
        for field_name, item in (("status", _status_label(m.facts)), ("sources", claim_source(m)[1]),
                                 ("documents", m.document.id)):
            if item not in entry[field_name]:
                entry[field_name].append(item)
    return sorted(by_value.values(), key=lambda e: (0, e["value"], "") if isinstance(e["value"], (int, float))
                  else (1, 0, str(e["value"])))


def _contradiction(attribute: str, members: Sequence[Member], group: list[int], value: Any,
                   reason: str, key: Any = None) -> dict[str, Any]:
    claims = _claims(members, group, value, key)
    sources: list[str] = []
    for c in claims:
        sources.extend(s for s in c["sources"] if s not in sources)
    return {"attribute": attribute, "values": [c["value"] for c in claims], "sources": sources,
            "claims": claims, "reason": reason}


def _quantity_checks(members: Sequence[Member]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    contradictions, differences = [], []
    counted = [i for i, m in enumerate(members) if m.facts.quantity is not None and m.facts.quantity.unit]
    by_unit: dict[str, list[int]] = {}
    for i in counted:
        by_unit.setdefault(str(members[i].facts.quantity.unit), []).append(i)  # type: ignore[union-attr]
    value = lambda f: _plain_number(f.quantity.value)  # noqa: E731
    for unit, idx in by_unit.items():
        edges, status_edges = [], []
        for a_pos, i in enumerate(idx):
            for j in idx[a_pos + 1:]:
                fa, fb = members[i].facts, members[j].facts
                if _figures_agree(fa, fb):
                    continue
                fam_a, fam_b = _family(fa), _family(fb)
                if fam_a is not None and fam_a == fam_b and _same_date(fa, fb):
                    edges.append((i, j))
                else:
                    status_edges.append((i, j))
        for group in _components(len(members), edges):
            contradictions.append(_contradiction(
                "quantity", members, group, value,
                f"different figures of {unit} given as {_family(members[group[0]].facts)} for the same date"))
        for group in _components(len(members), status_edges):
            claims = _claims(members, group, value)
            statuses = {s for c in claims for s in c["status"]}
            if len(statuses) > 1 and len({str(c["value"]) for c in claims}) > 1:
                differences.append({"attribute": "quantity", "kind": "status", "values": [c["value"] for c in claims],
                                    "claims": claims, "note": f"figures of {unit} with different status or date"})
    return contradictions, differences


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _place_checks(story_type: str, members: Sequence[Member]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    placed = [i for i, m in enumerate(members) if m.facts.place is not None]
    clash, finer = [], []
    for a_pos, i in enumerate(placed):
        for j in placed[a_pos + 1:]:
            pa, pb = members[i].facts.place, members[j].facts.place
            assert pa is not None and pb is not None
            if pa.key == pb.key:
                continue
            if pa.lat is not None and pb.lat is not None and pa.precision != "country" and pb.precision != "country":
                apart = distance_km(pa.lat, pa.lon or 0.0, pb.lat, pb.lon or 0.0) > _SAME_PLACE_KM
            elif pa.country and pb.country and pa.country == pb.country:
                apart = pa.precision in ("city", "site") and pb.precision in ("city", "site") and pa.lat is None
            else:
                apart = bool(pa.country and pb.country and pa.country != pb.country)
            fa, fb = members[i].facts, members[j].facts
            one_off = (story_type in POINT_TYPES and fa.status == "occurred" == fb.status
                       and not (fa.negated or fb.negated))
            if apart and one_off and _same_date(fa, fb):
                clash.append((i, j))
            elif not apart:
                finer.append((i, j))
    value = lambda f: f.place.name  # noqa: E731
    key = lambda f: f.place.key  # noqa: E731
    contradictions = [_contradiction("place", members, g, value, "one happening placed in places far apart", key)
                      for g in _components(len(members), clash)]
    differences = [{"attribute": "place", "kind": "granularity", "values": [c["value"] for c in claims],
                    "claims": claims, "note": "one place within the other"}
                   for g in _components(len(members), finer)
                   if len(claims := _claims(members, g, value, key)) > 1]
    return contradictions, differences


def _time_checks(story_type: str, members: Sequence[Member]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dated = [i for i, m in enumerate(members) if m.facts.dated_explicitly]
    clash, finer = [], []
    for a_pos, i in enumerate(dated):
        for j in dated[a_pos + 1:]:
            fa, fb = members[i].facts, members[j].facts
            ta, tb = fa.time, fb.time
            assert ta is not None and tb is not None
            if (ta.start, ta.end) == (tb.start, tb.end):
                continue
            overlap = ta.start <= tb.end and tb.start <= ta.end
            one_off = story_type in POINT_TYPES and fa.status == "occurred" == fb.status
            if not overlap and ta.precise and tb.precise and one_off and day_distance(ta.start, tb.start) > 1:
                clash.append((i, j))
            elif overlap and ta.precise != tb.precise:
                finer.append((i, j))
    value = _time_value
    contradictions = [_contradiction("time", members, g, value, "one happening dated to different days")
                      for g in _components(len(members), clash)]
    differences = [{"attribute": "time", "kind": "granularity", "values": [c["value"] for c in claims],
                    "claims": claims, "note": "one date within the other"}
                   for g in _components(len(members), finer)
                   if len(claims := _claims(members, g, value)) > 1]
    return contradictions, differences


def _time_value(f: Facts) -> str:
    """The time as the text normalised it ("2024-09", "2024-09-12"), or as days when its value is
    not a date ("PRESENT_REF": now, "depuis": from … to …)."""
    assert f.time is not None
    value = f.time.value
    if value[:4].isdigit() and "X" not in value:
        return value
    return f.time.start if f.time.start == f.time.end else f"{f.time.start}/{f.time.end}"


def _status_checks(members: Sequence[Member]) -> list[dict[str, Any]]:
    said = [i for i, m in enumerate(members) if m.facts.status in REALIS]
    edges = [(i, j) for i in said for j in said
             if i < j and members[i].facts.negated != members[j].facts.negated
             and _same_date(members[i].facts, members[j].facts)]
    return [_contradiction("status", members, g, _status_label, "said to happen and said not to")
            for g in _components(len(members), edges)]


def _timeline(members: Sequence[Member]) -> list[dict[str, Any]]:
    """How the story came in: per day of publication (in order), its reports, outlets and the
    values first told that day (a figure, place, date or status no earlier report gave)."""
    days: dict[str, dict[str, Any]] = {}
    seen: set[tuple[Any, ...]] = set()
    for m in members:  # already in publication order
        f = m.facts
        published = (m.document.published or f.published or "")[:10] or None
        entry = days.setdefault(published or "", {"day": published, "reports": 0, "documents": [], "outlets": [],
                                                   "new": []})
        entry["reports"] += 1
        if m.document.id not in entry["documents"]:
            entry["documents"].append(m.document.id)
        outlet = m.document.outlet or f.outlet
        if outlet and outlet not in entry["outlets"]:
            entry["outlets"].append(outlet)
        status = _status_label(f)
        source = claim_source(m)[1]
        told: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
            (("status", status), {"attribute": "status", "value": status})]
        if f.quantity is not None:
            told.append((("quantity", f.quantity.unit, f.quantity.value, status), {
                "attribute": "quantity", "value": _plain_number(f.quantity.value), "unit": f.quantity.unit,
                "status": status}))
        if f.place is not None:
            told.append((("place", f.place.key), {"attribute": "place", "value": f.place.name}))
        if f.time is not None:
            told.append((("time", f.time.start, f.time.end), {"attribute": "time", "value": _time_value(f)}))
        for key, item in told:
            if key not in seen:
                seen.add(key)
                entry["new"].append({**item, "source": source})
    return list(days.values())


def story_view(summary: StorySummary, members: Sequence[Member]) -> dict[str, Any]:
    """The story as the `sitrep stories --json` contract (DESIGN.md, "Stories")."""
    members = sorted(members, key=lambda m: (m.document.published or m.facts.published or "", m.document.id,
                                             m.facts.position))
    voices, names = _voices(members)
    groups = independent_groups(voices, names)
    doc_group = {d: n for n, g in enumerate(groups) for d in g.documents}

    participants: dict[str, Counter[str]] = {}
    countries: dict[str, str | None] = {}
    for m in members:
        for p in m.facts.participants:
            key = p.key or f"anon:{p.name}|{p.country}"
            participants.setdefault(key, Counter())[p.name] += 1
            countries[key] = p.country
    places: dict[str, dict[str, Any]] = {}
    for m in members:
        pl = m.facts.place
        if pl is not None and pl.key not in places:
            places[pl.key] = {"name": pl.name, "country": pl.country, "lat": pl.lat, "lon": pl.lon,
                              "precision": pl.precision}

    values: dict[str, _Values] = {k: _Values(doc_group) for k in ("quantity", "place", "time", "status", "certainty")}
    for m in members:
        f = m.facts
        status = _status_label(f)
        if f.quantity is not None:
            q = f.quantity
            values["quantity"].add((q.unit, q.value, status), {
                "value": _plain_number(q.value), "unit": q.unit, "status": status,
                "approximate": q.approximate, "bound": q.bound}, m)
        if f.place is not None:
            values["place"].add((f.place.key, status), {
                "value": f.place.name, "country": f.place.country, "precision": f.place.precision, "status": status}, m)
        if f.time is not None:
            values["time"].add((f.time.start, f.time.end, status), {
                "value": _time_value(f), "start": f.time.start, "end": f.time.end,
                "granularity": f.time.granularity, "status": status}, m)
        values["status"].add((status,), {"value": status, "status": status}, m)
        values["certainty"].add((f.certainty, status), {"value": f.certainty, "status": status}, m)

    q_contra, q_diff = _quantity_checks(members)
    p_contra, p_diff = _place_checks(summary.type, members)
    t_contra, t_diff = _time_checks(summary.type, members)
    s_contra = _status_checks(members)

    intervals = [m.facts.interval for m in members if m.facts.interval]
    real = [m.facts.interval for m in members if m.facts.interval and m.facts.status in REALIS] or intervals
    return {
        "id": summary.id, "type": summary.type, "mode": summary.mode, "title": summary.title(),
        "historical": summary.historical,
        "time": {"start": min(i[0] for i in real if i) if real else None,
                 "end": max(i[1] for i in real if i) if real else None},
        "participants": [{"name": c.most_common(1)[0][0], "country": countries[k]}
                         for k, c in sorted(participants.items(), key=lambda kv: -sum(kv[1].values()))],
        "places": list(places.values()),
        "reports": _reports(members),
        "documents": len({m.document.id for m in members}),
        "independent_sources": sum(g.independent for g in groups),
        "sources": [g.to_dict() for g in groups],
        "values": {k: v.out() for k, v in values.items()},
        "timeline": _timeline(members),
        "contradictions": q_contra + p_contra + t_contra + s_contra,
        "differences": q_diff + p_diff + t_diff,
    }
