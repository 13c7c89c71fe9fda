"""Issue 2: the committed dist/ is what users load, and what a fresh build makes."""

from __future__ import annotations

import filecmp
import json
import re
import subprocess
import sys
from pathlib import Path

import datasets
import jsonschema
import pandas as pd
import pyarrow.parquet as pq
import pytest

from corpuskit.schema import TABLES, load
from corpuskit.writers import jsonl_line

from .conftest import DIST, REPO

EXPECTED_ROWS = {"articles": 4, "comments": 39, "metadata": 5}


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_fresh_build_reproduces_committed_dist_byte_for_byte(fresh_build: Path) -> None:
    assert _tree(fresh_build) == _tree(DIST), (
        "file lists differ: run `make dataset` and commit dist/"
    )
    different = [
        rel for rel in _tree(DIST) if not filecmp.cmp(DIST / rel, fresh_build / rel, shallow=False)
    ]
    assert different == [], f"run `make dataset` and commit dist/: {different} differ"


def test_load_dataset_default_config_is_articles(tmp_path: Path) -> None:
    ds = datasets.load_dataset(str(DIST), cache_dir=str(tmp_path), split="train")
    assert ds.num_rows == EXPECTED_ROWS["articles"]
    assert "article_id" in ds.column_names and "body" in ds.column_names


@pytest.mark.parametrize("table", TABLES)
def test_load_dataset_every_config(table: str, tmp_path: Path) -> None:
    dd = datasets.load_dataset(str(DIST), table, cache_dir=str(tmp_path))
    assert list(dd) == ["train"]
    ds = dd["train"]
    assert ds.num_rows == EXPECTED_ROWS[table]
    assert ds.features == load()[table].hf_features()


@pytest.mark.parametrize("table", TABLES)
def test_pandas_reads_each_table_folder(table: str) -> None:
    df = pd.read_parquet(DIST / "data" / table, dtype_backend="pyarrow")
    schema = load()[table]
    assert list(df.columns) == schema.column_names
    assert len(df) == EXPECTED_ROWS[table]
    for field in schema.arrow_schema():
        assert df[field.name].dtype.pyarrow_dtype == field.type, field.name


@pytest.mark.parametrize("table", TABLES)
def test_jsonl_copy_holds_the_parquet_rows(table: str) -> None:
    cols = load()[table].column_names
    rows = pq.read_table(DIST / "data" / table).to_pylist()
    lines = (
        (DIST / "jsonl" / f"{table}.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    )
    assert lines == [jsonl_line(r, cols) for r in rows]


@pytest.mark.parametrize("table", TABLES)
def test_every_row_validates_against_its_json_schema(table: str) -> None:
    schema = load()[table].json_schema
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for line in (DIST / "jsonl" / f"{table}.jsonl").read_text(encoding="utf-8").splitlines():
        errors = list(validator.iter_errors(json.loads(line)))
        assert errors == [], errors[0].message


def test_json_schema_format_checking_is_active() -> None:
    """Guards the test above: a bad date must fail, so formats really are checked."""
    schema = load()["articles"].json_schema["properties"]["published_date"]
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("2011-02-30", schema, format_checker=checker)


def test_dist_layout() -> None:
    files = _tree(DIST)
    assert not [f for f in files if f.endswith(".py")], "a loading script would break load_dataset"
    for t in TABLES:
        assert any(re.fullmatch(rf"data/{t}/train-\d{{5}}-of-\d{{5}}\.parquet", f) for f in files)
        assert f"jsonl/{t}.jsonl" in files


def _readme_python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_pandas_and_datasets_examples() -> None:
    blocks = "\n".join(_readme_python_blocks())
    assert "load_dataset(" in blocks and "pd.read_parquet(" in blocks


@pytest.mark.parametrize("index", range(len(_readme_python_blocks())))
def test_readme_python_examples_run(index: int, tmp_path: Path) -> None:
    code = _readme_python_blocks()[index]
    env = {
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_CACHE": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
