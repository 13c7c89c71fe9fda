"""``explain SEED``: the seed, every line marked by what it became."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .decode import Rejected, decode
from .errors import DataError, UsageError, qname
from .layouts import NoArticle, extract, split_lines
from .safety import DEFAULT_MAX_SEED_BYTES, read_seed

_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def check_seed_path(path: Path) -> None:
    """UsageError unless path is a regular file (a symbolic link to one is fine): a folder, a
    device, a FIFO or a socket is named as what it is, before anything is opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UsageError(f"{qname(path)}: no such seed file") from None
    except OSError as exc:
        raise UsageError(f"{qname(path)}: cannot read the file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{qname(path)}: is a folder; explain takes one seed file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise UsageError(f"{qname(path)}: is {kind}, not a regular file; a seed is a text file")


def explain(path: Path, max_seed_bytes: int = DEFAULT_MAX_SEED_BYTES) -> str:
    """``max_seed_bytes``: the project's limit, so that a seed is read as the build reads it."""
    check_seed_path(path)
    try:
        decoded = decode(read_seed(str(path), max_seed_bytes))
    except Rejected as exc:
        raise DataError([f"{qname(path)}: rejected: {exc.message}"]) from None
    try:
        ex = extract(decoded.text)
    except NoArticle as exc:
        raise DataError([f"{qname(path)}: rejected: {exc.code}: {exc.detail}"]) from None
    lines = split_lines(decoded.text)
    n = decoded.replaced_bytes
    replaced = f" ({n} invalid byte{'s' * (n != 1)} read as U+FFFD)" if n else ""
    width = max(len(m) for m in ex.marks)
    why = [
        "" if r is None or mark.endswith(r) else r
        for mark, r in zip(ex.marks, ex.reasons, strict=True)
    ]
    wwidth = max(len(w) for w in why)
    out = [
        f"# {path}",
        f"# encoding {decoded.encoding}{replaced}, line endings {decoded.line_ending}; "
        f"layout {ex.layout} "
        f"({', '.join(ex.evidence) or 'no family marks: plain article'})",
        f"# {len(ex.comments)} comments; {len(ex.boilerplate)} boilerplate lines removed",
    ]
    for ln, mark, w, score in zip(lines, ex.marks, why, ex.scores, strict=True):
        sc = "" if score is None else f"{score:.2f}"
        out.append(f"{ln.no:>5} {mark:<{width}} {w:<{wwidth}} {sc:>4} | {ln.text}".rstrip())
    return "\n".join(out) + "\n"
