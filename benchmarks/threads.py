"""Comment-thread finder against the development set's comment gold, without a full build.

    python -m benchmarks.threads ../shared/realworld-dev [--pages] [--negatives]
    python -m benchmarks.threads --adversarial


Runs ``layouts.threads.find_thread`` on every page with comment gold and prints, per comment
system and overall: gold comments found (the gold's first words inside a found comment's text,
case- and space-insensitive, as score.py counts them; "own" when the found comment's text starts
with them, i.e. its boundaries are right; each gold comment takes the first row it opens that no
earlier gold comment took), authors right among those found, time
text right among found comments whose gold shows one (the page's time text equal to the gold's,
case and space folded), and spurious rows (found comments that match no gold comment).
``--negatives`` also runs it over every page whose gold has no comment section and counts the
threads found there. ``--adversarial`` times find_thread (CPU seconds) on invented 256 KB and
512 KB seeds made of thousands of header-shaped lines: the time must double, not quadruple.
Prints figures only, never page text.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from corpuskit.layouts.base import Marker, split_lines
from corpuskit.layouts.threads import find_thread

from .fit_thresholds import load_scorer

Fold = Callable[[str | None], str]


def _lang(g: dict[str, object]) -> str:
    return str(g.get("language") or "und")


def _run(text: str, language: str, fold: Fold) -> list[tuple[str, str, str]]:
    m = Marker(split_lines(text))
    t = find_thread(m, language)
    if t is None:
        return []
    return [
        (fold(c.author), fold(c.posted_text), fold((c.quoted_text or "") + c.text))
        for c in t.comments
    ]


_UNITS = {
    "signatures": lambda k: (
        f"Name{k % 50} on March {k % 28 + 1}, 2011 at {k % 12 + 1}:{k % 60:02d} PM\n"
    ),
    "says": lambda k: f"User{k} says:\nMarch 3, 2011 at 6:32 pm\n\nI think you are right.\n\n",
    "names": lambda k: f"  • user{k}\n\n    I agree with you on this point.\n\n",
    "by": lambda k: f"by user{k} (123{k})\nI think so too, you know.\n",
    "dated prose": lambda k: "The fox jumped over the dog on March 3, 2011 at 6:32 PM.\n",
}


def _adversarial() -> int:
    for kb in (256, 512):
        for name, unit in _UNITS.items():
            parts, n, k = ["A title line\n\n"], 0, 0
            while n < kb * 1024:
                u = unit(k)
                parts.append(u)
                n, k = n + len(u), k + 1
            lines = split_lines("".join(parts))
            t0 = time.process_time()
            t = find_thread(Marker(lines), "en")
            dt = time.process_time() - t0
            found = len(t.comments) if t else 0
            print(f"{kb} KB {name:12} {len(lines):6} lines: {dt:5.2f} s, {found} comments")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("devset", type=Path, nargs="?")
    ap.add_argument("--adversarial", action="store_true")
    ap.add_argument("--pages", action="store_true", help="one line per page")
    ap.add_argument("--negatives", action="store_true")
    a = ap.parse_args(argv)
    if a.adversarial:
        return _adversarial()
    if a.devset is None:
        ap.error("the development set's folder is needed unless --adversarial")
    golds = [json.loads(x) for x in (a.devset / "gold.jsonl").open(encoding="utf-8")]
    fold: Fold = load_scorer(a.devset).squash  # texts compared as score.py compares them
    per: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    tot = [0] * 7  # gold, found, author ok, with time, time ok, spurious, own row
    t0 = time.perf_counter()
    for g in golds:
        if not g.get("comments"):
            continue
        text = (a.devset / "pages" / g["subset"] / f"{g['id']}.txt").read_text(encoding="utf-8")
        rows = _run(text, _lang(g), fold)
        used = [False] * len(rows)
        f = [len(g["comments"]), 0, 0, 0, 0, 0, 0]
        for c in g["comments"]:
            fw = fold(c["first_words"])
            # the row it opens (one not taken yet first: a reply that quotes its parent opens
            # with the parent's words), else (a comment merged into another) the row that holds it
            opens = [k for k, r in enumerate(rows) if fw and r[2].startswith(fw)]
            hit = next((k for k in opens if not used[k]), opens[0] if opens else None)
            if hit is None:
                hit = next((k for k, r in enumerate(rows) if fw and fw in r[2]), None)
            if hit is None:
                continue
            used[hit] = True
            f[1] += 1
            f[6] += rows[hit][2].startswith(fw)
            f[2] += rows[hit][0] == fold(c["author"])
            if c.get("time_text"):
                f[3] += 1
                gt = fold(c["time_text"])
                f[4] += rows[hit][1] == gt
        f[5] = used.count(False)
        key = str(g.get("comment_system"))[:40]
        for k in range(7):
            per[key][k] += f[k]
            tot[k] += f[k]
        if a.pages:
            print(
                f"{g['id'][:44]:44} gold {f[0]:3} found {f[1]:3} auth {f[2]:3} "
                f"time {f[4]:3}/{f[3]:3} spurious {f[5]:3} rows {len(rows):3}"
            )
    print(
        f"{'comment system':40} {'gold':>5} {'found':>5} {'own':>5} {'author':>6} {'time':>9} "
        f"{'spur':>5}"
    )
    for key, f in sorted(per.items()):
        print(f"{key:40} {f[0]:5} {f[1]:5} {f[6]:5} {f[2]:6} {f[4]:4}/{f[3]:<4} {f[5]:5}")
    rows_total = tot[1] + tot[5]
    print(
        f"found {tot[1]}/{tot[0]} ({tot[1] / tot[0]:.1%}), {tot[6]} in a row of their own; "
        f"authors {tot[2]}/{tot[1]} "
        f"({tot[2] / max(1, tot[1]):.1%}); time {tot[4]}/{tot[3]} ({tot[4] / max(1, tot[3]):.1%});"
        f" spurious rows {tot[5]}/{rows_total} ({tot[5] / max(1, rows_total):.1%}); "
        f"{time.perf_counter() - t0:.1f} s"
    )
    if a.negatives:
        t0 = time.perf_counter()
        pages = threads = rows_n = 0
        for g in golds:
            if g.get("comments") or g.get("comments_text"):
                continue
            path = a.devset / "pages" / g["subset"] / f"{g['id']}.txt"
            rows = _run(path.read_text(encoding="utf-8", errors="replace"), _lang(g), fold)
            pages += 1
            threads += bool(rows)
            rows_n += len(rows)
            if rows and a.pages:
                print(f"negative {g['id']}: {len(rows)} rows")
        print(
            f"pages without comments: {pages}, threads found on {threads} ({rows_n} rows); "
            f"{time.perf_counter() - t0:.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
