"""Rebuild fr.jsonl and en.jsonl from the hand annotations (annotations.<lang>.txt).

Each section of an annotations file is one excerpt:
    === <id>
    source: <shared/data/… path or URL>
    outlet: …
    published: YYYY-MM-DD
    published_from: dct | dateline | url | text
    split: dev | heldout

    <the excerpt, one paragraph a line>

    --- clauses
    <piece of the excerpt with the [trigger] in brackets> || <status> <certainty> [neg] [hist] [noun]
The bracketed piece must occur exactly once in the excerpt. For excerpts of FR-TimeBank and ECB+
(../../../../shared/data), every line must be found in the source document once spacing is
ignored, so that the gold text stays the corpus text. README.md gives the labelling rules.
Run: python tests/data/certainty/build.py
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from xml.etree import ElementTree

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[3] / "shared"
STATUSES = ("occurred", "ongoing", "planned", "possible", "feared", "hypothetical")
CERTAINTIES = ("asserted", "reported", "hedged", "uncertain")
FLAGS = ("neg", "hist", "noun")
FIELDS = ("source", "outlet", "published", "published_from", "split")
_SPACE = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def _corpus_text(source: str) -> str:
    """The words of a shared-corpus document, whatever their spacing."""
    path = SHARED / source.removeprefix("shared/")
    if path.suffix == ".tml":
        body = re.search(r"<TEXT>(.*)</TEXT>", path.read_text(encoding="utf-8"), re.S)
        if body is None:
            raise ValueError(f"{source}: no TEXT element")
        return html.unescape(re.sub(r"<[^>]+>", "", body.group(1)))
    root = ElementTree.parse(path).getroot()
    return "".join(tok.text or "" for tok in root.iter("token"))


def parse_clause(text: str, line: str, where: str) -> dict[str, object]:
    piece, labels = (p.strip() for p in line.split("||"))
    m = re.fullmatch(r"(.*)\[([^\]]+)\](.*)", piece)
    if m is None:
        raise ValueError(f"{where}: no [trigger] in {piece!r}")
    before, trigger, after = m.groups()
    whole = before + trigger + after
    hits = [i for i in range(len(text)) if text.startswith(whole, i)]
    if len(hits) != 1:
        raise ValueError(f"{where}: {whole!r} found {len(hits)} times")
    words = labels.split()
    if len(words) < 2 or words[0] not in STATUSES or words[1] not in CERTAINTIES \
            or any(w not in FLAGS for w in words[2:]):
        raise ValueError(f"{where}: bad labels {labels!r}")
    return {"trigger": trigger, "trigger_start": hits[0] + len(before),
            "kind": "noun" if "noun" in words else "verb", "status": words[0], "certainty": words[1],
            "negated": "neg" in words, "historical": "hist" in words}


def parse_section(section: str, lang: str) -> dict[str, object]:
    name, rest = section.split("\n", 1)
    name = name.strip()
    header, rest = rest.split("\n\n", 1)
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    missing = [f for f in FIELDS if f not in fields]
    if missing:
        raise ValueError(f"{name}: missing {missing}")
    if fields["split"] not in ("dev", "heldout"):
        raise ValueError(f"{name}: split {fields['split']!r}")
    body, clauses = rest.split("\n--- clauses\n", 1)
    text = body.strip()
    if fields["source"].startswith("shared/"):
        corpus = _squeeze(_corpus_text(fields["source"]))
        for line in text.splitlines():
            if _squeeze(line) not in corpus:
                raise ValueError(f"{name}: line not in {fields['source']}: {line[:60]!r}")
    gold = [parse_clause(text, line, name) for line in clauses.splitlines() if line.strip()]
    return {"id": name, "lang": lang, "split": fields["split"], "source": fields["source"],
            "outlet": fields["outlet"], "published": fields["published"],
            "published_from": fields["published_from"], "text": text, "clauses": gold}


def build(lang: str) -> list[dict[str, object]]:
    raw = (HERE / f"annotations.{lang}.txt").read_text(encoding="utf-8")
    records = [parse_section(s, lang) for s in re.split(r"^=== ", raw, flags=re.M)[1:]]
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{lang}: duplicate ids")
    return records


def main() -> None:
    for lang in ("fr", "en"):
        records = build(lang)
        with (HERE / f"{lang}.jsonl").open("w", encoding="utf-8") as out:
            for rec in records:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        counts = {s: sum(len(r["clauses"]) for r in records if r["split"] == s)  # type: ignore[arg-type]
                  for s in ("dev", "heldout")}
        print(f"{lang}: {len(records)} excerpts, clauses {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
