"""The release record: ``releases.json`` (machine-readable) beside ``CHANGELOG.md`` (for people).

Each version records the per-table row counts and content hashes of the data it released. The
test suite rebuilds the data from ``seeds/`` and compares: a change in data cannot land without
a new version, a changelog entry and a new record.

``release major|minor|patch`` makes that step in one go: rebuild (with the options of the build
in ``dist/``, from its build_stats.json), diff against the last recorded
release (its git tag ``v<version>``), refuse a bump too small for the change, bump ``version`` and
``release_date`` in the project's config, write the CHANGELOG.md entry from the diff (the reason
is left for the curator), rebuild and record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import distlayout
from ..errors import DataError, UsageError, qname
from ..package import version_key, write_json
from ..project import PYPROJECT, Project
from .diff import TableDiff, content_hashes, dataset_source, diff_tables

BUMPS = ("patch", "minor", "major")
#: Written by ``release`` into a new CHANGELOG.md entry; ``make test`` fails until it is replaced.
REASON_PLACEHOLDER = (
    "**Why:** _(curator: replace this line with the reason for this release; for a removal, the "
    "ground, never who asked)_"
)
_HEADING = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M)

BUMP_RULE = (
    "major: a column is removed, renamed or changes meaning; "
    "minor: rows are added, removed or changed (or a column is added); "
    "patch: documentation only"
)


def load_record(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def changelog_entries(path: Path) -> dict[str, str]:
    """Version -> date, from headings '## [X.Y.Z] - YYYY-MM-DD'."""
    if not path.is_file():
        return {}
    return {m["version"]: m["date"] for m in _HEADING.finditer(path.read_text(encoding="utf-8"))}


def what_to_do(version: str) -> str:
    return (
        f"A change in data needs a new version after {version}: run "
        '`corpuskit release minor --reason "..."` (or major, or patch: '
        f"{BUMP_RULE}). It diffs against the last release, refuses a bump too small for the "
        "change, bumps `version` and `release_date` in the project's config, writes the "
        "CHANGELOG.md entry and records it in releases.json (see README, Versioning and releases)."
    )


def _section(version: str, path: Path) -> str:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return text.split(f"## [{version}]", 1)[-1].split("\n## [", 1)[0] if version in text else ""


def check(out: Path, project: Project) -> list[str]:
    """Problems with the release record of the current version for the dataset in ``out``."""
    rel = project.release()
    problems = []
    entries = changelog_entries(project.changelog)
    if rel.version not in entries:
        problems.append(f"CHANGELOG.md has no entry '## [{rel.version}] - {rel.release_date}'")
    elif REASON_PLACEHOLDER in _section(rel.version, project.changelog):
        problems.append(
            f"CHANGELOG.md: write the reason for {rel.version} in place of its "
            "'**Why:**' placeholder"
        )
    elif entries[rel.version] != rel.release_date:
        problems.append(
            f"CHANGELOG.md dates {rel.version} {entries[rel.version]}, "
            f"{project.config_path.name} says {rel.release_date}"
        )
    recorded = load_record(project.releases).get(rel.version)
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


def record(out: Path, project: Project, releases_path: Path | None = None) -> str:
    """Write the current version's record from ``out`` into ``releases_path`` (default: the
    project's releases.json); refuse to rewrite a recorded version."""
    releases_path = releases_path or project.releases
    rel = project.release()
    if rel.version not in changelog_entries(project.changelog):
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


# -- release major|minor|patch -----------------------------------------------------------------


def needed_bump(diffs: dict[str, TableDiff]) -> tuple[str, str]:
    """The smallest bump the change needs, and why (README, "Versioning")."""
    removed = [f"{t}.{c}" for t, d in diffs.items() for c in d.columns_removed]
    if removed:
        return "major", f"column(s) removed or renamed: {', '.join(removed)}"
    added = [f"{t}.{c}" for t, d in diffs.items() for c in d.columns_added]
    if added:
        return "minor", f"column(s) added: {', '.join(added)}"
    rows = [t for t, d in diffs.items() if d.added or d.removed or d.changed]
    if rows:
        return "minor", f"rows added, removed or changed in {', '.join(rows)}"
    return "patch", "the data are the same (documentation only)"


def bumped(version: str, part: str) -> str:
    major, minor, patch = version_key(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _ids(keys: list[str], limit: int = 20) -> str:
    shown = ", ".join(f"`{k}`" for k in keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def changelog_entry(
    version: str, date: str, against: str, diffs: dict[str, TableDiff], rows: dict[str, int]
) -> str:
    lines = [f"## [{version}] - {date}", "", REASON_PLACEHOLDER, ""]
    lines.append(f"Changes since {against}, from `corpuskit diff {against} dist`:")
    lines.append("")
    for t, d in diffs.items():
        line = f"- {t}: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
        if t == "metadata":  # one row per seed: name the seeds (a takedown names its doc_id)
            named = [(w, k) for w, k in (("added", d.added), ("removed", d.removed)) if k]
            named += [("changed", [k for k, _ in d.changed])] if d.changed else []
            line += "".join(f"; {w}: {_ids(k)}" for w, k in named)
        lines.append(line + ".")
        lines += [f"- {t}: column `{c}` added." for c in d.columns_added]
        lines += [f"- {t}: column `{c}` removed." for c in d.columns_removed]
    lines += [
        "",
        f"Rows: articles {rows['articles']}, comments {rows['comments']}, "
        f"metadata {rows['metadata']}.",
        "",
        "",
    ]
    return "\n".join(lines)


def _insert_entry(changelog: Path, entry: str) -> None:
    text = changelog.read_text(encoding="utf-8")
    at = text.find("\n## [")
    text = text + "\n" + entry if at < 0 else text[: at + 1] + entry + text[at + 1 :]
    changelog.write_text(text, encoding="utf-8")


def _set_version(project: Project, version: str, date: str) -> None:
    """Set ``version`` and ``release_date`` in the project's config, in place: in
    ``corpuskit.toml`` before its first table, in ``pyproject.toml`` inside ``[tool.corpuskit]``."""
    path = project.config_path
    text = path.read_text(encoding="utf-8")
    start = 0
    if path.name == PYPROJECT:
        head = re.search(r"(?m)^\[tool\.corpuskit\]\s*$", text)
        start = head.end() if head else len(text)
    after = re.compile(r"(?m)^\[").search(text, start)
    end = after.start() if after else len(text)
    part = text[start:end]
    part, n = re.subn(r'(?m)^version = "[^"]*"', f'version = "{version}"', part, count=1)
    part, m = re.subn(r'(?m)^release_date = "[^"]*"', f'release_date = "{date}"', part, count=1)
    if n != 1 or m != 1:
        raise UsageError(f"{qname(path)}: no `version = ...` or `release_date = ...` line to bump")
    path.write_text(text[:start] + part + text[end:], encoding="utf-8")


def _git_tag_exists(tag: str, repo: Path) -> bool:
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}"],
            capture_output=True,
            check=False,
        )
    except OSError:
        return False
    return proc.returncode == 0


def previous_release(project: Project, against: str | None = None) -> tuple[str, str]:
    """The last recorded version and where its data are read from (a git revision or folder)."""
    releases = load_record(project.releases)
    if not releases:
        raise UsageError("releases.json records no release yet: run `record` for the first one")
    last = max(releases, key=version_key)
    rel = project.release()
    if rel.version != last:
        raise UsageError(
            f"{project.config_path.name} says version {rel.version}, but the last recorded "
            f"release is {last}: set it back to {last} and let `release` bump it"
        )
    if against is None:
        against = f"v{last}"
        if not _git_tag_exists(against, project.root):
            raise UsageError(
                f"no git tag {against}: tag the commit of release {last} "
                f"(`git tag {against} COMMIT`), or pass --against REV|DIR"
            )
    return last, against


def recorded_options(out: Path, repo_id: str | None = None) -> dict[str, Any]:
    """The options of the build in ``out`` (its build_stats.json), for a rebuild that makes the
    same dataset: JSONL compression, seed size limit, pseudonymisation, seed patterns, invalid
    seeds skipped, repo id (``repo_id`` overrides it). Nothing when ``out`` holds no build."""
    try:
        stats = json.loads((out / distlayout.STATS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stats = {}
    if not isinstance(stats, dict):
        stats = {}
    given = stats.get("build_options")
    given = given if isinstance(given, dict) else {}
    options = {k: v for k, v in given.items() if k in _REBUILD_OPTIONS}
    if "build_options" not in stats and stats.get("pseudonymized"):  # recorded before the options
        options["pseudonymize"] = True
    if repo_id:
        options["repo_id"] = repo_id
    return options


_REBUILD_OPTIONS = (
    "jsonl_compression",
    "max_seed_bytes",
    "pseudonymize",
    "repo_id",
    "seed_glob",
    "skip_invalid",
)


def release(
    part: str,
    project: Project,
    *,
    date: str | None = None,
    against: str | None = None,
    seeds: Path = Path("seeds"),
    out: Path = Path("dist"),
    workers: int = 1,
    reason: str | None = None,
    repo_id: str | None = None,
    say: Callable[[str], None] = print,
) -> str:
    """Make the next release; returns its version. Nothing is bumped when the bump is refused
    (the dataset in ``out`` is then the new data, built under the old version)."""
    from ..build import build
    from .diff import render

    if part not in BUMPS:
        raise UsageError(f"release: choose one of {', '.join(BUMPS)}, not {part!r}")
    date = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, not {date!r}") from None
    last, against = previous_release(project, against)
    records = load_record(project.releases)
    if date < records[last]["date"]:
        raise UsageError(f"--date {date} is before the release date of {last}")
    options = recorded_options(out, repo_id)
    first = build(seeds, out, workers=workers, project=project, **options)
    with dataset_source(against, project.root) as old:
        if content_hashes(old) != records[last]["tables"]:
            raise DataError(
                [f"{against}: its dist/ does not hold the data releases.json records for {last}"]
            )
        diffs = diff_tables(old, out, project.root)
    need, why = needed_bump(diffs)
    if BUMPS.index(part) < BUMPS.index(need):
        raise DataError(
            [
                f"release {part} refused: this change needs a {need} release ({why}); "
                f"nothing was bumped. {BUMP_RULE}.",
                render(diffs).rstrip("\n"),
            ]
        )
    version = bumped(last, part)
    entry = changelog_entry(version, date, against, diffs, first.stats.rows)
    if reason:
        entry = entry.replace(REASON_PLACEHOLDER, f"**Why:** {reason.strip()}")
    _insert_entry(project.changelog, entry)  # before the build: the card's "Versions" shows it
    _set_version(project, version, date)
    project = Project.load(project.root)  # the config now holds the new version
    build(seeds, out, workers=workers, project=project, **options)
    datasheet = project.datasheet
    if out.resolve() == project.dist.resolve() and datasheet.is_file():
        shutil.copyfile(out / distlayout.DATASHEET, datasheet)  # as `make dataset` does
    record(out, project)
    say(render(diffs).rstrip("\n"))
    todo = (
        ""
        if reason
        else "replace the '**Why:**' line of its CHANGELOG.md entry with the reason and run "
        "`make dataset`; "
    )
    say(
        f"released {version} ({date}; {part}: {why}). Now {todo}commit, and tag the commit: "
        f"git tag v{version}"
    )
    return version
