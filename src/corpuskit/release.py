"""The release record: ``releases.json`` (machine-readable) beside ``CHANGELOG.md`` (for people).

Each version records the per-table row counts and content hashes of the data it released. The
test suite rebuilds the data from ``seeds/`` and compares: a change in data cannot land without
a new version, a changelog entry and a new record.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .diff import content_hashes
from .errors import DataError
from .package import REPO_ROOT, release_info, write_json

RELEASES = REPO_ROOT / "releases.json"
CHANGELOG = REPO_ROOT / "CHANGELOG.md"
_HEADING = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M)

BUMP_RULE = (
    "major: a column is removed, renamed or changes meaning; "
    "minor: rows are added, removed or changed (or a column is added); "
    "patch: documentation only"
)


def load_record(path: Path = RELEASES) -> dict[str, Any]:
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def changelog_entries(path: Path = CHANGELOG) -> dict[str, str]:
    """Version -> date, from headings '## [X.Y.Z] - YYYY-MM-DD'."""
    if not path.is_file():
        return {}
    return {m["version"]: m["date"] for m in _HEADING.finditer(path.read_text(encoding="utf-8"))}


def what_to_do(version: str) -> str:
    return (
        f"A change in data needs a new version. Bump `version` in pyproject.toml ({BUMP_RULE}) and "
        "set [tool.corpuskit] release_date; add a CHANGELOG.md entry saying what changed and why "
        "(`python build_dataset.py diff OLD NEW` lists it); then run `make dataset` and "
        "`python build_dataset.py record`."
    )


def check(out: Path) -> list[str]:
    """Problems with the release record of the current version for the dataset in ``out``."""
    rel = release_info()
    problems = []
    entries = changelog_entries()
    if rel.version not in entries:
        problems.append(f"CHANGELOG.md has no entry '## [{rel.version}] - {rel.release_date}'")
    elif entries[rel.version] != rel.release_date:
        problems.append(
            f"CHANGELOG.md dates {rel.version} {entries[rel.version]}, "
            f"pyproject.toml says {rel.release_date}"
        )
    recorded = load_record().get(rel.version)
    if recorded is None:
        problems.append(f"releases.json has no record of version {rel.version}")
    else:
        actual = content_hashes(out)
        for table, got in actual.items():
            want = recorded["tables"].get(table)
            if want != got:
                problems.append(
                    f"{table}: the data built from seeds/ differ from the record of version "
                    f"{rel.version} (recorded {want}, built {got})"
                )
    return problems


def record(out: Path, releases_path: Path = RELEASES, changelog: Path = CHANGELOG) -> str:
    """Write the current version's record from ``out``; refuse to rewrite a recorded version."""
    rel = release_info()
    if rel.version not in changelog_entries(changelog):
        raise DataError(
            [f"CHANGELOG.md: add an entry '## [{rel.version}] - {rel.release_date}' first"]
        )
    releases = load_record(releases_path)
    entry = {
        "date": rel.release_date,
        "tables": content_hashes(out),
    }
    old = releases.get(rel.version)
    if old is not None and old["tables"] != entry["tables"]:
        raise DataError(
            [
                f"releases.json: version {rel.version} was released with other data.",
                what_to_do(rel.version),
            ]
        )
    releases[rel.version] = entry
    ordered = dict(sorted(releases.items(), key=lambda kv: tuple(int(x) for x in kv[0].split("."))))
    write_json(releases_path, ordered)
    return rel.version
