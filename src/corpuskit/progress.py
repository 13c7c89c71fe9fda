"""Progress of the long stages (both build passes, validate) on stderr.

On a terminal, a ``tqdm`` bar. Without one (CI, a log file), a plain line every
``CORPUSKIT_PROGRESS_SECONDS`` seconds (default 5) and one when the stage ends, so a long build
in CI is never silent for long and a short one prints nothing. ``-q`` turns it off (``-v`` adds
the build's phase timings, see ``build.TIMINGS``). The level is set once by the command line.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import Any

#: 0: quiet (-q), 1: progress (default), 2: verbose (-v).
LEVEL = 1
DEFAULT_SECONDS = 5.0


def interval() -> float:
    try:
        return max(0.0, float(os.environ.get("CORPUSKIT_PROGRESS_SECONDS", DEFAULT_SECONDS)))
    except ValueError:
        return DEFAULT_SECONDS


class Progress:
    """``with Progress("pass 1: reading seeds", total=n, unit="seeds") as p: p.update(k)``.
    Safe to update from several threads."""

    def __init__(
        self, desc: str, total: int | None = None, unit: str = "it", enabled: bool = True
    ) -> None:
        self.desc, self.total, self.unit = desc, total, unit
        self.done = 0
        self.start = self.last = time.monotonic()
        self.printed = False
        self.lock = threading.Lock()
        self.bar: Any = None
        self.on = enabled and LEVEL > 0
        if self.on and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, leave=False, file=sys.stderr)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close(ok=kind is None)

    def _line(self, final: bool = False) -> None:
        of = f"/{self.total}" if self.total is not None else ""
        elapsed = time.monotonic() - self.start
        tail = "done" if final else "…"
        sys.stderr.write(f"{self.desc}: {self.done}{of} {self.unit}, {elapsed:.1f} s {tail}\n")
        sys.stderr.flush()
        self.printed = True

    def set_total(self, total: int) -> None:
        """The total, once known (it may be counted while the stage runs)."""
        with self.lock:
            self.total = total
            if self.bar is not None:
                self.bar.total = total
                self.bar.refresh()

    def update(self, n: int = 1) -> None:
        if not self.on:
            return
        with self.lock:
            self.done += n
            if self.bar is not None:
                self.bar.update(n)
                return
            now = time.monotonic()
            if now - self.last >= interval():
                self.last = now
                self._line()

    def close(self, ok: bool = True) -> None:
        if not self.on:
            return
        with self.lock:
            if self.bar is not None:
                self.bar.close()
                self.bar = None
            elif ok and self.printed:
                self._line(final=True)
            self.on = False
