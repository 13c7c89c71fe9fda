"""Issue 13, items 7 and 12: validate checks each document against the data, not only through
the manifest; reads the manifest as sha256sum -c does; names a damaged Parquet file and goes
on; and an empty table is a valid, loadable config. The build's own check runs all of it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpuskit import distlayout, package
from corpuskit.checks import quick_check
from corpuskit.cli import main

from .conftest import build_into, write_seed
from .test_validate import _shard, _validate


def _edit_json(path: Path, change: object) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


@pytest.mark.parametrize("name", ["croissant.json", "datapackage.json", distlayout.STATS])
def test_document_that_does_not_parse_after_a_new_manifest(
    name: str, dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (dist_copy / name).write_text('{"version": "1.0.0", ', encoding="utf-8")
    package.write_manifest(dist_copy)
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert f"{name}: does not parse as JSON" in out


def test_croissant_checksum_and_size_against_the_files(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel = _shard(dist_copy, "comments").relative_to(dist_copy).as_posix()

    def change(doc: dict) -> None:
        for d in doc["distribution"]:
            if d.get("contentUrl") == rel:
                d["sha256"] = "0" * 64
                d["contentSize"] = "1 B"

    _edit_json(dist_copy / "croissant.json", change)
    package.write_manifest(dist_copy)
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert f"croissant.json: field 'distribution': the sha256 of {rel} is not the file's" in out
    assert f"croissant.json: field 'distribution': says {rel} has 1 B" in out


def test_invalid_datapackage_is_caught_without_deep(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(doc: dict) -> None:
        doc["resources"][1]["schema"]["fields"][0]["type"] = "integer"

    _edit_json(dist_copy / "datapackage.json", change)
    package.write_manifest(dist_copy)
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert (
        "datapackage.json: field 'resources.1.schema': the table schema of resource 'comments' "
        "differs from the one schema/ gives [datapackage]"
    ) in out


def test_build_stats_against_the_data(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(doc: dict) -> None:
        doc["rows"]["comments"] += 1
        doc["seeds_by_status"]["ok"] += 1

    _edit_json(dist_copy / distlayout.STATS, change)
    package.write_manifest(dist_copy)
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert re.search(r"build_stats.json: field 'rows.comments': says \d+ rows, data/comments/", out)
    assert "build_stats.json: field 'seeds_by_status'" in out


def test_version_changed_in_one_file_only(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_json(dist_copy / "datapackage.json", lambda d: d.update(version="9.9.9"))
    package.write_manifest(dist_copy)
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert "datapackage.json: field 'version': states version 9.9.9, but the documents" in out
    assert "croissant.json: field 'version'" not in out  # only the odd one out is named


def test_added_file_after_a_new_manifest(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (dist_copy / "notes.txt").write_text("mine\n", encoding="utf-8")
    shutil.copy(_shard(dist_copy, "articles"), dist_copy / "data" / "articles" / "copy.parquet")
    package.write_manifest(dist_copy)
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert "notes.txt: not a file of this dataset" in out
    assert "data/articles/copy.parquet: not a file of this dataset" in out


def test_manifest_comments_blank_lines_and_binary_mode_are_accepted(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = package.dist_files(dist_copy)
    done = subprocess.run(
        ["sha256sum", "-b", *files], cwd=dist_copy, capture_output=True, text=True, check=True
    )
    text = "# checksums of the dataset\n\n" + done.stdout + "\n"
    (dist_copy / distlayout.MANIFEST).write_text(text, encoding="utf-8")
    check = subprocess.run(["sha256sum", "-c", distlayout.MANIFEST], cwd=dist_copy, check=False)
    assert check.returncode == 0  # the same manifest, as sha256sum itself reads it
    rc, out = _validate(dist_copy, capsys)
    assert rc == 0, out


def test_manifest_line_that_cannot_be_read_is_named(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = dist_copy / distlayout.MANIFEST
    path.write_text(path.read_text(encoding="utf-8") + "not a checksum line\n", encoding="utf-8")
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert f"MANIFEST.sha256: row {n}: line {n} is not a checksum line" in out
    assert "listed in the manifest but missing" not in out


def test_damaged_parquet_page_is_named_and_later_tables_are_checked(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _shard(dist_copy, "comments")
    data = bytearray(f.read_bytes())
    meta = pq.ParquetFile(f).metadata
    col = meta.row_group(0).column(meta.schema.to_arrow_schema().get_field_index("text"))
    start = (col.dictionary_page_offset or col.data_page_offset) + 40  # inside its first page
    data[start : start + 64] = bytes(64)
    f.write_bytes(bytes(data))
    path = dist_copy / "jsonl" / "metadata.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = json.loads(lines[0])
    row["file_name"] = "edited.txt"
    lines[0] = json.dumps(row, ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    package.write_manifest(dist_copy)
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert f"data/comments/{f.name}: cannot read the rows" in out
    assert "(dataset)" not in out
    assert "jsonl/metadata.jsonl: row 1: field 'file_name': differs from the Parquet row" in out


def test_corpus_without_comments_builds_validates_and_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", "A title\n\nA body with the words of the story in it.\n")
    out = tmp_path / "dist"
    assert build_into(seeds, out) == 0
    assert pq.ParquetFile(_shard(out, "comments")).metadata.num_rows == 0
    rc, report = _validate(out, capsys, "--deep")
    assert rc == 0, report
    import datasets

    ds = datasets.load_dataset(str(out), "comments", split="train", streaming=True)
    assert list(ds) == [] and "comment_id" in ds.features
    assert main(["publish", "--repo-id", "owner/name", "--dry-run", "--dir", str(out)]) == 0


def test_the_build_check_runs_what_validate_runs(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check before the swap finds what validate finds by default (rows, card, documents),
    the manifest's re-hash aside; validate's full load_dataset also refuses the stale count,
    which the build's streamed first row does not read (the card check names it for both)."""
    card = dist_copy / "README.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(re.sub(r"num_examples: (\d+)", r"num_examples: 9\1", text, count=1))
    _edit_json(dist_copy / "datapackage.json", lambda d: d.update(version="0.0.1"))
    package.write_manifest(dist_copy)
    rules = {f.rule for f in quick_check(dist_copy)}
    assert {"card_num_examples", "document_version"} <= rules
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert "card_load_dataset" not in rules
    assert {r for r in re.findall(r"\[(\w+)\]", out)} == rules | {"card_load_dataset"}


def test_the_build_check_loads_every_config_from_the_card(dist_copy: Path) -> None:
    """The build's load_dataset check streams each config's first row, through the card: a
    config whose files the card points elsewhere is found (the files themselves are sound)."""
    card = dist_copy / "README.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("path: data/comments/*.parquet", "path: data/comment/*.parquet"))
    package.write_manifest(dist_copy)
    found = [f for f in quick_check(dist_copy) if f.rule == "card_load_dataset"]
    assert len(found) == 1 and "load_dataset(..., 'comments') fails" in found[0].message, found
