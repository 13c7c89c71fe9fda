"""The checksum manifest of a built dataset (``MANIFEST.sha256``), its JSON writer and the names
of its bookkeeping files. The documents that describe the data are written by ``corpuskit.docs``."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .distlayout import MANIFEST

DEFAULT_CONFIG = "articles"


def write_json(path: Path, doc: Any) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dist_files(out: Path) -> list[str]:
    """Every file of a built dataset, '/'-separated and sorted, the manifest itself excluded."""
    return sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST
    )


def write_manifest(out: Path, known: Mapping[str, str] | None = None) -> None:
    """``known``: digests already computed for some files (by the writers), by path."""
    known = known or {}
    lines = [f"{known.get(rel) or sha256_file(out / rel)}  {rel}\n" for rel in dist_files(out)]
    (out / MANIFEST).write_text("".join(lines), encoding="utf-8")


#: The line forms ``sha256sum -c`` accepts: ``HASH  path`` (text), ``HASH *path`` (binary),
#: ``HASH path``, and the BSD form of ``--tag``, ``SHA256 (path) = HASH``; a leading backslash
#: marks a path written with escapes (``\\n`` for a newline, ``\\\\`` for a backslash).
_GNU_LINE = re.compile(r"\s*(\\?)([0-9a-fA-F]{64}) [ *]?(.+)")
_BSD_LINE = re.compile(r"\s*(\\?)SHA256 ?\((.+)\) ?= ?([0-9a-fA-F]{64})")
_UNESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Manifest:
    entries: dict[str, str]  # path -> sha256, lower-case
    unparsed: list[tuple[int, str]]  # (1-based line number, line) of lines not in any form


def parse_manifest(text: str) -> Manifest:
    """A checksum manifest as ``sha256sum -c`` reads it: blank lines and ``#`` comments are
    skipped, and every line that is in none of its forms is kept, with its number, to report."""
    entries: dict[str, str] = {}
    unparsed: list[tuple[int, str]] = []
    for no, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if m := _GNU_LINE.fullmatch(line):
            escaped, digest, rel = m.groups()
        elif m := _BSD_LINE.fullmatch(line):
            escaped, rel, digest = m.groups()
        else:
            unparsed.append((no, line))
            continue
        if escaped:
            rel = _UNESCAPE.sub(lambda e: {"n": "\n", "r": "\r"}.get(e[1], e[1]), rel)
        entries[rel] = digest.lower()
    return Manifest(entries, unparsed)


def read_manifest(out: Path) -> dict[str, str]:
    return parse_manifest((out / MANIFEST).read_text(encoding="utf-8")).entries


def version_key(version: str) -> tuple[int, ...]:
    """A semantic version as numbers, for ordering: 1.10.0 comes after 1.9.0."""
    return tuple(int(x) for x in version.split("."))
