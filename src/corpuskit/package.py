"""The files in ``dist/`` that describe the data: the Hub card, datapackage.json, build stats and
the checksum manifest. Every field list comes from ``schema/``; every number from the build."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .schema import TABLES, TableSchema

REPO_ROOT = Path(__file__).resolve().parents[2]
CHANGELOG = REPO_ROOT / "CHANGELOG.md"
MANIFEST = "MANIFEST.sha256"
STATS = "build_stats.json"
DEFAULT_CONFIG = "articles"


HUB = "https://huggingface.co"


@dataclass(frozen=True)
class Release:
    name: str
    title: str
    version: str
    release_date: str
    #: The dataset's description ([tool.corpuskit] description), not the builder's.
    description: str
    #: The Hub dataset repo, OWNER/NAME ([tool.corpuskit] repo_id or --repo-id), if known.
    repo_id: str | None = None
    #: Where takedown requests go ([tool.corpuskit] contact), if given.
    contact: str | None = None

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def repo_url(self) -> str | None:
        return f"{HUB}/datasets/{self.repo_id}" if self.repo_id else None

    def file_url(self, rel: str) -> str:
        """A file of this release: absolute on the Hub (pinned to its tag) when the repo is
        known, else relative to the dataset folder."""
        return f"{self.repo_url}/resolve/{self.tag}/{rel}" if self.repo_id else rel


def release_info(
    pyproject: Path = REPO_ROOT / "pyproject.toml", repo_id: str | None = None
) -> Release:
    """The dataset's version lives in one place: pyproject.toml. ``repo_id`` overrides the
    config's."""
    doc = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = doc["project"]
    tool = doc.get("tool", {}).get("corpuskit", {})
    return Release(
        name=project["name"],
        title=str(tool["title"]),
        version=project["version"],
        release_date=str(tool["release_date"]),
        description=str(tool.get("description") or project.get("description", "")),
        repo_id=repo_id or tool.get("repo_id") or None,
        contact=tool.get("contact") or None,
    )


def size_category(n: int) -> str:
    bounds = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
    ]
    return next((label for bound, label in bounds if n < bound), "100M<n<1B")


def card_metadata(
    schemas: dict[str, TableSchema], counts: dict[str, int], sizes: dict[str, int], release: Release
) -> dict[str, Any]:
    """The card's YAML: one config per table (articles the default), features from schema/."""
    configs = []
    infos = []
    for t in TABLES:
        cfg: dict[str, Any] = {
            "config_name": t,
            "data_files": [{"split": "train", "path": f"data/{t}/*.parquet"}],
        }
        if t == DEFAULT_CONFIG:
            cfg["default"] = True
        configs.append(cfg)
        infos.append(
            {
                "config_name": t,
                "features": schemas[t].hf_features_yaml(),
                "splits": [{"name": "train", "num_bytes": sizes[t], "num_examples": counts[t]}],
            }
        )
    return {
        "pretty_name": release.title,
        "license": "other",
        "license_name": "publishers-and-commenters-copyright",
        "license_link": "LICENSE-DATA.md",
        "language": ["en"],
        # Only what the card's "Uses" allow: its out-of-scope section excludes training models
        # meant to generalise, so no classification or summarization category.
        "task_categories": ["text-retrieval"],
        "size_categories": [size_category(max(counts.values(), default=0))],
        "tags": ["news", "blogs", "reader-comments", "web-scrape", "libya", "2011", "provenance"],
        "configs": configs,
        "dataset_info": infos,
    }


def render_yaml(meta: dict[str, Any]) -> str:
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)


def datapackage(
    schemas: dict[str, TableSchema], release: Release, jsonl: Mapping[str, str]
) -> dict[str, Any]:
    """Frictionless descriptor over the JSONL copies (Parquet's lists do not pass frictionless).
    ``jsonl``: each table's JSONL file name (``<table>.jsonl``, or ``.jsonl.gz`` when gzip).
    Resource paths stay relative, so the package validates from the folder it sits in."""
    doc: dict[str, Any] = {
        "name": release.name,
        "title": release.title,
        "version": release.version,
        "created": f"{release.release_date}T00:00:00Z",
        "description": release.description,
    }
    if release.repo_url:
        doc["homepage"] = release.repo_url
    return doc | {
        "licenses": [
            {
                "name": "other",
                "title": "Copyright of the publishers and commenters; see LICENSE-DATA.md",
                "path": release.file_url("LICENSE-DATA.md"),
            }
        ],
        "resources": [
            {
                "name": t,
                "path": f"jsonl/{jsonl[t]}",
                "format": "jsonl",
                **({"compression": "gz"} if jsonl[t].endswith(".gz") else {}),
                "mediatype": "application/jsonl",
                "encoding": "utf-8",
                "description": schemas[t].description,
                "schema": schemas[t].frictionless_schema(),
            }
            for t in TABLES
        ],
    }


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
