"""Duplicate clustering: the packed index pass 1 keeps of every seed, and the clusters decided
from it (merge_duplicates_v2; the similarity itself is dedup.py's)."""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa

from . import dedup, ids
from .model import Document

# -- the duplicate index: packed, a few hundred bytes per seed --------------------------------


class SeedIndex:
    """What duplicate detection needs of every seed, in packed arrays: the article ID's 64 bits,
    the packed richness, the doc_id and, for the seeds whose body is long enough to compare,
    its MinHash signature (dedup.SIGNATURE_BYTES) and position. Seeds that yield no article are
    kept (so positions match the seed order) but marked unusable."""

    def __init__(self) -> None:
        self.doc_ids: list[str] = []
        self.article_keys = array("Q")
        self.richness = array("q")
        self.usable = bytearray()
        self.signed = array("I")  # positions of the seeds with a signature, ascending
        self.signatures = bytearray()  # their signatures, in that order

    def __len__(self) -> int:
        return len(self.doc_ids)

    def add(self, doc_id: str, r: Document) -> None:
        self.doc_ids.append(doc_id)
        self.richness.append(r.richness)
        self.article_keys.append(0 if r.article_id is None else ids.article_key(r.article_id))
        self.usable.append(r.article_id is not None)

    def sign(self, signatures: list[bytes | None]) -> None:
        """The signatures of the usable seeds added so far, in order, signed as one batch
        (dedup.signatures)."""
        assert not self.signed, "signed twice"
        usable = [i for i, u in enumerate(self.usable) if u]
        for i, sig in zip(usable, signatures, strict=True):
            if sig is not None:
                self.signed.append(i)
                self.signatures += sig

    def extend(self, other: SeedIndex) -> None:
        self.signed.extend(p + len(self.doc_ids) for p in other.signed)
        self.signatures += other.signatures
        self.doc_ids += other.doc_ids
        self.article_keys += other.article_keys
        self.richness += other.richness
        self.usable += other.usable


@dataclass
class Clusters:
    """Duplicate clusters with more than one seed; any other seed is its own canonical copy."""

    canonical_of: dict[str, str] = field(default_factory=dict)  # member -> canonical doc_id
    members: dict[str, list[str]] = field(default_factory=dict)  # canonical -> all, canonical first
    article_of: dict[str, str] = field(default_factory=dict)  # member -> the article's ID
    similarity_of: dict[str, float] = field(default_factory=dict)  # duplicate -> to canonical
    renamed: dict[str, str] = field(default_factory=dict)  # canonical -> its article's new ID
    rules: Counter[str] = field(default_factory=Counter)

    def sources(self, doc_id: str) -> list[str]:
        return self.members.get(doc_id, [doc_id])

    # Computed once, when pass 2 first asks: clustering is complete by then.
    @cached_property
    def duplicates(self) -> pa.Array:
        """doc_ids of the copies that are not canonical, for vectorised lookups."""
        return pa.array(sorted(d for d, c in self.canonical_of.items() if d != c), pa.string())

    @cached_property
    def canonicals(self) -> pa.Array:
        return pa.array(sorted(self.members), pa.string())

    @cached_property
    def renamed_docs(self) -> pa.Array:
        """doc_ids of the canonical copies whose article ID pass 1 guessed wrong."""
        return pa.array(sorted(self.renamed), pa.string())


def cluster(index: SeedIndex) -> Clusters:
    """merge_duplicates_v2: seeds are one article when their bodies are nearly the same text
    (dedup_minhash_v1: estimated Jaccard similarity of their shingles at least the threshold),
    joined transitively. Candidate pairs come from sorted LSH band keys, never all pairs, and
    only the seeds that have a twin enter a union-find. The richest copy is canonical; ties go
    to the first doc_id. Each duplicate records its estimated similarity to the canonical copy,
    and the article keeps the canonical copy's ID."""
    c = Clusters()
    usable = np.frombuffer(bytes(index.usable), dtype=np.uint8).astype(bool)
    too_short = int(np.count_nonzero(usable)) - len(index.signed)
    rows = np.frombuffer(index.signed, dtype=np.uint32).astype(np.intp)
    signatures = np.frombuffer(index.signatures, dtype="<u2").reshape(-1, dedup.BINS)
    left, right = dedup.similar_pairs(signatures, dedup.settings().threshold)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in list(parent):
        groups.setdefault(find(i), []).append(i)
    canonical = usable.copy()  # the seeds whose rows pass 2 keeps
    for group in groups.values():
        seeds = rows[group].tolist()
        canon = max(seeds, key=lambda i: (index.richness[i], _neg(index.doc_ids[i])))
        cdoc = index.doc_ids[canon]
        c.members[cdoc] = [cdoc, *sorted(index.doc_ids[i] for i in seeds if i != canon)]
        aid_text = ids.article_from_key(index.article_keys[canon])
        sims = dedup.similarity(signatures[group], signatures[group[seeds.index(canon)]][None])
        for i, sim in zip(seeds, sims.tolist(), strict=True):
            c.canonical_of[index.doc_ids[i]] = cdoc
            c.article_of[index.doc_ids[i]] = aid_text
            if i != canon:
                c.similarity_of[index.doc_ids[i]] = sim
                canonical[i] = False
    _distinct_ids(index, canonical, c)
    c.rules.update(
        {
            dedup.TOO_SHORT_RULE: too_short,
            dedup.RULE: len(c.similarity_of),
            ids.COLLISION_RULE: len(c.renamed),
        }
    )
    c.rules = +c.rules  # only the rules that fired
    return c


def _distinct_ids(index: SeedIndex, canonical: np.ndarray, c: Clusters) -> None:
    """Two different articles may share title, page and opening words, hence an article ID:
    the first in seed order keeps it, every later one takes ids.distinct_article_id
    (article_id_collision_v1), and so do its duplicates. Found by sorting the canonical copies'
    article keys."""
    rows = np.flatnonzero(canonical)
    keys = np.frombuffer(index.article_keys, dtype=np.uint64)[rows]
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    for i in rows[order[1:][ordered[1:] == ordered[:-1]]].tolist():
        doc = index.doc_ids[i]
        aid = ids.distinct_article_id(ids.article_from_key(index.article_keys[i]), doc)
        c.renamed[doc] = aid
        for member in c.members.get(doc, ()):
            c.article_of[member] = aid


class _neg:
    """Reverse ordering for strings inside a max() key."""

    def __init__(self, s: str) -> None:
        self.s = s

    def __lt__(self, other: _neg) -> bool:
        return self.s > other.s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _neg) and self.s == other.s
