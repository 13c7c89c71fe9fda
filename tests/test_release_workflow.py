"""Issue 15: the README's release and takedown steps, run as written in a git copy of the
repository: add seeds and release a minor version, then remove one seed on request and publish
the takedown to the stand-in Hub with its history purged."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpuskit.releases.diff import TableDiff
from corpuskit.releases.release import needed_bump

from . import invented
from .conftest import PROJECT, REPO, write_seed
from .hubstub import HubStub
from .test_publish import REPO_ID, _env

#: The committed release, and the ones the tests make after it.
CUR = PROJECT.release().version
_MAJOR, _MINOR, _ = (int(x) for x in CUR.split("."))
NEXT = f"{_MAJOR}.{_MINOR + 1}.0"
NEXT2 = f"{_MAJOR}.{_MINOR + 2}.0"
NEXT_MAJOR = f"{_MAJOR + 1}.0.0"

COPIED = [
    "build_dataset.py",
    "src",
    "schema",
    "seeds",
    "dist",
    "config",
    "templates",
    "corpuskit.toml",
    "pyproject.toml",
    "CHANGELOG.md",
    "releases.json",
    "DATASHEET.md",
]


def _readme_block(after: str) -> str:
    """The first ```sh block of the README after the line containing ``after``."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    rest = text[text.index(after) :]
    return rest.split("```sh\n", 1)[1].split("```", 1)[0]


def _run(
    cwd: Path, env: dict[str, str], script: str, stop_on_error: bool = True
) -> subprocess.CompletedProcess[str]:
    """``stop_on_error=False`` for the README's blocks, which run `diff` (exit 1: they differ)."""
    shell = ["bash", "-e", "-c"] if stop_on_error else ["bash", "-c"]
    proc = subprocess.run(
        [*shell, script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _jsonl(dist: Path, table: str) -> list[dict]:
    lines = (dist / "jsonl" / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines]


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git copy of the repository with release committed and tagged (the current version), set up to publish
    to REPO_ID; and the environment to run its commands in (python and corpuskit: this venv's)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    config = repo / "corpuskit.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('# repo_id = "OWNER/NAME"', f'repo_id = "{REPO_ID}"'), encoding="utf-8"
    )
    # The README's commands run the project's .venv/bin/corpuskit: this one's.
    (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    (repo / ".gitignore").write_text(".venv\n", encoding="utf-8")
    env = _env(tmp_path)
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        GIT_AUTHOR_NAME="Curator",
        GIT_AUTHOR_EMAIL="curator@example.org",
        GIT_COMMITTER_NAME="Curator",
        GIT_COMMITTER_EMAIL="curator@example.org",
        GIT_CONFIG_NOSYSTEM="1",
    )
    setup = f"""
        git init -q -b main
        git add pyproject.toml corpuskit.toml && git commit -qm "Before any dataset"
        git tag before-dist
        git add -A && git commit -qm "Release {CUR}" && git tag v{CUR}
    """
    assert _run(repo, env, setup).returncode == 0
    return repo, env


def test_release_and_takedown_as_the_readme_says(
    checkout: tuple[Path, dict[str, str]],
) -> None:
    repo, env = checkout
    today = dt.date.today().isoformat()
    write_seed(repo / "seeds", "zzz_new.txt", invented.SIGNED_BLOG)
    write_seed(repo / "seeds", "aaa_new.txt", invented.PLAIN)

    # A patch is too small for new rows: refused, nothing bumped or written.
    before = {p: (repo / p).read_bytes() for p in ("corpuskit.toml", "CHANGELOG.md")}
    proc = _run(repo, env, "corpuskit release patch")
    assert proc.returncode == 1
    assert "release patch refused: this change needs a minor release" in proc.stderr
    assert {p: (repo / p).read_bytes() for p in before} == before

    # "Versioning and releases", as written.
    proc = _run(repo, env, _readme_block("To release a change"), stop_on_error=False)
    assert proc.returncode == 0, proc.stderr
    assert "articles: 2 added, 0 removed, 0 changed" in proc.stdout  # diff v{CUR} dist
    config = (repo / "corpuskit.toml").read_text(encoding="utf-8")
    assert f'version = "{NEXT}"' in config and f'release_date = "{today}"' in config
    meta = {m["file_name"]: m for m in _jsonl(repo / "dist", "metadata")}
    new_ids = sorted(meta[f]["doc_id"] for f in ("aaa_new.txt", "zzz_new.txt"))
    rows = {t: len(_jsonl(repo / "dist", t)) for t in ("articles", "comments", "metadata")}
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = changelog.split(f"## [{NEXT}] - {today}\n", 1)[1].split("\n## [", 1)[0]
    assert "**Why:** Two articles on the same event added." in entry
    assert (
        f"- metadata: 2 added, 0 removed, 0 changed; added: `{new_ids[0]}`, `{new_ids[1]}`."
        in entry
    )
    assert "- articles: 2 added, 0 removed, 0 changed." in entry
    assert (
        f"Rows: articles {rows['articles']}, comments {rows['comments']}, "
        f"metadata {rows['metadata']}." in entry
    )
    assert changelog.index(f"## [{NEXT}]") < changelog.index(f"## [{CUR}]")
    record = json.loads((repo / "releases.json").read_text(encoding="utf-8"))
    assert record[NEXT]["date"] == today
    assert record[NEXT]["tables"]["metadata"]["rows"] == rows["metadata"]
    card = (repo / "dist" / "README.md").read_text(encoding="utf-8")
    assert f"### {NEXT} ({today})" in card and "Two articles on the same event added." in card
    assert f'load_dataset("{REPO_ID}", "comments", split="train", revision="v{NEXT}")' in card
    assert (repo / "DATASHEET.md").read_bytes() == (repo / "dist" / "DATASHEET.md").read_bytes()
    assert _run(repo, env, f"git diff --quiet HEAD && git tag -l v{NEXT}").stdout == f"v{NEXT}\n"

    # diff against revisions reads git only: the working tree is left as it was.
    status = _run(repo, env, "git status --porcelain").stdout
    proc = _run(repo, env, f"corpuskit diff v{CUR} v{NEXT}")
    assert proc.returncode == 1 and "metadata: 2 added, 0 removed, 0 changed" in proc.stdout
    assert _run(repo, env, "corpuskit diff HEAD dist").returncode == 0
    assert _run(repo, env, "git status --porcelain").stdout == status
    proc = _run(repo, env, "corpuskit diff v9.9.9 dist")
    assert (
        proc.returncode == 2
        and '"v9.9.9": no such dataset folder, nor a git revision' in proc.stderr
    )
    proc = _run(repo, env, "corpuskit diff before-dist dist")
    assert proc.returncode == 2
    assert "revision before-dist has no committed dist/data/" in proc.stderr

    with HubStub() as stub:
        env["HF_ENDPOINT"] = stub.url
        proc = _run(repo, env, f"corpuskit publish --repo-id {REPO_ID}")
        assert proc.returncode == 0, proc.stderr
        assert set(stub.repos[REPO_ID].tags) == {f"v{NEXT}"}

        # "Removing a seed on request", as written, for one of the seeds just added.
        takedown = _readme_block("### Removing a seed on request")
        takedown = takedown.replace("FILE", "zzz_new").replace("OWNER/NAME", REPO_ID)
        proc = _run(repo, env, takedown)
        assert proc.returncode == 0, proc.stderr

        gone = meta["zzz_new.txt"]["doc_id"]
        changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
        entry = changelog.split(f"## [{NEXT2}] - {today}\n", 1)[1].split("\n## [", 1)[0]
        assert "**Why:** Removed zzz_new on the rights holder's request." in entry
        assert re.search(rf"- metadata: 0 added, 1 removed, 0 changed; removed: `{gone}`\.", entry)
        hub = stub.repos[REPO_ID]
        assert set(hub.tags) == {f"v{NEXT2}"} and hub.tags[f"v{NEXT2}"] == hub.branches["main"]
        [tree] = hub.reachable()  # one commit left: the takedown release
        local = {
            p.relative_to(repo / "dist").as_posix(): p.read_bytes()
            for p in (repo / "dist").rglob("*")
            if p.is_file()
        }
        assert {p: b for p, b in tree.items() if p != ".gitattributes"} == local
        assert gone.encode() not in tree["jsonl/metadata.jsonl"]
        assert f"earlier tags deleted: v{NEXT}" not in proc.stdout
        assert f"tags deleted: v{NEXT}" in proc.stdout


def test_a_release_refuses_a_placeholder_reason_until_it_is_written(
    checkout: tuple[Path, dict[str, str]],
) -> None:
    repo, env = checkout
    write_seed(repo / "seeds", "aaa_new.txt", invented.PLAIN)
    proc = _run(repo, env, "corpuskit release minor --date 2026-12-01")
    assert proc.returncode == 0, proc.stderr
    assert "replace the '**Why:**' line" in proc.stdout
    check = (
        "python -c 'from pathlib import Path; from corpuskit.project import Project; "
        'from corpuskit.releases.release import check; print(check(Path("dist"), Project.load()))\''
    )
    proc = _run(repo, env, check)
    assert f"write the reason for {NEXT} in place of its '**Why:**' placeholder" in proc.stdout
    # the next release needs this one tagged, and cannot go back in time
    proc = _run(repo, env, "corpuskit release patch")
    assert (
        proc.returncode == 2
        and f"no git tag v{NEXT}: tag the commit of release {NEXT}" in proc.stderr
    )
    _run(repo, env, f"git add -A && git commit -qm 'Release {NEXT}' && git tag v{NEXT}")
    proc = _run(repo, env, "corpuskit release patch --date 2020-01-01")
    assert (
        proc.returncode == 2
        and f"--date 2020-01-01 is before the release date of {NEXT}" in proc.stderr
    )


def test_a_column_removed_needs_a_major_release(
    checkout: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The previous release had a column this build has not: only `release major` will do."""
    repo, env = checkout
    old = tmp_path / "old"
    shutil.copytree(repo / "dist", old)
    for f in (old / "data" / "articles").glob("*.parquet"):
        t = pq.read_table(f)
        pq.write_table(t.append_column("retired", pa.array(["x"] * t.num_rows)), f)
    proc = _run(repo, env, f"corpuskit release minor --against {old}")
    assert proc.returncode == 1
    assert (
        "release minor refused: this change needs a major release (column(s) removed or "
        "renamed: articles.retired)" in proc.stderr
    )
    assert "  column removed: retired" in proc.stderr
    proc = _run(repo, env, f"corpuskit release major --against {old} --reason x")
    assert proc.returncode == 0, proc.stderr
    assert "- articles: column `retired` removed." in (repo / "CHANGELOG.md").read_text("utf-8")
    assert f'version = "{NEXT_MAJOR}"' in (repo / "corpuskit.toml").read_text("utf-8")


def test_a_release_rebuilds_with_the_options_of_the_build_it_replaces(
    checkout: tuple[Path, dict[str, str]],
) -> None:
    """A build with gzip'd JSONL, a seed size limit, pseudonyms, other seed patterns and
    --skip-invalid: `release` rebuilds the same kind of dataset, as build_stats.json records."""
    repo, env = checkout
    write_seed(repo / "seeds", "aaa_new.md", invented.PLAIN)
    write_seed(repo / "seeds", "zzz_empty.txt", "")
    build = (
        "python build_dataset.py build --jsonl-compression gzip --max-seed-bytes 1MiB "
        "--pseudonymize --seed-glob '*.txt' --seed-glob '*.md' --skip-invalid"
    )
    assert _run(repo, env, build).returncode == 0
    options = json.loads((repo / "dist" / "build_stats.json").read_text("utf-8"))["build_options"]
    assert options == {
        "jsonl_compression": "gzip",
        "max_seed_bytes": 1 << 20,
        "pseudonymize": True,
        "repo_id": None,
        "seed_glob": ["*.txt", "*.md"],
        "skip_invalid": True,
    }
    proc = _run(repo, env, "python build_dataset.py release minor --reason x")
    assert proc.returncode == 0, proc.stderr
    stats = json.loads((repo / "dist" / "build_stats.json").read_text("utf-8"))
    assert stats["build_options"] == options and stats["pseudonymized"] is True
    assert stats["version"] == NEXT
    assert sorted(p.name for p in (repo / "dist" / "jsonl").iterdir()) == [
        "articles.jsonl.gz",
        "comments.jsonl.gz",
        "metadata.jsonl.gz",
    ]
    meta = {m["file_name"]: m for m in _jsonl_gz(repo / "dist", "metadata")}
    assert meta["aaa_new.md"]["status"] == "ok" and meta["zzz_empty.txt"]["status"] == "rejected"


def _jsonl_gz(dist: Path, table: str) -> list[dict]:
    with gzip.open(dist / "jsonl" / f"{table}.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(x) for x in f]


@pytest.mark.parametrize(
    ("diff", "bump"),
    [
        (TableDiff(), "patch"),
        (TableDiff(changed=[("a", ["body"])]), "minor"),
        (TableDiff(removed=["a"]), "minor"),
        (TableDiff(columns_added=["c"]), "minor"),
        (TableDiff(added=["a"], columns_removed=["c"]), "major"),
    ],
)
def test_the_bump_rule(diff: TableDiff, bump: str) -> None:
    assert needed_bump({"articles": diff, "comments": TableDiff()})[0] == bump
