"""Rebuild en.jsonl, fr.jsonl, fr_web.jsonl, fr_heldout.jsonl, en_heldout.jsonl and the held-out
sets fr_heldout2.jsonl and en_heldout2.jsonl from their texts and the hand annotations.

The annotations (annotations.<lang>.txt) are written by hand, one attribution a line:
    speaker || cue || content || d|i
under a "# <document>" header; "-" marks a missing speaker or cue, "a ~ b" gives two acceptable
speaker mentions, and "[...]" in a content stands for the words between its two ends. The texts
come from ../../../../shared/data (FR-TimeBank, ECB+) and the shared example, rebuilt here so
that the gold holds exact substrings. fr_web.jsonl is built from texts.fr_web.txt: excerpts of
French-language news pages, one a section "=== <document>" with url/outlet/style/published lines,
a blank line, then the text (one paragraph a line), annotated in annotations.fr_web.txt.
fr_heldout.jsonl, en_heldout.jsonl, fr_heldout2.jsonl and en_heldout2.jsonl are built the same way
from texts.<name>.txt and annotations.<name>.txt. Every record says its "split": "dev" for the sets
that rules were written against (fr_heldout and en_heldout among them since their errors were used
for rules), "heldout" for the sets annotated afterwards and scored once (the scorer never pools them).
Run: python tests/data/attribution/build.py
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
# Outlet style of each English document: from its URL where ECB+ gives one, else read from the
# text (house style, bylines, spelling) by the annotator.
EN_STYLE = {
    "1_10ecb": "celebrity news site", "1_11ecb": "celebrity blog", "13_3ecb": "TV news site",
    "14_4ecb": "British broadcaster site", "18_2ecb": "regional daily (Canada)", "18_4ecb": "wire (Canadian Press)",
    "27_4ecb": "British broadsheet", "32_1ecb": "regional tabloid (Boston)", "9_2ecb": "US broadsheet",
    "30_1ecb": "wire (AFP)", "21_3ecbplus": "tabloid (nydailynews.com)",
    "30_10ecbplus": "tech news site (mybroadband.co.za)",
    "2_5ecb": "wire (Reuters)", "12_8ecb": "TV news site (CNN)",
}
_QUOTE_TOKENS = {"``", "''", '"'}


def _quotes(tokens: list[str], state: list[bool]) -> list[str]:
    """ECB+ writes quotes as `` and ''; its tokenizer mixes them up: choose by position."""
    out = []
    for i, tok in enumerate(tokens):
        if tok not in _QUOTE_TOKENS:
            out.append(tok)
            continue
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if prev is None and nxt is not None:
            opening = True
        elif nxt is None or nxt in {".", ",", ";", ":", "?", "!", ")"}:
            opening = False
        elif prev in {",", ".", "?", "!", "...", "--"} and nxt[:1].islower():
            opening = False
        elif tok == "``":
            opening = not state[0] if state[0] and prev in {",", "."} else True
        elif tok == "''":
            opening = False
        else:
            opening = not state[0]
        state[0] = opening
        out.append("“" if opening else "”")
    return out


def _detok(tokens: list[str], state: list[bool]) -> str:
    s = " ".join(_quotes(tokens, state))
    s = re.sub(r"“\s+", "“", s)
    s = re.sub(r"\s+”", "”", s)
    s = re.sub(r"\s+([,.:;?!%])", r"\1", s)
    s = re.sub(r"\s+('s|'re|'ve|'ll|'d|'m|n't)\b", r"\1", s)
    s = re.sub(r"\(\s+", "(", s)
    s = re.sub(r"\s+\)", ")", s)
    return re.sub(r"\$\s+", "$", s)


def ecb_text(name: str) -> str:
    topic = name.split("_")[0]
    root = ElementTree.parse(SHARED / "data" / "ecbplus" / topic / f"{name}.xml").getroot()
    sents: dict[int, list[str]] = {}
    for tok in root.iter("token"):
        sents.setdefault(int(tok.get("sentence", "0")), []).append(tok.text or "")
    state = [False]
    lines = [_detok(sents[k], state) for k in sorted(sents)]
    if lines and lines[0].startswith("http"):
        lines = lines[1:]  # the URL ECB+ keeps as a first sentence is not article text
    out, para = [], []
    for line in lines:
        if not re.search(r"[.?!”\"]$", line):  # a headline or dateline stands on its own line
            if para:
                out.append(" ".join(para))
                para = []
            out.append(line)
        else:
            para.append(line)
    if para:
        out.append(" ".join(para))
    return "\n".join(out)


def timebank(name: str) -> tuple[str, str]:
    raw = (SHARED / "data" / "fr-timebank" / f"{name}.tml").read_text(encoding="utf-8")
    dct = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="([\d-]+)"', raw)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    assert body is not None
    return html.unescape(re.sub(r"<[^>]+>", "", body.group(1))).strip(), dct.group(1) if dct else ""


def expand(text: str, content: str) -> str:
    if "[...]" not in content:
        return content
    head, tail = (p.strip() for p in content.split("[...]"))
    start = text.find(head)
    end = text.find(tail, start + len(head))
    if start < 0 or end < 0:
        raise ValueError(f"cannot expand {content!r}")
    return text[start:end + len(tail)]


def parse(path: Path) -> dict[str, list[dict[str, object]]]:
    docs: dict[str, list[dict[str, object]]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            current = line[2:].strip()
            docs[current] = []
        elif line.strip():
            speaker, cue, content, kind = (p.strip() for p in line.split("||"))
            docs[current].append({
                "speaker": None if speaker == "-" else [s.strip() for s in speaker.split("~")],
                "cue": None if cue == "-" else cue, "content": content, "direct": kind == "d",
            })
    return docs


def build(lang: str) -> list[dict[str, object]]:
    records = []
    for name, items in parse(HERE / f"annotations.{lang}.txt").items():
        if name == "nk-troops-russia":
            text = (SHARED / "examples" / "nk-troops-russia.fr.txt").read_text(encoding="utf-8")
            published = "2024-10-23"
            origin, style = "shared/examples/nk-troops-russia.fr.txt", "online news with embedded post"
        elif lang == "fr":
            text, published = timebank(name)
            origin, style = f"shared/data/fr-timebank/{name}.tml", "regional daily (Est Républicain)"
        else:
            text, published = ecb_text(name), ""
            origin, style = f"shared/data/ecbplus/{name.split('_')[0]}/{name}.xml", EN_STYLE[name]
        for item in items:
            item["content"] = expand(text, str(item["content"]))
            for field in ("content", "cue"):
                if item[field] is not None and str(item[field]) not in text:
                    raise ValueError(f"{name}: {field} {item[field]!r} not in text")
            for s in item["speaker"] or []:  # type: ignore[union-attr]
                if s not in text:
                    raise ValueError(f"{name}: speaker {s!r} not in text")
        records.append({"id": name, "lang": lang, "origin": origin, "style": style,
                        "published": published or None, "text": text, "attributions": items})
    return records


def web_texts(path: Path) -> dict[str, dict[str, str]]:
    """The "=== <document>" sections of a texts file: header fields, then the text."""
    docs: dict[str, dict[str, str]] = {}
    for section in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        name, rest = section.split("\n", 1)
        header, text = rest.split("\n\n", 1)
        fields = dict(line.split(": ", 1) for line in header.splitlines())
        fields["text"] = text.strip()
        docs[name.strip()] = fields
    return docs


def build_web(name: str) -> list[dict[str, object]]:
    texts = web_texts(HERE / f"texts.{name}.txt")
    annotations = parse(HERE / f"annotations.{name}.txt")
    if set(texts) != set(annotations):
        raise ValueError(f"{name}: texts and annotations name different documents: "
                         f"{sorted(set(texts) ^ set(annotations))}")
    records = []
    for doc, meta in texts.items():
        text, items = meta["text"], annotations[doc]
        for item in items:
            item["content"] = expand(text, str(item["content"]))
            for field in ("content", "cue"):
                if item[field] is not None and str(item[field]) not in text:
                    raise ValueError(f"{doc}: {field} {item[field]!r} not in text")
            for s in item["speaker"] or []:  # type: ignore[union-attr]
                if s not in text:
                    raise ValueError(f"{doc}: speaker {s!r} not in text")
        published = meta.get("published", "-")
        records.append({"id": doc, "lang": name.split("_")[0], "origin": meta["url"], "outlet": meta["outlet"],
                        "style": meta["style"], "published": None if published == "-" else published,
                        "text": text, "attributions": items})
    return records


def main() -> None:
    builds = [(lang, build, "dev") for lang in ("en", "fr")] + [("fr_web", build_web, "dev")]
    # the first held-out sets became development data once rules were written from their errors
    builds += [(name, build_web, "dev") for name in ("fr_heldout", "en_heldout")]
    builds += [(name, build_web, "heldout") for name in ("fr_heldout2", "en_heldout2")]
    for lang, make, split in builds:
        records = make(lang)
        with (HERE / f"{lang}.jsonl").open("w", encoding="utf-8") as out:
            for rec in records:
                rec["split"] = split
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n = sum(len(r["attributions"]) for r in records)  # type: ignore[arg-type]
        print(f"{lang}: {len(records)} documents, {n} attributions ({split})", file=sys.stderr)


if __name__ == "__main__":
    main()
