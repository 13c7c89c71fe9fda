"""Near-duplicates by content only (dedup_minhash_v1).

Two seeds are one article when their bodies are nearly the same text: the Jaccard similarity of
their sets of word 5-shingles is at least ``[dedup] threshold`` in ``layouts/thresholds.toml``.
A shingle is five consecutive words of one line of ``ids.normalize_lines(body)``, never running
from one line into the next: a menu or link list of short lines then gives no shingle at all, so
page chrome that the extraction left in a body weighs little. Titles and opening lines play no
part beyond their own shingles.

* **Signature, per document (in the workers).** Every shingle is hashed with a polynomial
  hash mod 2**64 over its UTF-8 bytes, computed for all shingles at once from prefix sums (numpy,
  linear in the body), then scrambled with splitmix64's finaliser. A one-permutation MinHash
  (Li, Owen & Zhang 2012) puts each hash in one of 128 bins by its top 7 bits and keeps the
  smallest hash of each bin; empty bins borrow a filled bin's value along a fixed probe sequence
  (optimal densification, Shrivastava 2017), so two signatures agree in a bin with probability
  close to the Jaccard similarity. Only the lowest 16 bits of each bin's minimum are kept
  (b-bit minwise hashing, Li & König 2010): two different minima then agree by chance with
  probability 2**-16, which moves an estimate by less than 0.0001, and the signature is 256
  bytes. Fixed constants throughout, never Python's ``hash()``: the same body gives the same
  signature in every process.
* **Candidates (in the parent).** The 128 bins are 32 bands of 4 bins, each band one 64-bit
  key. Seeds with the same key in a band are neighbours once the keys are sorted, so each band
  gives at most n - 1 pairs, and never all pairs: n log n in all. A pair of similarity 0.8
  shares some band with probability 1 - (1 - 0.8**4)**32 > 0.999999.
* **Verification.** A candidate pair is merged only when the share of equal bins, the
  estimated Jaccard similarity, reaches the threshold. Bodies with fewer distinct shingles than
  ``[dedup] min_shingles`` are never compared (dedup_too_short_v1): on so little text one
  changed word would already put a true re-crawl under the threshold, and a shared sign-off
  would be most of the evidence.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from . import ids

RULE = "dedup_minhash_v1"
TOO_SHORT_RULE = "dedup_too_short_v1"

SHINGLE_WORDS = 5
BINS = 128  # one-permutation MinHash bins: the estimate's standard error is sqrt(J(1-J)/128)
BIN_SHIFT = 64 - 7  # a hash's bin is its top 7 bits
ROWS_PER_BAND = 4  # 4 bins of 16 bits = one 64-bit band key
BANDS = BINS // ROWS_PER_BAND
SIGNATURE_BYTES = BINS * 2
PROBES = 32  # densification attempts before an empty bin takes the next filled one

_P = 0x100000001B3  # odd, so invertible mod 2**64
_Q = pow(_P, -1, 1 << 64)
_BLOCK = 1 << 20  # bytes hashed at once: bounds the temporary arrays for a huge body
_SPACE, _LF = 0x20, 0x0A

THRESHOLDS = Path(__file__).resolve().parent / "layouts" / "thresholds.toml"


@dataclass(frozen=True)
class Settings:
    threshold: float
    min_shingles: int


@cache
def settings(path: Path = THRESHOLDS) -> Settings:
    """The ``[dedup]`` section of the thresholds file."""
    with open(path, "rb") as f:
        section = tomllib.load(f)["dedup"]
    return Settings(float(section["threshold"]), int(section["min_shingles"]))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, elementwise on uint64 (wrapping)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class _Powers:
    """P**k and Q**k for k below the longest block seen so far (at most _BLOCK): grown by
    doubling, so a worker computes them a few times, never per document."""

    def __init__(self) -> None:
        self.p = self.q = np.ones(1, dtype=np.uint64)

    def upto(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if n > len(self.p):
            size = min(max(n, 2 * len(self.p), 4096), _BLOCK)
            self.p, self.q = (np.full(size, b, dtype=np.uint64) for b in (_P, _Q))
            self.p[0] = self.q[0] = 1
            np.cumprod(self.p, out=self.p)
            np.cumprod(self.q, out=self.q)
        return self.p[:n], self.q[:n]


_POWERS = _Powers()


def _span_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """sum(data[k] + 1) * Q**(k - s) over k in [s, e) for every span: the same bytes give the
    same hash wherever they stand. Prefix sums of (data[k] + 1) * Q**k, shifted back by P**s."""
    m = len(data)
    p, q = _POWERS.upto(m)
    prefix = np.zeros(m + 1, dtype=np.uint64)
    np.cumsum((data + np.uint64(1)) * q, out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * p[starts]


def shingle_hashes(lines: str) -> np.ndarray:
    """The 64-bit hashes of the word 5-shingles of ``ids.normalize_lines(body)``, sorted (a
    repeated shingle repeats). Words are separated by one space, lines by one LF, and a shingle
    never runs from one line into the next."""
    data = np.frombuffer(lines.encode("utf-8"), dtype=np.uint8)
    seps = np.flatnonzero((data == _SPACE) | (data == _LF))
    n = len(seps) + 2 - SHINGLE_WORDS
    if not len(data) or n <= 0:
        return np.empty(0, dtype=np.uint64)
    breaks = np.zeros(len(seps) + 1, dtype=np.intp)
    np.cumsum(data[seps] == _LF, out=breaks[1:])
    inside = breaks[SHINGLE_WORDS - 1 :] == breaks[:n]  # no LF among a shingle's separators
    starts = np.concatenate(([0], seps[: n - 1] + 1))[inside]
    ends = np.concatenate((seps[SHINGLE_WORDS - 1 :], [len(data)]))[inside]
    out = np.empty(len(starts), dtype=np.uint64)
    i = 0
    while i < len(starts):  # one block for any body under a megabyte
        lo = starts[i]
        j = max(int(np.searchsorted(ends, lo + _BLOCK, side="right")), i + 1)
        hi = ends[j - 1]
        out[i:j] = _span_hashes(data[lo:hi], starts[i:j] - lo, ends[i:j] - lo)
        i = j
    out = _mix(out)
    out.sort()
    return out


@cache
def _probe_table() -> np.ndarray:
    """For every bin, a fixed sequence of bins to borrow from when it is empty."""
    table = np.empty((BINS, PROBES), dtype=np.intp)
    for b in range(BINS):
        digest = hashlib.blake2b(f"{RULE}:probe:{b}".encode(), digest_size=PROBES).digest()
        table[b] = np.frombuffer(digest, dtype=np.uint8) % BINS
    return table


def signature(body: str) -> bytes | None:
    """The body's 256-byte MinHash signature (128 little-endian uint16), or None when it has
    fewer distinct shingles than ``min_shingles`` (dedup_too_short_v1)."""
    h = shingle_hashes(ids.normalize_lines(body))
    if len(h) == 0 or 1 + np.count_nonzero(h[1:] != h[:-1]) < settings().min_shingles:
        return None
    bins = (h >> np.uint64(BIN_SHIFT)).astype(np.intp)
    first = np.ones(len(h), dtype=bool)
    first[1:] = bins[1:] != bins[:-1]  # h is sorted: a bin's first hash is its smallest
    values = np.zeros(BINS, dtype="<u2")
    values[bins[first]] = (h[first] & np.uint64(0xFFFF)).astype("<u2")
    filled = np.zeros(BINS, dtype=bool)
    filled[bins[first]] = True
    empty = np.flatnonzero(~filled)
    table = _probe_table()
    for t in range(PROBES):
        if not len(empty):
            break
        source = table[empty, t]
        ok = filled[source]
        values[empty[ok]] = values[source[ok]]
        empty = empty[~ok]
    if len(empty):  # rare: the next filled bin, circularly
        full = np.flatnonzero(filled)
        values[empty] = values[full[np.searchsorted(full, empty) % len(full)]]
    return values.tobytes()


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of signature rows a[i] and b[i] (uint16 arrays, BINS wide):
    the share of bins that agree."""
    return (a == b).sum(axis=1) / BINS  # type: ignore[no-any-return]


def candidate_pairs(signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of rows that agree in all bins of some band: per band, the rows with equal
    keys (neighbours once the keys are sorted) are each paired with the first of them, so a band
    gives at most n - 1 pairs, and which pairs does not depend on how the sort orders ties.
    Each pair once, sorted."""
    n = len(signatures)
    if n < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    bands = np.ascontiguousarray(signatures).view("<u8").T.copy()  # (BANDS, n)
    codes = []
    for keys in bands:
        order = np.argsort(keys)
        ordered = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        sizes = np.diff(np.append(starts, n))
        if (sizes == 1).all():
            continue
        first = np.repeat(np.minimum.reduceat(order, starts), sizes)
        mate = order != first
        codes.append(first[mate].astype(np.int64) * n + order[mate])
    if not codes:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    pairs = np.unique(np.concatenate(codes))
    return pairs // n, pairs % n


#: Candidate pairs verified at once, to bound the temporary arrays.
VERIFY_BATCH = 1 << 16


def similar_pairs(
    signatures: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs whose estimated similarity reaches the threshold, with that similarity."""
    left, right = candidate_pairs(signatures)
    keep_l, keep_r, keep_s = [], [], []
    for at in range(0, len(left), VERIFY_BATCH):
        i, j = left[at : at + VERIFY_BATCH], right[at : at + VERIFY_BATCH]
        s = similarity(signatures[i], signatures[j])
        ok = s >= threshold
        keep_l.append(i[ok])
        keep_r.append(j[ok])
        keep_s.append(s[ok])
    if not keep_l:
        e = np.empty(0, dtype=np.int64)
        return e, e, np.empty(0)
    return np.concatenate(keep_l), np.concatenate(keep_r), np.concatenate(keep_s)
