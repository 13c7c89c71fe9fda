"""Issue 4: bad seeds are refused by name (strict) or recorded as rejected (--skip-invalid);
every input file is accounted for, and a refused build writes nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from corpuskit.cli import main
from corpuskit.errors import qname

from .conftest import SEEDS, build_into, write_seed

BAD = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n\t \r\n", "whitespace_only"),
    "nul.txt": (b"A title\n\nSome body\x00\x00 text\n", "binary"),
    "undecodable.txt": (
        b"A title\n\nBody with bytes \x81\x8d that no codec reads\n",
        "undecodable",
    ),
    "page_html.txt": (b"<!DOCTYPE html><html><body><h1>T</h1><p>Body</p></body></html>", "markup"),
    # issue 12: a page is rejected for having no line of prose, never for its first line
    "no_prose.txt": (("word " * 400).encode(), "no_body"),
    "no_body.txt": (b"Only a title here\n\n\n", "no_body"),
}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    for name, (data, _) in BAD.items():
        write_seed(seeds, name, data)
    os.symlink(tmp_path / "nowhere.txt", seeds / "dangling.txt")
    return seeds


def test_strict_build_names_every_bad_seed_and_writes_nothing(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    assert build_into(mixed, out) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for name, (_, code) in BAD.items():
        assert f"{qname(mixed / name)}: {code}: " in err, name
    assert f"{qname(mixed / 'dangling.txt')}: unreadable: " in err
    assert f"{len(BAD) + 1} of {len(BAD) + 6} seeds cannot be used" in err
    assert not out.exists()
    assert not list(tmp_path.glob(".dist.*"))  # no staging folder left behind


def test_strict_failure_leaves_previous_dataset_untouched(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build_into(SEEDS, out) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert build_into(mixed, out) == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_skip_invalid_accounts_for_every_file(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    assert build_into(mixed, out, "--skip-invalid") == 0
    meta = [
        json.loads(x)
        for x in (out / "jsonl" / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(m["file_name"] for m in meta) == sorted(p.name for p in mixed.iterdir())
    rejected = {m["file_name"]: m for m in meta if m["status"] == "rejected"}
    assert set(rejected) == {*BAD, "dangling.txt"}
    for name, (_, code) in BAD.items():
        assert rejected[name]["error"].startswith(f"{code}: "), rejected[name]["error"]
        assert rejected[name]["article_id"] is None
    assert (
        rejected["empty.txt"]["sha256"]
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    stats = json.loads((out / "build_stats.json").read_text(encoding="utf-8"))
    assert stats["seeds_by_status"] == {"duplicate": 1, "ok": 4, "rejected": len(BAD) + 1}
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0, capsys.readouterr().out


def test_a_folder_with_no_usable_seed_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "empty.txt", b"")
    assert build_into(seeds, tmp_path / "dist", "--skip-invalid") == 1
    assert "no usable seed" in capsys.readouterr().err


def test_same_doc_id_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", "Title one\n\nBody one.\n")
    write_seed(seeds, "a.md", "Title two\n\nBody two.\n")
    assert build_into(seeds, tmp_path / "dist", "--seed-glob", "*.txt", "--seed-glob", "*.md") == 1
    err = capsys.readouterr().err
    for name in ("a.txt", "a.md"):  # both: neither can take the doc_id from the other
        assert (
            f'{qname(seeds / name)}: doc_id_collision: "a.md" and "a.txt" map to one doc_id, "a"'
            in err
        )
