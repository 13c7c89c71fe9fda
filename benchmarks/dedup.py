"""How many bytes of the Parquet files a one-seed change leaves for the Hub to store and upload.

    python -m benchmarks.dedup --docs 3000 [--work DIR]

Generates a synthetic corpus and builds it; then, one change at a time, removes one seed from the
middle (a takedown), adds one there, or appends a paragraph to one, builds again, and counts the
bytes of the new version's Parquet files that a content-addressed store already holds from the
first. Files are cut as the Hub's storage (Xet) cuts them: a gear rolling
hash over the bytes, a boundary where its top 16 bits are zero (64 KiB chunks on average), no
chunk under 8 KiB or over 128 KiB. (The gear table is a seeded random one, not Xet's own; the
statistics are the same.) Both builds are made twice: with content-defined chunking of the Parquet
pages, as the writer does, and without, as before.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from .generate import generate

MIN_CHUNK, TARGET_BITS, MAX_CHUNK = 8 * 1024, 16, 128 * 1024
_GEAR = np.random.default_rng(0x5EED).integers(0, 2**64, size=256, dtype=np.uint64)


def chunks(data: bytes) -> list[bytes]:
    """Content-defined chunks of ``data``. The gear hash at a byte depends only on the 64 bytes
    ending there (older ones are shifted out), so it is computed for every position at once, as
    a sum of 64 shifted gear values."""
    b = np.frombuffer(data, dtype=np.uint8)
    g = _GEAR[b]
    h = np.zeros(len(b), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(64):
            h[k:] += g[: len(b) - k] << np.uint64(k)
    mask = np.uint64(((1 << TARGET_BITS) - 1) << (64 - TARGET_BITS))
    candidates = np.flatnonzero((h & mask) == 0) + 1  # a chunk ends after such a byte
    out, start, i = [], 0, 0
    while start < len(b):
        while i < len(candidates) and candidates[i] - start < MIN_CHUNK:
            i += 1
        end = int(candidates[i]) if i < len(candidates) else len(b)
        end = min(end, start + MAX_CHUNK, len(b))
        out.append(data[start:end])
        start = end
    return out


def parquet_chunks(dist: Path) -> list[bytes]:
    return [c for f in sorted(dist.glob("data/*/*.parquet")) for c in chunks(f.read_bytes())]


def new_bytes(old: Path, new: Path) -> tuple[int, int]:
    """(bytes of the new version's Parquet files, bytes of them in chunks the old lacks)."""
    known = {hashlib.sha256(c).digest() for c in parquet_chunks(old)}
    cs = parquet_chunks(new)
    return sum(map(len, cs)), sum(len(c) for c in cs if hashlib.sha256(c).digest() not in known)


def _build(seeds: Path, out: Path, cdc: bool) -> None:
    from corpuskit import writers
    from corpuskit.build import build

    writers.PARQUET_OPTIONS["use_content_defined_chunking"] = cdc
    build(seeds, out, workers=1)


def _remove(seeds: Path, seed: Path) -> None:
    seed.unlink()


def _add(seeds: Path, seed: Path) -> None:
    """A new seed that sorts right after ``seed`` (rows are in seed order): a copy of another
    seed's text with one paragraph more, so it is not merged as a duplicate."""
    donor = sorted(seeds.rglob("*.txt"))[7]
    text = donor.read_text(encoding="utf-8") + "\n\nA paragraph only the new seed has.\n"
    seed.with_name(seed.stem + "a.txt").write_text(text, encoding="utf-8")


def _edit(seeds: Path, seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text + "\n\nOne more paragraph, added in the new version.\n", encoding="utf-8")


CHANGES = {"remove one seed": _remove, "add one seed": _add, "edit one seed": _edit}


def measure(docs: int, work: Path) -> dict[str, object]:
    base = work / "seeds"
    generate(base, docs, seed=7, dup_rate=0.0)
    for cdc in (True, False):
        _build(base, work / f"v1-{cdc}", cdc)
    result: dict[str, object] = {"docs": docs}
    for name, change in CHANGES.items():
        seeds = work / "changed"
        shutil.rmtree(seeds, ignore_errors=True)
        shutil.copytree(base, seeds)
        files = sorted(seeds.rglob("*.txt"))
        change(seeds, files[len(files) // 2])
        row: dict[str, object] = {}
        for cdc in (True, False):
            _build(seeds, work / f"v2-{cdc}", cdc)
            total, fresh = new_bytes(work / f"v1-{cdc}", work / f"v2-{cdc}")
            row["cdc" if cdc else "no_cdc"] = {
                "parquet_bytes": total,
                "new_bytes": fresh,
                "shared_percent": round(100 * (total - fresh) / total, 1),
            }
        result[name] = row
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--work", type=Path, default=None, help="folder to work in (default: temp)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="corpuskit-dedup-"))
    try:
        print(json.dumps(measure(args.docs, work), indent=2))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
