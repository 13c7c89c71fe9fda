"""Issue 4: validate passes on a real build and names file, row and field for each corruption."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from corpuskit.cli import main

from .conftest import DIST


def _shard(out: Path, table: str) -> Path:
    return sorted((out / "data" / table).glob("*.parquet"))[0]


def _rewrite(path: Path, change: Callable[[pa.Table], pa.Table]) -> None:
    pq.write_table(change(pq.read_table(path)), path)


def _set(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    i = table.schema.get_field_index(column)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def _edit_jsonl(out: Path, table: str, row: int, field: str, value: object) -> None:
    """Change one field of one row of a table's JSONL copy, as an editor by hand would."""
    path = out / "jsonl" / f"{table}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    data = json.loads(lines[row])
    data[field] = value
    lines[row] = json.dumps(data, ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def _validate(out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    rc = main(["validate", str(out), *extra])
    cap = capsys.readouterr()
    assert "Traceback" not in cap.out + cap.err
    return rc, cap.out


def test_committed_dist_is_valid_deep(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out = _validate(DIST, capsys, "--deep")
    assert rc == 0, out


def test_json_report(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (dist_copy / "stray.txt").write_text("x")
    assert main(["validate", str(dist_copy), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert {"rule": "manifest", "file": "stray.txt", "row": None, "field": None}.items() <= report[
        "findings"
    ][0].items()


def test_truncated_parquet(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _shard(dist_copy, "comments")
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert re.search(rf"data/comments/{f.name}: cannot read the Parquet file", out)


def test_comment_pointing_at_missing_article(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rewrite(
        _shard(dist_copy, "comments"), lambda t: _set(t, "article_id", 4, "art_0000000000000000")
    )
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert (
        "data/comments/: row 5: field 'article_id': 'art_0000000000000000' is not a article_id in articles"
        in out
    )


def test_reply_pointing_at_missing_comment(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rewrite(
        _shard(dist_copy, "comments"),
        lambda t: _set(t, "reply_to_comment_id", 0, "cmt_0000000000000000"),
    )
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert (
        "data/comments/: row 1: field 'reply_to_comment_id': 'cmt_0000000000000000' is not a comment_id"
        in out
    )


def test_dropped_column(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _shard(dist_copy, "articles")
    _rewrite(f, lambda t: t.drop_columns(["title"]))
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert f"data/articles/{f.name}: field 'title': column is missing [schema_columns]" in out


def test_wrong_type(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _shard(dist_copy, "articles")
    _rewrite(
        f,
        lambda t: t.set_column(
            t.schema.get_field_index("comment_count"),
            "comment_count",
            pc.cast(t.column("comment_count"), pa.string()),
        ),
    )
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert (
        f"data/articles/{f.name}: field 'comment_count': type is string, schema/ says int64" in out
    )


def test_duplicated_primary_key(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = pq.read_table(_shard(dist_copy, "comments")).column("comment_id")[0].as_py()
    _rewrite(_shard(dist_copy, "comments"), lambda t: _set(t, "comment_id", 1, first))
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert (
        f"data/comments/: row 2: field 'comment_id': comment_id {first!r} appears 2 times (rows 1, 2)"
        in out
    )


def test_edited_jsonl_line(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit_jsonl(dist_copy, "comments", 2, "text", "edited by hand")
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert (
        "jsonl/comments.jsonl: row 3: field 'text': differs from the Parquet row [jsonl_rows]"
        in out
    )
    assert "jsonl/comments.jsonl: altered: its sha256 differs from the manifest [manifest]" in out


def test_extra_and_missing_files(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (dist_copy / "data" / "articles" / "extra.parquet").write_bytes(
        _shard(dist_copy, "articles").read_bytes()
    )
    (dist_copy / "LICENSE-DATA.md").unlink()
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert "data/articles/extra.parquet: extra file: not in the manifest [manifest]" in out
    assert "LICENSE-DATA.md: listed in the manifest but missing [manifest]" in out


def test_stale_num_examples_in_card(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = dist_copy / "README.md"
    text = card.read_text(encoding="utf-8")
    assert "num_examples: 39" in text
    card.write_text(text.replace("num_examples: 39", "num_examples: 40"), encoding="utf-8")
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert (
        "README.md: field 'dataset_info.comments.splits.train.num_examples': config 'comments' says "
        "num_examples=40, the data has 39"
    ) in out


def test_row_breaking_json_schema(dist_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _rewrite(_shard(dist_copy, "metadata"), lambda t: _set(t, "sha256", 2, "not-a-hash"))
    rc, out = _validate(dist_copy, capsys)
    assert rc == 1
    assert re.search(
        r"data/metadata/train-\d+-of-\d+\.parquet: row 3: field 'sha256': .*does not match", out
    )


def test_frictionless_runs_on_the_jsonl(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dangling key written only into the JSONL copy is caught by frictionless itself."""
    _edit_jsonl(dist_copy, "metadata", 0, "duplicate_of", "no_such_doc")
    rc, out = _validate(dist_copy, capsys, "--deep")
    assert rc == 1
    assert re.search(r"metadata.*violates the foreign key.*\[frictionless\]", out)
    rc, out = _validate(dist_copy, capsys)  # without --deep, the same row is caught as a JSONL edit
    assert rc == 1 and "[frictionless]" not in out
    assert "jsonl/metadata.jsonl: row 1: field 'duplicate_of': differs from the Parquet row" in out


def test_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
