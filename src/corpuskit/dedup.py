"""Near-duplicates by content only (dedup_minhash_v1).

Two seeds are one article when their bodies are nearly the same text: the Jaccard similarity of
their sets of word 5-shingles is at least ``[dedup] threshold`` in ``layouts/thresholds.toml``.
A shingle is five consecutive words of one line of the body (quotes straightened, case folded),
never running from one line into the next: a menu or link list of short lines then gives no
shingle at all, so page chrome that the extraction left in a body weighs little. Titles and
opening lines play no part beyond their own shingles.

* **Signature, per document (in the workers).** Every word is hashed with a polynomial hash
  mod 2**64 over its UTF-8 bytes, computed for all words at once from prefix sums (numpy, linear
  in the body), and every shingle by a polynomial in its five words' hashes, each scrambled with
  splitmix64's finaliser. A chunk's bodies are signed together, joined by LF. A one-permutation
  MinHash (Li, Owen & Zhang 2012) puts each hash in one of 128 bins by its top 7 bits (of 56)
  and keeps the smallest hash of each bin; empty bins borrow a filled bin's value along a fixed
  probe sequence (optimal densification, Shrivastava 2017), so two signatures agree in a bin
  with probability close to the Jaccard similarity. Only the lowest 16 bits of each bin's
  minimum are kept (b-bit minwise hashing, Li & König 2010): two different minima then agree by
  chance with probability 2**-16, which moves an estimate by less than 0.0001, and the signature
  is 256 bytes. Fixed constants throughout, never Python's ``hash()``: the same body gives the same
  signature in every process.
* **Candidates (in the parent).** The 128 bins are 32 bands of 4 bins, each band one 64-bit
  key. Seeds with the same key in a band are neighbours once the keys are sorted, and each is
  paired with the first of them, so each band gives at most n - 1 pairs, and never all pairs:
  n log n in all. A pair of similarity 0.8
  shares some band with probability 1 - (1 - 0.8**4)**32 > 0.999999.
* **Verification.** A candidate pair is merged only when the share of equal bins, the
  estimated Jaccard similarity, reaches the threshold. Bodies with fewer distinct shingles than
  ``[dedup] min_shingles`` are never compared (dedup_too_short_v2): on so little text one
  changed word would already put a true re-crawl under the threshold, and a shared sign-off
  would be most of the evidence. Nor are bodies of fewer than ``[dedup] min_lines`` lines: one
  or two paragraphs, however long, are as likely a blurb that a site prints on every page (an
  "About me" box, the site's description in its footer) that the extraction took for a page
  whose own text is a photo or a list, and two such pages would be merged as one article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np

from . import ids
from .layouts import thresholds

RULE = "dedup_minhash_v1"
TOO_SHORT_RULE = "dedup_too_short_v2"

SHINGLE_WORDS = 5
BINS = 128  # one-permutation MinHash bins: the estimate's standard error is sqrt(J(1-J)/128)
ROWS_PER_BAND = 4  # 4 bins of 16 bits = one 64-bit band key
BANDS = BINS // ROWS_PER_BAND
SIGNATURE_BYTES = BINS * 2
PROBES = 32  # densification attempts before an empty bin takes the next filled one

_P = 0x100000001B3  # odd, so invertible mod 2**64
_Q = pow(_P, -1, 1 << 64)
#: Bytes hashed at once: bounds the temporary arrays for huge bodies, and keeps the uint64 arrays
#: of a block (8 bytes a byte) within a core's L2 cache: 12% less CPU than 1 << 18 on a chunk.
_BLOCK = 1 << 16
_R = np.uint64(0x9E3779B97F4A7C15)  # odd: a shingle's hash, a polynomial in its words'
_SPACE, _LF = 0x20, 0x0A
_UNICODE_SPACE = re.compile(r"[^\S\n]")  # other white space, made a space before hashing


@dataclass(frozen=True)
class Settings:
    threshold: float
    min_shingles: int
    min_lines: int


def settings() -> Settings:
    """The ``[dedup]`` section of the thresholds file."""
    values = thresholds.section("dedup")
    return Settings(
        float(values["threshold"]), int(values["min_shingles"]), int(values["min_lines"])
    )


_C30, _C27, _C31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, elementwise on uint64 (wrapping), in place."""
    x ^= x >> _C30
    x *= _M1
    x ^= x >> _C27
    x *= _M2
    x ^= x >> _C31
    return x


class _Powers:
    """P**k and Q**k for k below the longest block seen so far (_BLOCK, or one longer word):
    grown by doubling, so a worker computes them a few times, never per document (1 MB); and
    the block's prefix sums, in one array kept from block to block (made anew for each, its
    512 kB made the heap give memory back to the system and take it again: page faults)."""

    def __init__(self) -> None:
        self.p = self.q = np.ones(1, dtype=np.uint64)
        self.sums = np.zeros(2, dtype=np.uint64)

    def upto(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """P**k and Q**k for k < n, and room for n + 1 prefix sums, the first 0."""
        if n > len(self.p):
            size = max(n, min(2 * len(self.p), _BLOCK), 1 << 16)  # n > _BLOCK: one word
            self.p, self.q = (np.full(size, b, dtype=np.uint64) for b in (_P, _Q))
            self.p[0] = self.q[0] = 1
            np.cumprod(self.p, out=self.p)
            np.cumprod(self.q, out=self.q)
            self.sums = np.zeros(size + 1, dtype=np.uint64)
        return self.p[:n], self.q[:n], self.sums[: n + 1]


_POWERS = _Powers()


def _span_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """sum(data[k] * Q**(k - s)) over k in [s, e) for every span (s < e): the same bytes give
    the same hash wherever they stand. Prefix sums of data[k] * Q**k, shifted back by P**s."""
    p, q, sums = _POWERS.upto(len(data))
    prefix = sums[1:]  # sums[k]: the sum over the k bytes before k (sums[0] stays 0)
    np.multiply(data, q, out=prefix)
    np.cumsum(prefix, out=prefix)
    return (sums[ends] - sums[starts]) * p[starts]  # type: ignore[no-any-return]


def _text_bytes(body: str) -> bytes:
    """The body's UTF-8 bytes with quotes straightened and case folded, and any white space but
    LF made an ASCII space, so that words are the runs of bytes above 0x20."""
    text = ids.fold(body)
    return (text if text.isascii() else _UNICODE_SPACE.sub(" ", text)).encode("utf-8")


def _word_spans(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each word starts, and where it ends (exclusive): words are the runs of bytes
    above 0x20, so white space and control characters separate them."""
    word = np.zeros(len(data) + 2, dtype=bool)  # a byte of a word, between two that are not
    np.greater(data, _SPACE, out=word[1:-1])
    edges = np.flatnonzero(word[1:] != word[:-1])  # where a word starts or ends
    return edges[0::2], edges[1::2]


def _after(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """For every word, how many of the (sorted) byte positions lie before it: words with the
    same count have none of them in between. Positions are few (line breaks, document starts),
    so they are looked up among the words, not the words among them."""
    marks = np.bincount(np.searchsorted(starts, positions), minlength=len(starts) + 1)
    return np.cumsum(marks[:-1])


def _shingles(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every word 5-shingle inside one line of ``data``: its 64-bit hash and its first word's
    start; and where every word starts. Each word is hashed from its bytes, and a shingle from
    its five words' hashes."""
    starts, ends = _word_spans(data)
    n = len(starts) + 1 - SHINGLE_WORDS
    if n <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp), starts
    line = _after(starts, np.flatnonzero(data == _LF))
    words = np.empty(len(starts), dtype=np.uint64)
    i = 0
    while i < len(starts):  # blocks of at most _BLOCK bytes, to bound the temporary arrays
        lo = starts[i]
        j = max(int(np.searchsorted(ends, lo + _BLOCK, side="right")), i + 1)
        words[i:j] = _span_hashes(data[lo : ends[j - 1]], starts[i:j] - lo, ends[i:j] - lo)
        i = j
    words = _mix(words)
    out = words[:n].copy()
    for k in range(1, SHINGLE_WORDS):
        out *= _R
        out += words[k : n + k]
    inside = line[:n] == line[SHINGLE_WORDS - 1 :]
    return _mix(out[inside]), starts[:n][inside], starts


def shingle_hashes(body: str) -> np.ndarray:
    """The 64-bit hashes of the body's word 5-shingles, sorted (a repeated shingle repeats).
    Words are the runs between white space of ``ids.fold(body)``, as in ``ids.normalize``; a
    shingle never runs from one line into the next."""
    h, _, _ = _shingles(np.frombuffer(_text_bytes(body), dtype=np.uint8))
    h.sort()
    return h


@cache
def _probe_table() -> np.ndarray:
    """For every bin, a fixed sequence of bins to borrow from when it is empty."""
    table = np.empty((BINS, PROBES), dtype=np.intp)
    for b in range(BINS):
        digest = hashlib.blake2b(f"{RULE}:probe:{b}".encode(), digest_size=PROBES).digest()
        table[b] = np.frombuffer(digest, dtype=np.uint8) % BINS
    return table


#: Bodies signed at once (their bins' minima, 1 kB a body, in one array).
BATCH = 256
_KEEP_SHIFT, _BIN_SHIFT = np.uint64(8), np.uint64(56 - 7)  # 56 bits kept, a bin is their top 7


def signatures(bodies: list[str]) -> list[bytes | None]:
    """Each body's 256-byte MinHash signature (128 little-endian uint16), or None when it has
    fewer distinct shingles than ``min_shingles`` or fewer lines than ``min_lines``
    (dedup_too_short_v2). The bodies are joined by
    LF (no shingle crosses one) and signed together, a few numpy calls per batch rather than
    per document; a body's signature does not depend on the others."""
    out: list[bytes | None] = []
    for at in range(0, len(bodies), BATCH):
        out += _signatures(bodies[at : at + BATCH])
    return out


#: Bytes of a batch's text shingled at a time: the arrays per word (~100 bytes a word, a word
#: being ~6 bytes) then never outgrow a few times this, however long one body is. Small enough
#: that those arrays (a few hundred kB) reuse the heap's memory from one segment to the next:
#: with 2 MB segments, glibc gave each batch's arrays of megabytes back to the system and took
#: them again, 11 page faults a document, a third of the signatures' CPU.
SEGMENT_BYTES = 1 << 17
_SEPARATOR = re.compile(rb"[\x00-\x20]")  # a byte that is no part of a word
_NO_HASH = np.uint64(2**64 - 1)  # above every kept hash (56 bits)


def _signatures(bodies: list[str], segment: int = SEGMENT_BYTES) -> list[bytes | None]:
    m = len(bodies)
    encoded = [_text_bytes(b) for b in bodies]
    first_byte = np.cumsum([0] + [len(e) + 1 for e in encoded[:-1]])
    joined = b"\n".join(encoded)
    del encoded
    # per document and bin (document * BINS + bin), the least hash (56 bits) seen so far; no
    # sort: a hash goes to its bin's minimum, and distinct shingles are counted only where
    # the filled bins leave it open (_enough)
    minima = np.full(m * BINS, _NO_HASH, dtype=np.uint64)
    shingles = np.zeros(m, dtype=np.intp)  # per document, its shingles (a repeated one repeats)
    for h, at in _segment_shingles(joined, segment):
        doc = _after(at, first_byte[1:])  # the documents that start before each shingle
        kept = h >> _KEEP_SHIFT
        np.minimum.at(minima, doc * BINS + (kept >> _BIN_SHIFT).astype(np.intp), kept)
        shingles += np.bincount(doc, minlength=m)
    filled = minima != _NO_HASH
    enough = _enough(joined, first_byte, shingles, filled.reshape(m, BINS).sum(axis=1), segment)
    values = (minima & np.uint64(0xFFFF)).astype("<u2")
    values[~filled] = 0
    del minima
    _densify(values, filled)
    rows = values.reshape(m, BINS)
    min_lines = settings().min_lines
    return [
        rows[i].tobytes() if enough[i] and _has_lines(bodies[i], min_lines) else None
        for i in range(m)
    ]


def _enough(
    joined: bytes, first_byte: np.ndarray, shingles: np.ndarray, bins: np.ndarray, segment: int
) -> np.ndarray:
    """Which documents have at least ``min_shingles`` distinct shingles (56-bit hashes). Their
    distinct hashes are at least their filled bins and at most their shingles, so only the
    few documents in between (short ones, or a text repeated) are shingled again, alone, and
    their distinct hashes counted."""
    least = max(settings().min_shingles, 1)
    enough = bins >= least
    view = memoryview(joined)
    for d in np.flatnonzero(~enough & (shingles >= least)).tolist():
        end = int(first_byte[d + 1]) - 1 if d + 1 < len(first_byte) else len(joined)
        # a segment at a time, the distinct hashes so far (fewer than `least`) kept: a long
        # text repeated is never held as all its hashes at once
        seen = np.empty(0, dtype=np.uint64)
        for h, _ in _segment_shingles(view[int(first_byte[d]) : end], segment):
            seen = np.unique(np.concatenate((seen, h >> _KEEP_SHIFT)))
            if len(seen) >= least:
                enough[d] = True
                break
    return enough  # type: ignore[no-any-return]


def _lines(body: str) -> int:
    """The body's non-blank lines (paragraphs are separated by one blank line)."""
    body = body.strip()
    return body.count("\n") + 1 - body.count("\n\n") if body else 0


def _has_lines(body: str, least: int) -> bool:
    """``_lines(body) >= least``, read from the body's first lines only: a run of k line breaks
    adds k - k // 2 >= k / 2 to the count, so one with 2 * (least - 1) line breaks has enough."""
    body = body.strip()
    at = -1
    for _ in range(2 * (least - 1)):
        at = body.find("\n", at + 1)
        if at < 0:
            return _lines(body) >= least
    return least <= 0 or bool(body)


def _segment_shingles(
    data: bytes | memoryview, size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The hashes of data's shingles and where each starts, about ``size`` bytes at a time. A
    segment ends before a separator byte, so its last word is whole, and the next one starts at
    its fourth word from the end: each shingle is in exactly one segment, all of its words with
    it, so the hashes are those of the whole text."""
    n, lo = len(data), 0
    while lo < n:
        hi = lo + size
        while True:
            cut = _SEPARATOR.search(data, hi) if hi < n else None
            hi = cut.start() if cut else n
            view = np.frombuffer(data, dtype=np.uint8, count=hi - lo, offset=lo)
            h, at, starts = _shingles(view)
            if hi == n or len(starts) > SHINGLE_WORDS:
                break
            hi += size  # too few words to move on by: a longer segment
        yield h, at + lo
        if hi == n:
            return
        lo += int(starts[-(SHINGLE_WORDS - 1)])


def _densify(values: np.ndarray, filled: np.ndarray) -> None:
    """Empty bins borrow the value of the first filled bin of the same document along their
    fixed probe sequence; the rare bin whose probes all miss takes the next filled bin."""
    empty = np.flatnonzero(~filled)
    table = _probe_table()
    for t in range(PROBES):
        if not len(empty):
            return
        source = empty - empty % BINS + table[empty % BINS, t]
        ok = filled[source]
        values[empty[ok]] = values[source[ok]]
        empty = empty[~ok]
    for cell in empty.tolist():  # rare: the next filled bin of the document, circularly
        base, row = cell - cell % BINS, filled[cell - cell % BINS : cell - cell % BINS + BINS]
        full = np.flatnonzero(row)
        if len(full):
            values[cell] = values[base + full[np.searchsorted(full, cell % BINS) % len(full)]]


def signature(body: str) -> bytes | None:
    """One body's signature (see :func:`signatures`)."""
    return signatures([body])[0]


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
    bands = np.ascontiguousarray(signatures).view("<u8")  # (n, BANDS)
    codes = []
    for band in range(BANDS):
        keys = bands[:, band]
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


def similar_pairs(signatures: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs whose estimated similarity reaches the threshold."""
    left, right = candidate_pairs(signatures)
    keep_l, keep_r = [], []
    for at in range(0, len(left), VERIFY_BATCH):
        i, j = left[at : at + VERIFY_BATCH], right[at : at + VERIFY_BATCH]
        ok = similarity(signatures[i], signatures[j]) >= threshold
        keep_l.append(i[ok])
        keep_r.append(j[ok])
    if not keep_l:
        e = np.empty(0, dtype=np.int64)
        return e, e
    return np.concatenate(keep_l), np.concatenate(keep_r)
