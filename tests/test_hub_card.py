"""Issue 15: with a repo id, the card, datapackage.json and croissant.json are written for the
Hub, and the card's own examples load from the stand-in Hub through the real clients, pinned to
the release tag."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from .conftest import PROJECT, REPO, SEEDS, build_into
from .hubstub import HubStub
from .test_publish import REPO_ID, _env


@pytest.fixture(scope="module")
def hub_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hub") / "dist"
    assert build_into(SEEDS, out, "--repo-id", REPO_ID) == 0
    return out


def _card(dist: Path) -> tuple[dict, str]:
    text = (dist / "README.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_the_card_is_written_for_the_hub(hub_dist: Path) -> None:
    meta, body = _card(hub_dist)
    tag = PROJECT.release().tag
    url = f"https://huggingface.co/datasets/{REPO_ID}"
    assert f'load_dataset("{REPO_ID}", "comments", split="train", revision="{tag}")' in body
    assert f'pd.read_parquet("hf://datasets/{REPO_ID}@{tag}/data/comments"' in body
    assert "./dist" not in body and "dist/data" not in body
    assert (
        f"- **Repository:** <{url}>; this release is its tag [`{tag}`]({url}/tree/{tag})." in body
    )
    assert f"- **Takedown requests:** Open a discussion at {url}/discussions." in body
    assert f"read them from [`croissant.json`]({url}/resolve/{tag}/croissant.json)" in body
    assert "mlcommons/croissant#724" in body
    # "Versions", from CHANGELOG.md
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    for version, date in re.findall(r"^## \[(\S+)\] - (\S+)$", changelog, re.M):
        assert f"### {version} ({date})" in body
    assert "First release, built from the five seeds" in body
    # the task categories do not contradict the out-of-scope uses
    assert meta["task_categories"] == ["text-retrieval"]
    assert "training models\nmeant to generalise" in body or "training models meant" in body
    license_text = (hub_dist / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert "publish --purge-history" in license_text and f"{url}/discussions" in license_text


def test_datapackage_and_croissant_describe_the_dataset_with_absolute_urls(hub_dist: Path) -> None:
    description = tomllib.loads((REPO / "corpuskit.toml").read_text(encoding="utf-8"))[
        "description"
    ]
    tool = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert description != tool["description"]
    tag = PROJECT.release().tag
    url = f"https://huggingface.co/datasets/{REPO_ID}"
    package = json.loads((hub_dist / "datapackage.json").read_text(encoding="utf-8"))
    assert package["description"] == description and package["homepage"] == url
    assert package["licenses"][0]["path"] == f"{url}/resolve/{tag}/LICENSE-DATA.md"
    croissant = json.loads((hub_dist / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["description"] == description
    assert croissant["url"] == url
    assert croissant["license"] == f"{url}/resolve/{tag}/LICENSE-DATA.md"


def test_croissant_reads_the_nested_boilerplate_records(hub_dist: Path) -> None:
    import mlcroissant as mlc

    ds = mlc.Dataset(jsonld=hub_dist / "croissant.json")
    records = {
        r["metadata/doc_id"].decode(): r["metadata/boilerplate"]
        for r in ds.records(record_set="metadata")
    }
    table = pq.read_table(hub_dist / "data" / "metadata").to_pylist()
    assert sum(len(r["boilerplate"]) for r in table) > 0
    for row in table:
        got = [
            {
                "line": b["metadata/boilerplate/line"],
                "rule": b["metadata/boilerplate/rule"].decode(),
                "text": b["metadata/boilerplate/text"].decode(),
                "score": _number(b["metadata/boilerplate/score"]),
            }
            for b in records[row["doc_id"]]
        ]
        assert got == row["boilerplate"]


def _number(value: object) -> float | None:
    """A nullable float as mlcroissant reads it: NaN where the row holds null."""
    if value is None:
        return None
    f = float(value)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


def _code_blocks(body: str) -> list[str]:
    loading = body.split("### Loading", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", loading, re.S)


def test_the_cards_examples_load_from_the_hub_pinned_to_the_release(
    hub_dist: Path, tmp_path: Path
) -> None:
    _, body = _card(hub_dist)
    datasets_block, pandas_block, _duckdb = _code_blocks(body)
    with HubStub() as stub:
        env = _env(tmp_path)
        cmd = [sys.executable, str(REPO / "build_dataset.py"), "publish", "--dir", str(hub_dist)]
        proc = subprocess.run(
            [*cmd, "--repo-id", REPO_ID, "--endpoint", stub.url],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        assert "built without a repo id" not in proc.stdout
        # A later commit on main keeps only five comments (its card is not updated, hence
        # no_checks below): the pinned examples must not see it.
        repo = stub.repos[REPO_ID]
        with stub.lock:
            files = dict(repo.files_at("main"))
            rel = "data/comments/train-00000-of-00001.parquet"
            few = tmp_path / "few.parquet"
            pq.write_table(pq.read_table(hub_dist / rel).slice(0, 5), few)
            files[rel] = few.read_bytes()
            repo.commit(files, "later change on main")
        env["HF_ENDPOINT"] = stub.url
        script = "\n".join(
            [
                datasets_block,
                "print('pinned', articles.num_rows, comments.num_rows)",
                f"latest = load_dataset({REPO_ID!r}, 'comments', split='train', verification_mode='no_checks')",
                "print('latest', latest.num_rows)",
                pandas_block,
                "print('pandas', len(comments))",
            ]
        )
        proc = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    n_articles = pq.read_metadata(hub_dist / "data/articles/train-00000-of-00001.parquet").num_rows
    n_comments = pq.read_metadata(hub_dist / rel).num_rows
    assert f"pinned {n_articles} {n_comments}" in proc.stdout
    assert "latest 5" in proc.stdout
    assert f"pandas {n_comments}" in proc.stdout


@pytest.mark.slow  # 5-10 s (a stub Hub, a build); CI runs it
def test_publish_refuses_a_dist_built_for_another_repo(hub_dist: Path, tmp_path: Path) -> None:
    with HubStub() as stub:
        proc = subprocess.run(
            [
                sys.executable,
                str(REPO / "build_dataset.py"),
                "publish",
                "--dir",
                str(hub_dist),
                "--repo-id",
                "someone-else/other",
                "--endpoint",
                stub.url,
            ],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 1
        assert f"was built for the Hub repo {REPO_ID}, not someone-else/other" in proc.stderr
        assert stub.repos == {}


@pytest.mark.slow  # 5-10 s (a stub Hub, a build); CI runs it
def test_purge_history_refuses_when_main_moved_past_the_release(
    hub_dist: Path, tmp_path: Path
) -> None:
    """Squashing then would publish main's later commit under the release tag: refused, and the
    Hub's history and tags are left alone."""
    cmd = [sys.executable, str(REPO / "build_dataset.py"), "publish", "--dir", str(hub_dist)]
    with HubStub() as stub:
        args = [*cmd, "--repo-id", REPO_ID, "--endpoint", stub.url]
        run = {"env": _env(tmp_path), "capture_output": True, "text": True, "timeout": 300}
        assert subprocess.run(args, **run).returncode == 0  # type: ignore[call-overload]
        repo = stub.repos[REPO_ID]
        with stub.lock:
            repo.commit({**repo.files_at("main"), "extra.txt": b"later\n"}, "later on main")
        before = (list(repo.commits), dict(repo.tags), dict(repo.branches))
        proc = subprocess.run([*args, "--purge-history"], **run)  # type: ignore[call-overload]
        assert proc.returncode == 1
        assert "main has commits after" in proc.stderr and "was not squashed" in proc.stderr
        assert (list(repo.commits), dict(repo.tags), dict(repo.branches)) == before
        assert len(repo.reachable()) == 3  # initial commit, the release, the later commit
