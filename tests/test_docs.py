"""Issue 6: the datasheet, the card and Croissant are complete, and their numbers are the data's."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

import datasets
import pandas as pd
from huggingface_hub import DatasetCard, DatasetCardData

from corpuskit.docs.card import size_category
from corpuskit.package import sha256_file
from corpuskit.schema import TABLES, load

from .conftest import DIST, PROJECT, REPO

SECTIONS = {  # Gebru et al. (CACM 2021): questions per section, "Any other comments?" included
    "Motivation": 4,
    "Composition": 16,
    "Collection Process": 12,
    "Preprocessing/Cleaning/Labeling": 4,
    "Uses": 6,
    "Distribution": 7,
    "Maintenance": 8,
}
RESOURCES = Path(datasets.__file__).parent / "utils" / "resources"


def _df(table: str) -> pd.DataFrame:
    return pd.read_parquet(DIST / "data" / table)


def _datasheet() -> str:
    return (REPO / "DATASHEET.md").read_text(encoding="utf-8")


def test_datasheet_at_root_is_the_rendered_one() -> None:
    assert _datasheet() == (DIST / "DATASHEET.md").read_text(encoding="utf-8"), "run `make dataset`"


def test_datasheet_answers_all_57_questions_section_by_section() -> None:
    text = _datasheet()
    parts = re.split(r"^## ", text, flags=re.M)
    found = {}
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        questions = [ln for ln in body.splitlines() if ln.endswith("?")]
        found[title.strip()] = len(questions)
        for q in questions:  # every question is followed by an answer, not by another question
            after = body.split(q, 1)[1].lstrip("\n").splitlines()[0]
            assert after and not after.endswith("?"), q
    assert {k: found.get(k) for k in SECTIONS} == SECTIONS
    assert sum(SECTIONS.values()) == 57
    assert "Data Statement" in found


def test_datasheet_has_no_placeholder() -> None:
    text = _datasheet()
    for marker in ("$", "TODO", "TBD", "XXX", "{{", "N/A", "lorem"):
        assert marker not in text, marker


def test_datasheet_says_what_is_unknown() -> None:
    text = _datasheet()
    assert "source URLs and crawl dates are not in the seeds and are unknown" in text
    assert "page 3\nof 3" in text or "page 3 of 3" in text
    assert (
        "copyright of their publishers and\ncommenters" in text
        or "copyright of their publishers" in text
    )
    assert "Curation rationale" in text and "BCP-47" in text and "Speaker demographic" in text
    assert "Speech situation" in text and "Text characteristics" in text


def _quartiles(values: list[int]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4, method="inclusive")
    return round(q[0], 1), round(q[1], 1), round(q[2], 1)


def test_datasheet_and_card_figures_match_the_data() -> None:
    arts, cmts, meta = _df("articles"), _df("comments"), _df("metadata")
    chars = [len(t) for t in cmts["text"]]
    words = [len(t.split()) for t in cmts["text"]]
    p25, med, p75 = _quartiles(chars)
    w25, wmed, w75 = _quartiles(words)
    dates = sorted(d.isoformat() for d in arts["published_date"].dropna())
    posted = sorted(str(t) for t in cmts["posted_at"].dropna())
    rules: dict[str, int] = {}
    for items in meta["boilerplate"]:
        for b in items:
            rules[b["rule"]] = rules.get(b["rule"], 0) + 1
    card = (DIST / "README.md").read_text(encoding="utf-8")
    for text in (_datasheet(), card):
        assert f"{len(arts)} articles" in text and f"{len(cmts)} comments" in text
        assert f"{len(meta)} metadata" in text
        assert (
            f"| comment text ({len(cmts)} comments) | {min(chars)} | {p25} | {med} | {p75} | {max(chars)} | "
            in text
        )
        assert f"{round(statistics.fmean(chars), 1)} |" in text
        assert f"from {dates[0]} to {dates[-1]}" in text
        assert f"from {posted[0]} to {posted[-1]}" in text
        for status, n in meta["status"].value_counts().items():
            assert f"| `{status}` | {n} |" in text
        for layout, n in meta["layout"].value_counts().items():
            assert f"| `{layout}` | {n} |" in text
        for rule, n in rules.items():
            assert f"| `{rule}` | {n} |" in text
        assert f"{sum(rules.values())} boilerplate lines were removed" in text
    assert (
        f"| comment text ({len(cmts)} comments) | {min(words)} | {w25} | {wmed} | {w75} | {max(words)} | "
        in _datasheet()
    )
    assert (
        f"{(meta['status'] == 'duplicate').sum()} near-duplicate seed(s) were merged"
        in _datasheet()
    )
    assert f"{cmts['author_id'].nunique()} commenters appear" in _datasheet()


# -- the card -----------------------------------------------------------------------------------


def _card() -> DatasetCard:
    return DatasetCard.load(DIST / "README.md")


def test_card_yaml_round_trips_through_huggingface_hub() -> None:
    data = _card().data
    again = DatasetCardData(**data.to_dict())
    assert again.to_dict() == data.to_dict()
    assert DatasetCard(f"---\n{data.to_yaml()}\n---\n").data.to_dict() == data.to_dict()


def test_card_yaml_fields_and_allowed_values() -> None:
    d = _card().data.to_dict()
    assert d["pretty_name"]
    assert d["license"] == "other" and d["license_name"]
    assert (DIST / d["license_link"]).is_file()
    languages = json.loads((RESOURCES / "languages.json").read_text(encoding="utf-8"))
    assert all(lang in languages for lang in d["language"])
    sizes = json.loads((RESOURCES / "size_categories.json").read_text(encoding="utf-8"))
    rows = {t: len(_df(t)) for t in TABLES}
    assert d["size_categories"] == [size_category(max(rows.values()))]
    assert all(s in sizes for s in d["size_categories"])
    from datasets.utils.metadata import known_task_ids

    assert all(t in known_task_ids for t in d["task_categories"])
    assert d["tags"]
    assert [c["config_name"] for c in d["configs"]] == list(TABLES)


def test_card_body_has_the_hub_template_sections_and_field_tables() -> None:
    text = _card().text
    for heading in (
        "## Dataset Details",
        "## Uses",
        "### Out-of-Scope Use",
        "## Dataset Structure",
        "## Dataset Creation",
        "### Source Data",
        "### Personal and Sensitive Information",
        "## Bias, Risks, and Limitations",
        "## Citation",
    ):
        assert heading in text, heading
    for t in TABLES:
        for c in load()[t].columns:
            assert f"| `{c.name}` |" in text
    assert 'dtype_backend="pyarrow"' in text and "duckdb" in text and "load_dataset(" in text
    assert "--pseudonymize" in text and "published release keeps" in text


def test_card_python_examples_run(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", _card().text, flags=re.S)
    assert len(blocks) == 3
    env = {
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_CACHE": str(tmp_path),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    for code in blocks:
        proc = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]


# -- Croissant -------------------------------------------------------------------------------------


def _croissant() -> dict:
    return json.loads((DIST / "croissant.json").read_text(encoding="utf-8"))


def test_croissant_validates_with_mlcroissant() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mlcroissant", "validate", "--jsonld", "croissant.json"],
        cwd=DIST,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0 and "No module named mlcroissant.__main__" in proc.stderr:
        proc = subprocess.run(
            [
                str(Path(sys.executable).parent / "mlcroissant"),
                "validate",
                "--jsonld",
                "croissant.json",
            ],
            cwd=DIST,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "error" not in proc.stderr.lower().replace("errors: 0", "")


def test_croissant_reads_every_record_set_like_the_parquet() -> None:
    import mlcroissant as mlc

    ds = mlc.Dataset(jsonld=DIST / "croissant.json")
    for t in TABLES:
        records = list(ds.records(record_set=t))
        df = _df(t)
        assert len(records) == len(df)
        pk = load()[t].primary_key
        got = sorted(r[f"{t}/{pk}"].decode() for r in records)
        assert got == sorted(df[pk])


def test_croissant_files_fields_keys_and_rai() -> None:
    doc = _croissant()
    assert doc["version"] == PROJECT.release().version
    assert "http://mlcommons.org/croissant/RAI/1.0" in doc["conformsTo"]
    files = {f["contentUrl"]: f for f in doc["distribution"] if f["@type"] == "cr:FileObject"}
    parquet = sorted(p.relative_to(DIST).as_posix() for p in DIST.glob("data/*/*.parquet"))
    assert sorted(files) == parquet
    for rel, f in files.items():
        assert f["sha256"] == sha256_file(DIST / rel)
    for rs in doc["recordSet"]:
        schema = load()[rs["name"]]
        names = [f["name"].split("/", 1)[1] for f in rs["field"]]
        assert names == [c.name for c in schema.columns]  # nested boilerplate included
        assert rs["key"] == {"@id": f"{rs['name']}/{schema.primary_key}"}
    comments = next(rs for rs in doc["recordSet"] if rs["name"] == "comments")
    art = next(f for f in comments["field"] if f["name"] == "comments/article_id")
    assert art["references"] == {"field": {"@id": "articles/article_id"}}
    for key in (
        "rai:dataCollection",
        "rai:dataCollectionType",
        "rai:dataCollectionTimeframe",
        "rai:dataPreprocessingProtocol",
        "rai:personalSensitiveInformation",
        "rai:dataBiases",
        "rai:dataLimitations",
        "rai:dataUseCases",
        "rai:dataSocialImpact",
        "rai:dataReleaseMaintenancePlan",
    ):
        assert doc[key], key
    dates = sorted(d.isoformat() for d in _df("articles")["published_date"].dropna())
    assert doc["rai:dataCollectionTimeframe"] == [dates[0], dates[-1]]


def test_version_in_datasheet_and_croissant() -> None:
    version = PROJECT.release().version
    assert f"Version {version}," in _datasheet()
    assert _croissant()["version"] == version
