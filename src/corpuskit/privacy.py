"""Commenters' privacy: a stable keyed pseudonym per handle, and name replacement.

``author_id`` is HMAC-SHA-256 over the case-folded handle, with a key read from configuration
(``CORPUSKIT_PSEUDONYM_KEY``, else the file named by ``[tool.corpuskit] pseudonym_key_file``),
never from the code. A ``--pseudonymize`` build replaces every handle with its pseudonym wherever
it appears: in ``author``, in comments' text and quoted text (a commenter addressing another by
name), and in removed boilerplate lines (a signature line with no comment). Quotation
attributions are never stored as text: they survive only as ``reply_to_comment_id``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError
from .package import REPO_ROOT

KEY_ENV = "CORPUSKIT_PSEUDONYM_KEY"


def load_key(pyproject: Path = REPO_ROOT / "pyproject.toml") -> bytes:
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        return env.encode("utf-8")
    tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("corpuskit", {})
    rel = tool.get("pseudonym_key_file")
    path = (pyproject.parent / rel) if rel else None
    if path is None or not path.is_file() or not path.read_text(encoding="utf-8").strip():
        raise UsageError(
            f"no pseudonym key: set {KEY_ENV}, or put a key in the file named by "
            "[tool.corpuskit] pseudonym_key_file in pyproject.toml (see config/README.md)"
        )
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


@functools.lru_cache(maxsize=1 << 16)  # commenters come back: hash each handle once
def author_id(key: bytes, name: str) -> str:
    digest = hmac.new(key, " ".join(name.split()).casefold().encode("utf-8"), hashlib.sha256)
    return "usr_" + digest.hexdigest()[:16]


class Pseudonymizer:
    """Replaces every known handle, as a whole word and in any case, with its pseudonym."""

    def __init__(self, key: bytes, names: Iterable[str]) -> None:
        self.key = key
        self.names = sorted({n for n in names if n.strip()}, key=lambda n: (-len(n), n))
        self._ids = {n.casefold(): author_id(key, n) for n in self.names}
        alternation = "|".join(re.escape(n) for n in self.names)
        self._pattern = (
            re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])", re.IGNORECASE)
            if self.names
            else None
        )

    def name(self, n: str | None) -> str | None:
        return None if n is None else author_id(self.key, n)

    def text(self, s: str | None) -> str | None:
        if s is None or self._pattern is None:
            return s
        return self._pattern.sub(
            lambda m: self._ids.get(m.group(0).casefold(), author_id(self.key, m.group(0))), s
        )
