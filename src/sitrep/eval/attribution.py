"""Evaluation `attribution`: quotes and reported speech against hand-annotated news text.

Gold: JSON Lines files (a directory of them, or one file), one document a line:
    {"id", "lang", "split": "dev"|"heldout" (dev when absent), "text", "published",
     "attributions": [{"speaker": [mention, …] | null, "cue": str | null, "content": str,
                       "direct": bool}]}
with every string a substring of "text" (tests/data/attribution/README.md gives the rules).
Scores, per language and overall ("fr", "all"), over the dev records; held-out records, annotated
after the rules and scored once, are never pooled with them and get rows of their own
("fr.heldout", "all.heldout"):
- content P/R/F1: a predicted content matches a gold one when their overlap covers at least
  half of the longer of the two (one-to-one, best overlap first);
- speaker accuracy: of matched contents, the share whose predicted speaker mention (or the
  entity it resolves to, or the antecedent of a pronoun) overlaps the gold speaker mention;
  a gold attribution without a speaker is right only when none is predicted. When the gold
  speaker is a personal pronoun ("a-t-elle précisé" → "elle") and the prediction names another
  mention, it counts only if the system itself resolved that very pronoun (as the speaker of one
  of its attributions) to the same entity, or to an antecedent mention the prediction names
  (`speaker_pronoun_credit` counts these);
- cue P/R/F1: predicted and gold cues (where both have one) that overlap;
- direct accuracy: of matched contents, direct/indirect right.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..models import Attribution, Document, Span
from . import register_eval
from .corpora import jsonl_records

__all__ = ["evaluate_attribution", "load_gold", "locate"]

_BEFORE = ("segment", "posts", "disclosure", "dating", "nlp", "entities")
_MATCH = 0.5


def load_gold(path: Path) -> list[dict[str, Any]]:
    return jsonl_records(path)


def _occurrences(text: str, s: str) -> list[Span]:
    out, at = [], text.find(s)
    while at >= 0:
        out.append((at, at + len(s)))
        at = text.find(s, at + 1)
    return out


_SENTENCE_END = re.compile(r"[.!?][»”\"]?\s")


def _nearest(text: str, spans: list[Span], anchor: Span) -> Span | None:
    """The occurrence closest to `anchor`, preferring one in the same sentence."""
    if not spans:
        return None

    def distance(s: Span) -> tuple[int, int, int]:
        if s[1] <= anchor[0]:
            gap = (s[1], anchor[0])
        elif s[0] >= anchor[1]:
            gap = (anchor[1], s[0])
        else:
            gap = (0, 0)
        crosses = bool(_SENTENCE_END.search(text[gap[0]:gap[1]]))
        return (int(crosses), gap[1] - gap[0], 0 if s[0] < anchor[0] else 1)

    return min(spans, key=distance)


def locate(text: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gold strings → spans: a content at its first unused occurrence, its cue nearest to it,
    the speaker nearest to the cue (or to the content)."""
    used: set[Span] = set()
    out = []
    for item in items:
        every = _occurrences(text, item["content"])
        # two sources may give the same words ("…, according to court records, … the paper reported")
        spans = [s for s in every if s not in used] or every
        if not spans:
            raise ValueError(f"content not found: {item['content']!r}")
        content = spans[0]
        used.add(content)
        cue = _nearest(text, _occurrences(text, item["cue"]), content) if item.get("cue") else None
        anchor = cue or content
        speakers = []
        for mention in item.get("speaker") or []:
            found = _nearest(text, [s for s in _occurrences(text, mention) if not (content[0] <= s[0] < content[1])]
                             or _occurrences(text, mention), anchor)
            if found is not None:
                speakers.append(found)
        out.append({"content": content, "cue": cue, "speakers": speakers, "direct": bool(item.get("direct")),
                    "no_speaker": not item.get("speaker")})
    return out


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _span(d: Any) -> Span | None:
    if isinstance(d, dict) and d.get("span"):
        return (int(d["span"][0]), int(d["span"][1]))
    return None


def _predicted_speakers(doc: Document, a: Attribution) -> list[Span]:
    spans = []
    speaker = a.cue.get("speaker") if isinstance(a.cue, dict) else None
    if speaker:
        if _span(speaker):
            spans.append(_span(speaker))
        if _span(speaker.get("refers_to")):
            spans.append(_span(speaker.get("refers_to")))
    ent = next((e for e in doc.entities if e.id == a.source), None)
    if ent is not None:
        spans.extend(tuple(m) for m in ent.mentions)
    return [s for s in spans if s is not None]


# Personal pronouns a gold speaker may be ("dit-elle" → "elle"), for the pronoun rule above.
_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "he", "she", "they", "it"})


def _pronoun_resolved(doc: Document, pred: list[Attribution], p: Attribution, gold_spans: list[Span],
                      predicted: list[Span]) -> bool:
    """A gold pronoun speaker against a prediction naming another mention: right only when the
    system resolved that same pronoun occurrence, where it took it as a speaker, to the entity or
    the antecedent mention that the prediction names."""
    for gs in gold_spans:
        if doc.text[gs[0]:gs[1]].lower().lstrip("-").split("-")[-1] not in _PRONOUNS:
            continue
        for q in pred:
            speaker = q.cue.get("speaker") if isinstance(q.cue, dict) else None
            qs = _span(speaker)
            if qs is None or _overlap(qs, gs) == 0:
                continue
            if q.source is not None and q.source == p.source:
                return True
            antecedent = _span(speaker.get("refers_to"))
            if antecedent is not None and any(_overlap(antecedent, s) > 0 for s in predicted):
                return True
    return False


def _pipeline() -> Any:
    from ..pipeline import Pipeline, stage_names
    from ..settings import Settings
    from ..stages.attribution import AttributionStage

    base = Pipeline.from_names([n for n in _BEFORE if n in stage_names()])
    stage = AttributionStage(Settings())

    def run(text: str, published: str | None) -> Document:
        from ..reading import read_text

        doc = read_text(text, published=published or "2024-01-01", pipeline=base)
        return next(stage.pipe([doc]))

    return run


def _score(doc: Document, gold: list[dict[str, Any]], tally: dict[str, int]) -> None:
    pred = list(doc.attributions)
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ps = _span(p.content)
            if ps is None:
                continue
            inter = _overlap(g["content"], ps)
            longer = max(g["content"][1] - g["content"][0], ps[1] - ps[0])
            if inter >= _MATCH * longer:
                pairs.append((inter / longer, gi, pi))
    pairs.sort(reverse=True)
    gold_done: set[int] = set()
    pred_done: set[int] = set()
    for _, gi, pi in pairs:
        if gi in gold_done or pi in pred_done:
            continue
        gold_done.add(gi)
        pred_done.add(pi)
        g, p = gold[gi], pred[pi]
        tally["matched"] += 1
        spk = _predicted_speakers(doc, p)
        has_pred = bool(p.cue.get("speaker")) if isinstance(p.cue, dict) else False
        if g["no_speaker"]:
            ok = not has_pred
        else:
            ok = any(_overlap(s, gs) > 0 for s in spk for gs in g["speakers"])
            if not ok and _pronoun_resolved(doc, pred, p, g["speakers"], spk):
                ok = True
                tally["speaker_pronoun_credit"] += 1
        tally["speaker_ok"] += ok
        tally["direct_ok"] += p.direct == g["direct"]
    tally["gold"] += len(gold)
    tally["pred"] += len(pred)
    gold_cues = [g["cue"] for g in gold if g["cue"] is not None]
    pred_cues = [s for s in (_span(p.cue) for p in pred) if s is not None]
    tally["gold_cues"] += len(gold_cues)
    tally["pred_cues"] += len(set(pred_cues))
    tally["cue_hits_gold"] += sum(any(_overlap(g, p) > 0 for p in pred_cues) for g in gold_cues)
    tally["cue_hits_pred"] += sum(any(_overlap(g, p) > 0 for g in gold_cues) for p in set(pred_cues))


def _figures(t: dict[str, int]) -> dict[str, Any]:
    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    cp = t["matched"] / t["pred"] if t["pred"] else 0.0
    cr = t["matched"] / t["gold"] if t["gold"] else 0.0
    qp = t["cue_hits_pred"] / t["pred_cues"] if t["pred_cues"] else 0.0
    qr = t["cue_hits_gold"] / t["gold_cues"] if t["gold_cues"] else 0.0
    return {
        "documents": t["docs"], "gold": t["gold"], "predicted": t["pred"], "matched": t["matched"],
        "content_precision": round(cp, 3), "content_recall": round(cr, 3), "content_f1": round(f1(cp, cr), 3),
        "speaker_accuracy": round(t["speaker_ok"] / t["matched"], 3) if t["matched"] else 0.0,
        "cue_precision": round(qp, 3), "cue_recall": round(qr, 3), "cue_f1": round(f1(qp, qr), 3),
        "direct_accuracy": round(t["direct_ok"] / t["matched"], 3) if t["matched"] else 0.0,
        "speaker_pronoun_credit": t["speaker_pronoun_credit"],
    }


@register_eval("attribution")
def evaluate_attribution(path: Path) -> dict[str, Any]:
    records = load_gold(path)
    run = _pipeline()
    tallies: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    started = time.perf_counter()
    for rec in records:
        gold = locate(rec["text"], rec["attributions"])
        doc = run(rec["text"], rec.get("published"))
        suffix = ".heldout" if rec.get("split") == "heldout" else ""
        for key in (rec.get("lang", "?") + suffix, "all" + suffix):
            tallies[key]["docs"] += 1
            _score(doc, gold, tallies[key])
    out: dict[str, Any] = {}
    # dev languages, "all", then held-out languages and "all.heldout"
    for group in sorted(tallies, key=lambda k: (k.endswith(".heldout"), k.startswith("all"), k)):
        for name, value in _figures(tallies[group]).items():
            out[f"{group}.{name}"] = value
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out
