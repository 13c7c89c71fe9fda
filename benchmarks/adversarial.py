"""Benchmark: seeds shaped to make a parser slow or greedy, at two sizes, and peak memory.

    python -m benchmarks.adversarial [--sizes [256K 512K]] [--mem-sizes 20M 60M] [--shape NAME ...]

For each shape and size, one seed of about that many bytes is written to a temporary folder;
then, each in a fresh child process, ``process`` (read, decode, detect, extract) and ``explain``
are timed on it (the fastest of --repeat runs), and the whole build (``--workers 1``) is run
once (its fixed costs, imports and ``load_dataset`` of each config, dominate small seeds). The
table gives each time at both sizes and the ratio of the larger to the smaller: about the ratio
of the sizes (2) when the stage is linear, about its square (4) when it is quadratic.

For each shape and --mem-sizes size, a child process imports everything, notes its resident
set, builds the one seed (``--workers 1``: every stage in that process) and reports its peak
resident set (``ru_maxrss``); the peak less the resident set before the seed, over the seed's
size, is the memory per seed as a multiple of its size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .run import REPO

HEAD = "A title\n\nThe body of the article is here, and it has a few words in it.\n\n"
SIG = "Bob on March 1, 2011 at 1:00 PM"


def repeated_signature(size: int) -> str:
    """The shape of issue 13 (item 4): one comment that holds the signature N times, then the
    same signature on N lines, each a repeat of the first."""
    n = max(1, size // (2 * (len(SIG) + 1)))
    return HEAD + "First comment: " + (SIG + " ") * n + "end.\n" + SIG + "\n" + (SIG + "\n") * n


def one_huge_line(size: int) -> str:
    words = "the minister left the country on a plane and nobody said a word about it "
    return HEAD + words * (size // len(words)) + "\n"


def tiny_lines(size: int) -> str:
    """About size / 4 lines of one or two characters, blank lines between some."""
    return HEAD + "ab\nc\n\n" * (size // 6)


def many_signatures(size: int) -> str:
    """A long thread of distinct signed comments, one minute apart."""
    out = [
        "A title\n\nposted at 6:32 pm on March 30, 2011 by Ann\n\n",
        "The body of the article is here, and it has a few words in it.\n\n",
    ]
    total, k = sum(map(len, out)), 0
    while total < size:
        day, minute = 1 + (k // 1440) % 28, k % 1440
        hour, mins = minute // 60, minute % 60
        clock = f"{(hour % 12) or 12}:{mins:02d} {'AM' if hour < 12 else 'PM'}"
        sig = f"User{k % 97} on April {day}, 2011 at {clock}"
        part = f"Comment number {k} says something short.\n{sig}\n\n"
        out.append(part)
        total += len(part)
        k += 1
    return "".join(out)


_PROSE_TEXT = (
    "the minister left the country on a plane and nobody said a word about it while the "
    "council met again in the old hall to hear what the people wanted"
)
_PROSE = _PROSE_TEXT.split()


def _sentence(k: int, chars: int) -> str:
    """``chars`` characters of prose, its words in an order that k varies, ending in k."""
    end, out, i, total = f" {k}.", [], k * 7, 0
    while total < chars:
        word = _PROSE[i % len(_PROSE)]
        out.append(word)
        total += len(word) + 1
        i += 1 + k % 3
    s = " ".join(out)[: chars - len(end)].rstrip()
    return f"{s[0].upper()}{s[1:]}{end}"


def _prose_lines(size: int, chars: int, gap: str) -> str:
    out, total, k = ["A title\n\n"], 9, 0
    while total < size:
        part = _sentence(k, chars - 1) + gap
        out.append(part)
        total += len(part)
        k += 1
    return "".join(out)


def short_lines(size: int) -> str:
    """Lines of prose of 60 bytes, each different: the most lines a body of text has."""
    return _prose_lines(size, 60, "\n")


def paragraphs(size: int) -> str:
    """Paragraphs of prose of about 2 KB, a blank line between them."""
    return _prose_lines(size, 2048, "\n\n")


def many_bullets(size: int) -> str:
    item = "• a short point in a list, with a few words\n"
    return HEAD + item * (size // len(item))


def quotes_of_one_comment(size: int) -> str:
    """One large comment, then many short comments that each open with a quotation attributed
    to it: every attribution line is checked against the large comment's text."""
    big = "word " * (size // 10) + "\n"
    out = [HEAD, "Opening words.\n", big, SIG + "\n\n"]
    total, k = sum(map(len, out)), 0
    while total < size:
        part = f"not quoted {k}\n{SIG}\nreply number {k}\nUser{k} on March 1, 2011 at 1:00 PM\n\n"
        out.append(part)
        total += len(part)
        k += 1
    return "".join(out)


SHAPES: dict[str, Callable[[int], str]] = {
    f.__name__: f
    for f in (
        repeated_signature,
        one_huge_line,
        short_lines,
        paragraphs,
        tiny_lines,
        many_signatures,
        many_bullets,
        quotes_of_one_comment,
    )
}

_TIMED = """
import sys, time
from pathlib import Path
from corpuskit import pipeline
from corpuskit.explain import explain
path = Path(sys.argv[1])
t = time.perf_counter()
r = pipeline.process(pipeline.SeedFile(path.stem, path.name, str(path)))
took = time.perf_counter() - t
t = time.perf_counter()
explain(path)
print(took, time.perf_counter() - t, r.meta.status, r.meta.error)
"""

_MEMORY = """
import resource, sys
from pathlib import Path
import datasets, pandas, pyarrow.parquet  # what a build imports, before the baseline
from corpuskit.build import build as run
seeds, out = Path(sys.argv[1]), Path(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
built = run(seeds, out, workers=1, skip_invalid=True, max_seed_bytes=int(sys.argv[3]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, after, built.stats.status.get("ok", 0), dict(built.stats.rejected))
"""


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].isalpha() else int(text)


def write_seed(folder: Path, shape: str, size: int) -> Path:
    seeds = folder / f"{shape}-{size}"
    seeds.mkdir(parents=True)
    path = seeds / f"{shape}.txt"
    path.write_text(SHAPES[shape](size), encoding="utf-8")
    return path


def _python(code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr}")
    return done.stdout


def timed(path: Path, out: Path, repeat: int) -> tuple[float, float, float]:
    """process and explain: the fastest of ``repeat`` runs (the machine is shared: the minimum
    is the least disturbed); the build: one run."""
    runs = [_python(_TIMED, str(path)).split()[:2] for _ in range(repeat)]
    process_s, explain_s = min(float(r[0]) for r in runs), min(float(r[1]) for r in runs)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "build_dataset.py", "build", "--seeds", str(path.parent), "--out",
         str(out), "--workers", "1", "--skip-invalid"],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    return process_s, explain_s, time.perf_counter() - t


def peak(path: Path, out: Path) -> float:
    """Peak resident memory of building this one seed, over its size in bytes. The seed must
    be read as an article: a rejected seed measures nothing."""
    size = path.stat().st_size
    before, after, ok, rejected = _python(_MEMORY, str(path.parent), str(out), str(size)).split(
        maxsplit=3
    )
    if ok != "1":
        raise SystemExit(f"{path.name} was not built as an article: {rejected}")
    return (int(after) - int(before)) * 1024 / size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--sizes", nargs="*", default=["256K", "512K"], help="the two timed sizes (none: no times)"
    )
    ap.add_argument("--mem-sizes", nargs="*", default=["20M"], help="sizes for peak memory")
    ap.add_argument("--shape", action="append", choices=sorted(SHAPES), help="(default: all)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of process and explain")
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = ap.parse_args(argv)
    if len(args.sizes) not in (0, 2):
        ap.error("--sizes takes two sizes, or none")
    shapes = args.shape or list(SHAPES)
    report: dict[str, dict[str, object]] = {shape: {} for shape in shapes}
    with tempfile.TemporaryDirectory(prefix="adversarial-") as tmp:
        work = Path(tmp)
        if args.sizes:
            _times(work, shapes, args.sizes, args.repeat, report)
        if args.mem_sizes:
            print(f"\n{'shape':<22} {'seed':>9} {'peak - baseline':>16} {'x size':>7}")
        for shape in shapes:
            for text in args.mem_sizes:
                size = parse_size(text)
                path = write_seed(work, shape, size)
                x = peak(path, work / f"out-{shape}-{size}")
                report[shape].setdefault("memory_x_size", {})[text] = round(x, 2)  # type: ignore[union-attr]
                mb = x * path.stat().st_size / 2**20
                print(f"{shape:<22} {text:>9} {mb:>13.0f} MB {x:>7.2f}", flush=True)
                path.unlink()
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


def _times(
    work: Path,
    shapes: list[str],
    sizes: list[str],
    repeat: int,
    report: dict[str, dict[str, object]],
) -> None:
    small, large = map(parse_size, sizes)
    print(f"{'shape':<22} {'stage':<8} {sizes[0]:>9} {sizes[1]:>9} {'ratio':>6}", flush=True)
    for shape in shapes:
        a = timed(write_seed(work, shape, small), work / f"out-{shape}-a", repeat)
        b = timed(write_seed(work, shape, large), work / f"out-{shape}-b", repeat)
        report[shape].update(sizes=[small, large], seconds={})
        for k, stage in enumerate(("process", "explain", "build")):
            ratio = b[k] / a[k] if a[k] > 0 else float("nan")
            report[shape]["seconds"][stage] = [a[k], b[k]]  # type: ignore[index]
            print(f"{shape:<22} {stage:<8} {a[k]:>8.3f}s {b[k]:>8.3f}s {ratio:>6.2f}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
