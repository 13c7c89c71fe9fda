"""``explain SEED``: the seed, every line marked by what it became."""

from __future__ import annotations

from pathlib import Path

from .decode import Rejected, decode
from .errors import DataError
from .layouts import NoArticle, extract, split_lines


def explain(path: Path) -> str:
    try:
        decoded = decode(path.read_bytes())
    except OSError as exc:
        raise DataError([f"{path}: cannot read the file: {exc.strerror or exc}"]) from None
    except Rejected as exc:
        raise DataError([f"{path}: rejected: {exc.message}"]) from None
    try:
        ex = extract(decoded.text)
    except NoArticle as exc:
        raise DataError([f"{path}: rejected: {exc.code}: {exc.detail}"]) from None
    lines = split_lines(decoded.text)
    width = max(len(m) for m in ex.marks)
    why = [
        "" if r is None or mark.endswith(r) else r
        for mark, r in zip(ex.marks, ex.reasons, strict=True)
    ]
    wwidth = max(len(w) for w in why)
    out = [
        f"# {path}",
        f"# encoding {decoded.encoding}, line endings {decoded.line_ending}; layout {ex.layout} "
        f"({', '.join(ex.evidence) or 'no family marks: plain article'})",
        f"# {len(ex.comments)} comments; {len(ex.boilerplate)} boilerplate lines removed",
    ]
    for ln, mark, w, score in zip(lines, ex.marks, why, ex.scores, strict=True):
        sc = "" if score is None else f"{score:.2f}"
        out.append(f"{ln.no:>5} {mark:<{width}} {w:<{wwidth}} {sc:>4} | {ln.text}".rstrip())
    return "\n".join(out) + "\n"
