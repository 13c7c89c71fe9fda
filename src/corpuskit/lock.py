"""One build at a time per target folder, held by the building process and no other.

The lock is a POSIX record lock (``fcntl`` ``F_SETLK``) on ``.<name>.lock`` beside the target.
Unlike ``flock``, such a lock belongs to the process that took it: pool workers forked later do
not inherit it, and the kernel releases it the moment that process dies, however it dies. So a
build killed with SIGKILL leaves at most a lock file naming a dead pid, which the next build
simply takes over. The file is opened close-on-exec, and is removed by the build that holds it.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import UsageError, qname


def unwritable(out: Path, exc: OSError) -> str:
    return f"--out {qname(out)}: cannot write in {qname(out.parent)}: {exc.strerror or exc}"


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the target's lock for the duration, or UsageError at once if a live build holds it
    or the folder cannot be written."""
    path = lock_path(out)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise UsageError(unwritable(out, exc)) from None
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _holder(fd)
            os.close(fd)
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                raise UsageError(
                    f"{qname(out)}: another build into this folder is running{holder}"
                ) from None
            raise UsageError(f"{qname(path)}: cannot lock: {exc.strerror or exc}") from None
        # The build that held it may have removed the file (and another created a new one)
        # between our open and our lock: then we hold a lock nobody else looks at. Again.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        try:  # who holds it, for the message of a build refused meanwhile; no more than that
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:
            pass
        yield
    finally:
        # Removed while still held, so that no build can be waiting on this very file.
        with suppress(OSError):
            os.unlink(path)
        os.close(fd)
