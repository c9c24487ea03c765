"""Which reports of a story are independent sources, and which only repeat another.

Corroboration needs independent voices. Two kinds of dependence are recognised:

- copies: the same text (one content hash, hence one document with several sightings) or a
  near-duplicate of it — a wire story syndicated by several outlets with a new headline or a
  trimmed paragraph. Near-duplicates are found by MinHash over word 4-gram shingles: resemblance
  (estimated Jaccard) or containment of the shorter text in the longer;
- relays: a document whose every report on the story comes from named sources (Zelensky, an
  agency, a post) that an already counted document also cites adds no new voice.

A document that says something in its own voice, or through a source only it has, counts.
Anonymous sources cannot be matched across documents, so they count as the document's own.
What this module must not do: judge whether sources are right; that is for the reader.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Signature", "signature", "resemblance", "containment", "near_duplicate", "DocVoices",
           "SourceGroup", "independent_groups", "NUM_PERM"]

NUM_PERM = 64
SHINGLE = 4
RESEMBLANCE = 0.5  # estimated Jaccard of shingles at or above which two texts are one text
CONTAINMENT = 0.8  # share of the shorter text's shingles found in the longer one
_MIN_SHINGLES = 20  # below this, containment says little

_WORD = re.compile(r"\w+")
_PRIME = np.uint64((1 << 31) - 1)  # a Mersenne prime: a·x + b stays below 2^63 for a, x < 2^31
_rng = np.random.default_rng(20241023)  # fixed: signatures must be comparable across runs
_A = _rng.integers(1, (1 << 31) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, size=NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True)
class Signature:
    size: int  # number of distinct shingles
    mins: tuple[int, ...]

    def to_bytes(self) -> bytes:
        return np.array((self.size, *self.mins), dtype=np.uint32).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Signature":
        values = np.frombuffer(data, dtype=np.uint32)
        return cls(int(values[0]), tuple(int(v) for v in values[1:]))


def signature(text: str) -> Signature:
    """MinHash signature of the text's word 4-grams (case-folded)."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles)) % _PRIME
    # Universal hashing (a·x + b mod p) as NUM_PERM independent permutations of the shingles.
    permuted = (hashes[None, :] * _A[:, None] + _B[:, None]) % _PRIME
    mins = permuted.min(axis=1).astype(np.uint32)
    return Signature(len(shingles), tuple(int(m) for m in mins))


def resemblance(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return sum(x == y for x, y in zip(a.mins, b.mins)) / len(a.mins)


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the smaller text's shingles that the other text holds."""
    j = resemblance(a, b)
    shared = j * (a.size + b.size) / (1 + j)
    return min(1.0, shared / max(1, min(a.size, b.size)))


def near_duplicate(a: Signature, b: Signature) -> bool:
    if resemblance(a, b) >= RESEMBLANCE:
        return True
    return min(a.size, b.size) >= _MIN_SHINGLES and containment(a, b) >= CONTAINMENT


@dataclass(frozen=True)
class DocVoices:
    """What one document brings to a story."""

    document: str
    signature: Signature | None
    published: str | None = None
    channels: frozenset[str] = frozenset()  # keys of the named sources it cites in the story
    own: bool = False  # it states something itself, or through a source only it can have


@dataclass
class SourceGroup:
    documents: list[str]
    independent: bool
    reason: str  # why it counts, or what it repeats
    channels: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, object]:
        return {"documents": self.documents, "independent": self.independent, "reason": self.reason}


def _copies(docs: Sequence[DocVoices]) -> list[list[int]]:
    """Connected components of the near-duplicate relation."""
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(docs):
        for j in range(i + 1, len(docs)):
            b = docs[j]
            if a.document == b.document or (
                a.signature is not None and b.signature is not None and near_duplicate(a.signature, b.signature)
            ):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def independent_groups(docs: Sequence[DocVoices], names: dict[str, str] | None = None) -> list[SourceGroup]:
    """Group the documents of a story into sources; `independent` marks those that count.
    `names` maps channel keys to the names the reasons show."""
    names = names or {}

    def named(keys: set[str]) -> str:
        return ", ".join(sorted(names.get(k, k) for k in keys))

    groups: list[SourceGroup] = []
    members = _copies(docs)
    # Documents with their own voice first, then earliest first: the first to tell keeps it.
    members.sort(key=lambda g: (not any(docs[i].own for i in g), min(docs[i].published or "9999" for i in g),
                                min(docs[i].document for i in g)))
    heard: set[str] = set()
    for group in members:
        ordered = sorted(group, key=lambda i: (docs[i].published or "9999", docs[i].document))
        ids = [docs[i].document for i in ordered]
        channels = set().union(*(docs[i].channels for i in group))
        own = any(docs[i].own for i in group)
        copy_note = f"copies of one text ({len(ids)})" if len(ids) > 1 else ""
        if own or not channels <= heard:
            reason = "own reporting" if own else "cites " + named(channels - heard)
            groups.append(SourceGroup(ids, True, "; ".join(filter(None, [reason, copy_note])), channels))
        else:
            reason = "relays only sources cited elsewhere: " + named(channels)
            groups.append(SourceGroup(ids, False, "; ".join(filter(None, [reason, copy_note])), channels))
        heard |= channels
    return groups
