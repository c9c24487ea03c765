"""Rebuild en.jsonl and en_heldout.jsonl from the ECB+ articles and the hand annotations in
annotations.en.txt and annotations.en_heldout.txt.

Each article's text is read with `sitrep.eval.corpora.ecb_texts` (one sentence a line), then
the splits of ECB+'s tokenizer are undone where the original spelling is certain ("1: 30 a. m."
→ "1:30 a.m.", "90 - day" → "90-day", "U. S." → "U.S.", "2, 000" → "2,000", "it ’ s" → "it’s"),
and the lines that are not article text are dropped: the URL ECB+ keeps as a first sentence,
and the dateline (kept in the record's `dateline` field: it gives the reference date).

Each annotations.<name>.txt holds, under a header "# <document>", the lines
    published: YYYY-MM-DD
    dateline: <the dateline as printed>
    reason: <how the reference date was chosen>
    drop: <line numbers of the text to leave out, 0-based, comma-separated>
then one time expression a line:  text [#n] | TYPE | value
where #n is the n-th whole-word occurrence of `text` in the article (default 1).
Run: python tests/data/times/build.py            (writes <name>.jsonl for each annotations file)
     python tests/data/times/build.py --show ID  (prints an article with numbered lines)
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ECB = HERE.parents[3] / "shared" / "data" / "ecbplus"
TYPES = {"DATE", "TIME", "DURATION", "SET"}

# Undoing the tokenizer: each rule rejoins what it split, and nothing else.
_JOINS = [
    (re.compile(r"(\d): (\d\d)"), r"\1:\2"),  # "1: 30" clock times
    (re.compile(r"\b([aApP])\. ?([mM])\.?(?=\W|$)"), r"\1.\2."),  # "a. m." / "p. m"
    (re.compile(r"(?<![\w-])(\d{1,3}), (\d{3})(?!\d)"), r"\1,\2"),  # "2, 000", not "5-foot-8, 135"
    (re.compile(r"(\d)\. (\d)"), r"\1.\2"),  # "5. 9", "$2. 6 million"
    (re.compile(r"\b([A-Z])\. ([A-Z])\.(?= |$|,)"), r"\1.\2."),  # "U. S.", "L. A."
    (re.compile(r"(\w) ?([’']) ?(s|t|re|ve|ll|d|m)\b"), r"\1\2\3"),  # "it ’ s"
    (re.compile(r"(\w) - (?=\w)"), r"\1-"),  # "90 - day", "court - mandated"
    (re.compile(r" - - "), " -- "),
    (re.compile(r"“ "), "“"),
    (re.compile(r" ”"), "”"),
]


def _straight_quotes(line: str) -> str:
    """ECB+ leaves straight quotes standing apart: glue the odd ones to the word after, the even
    ones to the word before."""
    parts = line.split('"')
    if len(parts) < 3 or len(parts) % 2 == 0:
        return line
    out = parts[0]
    for i, part in enumerate(parts[1:], 1):
        if i % 2:  # opening quote: no space after it
            out = out + '"' + part.lstrip()
        else:
            out = out.rstrip() + '"' + part
    return out


def clean(line: str) -> str:
    for pattern, repl in _JOINS:
        for _ in range(3):  # "U. S. A." needs two passes
            line = pattern.sub(repl, line)
    return _straight_quotes(line)


@cache
def _texts() -> dict[str, str]:
    from sitrep.eval.corpora import ecb_texts

    return {t.name: t.text for t in ecb_texts(ECB)}


def article_lines(name: str) -> list[str]:
    text = _texts().get(name)
    if text is None:
        raise SystemExit(f"no ECB+ document {name}")
    return [clean(line) for line in text.split("\n")]


def parse(path: Path) -> dict[str, dict[str, object]]:
    docs: dict[str, dict[str, object]] = {}
    current: dict[str, object] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("# "):
            current = {"timexes": []}
            docs[line[2:].strip()] = current
            continue
        m = re.match(r"(published|dateline|reason|drop):\s*(.*)$", line)
        if m:
            current[m.group(1)] = m.group(2).strip()
            continue
        text, kind, value = (p.strip() for p in line.rsplit("|", 2))
        n = 1
        m = re.fullmatch(r"(.*?)\s+#(\d+)", text)
        if m:
            text, n = m.group(1), int(m.group(2))
        if kind not in TYPES:
            raise SystemExit(f"bad type {kind!r} in {raw!r}")
        timexes = current["timexes"]
        timexes.append({"text": text, "occurrence": n, "type": kind, "value": value})  # type: ignore[attr-defined]
    return docs


def occurrences(text: str, phrase: str) -> list[int]:
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    return [m.start() for m in pattern.finditer(text)]


def build(annotations: Path) -> list[dict[str, object]]:
    from sitrep.documents import normalize_text

    records = []
    for name, doc in parse(annotations).items():
        lines = article_lines(name)
        drop = {int(x) for x in str(doc.get("drop", "")).split(",") if x.strip()}
        # The text as sitrep normalises it, so that offsets need no mapping.
        text = normalize_text("\n".join(line for i, line in enumerate(lines) if i not in drop))
        timexes = []
        for t in doc["timexes"]:  # type: ignore[union-attr]
            found = occurrences(text, t["text"])
            if len(found) < t["occurrence"]:
                raise SystemExit(f"{name}: {t['text']!r} #{t['occurrence']} not in the text")
            start = found[t["occurrence"] - 1]
            timexes.append({**t, "start": start, "end": start + len(t["text"])})
        timexes.sort(key=lambda t: t["start"])
        for a, b in zip(timexes, timexes[1:]):
            if b["start"] < a["end"]:
                raise SystemExit(f"{name}: {a['text']!r} and {b['text']!r} overlap")
        records.append({
            "id": name, "lang": "en", "origin": f"shared/data/ecbplus/{name.split('_')[0]}/{name}.xml",
            "published": doc["published"], "dateline": doc.get("dateline"), "reason": doc.get("reason"),
            "text": text, "timexes": timexes,
        })
    return records


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--show":
        for i, line in enumerate(article_lines(sys.argv[2])):
            print(f"{i:3d} {line}")
        return
    for annotations in sorted(HERE.glob("annotations.*.txt")):
        name = annotations.name.split(".")[1]
        records = build(annotations)
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for r in records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}.jsonl: {len(records)} articles, {sum(len(r['timexes']) for r in records)} time expressions")


if __name__ == "__main__":
    main()
