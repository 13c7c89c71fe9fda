"""Benchmark: extraction on real pages, scored by the development set's own scorer.

    python -m benchmarks.extraction DEV_SET [--workers N] [--out DIR]

DEV_SET is a development-set folder: ``pages/`` (one rendered page per file, in subset folders),
``gold.jsonl`` and ``score.py``. The set is built with the real builder (``build_dataset.py build
--skip-invalid``) into a temporary folder (or --out), then scored with its ``score.py``. Printed:
score.py's own table (body F1, precision and recall per subset and overall, beside the same F1
of the whole page text, titles and comments), the same figures as a Markdown table for
BENCHMARKS.md, and the build's pages per second (wall time of the build process, pages in the
page cache first, with the worker count). Nothing of the development set is copied anywhere but
the build folder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .run import REPO, warm

#: What a development-set folder holds.
PARTS = (("pages", "folder of rendered pages"), ("gold.jsonl", "gold file"), ("score.py", "scorer"))


def check_dev_set(folder: Path) -> str | None:
    """Why ``folder`` is not a development set, in one message; None when it is one."""
    if not folder.is_dir():
        return f"{folder}: not a folder, so not a development set"
    missing = [
        f"{name} ({what})"
        for name, what in PARTS
        if not ((folder / name).is_dir() if name == "pages" else (folder / name).is_file())
    ]
    if missing:
        return f"{folder}: not a development set: no {', no '.join(missing)}"
    return None


@dataclass
class Build:
    seconds: float
    pages: int
    workers: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def build(dev: Path, out: Path, workers: int) -> Build:
    warm(dev / "pages")
    cmd = [sys.executable, "build_dataset.py", "build", "--seeds", str(dev / "pages")]
    cmd += ["--out", str(out), "--skip-invalid", "--workers", str(workers)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"the build failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    stats = json.loads((out / "build_stats.json").read_text(encoding="utf-8"))
    return Build(seconds, int(stats["seeds"]), workers)


def score(dev: Path, out: Path) -> str:
    proc = subprocess.run(
        [sys.executable, str(dev / "score.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"score.py failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout


COLUMNS = ("subset", "pages", "ok", "dup", "rej", "miss", "F1", "P", "R", "whole", "titles")
COMMENT_COLUMNS = ("comments", "authors", "rows")


def parse_table(text: str) -> list[dict[str, str]]:
    """The rows of score.py's table: its columns by name, as printed."""
    rows = []
    for line in text.splitlines():
        groups = [g.split() for g in line.split("|")]
        if len(groups) != 4 or len(groups[0]) != 6 or groups[0][0] == "subset":
            continue
        values = groups[0] + groups[1] + groups[2]
        if len(values) != len(COLUMNS) or len(groups[3]) != len(COMMENT_COLUMNS):
            continue
        rows.append(dict(zip(COLUMNS + COMMENT_COLUMNS, values + groups[3], strict=True)))
    return rows


def markdown(rows: list[dict[str, str]], b: Build) -> str:
    head = (
        "| subset | pages | ok | merged | rejected | body F1 | P | R | whole-text F1 "
        "| titles | comments found | authors | comment rows |"
    )
    lines = [head, "|---|" + "---:|" * 12]
    for r in rows:
        name = f"**{r['subset']}**" if r["subset"] == "ALL" else f"`{r['subset']}`"
        cells = [name, r["pages"], r["ok"], r["dup"], r["rej"], r["F1"], r["P"], r["R"]]
        cells += [r["whole"], r["titles"], r["comments"], r["authors"], r["rows"]]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"Build: {b.pages:,} pages in {b.seconds:.1f} s wall time with --workers {b.workers}, "
        f"{b.pages_per_s:,.0f} pages/s (interpreter start-up included, pages in the page cache)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "dev_set", type=Path, help="development-set folder (pages/, gold.jsonl, score.py)"
    )
    p.add_argument("--workers", type=int, default=1, help="build workers (default 1)")
    p.add_argument("--out", type=Path, help="build here and keep it (default: a temporary folder)")
    args = p.parse_args(argv)
    if args.workers < 1:
        p.error(f"--workers must be at least 1, not {args.workers}")
    problem = check_dev_set(args.dev_set)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    dev = args.dev_set.resolve()
    with tempfile.TemporaryDirectory(prefix="corpuskit-extraction-") as tmp:
        out = args.out.resolve() if args.out else Path(tmp) / "dist"
        try:
            b = build(dev, out, args.workers)
            text = score(dev, out)
        except RuntimeError as exc:
            print(f"{dev}: {exc}", file=sys.stderr)
            return 1
    print(text.rstrip())
    print()
    rows = parse_table(text)
    if rows:
        print(markdown(rows, b))
    else:
        print("(score.py's table was not in the expected form; its output is above)")
        print(f"Build: {b.pages} pages, {b.seconds:.1f} s, --workers {b.workers}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
