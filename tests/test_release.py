"""Issue 5: one version everywhere, a release record that guards the data, byte-identical builds,
stable IDs, and a row-level diff between two builds."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
from pathlib import Path

import pytest
from benchmarks.generate import generate

from corpuskit.cli import main
from corpuskit.errors import DataError
from corpuskit.releases import release
from corpuskit.releases.diff import diff_tables

from . import invented
from .conftest import DIST, PROJECT, REPO, SEEDS, build_into, write_seed


def test_data_built_from_seeds_match_the_release_record(fresh_build: Path) -> None:
    problems = release.check(fresh_build, PROJECT)
    assert problems == [], "\n".join([*problems, release.what_to_do(PROJECT.release().version)])


def test_changelog_and_record_agree_on_versions_dates_and_row_counts() -> None:
    entries = release.changelog_entries(PROJECT.changelog)
    record = release.load_record(PROJECT.releases)
    assert set(entries) == set(record)
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    for version, rec in record.items():
        assert entries[version] == rec["date"]
        section = text.split(f"## [{version}]")[1].split("\n## [")[0]
        m = re.search(r"Rows: articles (\d+), comments (\d+), metadata (\d+)\.", section)
        assert m, f"CHANGELOG.md: no 'Rows: ...' line under {version}"
        assert [int(x) for x in m.groups()] == [
            rec["tables"][t]["rows"] for t in ("articles", "comments", "metadata")
        ]


def test_one_version_everywhere() -> None:
    version = PROJECT.release().version
    card = (DIST / "README.md").read_text(encoding="utf-8")
    assert f"Version **{version}**" in card
    assert json.loads((DIST / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
    assert json.loads((DIST / "build_stats.json").read_text(encoding="utf-8"))["version"] == version
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in (
        "a column is removed, renamed or changes meaning",
        "rows are added, removed or changed",
        "documentation only",
    ):
        assert rule in readme


def _build_with_a_paragraph_added(tmp_path: Path, layout_mark: str, paragraph: str) -> None:
    """Copy the seeds, append a paragraph to the first seed showing ``layout_mark`` (a trait of
    its layout), and build them into tmp_path/dist."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    target = next(p for p in sorted(seeds.iterdir()) if layout_mark in p.read_text("utf-8"))
    target.write_text(target.read_text("utf-8") + f"\n\n{paragraph}\n", encoding="utf-8")
    assert build_into(seeds, tmp_path / "dist") == 0


def _same_tree(a: Path, b: Path) -> list[str]:
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    other = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files == other
    return [f for f in files if not filecmp.cmp(a / f, b / f, shallow=False)]


def test_builds_are_byte_identical_on_every_engine_and_worker_count(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    generate(seeds / "synthetic", 300, seed=3)
    assert build_into(seeds, tmp_path / "one") == 0
    for name, extra in [("two", ["--workers", "2"]), ("serial", ["--engine", "serial"])]:
        argv = ["build", "--seeds", str(seeds), "--out", str(tmp_path / name), *extra]
        assert main(argv) == 0
        assert _same_tree(tmp_path / "one", tmp_path / name) == []


def test_adding_a_seed_keeps_every_existing_row_and_id(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    write_seed(seeds, "zzz_new.txt", invented.SIGNED_BLOG)
    write_seed(seeds, "aaa_new.txt", invented.PLAIN)  # sorts first: must not shift anything
    assert build_into(seeds, tmp_path / "dist") == 0
    d = diff_tables(DIST, tmp_path / "dist", REPO)
    assert [(t, x.removed, x.changed) for t, x in d.items()] == [(t, [], []) for t in d]
    assert (len(d["articles"].added), len(d["comments"].added), len(d["metadata"].added)) == (
        2,
        6,
        2,
    )


def test_removing_both_copies_of_the_blog_post(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = [
        json.loads(x)
        for x in (DIST / "jsonl" / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    arts = [
        json.loads(x)
        for x in (DIST / "jsonl" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    blog = max(arts, key=lambda a: a["comment_count"])
    copies = {m["file_name"] for m in meta if m["article_id"] == blog["article_id"]}
    assert len(copies) == 2
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds, ignore=lambda d, names: [n for n in names if n in copies])
    assert build_into(seeds, tmp_path / "dist") == 0
    capsys.readouterr()
    assert main(["diff", str(DIST), str(tmp_path / "dist")]) == 1
    out = capsys.readouterr().out
    assert "articles: 0 added, 1 removed, 0 changed" in out
    assert "comments: 0 added, 37 removed, 0 changed" in out
    assert "metadata: 0 added, 2 removed, 0 changed" in out
    assert f"  - {blog['article_id']}" in out


def test_diff_names_changed_fields_and_speaks_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build_with_a_paragraph_added(tmp_path, "(Page", "One more closing paragraph.")
    capsys.readouterr()
    assert main(["diff", str(DIST), str(tmp_path / "dist"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["same"] is False
    [art] = report["tables"]["articles"]["changed"]
    assert art["fields"] == ["body", "char_end"]
    [meta] = report["tables"]["metadata"]["changed"]
    assert set(meta["fields"]) == {"sha256", "bytes", "chars", "lines"}
    assert main(["diff", str(DIST), str(DIST)]) == 0
    assert main(["diff", str(DIST), str(tmp_path / "missing")]) == 2


def test_a_data_change_without_a_new_version_fails_with_what_to_do(tmp_path: Path) -> None:
    _build_with_a_paragraph_added(tmp_path, "• Share", "An added paragraph.")
    problems = release.check(tmp_path / "dist", PROJECT)
    assert any("articles: the data built from seeds/ differ from the record" in p for p in problems)
    assert "corpuskit release minor" in release.what_to_do("1.0.0")
    # and `record` refuses to rewrite the released version with other data
    records = tmp_path / "releases.json"
    shutil.copy(PROJECT.releases, records)
    with pytest.raises(DataError) as exc:
        release.record(tmp_path / "dist", PROJECT, records)
    assert "was released with other data" in exc.value.lines[0]
    assert records.read_bytes() == PROJECT.releases.read_bytes()
