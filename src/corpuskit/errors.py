"""Exceptions grouped by consequence, each mapped to one exit code by the CLI, and the one way a
file name is written into a message.

* UsageError (exit 2): a wrong argument; stops before any work.
* DataError (exit 1): bad input or an invalid dataset; carries every line to print.
* Interrupted (exit 130, or 143 for SIGTERM): a build stopped by a signal; says what it left.
"""

from __future__ import annotations

import os

_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    '"': '\\"',
    "\\": "\\\\",
}


def qname(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A file name as ``ls --quoting-style=c`` shows it: in double quotes, with C escapes for
    quotes, backslashes and control characters, and octal escapes for every byte that is not a
    printable character (including bytes that are not UTF-8). One line, whatever the name."""
    return f'"{qbare(path)}"'


def qbare(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """:func:`qname` without the quotes: the escaped form, for a name recorded as data."""
    name = os.fsdecode(path)
    if name.isprintable() and '"' not in name and "\\" not in name:
        return name
    out = []
    for ch in name:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif "\udc80" <= ch <= "\udcff":  # a byte that is not UTF-8, as os.fsdecode keeps it
            out.append(f"\\{ord(ch) - 0xDC00:03o}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.extend(f"\\{b:03o}" for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out)


class UsageError(Exception):
    exit_code = 2


class DataError(Exception):
    exit_code = 1

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class Interrupted(Exception):
    """A build stopped by SIGINT or SIGTERM, after it cleaned up; ``lines`` say what it left."""

    def __init__(self, lines: list[str], exit_code: int) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.exit_code = exit_code


class Terminated(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM, so that a terminated build cleans up like an
    interrupted one."""


def signal_exit_code(exc: KeyboardInterrupt) -> int:
    """The shell's exit code for a process stopped by the signal: 128 + SIGTERM or SIGINT."""
    return 143 if isinstance(exc, Terminated) else 130
