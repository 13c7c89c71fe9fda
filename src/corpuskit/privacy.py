"""Commenters' privacy: a stable keyed pseudonym per handle, and name replacement.

``author_id`` is HMAC-SHA-256 over the case-folded handle, with a key read from configuration
(``CORPUSKIT_PSEUDONYM_KEY``, else the file named by the project's ``pseudonym_key_file``),
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
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import UsageError, qname

if TYPE_CHECKING:
    from .project import Project

KEY_ENV = "CORPUSKIT_PSEUDONYM_KEY"


def load_key(project: Project) -> bytes:
    """The key: ``CORPUSKIT_PSEUDONYM_KEY``, else the file the project's config names as
    ``pseudonym_key_file``."""
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        return env.encode("utf-8")
    path = project.key_file
    try:
        key = path.read_text(encoding="utf-8").strip() if path else ""
    except (OSError, UnicodeDecodeError):
        key = ""
    if not key:
        raise UsageError(
            f"no pseudonym key: set {KEY_ENV}, or put a key in the file named by "
            f"pseudonym_key_file in {qname(project.config_path)} (see config/README.md)"
        )
    return key.encode("utf-8")


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
