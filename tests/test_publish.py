"""Issue 7: publish drives the real huggingface_hub client against a stand-in Hub on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpuskit.package import sha256_file

from .conftest import DIST, PROJECT, REPO
from .hubstub import TOKEN, HubStub, Repo

REPO_ID = "koussa-org/koussa-corpus"


def _env(tmp_path: Path, token: str | None = TOKEN) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(
        HOME=str(tmp_path),
        HF_HOME=str(tmp_path / "hf"),
        HF_HUB_DISABLE_XET="1",
        HF_HUB_DISABLE_TELEMETRY="1",
    )
    if token:
        env["HF_TOKEN"] = token
    return env


def _publish(
    stub: HubStub, tmp_path: Path, *args: str, dist: Path = DIST, token: str | None = TOKEN
) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable,
        str(REPO / "build_dataset.py"),
        "publish",
        "--repo-id",
        REPO_ID,
        "--dir",
        str(dist),
        "--endpoint",
        stub.url,
        *args,
    ]
    proc = subprocess.run(
        cmd, env=_env(tmp_path, token), capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr  # the token is never printed
    return proc


def _local_files(dist: Path) -> dict[str, bytes]:
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()}


@pytest.fixture
def stub():  # type: ignore[no-untyped-def]
    with HubStub() as s:
        yield s


def test_publish_uploads_dist_exactly_and_tags_it(stub: HubStub, tmp_path: Path) -> None:
    proc = _publish(stub, tmp_path, "--private")
    assert proc.returncode == 0, proc.stderr
    repo = stub.repos[REPO_ID]
    assert repo.private is True
    tag = f"v{PROJECT.release().version}"
    assert tag in repo.tags and repo.tags[tag] == repo.branches["main"]
    remote = repo.files_at(tag)
    assert {p: b for p, b in remote.items() if p != ".gitattributes"} == _local_files(DIST)
    assert any(p.endswith(".parquet") for p in remote)  # Parquet went through the LFS path
    assert set(stub.lfs) == {sha256_file(p) for p in DIST.rglob("*.parquet")}
    assert f"as {tag}" in proc.stdout


@pytest.mark.slow
def test_second_publish_of_the_same_version_changes_nothing(stub: HubStub, tmp_path: Path) -> None:
    assert _publish(stub, tmp_path).returncode == 0
    commits = list(stub.repos[REPO_ID].commits)
    proc = _publish(stub, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "already published with exactly this content; nothing to do" in proc.stdout
    assert stub.repos[REPO_ID].commits == commits
    methods = [
        r for r in stub.requests if r[0] == "POST" and ("/commit/" in r[1] or "/tag/" in r[1])
    ]
    assert len(methods) == 2  # one commit and one tag, both from the first publish


@pytest.mark.slow
def test_same_version_with_other_content_is_refused(
    stub: HubStub, tmp_path: Path, dist_copy: Path
) -> None:
    assert _publish(stub, tmp_path).returncode == 0
    commits = list(stub.repos[REPO_ID].commits)
    (dist_copy / "LICENSE-DATA.md").write_text("changed\n", encoding="utf-8")
    from corpuskit.package import write_manifest

    write_manifest(dist_copy)  # still a valid dataset, but not the one released as this version
    proc = _publish(stub, tmp_path, dist=dist_copy)
    assert proc.returncode == 1
    assert (
        "already exists with other content" in proc.stderr
        and "different content: LICENSE-DATA.md" in proc.stderr
    )
    assert stub.repos[REPO_ID].commits == commits


@pytest.mark.slow  # 5-10 s (a stub Hub, a build); CI runs it
def test_remote_files_no_longer_in_dist_are_deleted_in_the_same_commit(
    stub: HubStub, tmp_path: Path
) -> None:
    with stub.lock:
        stub.repos[REPO_ID] = repo = Repo(private=False)
        repo.commit({".gitattributes": b"x\n", "old/stale.txt": b"gone soon\n"}, "earlier")
    assert _publish(stub, tmp_path).returncode == 0
    files = repo.files_at("main")
    assert "old/stale.txt" not in files and ".gitattributes" in files
    assert len(repo.commits) == 2


def test_invalid_dist_is_refused_before_any_request(
    stub: HubStub, tmp_path: Path, dist_copy: Path
) -> None:
    (dist_copy / "stray.txt").write_text("not in the manifest\n")
    proc = _publish(stub, tmp_path, dist=dist_copy)
    assert proc.returncode == 1
    assert "is not valid, so it was not published" in proc.stderr and "stray.txt" in proc.stderr
    assert stub.requests == []


@pytest.mark.slow
def test_server_error_mid_upload_is_clear_and_leaves_the_remote_as_it_was(
    stub: HubStub, tmp_path: Path
) -> None:
    stub.fail_next_commit = True
    proc = _publish(stub, tmp_path)
    assert proc.returncode == 1
    assert "publish to koussa-org/koussa-corpus failed: HTTP 500" in proc.stderr
    assert "nothing was committed: the remote is as it was" in proc.stderr
    repo = stub.repos[REPO_ID]
    assert [m for _, _, m in repo.commits] == ["initial commit"] and repo.tags == {}
    assert _publish(stub, tmp_path).returncode == 0  # and a retry then succeeds


def test_no_token_says_how_to_log_in(stub: HubStub, tmp_path: Path) -> None:
    proc = _publish(stub, tmp_path, token=None)
    assert proc.returncode == 1
    assert "no Hugging Face token" in proc.stderr and "hf auth login" in proc.stderr
    assert stub.requests == []


def test_dry_run_sends_nothing_and_lists_every_file(stub: HubStub, tmp_path: Path) -> None:
    proc = _publish(stub, tmp_path, "--dry-run", token=None)
    assert proc.returncode == 0, proc.stderr
    assert stub.requests == []
    version = PROJECT.release().version
    assert f"as version {version}" in proc.stdout and f"tag:      v{version}" in proc.stdout
    assert f"repo:     {REPO_ID}" in proc.stdout and "revision: main" in proc.stdout
    for rel, data in _local_files(DIST).items():
        assert f"{len(data):>12}  {sha256_file(DIST / rel)}  {rel}" in proc.stdout


def test_bad_repo_id_is_a_usage_error(stub: HubStub, tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        str(REPO / "build_dataset.py"),
        "publish",
        "--repo-id",
        "no-slash",
        "--dry-run",
    ]
    proc = subprocess.run(
        cmd, env=_env(tmp_path), capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert proc.returncode == 2 and "OWNER/NAME" in proc.stderr
