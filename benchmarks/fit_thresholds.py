"""Fit the general path's thresholds (``src/corpuskit/layouts/thresholds.toml``) on the
development set, and show what each candidate does to every subset.

    python -m benchmarks.fit_thresholds ../shared/realworld-dev            # score the file's values
    python -m benchmarks.fit_thresholds ../shared/realworld-dev --grid     # try the grid below
    python -m benchmarks.fit_thresholds ../shared/realworld-dev --grid --write   # and keep the best

Every page is decoded and extracted in-process (no dataset is built, so duplicate merging does
not hide a page's own extraction) and scored with the development set's own ``score.py``: body
F1 per subset beside the whole-text baseline, and titles. The grid varies one key threshold at a
time around the file's values (a small coordinate search, so that each printed row shows what one
knob does); the chosen candidate maximises overall body F1 + title share, but a candidate that
puts any subset more than 0.02 below its whole-text baseline is never chosen.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from corpuskit.decode import Rejected, decode
from corpuskit.layouts import NoArticle, extract
from corpuskit.layouts import thresholds as th

from .extraction import check_dev_set

TOML = Path(th.__file__).with_name("thresholds.toml")

#: (section, key, values tried)
GRID: tuple[tuple[str, str, tuple[float, ...]], ...] = (
    ("content", "good", (0.55, 0.58, 0.62, 0.66, 0.70)),
    ("content", "near_good", (0.35, 0.40, 0.45, 0.50)),
    ("content", "length_low", (40, 55, 70, 90)),
    ("content", "bad_weight", (0.5, 1.0, 2.0)),
    ("content", "other_runs", (0.15, 0.25, 0.35, 0.5, 1.0)),
    ("content", "stopwords_high", (0.25, 0.30, 0.35)),
    ("title", "weight_repeated", (0.5, 1.0, 1.5)),
    ("title", "position_decay", (0.08, 0.15, 0.25)),
)


@dataclass
class Page:
    id: str
    subset: str
    text: str
    body: str | None
    title: str | None


def load_scorer(dev: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_score", dev / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"{dev / 'score.py'}: cannot load the scorer")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_pages(dev: Path) -> list[Page]:
    pages = []
    for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        path = dev / "pages" / g["subset"] / f"{g['id']}.txt"
        try:
            text = decode(path.read_bytes()).text
        except Rejected:
            text = ""
        pages.append(Page(g["id"], g["subset"], text, g.get("body"), g.get("title")))
    return pages


def predict(page: Page) -> tuple[str, str | None]:
    if not page.text:
        return "", None
    try:
        ex = extract(page.text)
    except NoArticle:
        return "", None
    return ex.body, ex.title


def evaluate(pages: list[Page], score: ModuleType, whole: dict[str, float]) -> dict[str, Any]:
    """Per subset and overall: F1, P, R, whole-text F1, titles right / with a gold title."""
    tfn: dict[str, list[Any]] = defaultdict(list)
    titles: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    t0 = time.perf_counter()
    preds = [predict(p) for p in pages]
    seconds = time.perf_counter() - t0
    for p, (body, title) in zip(pages, preds, strict=True):
        if p.body:
            tfn[p.subset].append(score.shingle_matching(p.body, body))
        if p.title:
            titles[p.subset][0] += score.fold(title) == score.fold(p.title)
            titles[p.subset][1] += 1
    out: dict[str, Any] = {}
    for s in [*sorted(tfn), "ALL"]:
        xs = [x for k in tfn for x in tfn[k]] if s == "ALL" else tfn[s]
        a = score.aggregate(xs)
        t = [sum(v[0] for v in titles.values()), sum(v[1] for v in titles.values())]
        out[s] = {**a, "whole": whole[s], "titles": t if s == "ALL" else titles[s]}
    out["pages_per_second"] = len(pages) / seconds
    return out


def whole_text(pages: list[Page], score: ModuleType) -> dict[str, float]:
    tfn: dict[str, list[Any]] = defaultdict(list)
    for p in pages:
        if p.body:
            tfn[p.subset].append(score.shingle_matching(p.body, p.text))
    out = {s: score.aggregate(x)["f1"] for s, x in tfn.items()}
    out["ALL"] = score.aggregate([x for v in tfn.values() for x in v])["f1"]
    return out


def table(res: dict[str, Any], label: str) -> str:
    rows = [f"## {label}  ({res['pages_per_second']:.0f} pages/s)"]
    rows.append(f"{'subset':<16} {'F1':>6} {'P':>6} {'R':>6} {'whole':>6} {'Δ':>6} {'titles':>9}")
    for s, a in res.items():
        if s == "pages_per_second":
            continue
        t = f"{a['titles'][0]}/{a['titles'][1]}" if a["titles"][1] else "-"
        rows.append(
            f"{s:<16} {a['f1']:6.3f} {a['precision']:6.3f} {a['recall']:6.3f} "
            f"{a['whole']:6.3f} {a['f1'] - a['whole']:+6.3f} {t:>9}"
        )
    return "\n".join(rows)


def objective(res: dict[str, Any]) -> float:
    """Overall body F1 plus the title share; -1 when a subset falls 0.02 below its baseline."""
    if any(
        a["f1"] < a["whole"] - 0.02 for s, a in res.items() if s not in ("ALL", "pages_per_second")
    ):
        return -1.0
    t = res["ALL"]["titles"]
    return float(res["ALL"]["f1"] + (t[0] / t[1] if t[1] else 0.0))


def write_values(values: dict[str, dict[str, Any]]) -> None:
    """Rewrite the chosen values in thresholds.toml, keeping its comments and order."""
    text = TOML.read_text(encoding="utf-8")
    for sec, items in values.items():
        head = text.index(f"[{sec}]")
        nxt = text.find("\n[", head + 1)
        end = len(text) if nxt < 0 else nxt
        part = text[head:end]
        for key, value in items.items():
            part = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", part)
        text = text[:head] + part + text[end:]
    TOML.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dev", type=Path, help="the development set (gold.jsonl, pages/, score.py)")
    ap.add_argument("--grid", action="store_true", help="try the grid of candidates")
    ap.add_argument("--write", action="store_true", help="write the best candidate's values")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="score with this value instead of the file's (repeatable)",
    )
    ns = ap.parse_args(argv)
    trial: dict[str, dict[str, Any]] = {}
    for item in ns.set:
        name, _, value = item.partition("=")
        sec, _, key = name.partition(".")
        trial.setdefault(sec, {})[key] = tomllib.loads(f"v = {value}")["v"]
    problem = check_dev_set(ns.dev)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    th.override(trial)
    score = load_scorer(ns.dev)
    pages = load_pages(ns.dev)
    whole = whole_text(pages, score)
    base = evaluate(pages, score, whole)
    print(table(base, "thresholds.toml as it is"))
    if not ns.grid:
        return 0
    chosen: dict[str, dict[str, Any]] = trial
    best = objective(base)
    for sec, key, values in GRID:
        current = th.section(sec)[key]
        for v in values:
            if v == current:
                continue
            trial = {s: dict(items) for s, items in chosen.items()}
            trial.setdefault(sec, {})[key] = v
            th.override(trial)
            res = evaluate(pages, score, whole)
            obj = objective(res)
            print(table(res, f"{sec}.{key} = {v}  (objective {obj:.4f}, best {best:.4f})"))
            if obj > best:
                best, chosen = obj, trial
        th.override(chosen)
    print(f"chosen: {chosen or 'the file as it is'} (objective {best:.4f})")
    if ns.write and chosen:
        write_values(chosen)
        print(f"wrote {TOML}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
