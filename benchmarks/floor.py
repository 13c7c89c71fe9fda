"""The I/O floor: read every seed and write one zstd Parquet table of (file_name, text).

    python -m benchmarks.floor SEEDS OUT.parquet

No build can do less than this, so build and validate times are reported as multiples of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def floor(seeds: Path, out: Path) -> int:
    names, texts = [], []
    for p in sorted(seeds.rglob("*")):
        if p.is_file():
            names.append(p.relative_to(seeds).as_posix())
            texts.append(p.read_bytes().decode("utf-8", errors="replace"))
    pq.write_table(pa.table({"file_name": names, "text": texts}), out, compression="zstd")
    return len(names)


if __name__ == "__main__":
    print(floor(Path(sys.argv[1]), Path(sys.argv[2])))
