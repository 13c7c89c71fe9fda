"""Exceptions grouped by consequence, each mapped to one exit code by the CLI.

* UsageError (exit 2): a wrong argument; stops before any work.
* DataError (exit 1): bad input or an invalid dataset; carries every line to print.
"""

from __future__ import annotations


class UsageError(Exception):
    exit_code = 2


class DataError(Exception):
    exit_code = 1

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
