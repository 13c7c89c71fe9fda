"""schema/ is the single source: every derived description agrees with it and with the data."""

from __future__ import annotations

import json

import jsonschema
import pyarrow.parquet as pq
import pytest
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard

from corpuskit.schema import TABLES, load

from .conftest import DIST


@pytest.mark.parametrize("table", TABLES)
def test_schema_files_are_valid_draft_2020_12(table: str) -> None:
    doc = load()[table].json_schema
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)


@pytest.mark.parametrize("table", TABLES)
def test_parquet_schema_is_the_derived_arrow_schema(table: str) -> None:
    files = sorted((DIST / "data" / table).glob("*.parquet"))
    assert files
    for f in files:
        assert pq.read_schema(f).remove_metadata().equals(load()[table].arrow_schema())


@pytest.mark.parametrize("table", TABLES)
def test_card_features_are_the_derived_features(table: str) -> None:
    infos = DatasetInfosDict.from_dataset_card_data(DatasetCard.load(DIST / "README.md").data)
    assert infos[table].features == load()[table].hf_features()


@pytest.mark.parametrize("table", TABLES)
def test_frictionless_fields_and_keys_follow_schema(table: str) -> None:
    pkg = json.loads((DIST / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in pkg["resources"] if r["name"] == table)
    ts = load()[table]
    assert [f["name"] for f in res["schema"]["fields"]] == ts.column_names
    assert res["schema"]["primaryKey"] == ts.primary_key
    required = {
        f["name"] for f in res["schema"]["fields"] if f.get("constraints", {}).get("required")
    }
    assert required == {c.name for c in ts.columns if not c.nullable}
    assert len(res["schema"].get("foreignKeys", [])) == len(ts.foreign_keys)


def test_self_references_are_expressed_the_frictionless_way() -> None:
    fks = load()["comments"].frictionless_schema()["foreignKeys"]
    reply = next(fk for fk in fks if fk["fields"] == "reply_to_comment_id")
    assert reply["reference"] == {"resource": "", "fields": "comment_id"}


@pytest.mark.parametrize("table", TABLES)
def test_card_feature_yaml_is_what_datasets_itself_writes(table: str) -> None:
    assert load()[table].hf_features_yaml() == load()[table].hf_features()._to_yaml_list()
