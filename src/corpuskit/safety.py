"""What a build may touch: which folder ``--out`` may replace, and which seed files it may read.

A build replaces its target folder wholesale, so it accepts only a folder that this tool built
(its ``MANIFEST.sha256`` and ``build_stats.json`` are there, and the manifest lists every file
in it, so nothing of the user's can be lost), an empty folder, or a missing one. Whatever it
is, the target may never be the root, the home or the current folder, the seeds folder, a
folder that holds any of them, a folder inside the seeds, or a mount point.

A seed is read only if ``stat`` says it is a regular file no larger than the limit; the open
never blocks (a FIFO swapped in between the stat and the open is refused by ``fstat``) and reads
at most limit + 1 bytes, so a file that grows meanwhile cannot exhaust memory either.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from .decode import Rejected
from .distlayout import MANIFEST, STATS
from .errors import UsageError, qname
from .package import read_manifest

#: The largest seed read by default (64 MiB); ``--max-seed-bytes`` or the project's
#: ``max_seed_bytes`` (``Project.max_seed_bytes``) change it.
DEFAULT_MAX_SEED_BYTES = 64 << 20

_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``67108864``, ``64M``, ``64MiB``, ``64mb``: a size in bytes (K, M, G, T are powers of
    1024). ValueError if it is none of these."""
    m = _SIZE.fullmatch(str(text))
    if m is None:
        raise ValueError(f"not a size in bytes (e.g. 67108864, 64MiB): {text!r}")
    n = int(m.group(1)) * _UNITS[m.group(2).lower()]
    if n < 1:
        raise ValueError("must be at least 1 byte")
    return n


def size_text(n: int) -> str:
    """``80.0 MiB (83,886,080 bytes)``: a size for a message."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"


# -- seeds -----------------------------------------------------------------------------------

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _check(st: os.stat_result, limit: int, path: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = next((what for test, what in _KINDS if test(st.st_mode)), "not a regular file")
        via = ", reached through a symbolic link" if os.path.islink(path) else ""
        raise Rejected("not_a_regular_file", f"{kind}{via}: only regular files are read")
    if st.st_size > limit:
        raise Rejected("too_large", _too_large(size_text(st.st_size), limit))


def _too_large(size: str, limit: int) -> str:
    return (
        f"the file has {size}, over the limit of {size_text(limit)} (raise it with "
        "--max-seed-bytes or the project's max_seed_bytes)"
    )


def read_seed(path: str, limit: int) -> bytes:
    """A seed's bytes, or :class:`Rejected` (``unreadable``, ``not_a_regular_file``,
    ``too_large``). Stats before it opens; never blocks; never reads more than limit + 1."""
    try:
        _check(os.stat(path), limit, path)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise Rejected("unreadable", f"cannot read the file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        _check(st, limit, path)  # the path may have been replaced since the stat
        data = os.read(fd, min(st.st_size, limit) + 1)
        if len(data) <= limit:  # a short read, or a file that grew since the fstat
            data = _read_more(fd, data, limit)
    except OSError as exc:
        raise Rejected("unreadable", f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Rejected("too_large", _too_large(f"more than {size_text(limit)}", limit))
    return data


#: The most read at once after the first read. os.read allocates what it is asked for before
#: it reads: asking for the rest of the limit (64 MiB) to learn that the file ended took an
#: mmap and a munmap of that size per seed, three times the CPU of reading a small seed.
_MORE = 1 << 16


def _read_more(fd: int, data: bytes, limit: int) -> bytes:
    """``data`` and what follows it in the file, up to limit + 1 bytes in all."""
    parts, n = [data], len(data)
    while n <= limit:
        more = os.read(fd, min(limit + 1 - n, _MORE))
        if not more:
            break
        parts.append(more)
        n += len(more)
    return data if len(parts) == 1 else b"".join(parts)


# -- the target folder -----------------------------------------------------------------------


def _refuse(out: Path, real: Path, reason: str) -> UsageError:
    shown = qname(out) if os.fspath(out) == os.fspath(real) else f"{qname(out)} (= {qname(real)})"
    return UsageError(
        f"--out {shown}: {reason}; a build replaces only a dataset this tool built, an empty "
        "folder or a missing one"
    )


def _where(folder: Callable[[], Path]) -> Path | None:
    """The home or the current folder, resolved; None if there is none (no HOME and no password
    entry; a current folder since removed)."""
    try:
        return folder().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def resolve_out(out: Path, seeds: Path) -> Path:
    """The folder a build may replace: absolute, with ``..`` and symbolic links resolved (a
    link to a dataset rebuilds the dataset it points to and stays a link). UsageError naming
    the folder and the reason for anything else."""
    real = Path(os.path.realpath(out))
    seeds_real = Path(os.path.realpath(seeds))
    if real == Path(real.anchor):
        raise _refuse(out, real, "is the root folder")
    protected = [
        (seeds_real, "the seeds folder"),
        (_where(Path.cwd), "the current folder"),
        (_where(Path.home), "your home folder"),
    ]
    for folder, what in protected:
        if folder is None:
            continue
        if real == folder:
            raise _refuse(out, real, f"is {what}")
        if folder.is_relative_to(real):
            raise _refuse(out, real, f"holds {what}, {qname(folder)}")
    if real.is_relative_to(seeds_real):
        raise _refuse(out, real, f"is inside the seeds folder, {qname(seeds_real)}")
    if not os.path.lexists(real):
        return real
    if not real.is_dir():
        raise _refuse(out, real, "exists and is not a folder")
    if os.path.ismount(real):
        raise _refuse(out, real, "is a mount point, which a rename cannot replace")
    problem = _not_replaceable(real)
    if problem:
        raise _refuse(out, real, problem)
    return real


def _not_replaceable(folder: Path) -> str | None:
    """Why a folder is neither empty nor a dataset this tool built, or None."""
    try:
        with os.scandir(folder) as it:
            if next(it, None) is None:
                return None
        markers = [folder / MANIFEST, folder / STATS]
        if not all(p.is_file() and not p.is_symlink() for p in markers):
            return (
                f"is not empty and is not a dataset built by this tool (no {MANIFEST} and {STATS})"
            )
        foreign = [qname(rel) for rel in _unlisted(folder, set(read_manifest(folder)), 6)]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"cannot be read to tell whether this tool built it: {exc}"
    if foreign:
        more = ", ..." if len(foreign) > 5 else ""
        return (
            f"holds files this tool did not write (not in its {MANIFEST}): "
            f"{', '.join(foreign[:5])}{more}; move them out first"
        )
    return None


def _unlisted(folder: Path, listed: set[str], most: int) -> list[str]:
    """Up to ``most`` paths under the folder that are not regular files listed in the manifest
    (the manifest itself aside), walked with a stack: any depth is fine."""
    found: list[str] = []
    stack = [""]
    while stack and len(found) < most:
        prefix = stack.pop()
        with os.scandir(folder / prefix if prefix else folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for e in entries:
            rel = prefix + e.name
            if e.is_dir(follow_symlinks=False):
                stack.append(rel + "/")
            elif rel != MANIFEST and not (rel in listed and e.is_file(follow_symlinks=False)):
                found.append(rel)
    return found[:most]
