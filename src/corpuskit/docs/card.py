"""``dist/README.md`` (the Hugging Face dataset card), ``DATASHEET.md``, ``LICENSE-DATA.md`` and
``croissant.json``.

The card's field tables come from ``schema/``; every number in every document comes from
:func:`corpuskit.docs.figures.figures`, computed from the tables as they were written; the
dataset's facts and prose from the project.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .. import distlayout, package, provenance
from ..distlayout import CROISSANT, DATASHEET, jsonl_path
from ..project import Project, Release
from ..schema import TABLES, TableSchema
from . import croissant, figures

#: Tags every dataset this tool builds earns: its ``metadata`` table records each row's source
#: file (sha256, encoding, layout, removed lines).
TOOL_TAGS = ("provenance",)


def field_table(schema: TableSchema) -> str:
    arrow = schema.arrow_schema()
    rows = ["| field | type | nullable | description |", "|---|---|---|---|"]
    for c in schema.columns:
        desc = c.description.replace("|", "\\|")
        nullable = "yes" if c.nullable else "no"
        rows.append(f"| `{c.name}` | `{arrow.field(c.name).type}` | {nullable} | {desc} |")
    return "\n".join(rows)


def size_category(n: int) -> str:
    bounds = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
    ]
    return next((label for bound, label in bounds if n < bound), "100M<n<1B")


def tags(keywords: list[str]) -> list[str]:
    """The card's tags: the project's keywords as Hub tags (lower case, hyphens for spaces),
    then the tool's own."""
    own = ["-".join(k.lower().split()) for k in keywords]
    return own + [t for t in TOOL_TAGS if t not in own]


def card_metadata(
    schemas: dict[str, TableSchema],
    counts: dict[str, int],
    sizes: dict[str, int],
    release: Release,
    project: Project,
    tables: tuple[str, ...] = TABLES,
) -> dict[str, Any]:
    """The card's YAML: one config per table (articles the default), features from schema/."""
    configs = []
    infos = []
    for t in tables:
        cfg: dict[str, Any] = {
            "config_name": t,
            "data_files": [{"split": "train", "path": distlayout.table_pattern(t)}],
        }
        if t == package.DEFAULT_CONFIG:
            cfg["default"] = True
        configs.append(cfg)
        infos.append(
            {
                "config_name": t,
                "features": schemas[t].hf_features_yaml(),
                "splits": [{"name": "train", "num_bytes": sizes[t], "num_examples": counts[t]}],
            }
        )
    licence = project.license
    meta: dict[str, Any] = {"pretty_name": release.title, "license": licence.id}
    if licence.id == "other":
        meta |= {"license_name": licence.name or "other", "license_link": licence.file}
    meta |= {"language": project.languages}
    if project.task_categories:
        meta["task_categories"] = project.task_categories
    return meta | {
        "size_categories": [size_category(max(counts.values(), default=0))],
        "tags": tags(project.keywords),
        "configs": configs,
        "dataset_info": infos,
    }


def render_yaml(meta: dict[str, Any]) -> str:
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)


def check_docs(project: Project, release: Release) -> None:
    """Fill every project text and template once, with the figures of an empty dataset: a
    problem in them (an unknown placeholder, a missing key) stops a build before any work, with
    the file and key named."""
    stats = {"boilerplate_lines_removed_by_rule": {}, "pseudonymized": False}
    empty = figures.figures(stats, *(figures.TableFigures() for _ in TABLES))
    ctx = figures.context(empty, release, project) | {"jsonl_note": "", "sources": ""}
    ctx |= {f"fields_{t}": "" for t in TABLES}
    for name in ("card.md", DATASHEET, project.license.file):
        figures.render(name, ctx, project)
    card_metadata(schemas={}, counts={}, sizes={}, release=release, project=project, tables=())


def write_docs(
    out: Path,
    project: Project,
    schemas: dict[str, TableSchema],
    sizes: dict[str, int],
    release: Release,
    fig: dict[str, Any],
    digests: Mapping[str, str] | None = None,
) -> None:
    """``fig``: :func:`corpuskit.docs.figures.figures` of the tables just written; ``digests``:
    the sha256 of the data files, where already known."""
    ctx = figures.context(fig, release, project)
    for t in TABLES:
        ctx[f"fields_{t}"] = field_table(schemas[t])
    ctx["sources"] = provenance.sources_markdown(distlayout.table_dir(out, "metadata"))
    gz = jsonl_path(out, TABLES[0]).name.endswith(".gz")
    ctx["jsonl_note"] = (
        "JSONL copies of the same rows, gzip-compressed (`build --jsonl-compression gzip`), are "
        'in `jsonl/` (`load_dataset("json", data_files=...)` and pandas read them as they are)'
        if gz
        else "JSONL copies of the same rows, uncompressed, are in `jsonl/`"
    )
    meta = card_metadata(schemas, fig["rows"], sizes, release, project)
    card = "---\n" + render_yaml(meta) + "---\n\n" + figures.render("card.md", ctx, project)
    (out / "README.md").write_text(card, encoding="utf-8")
    (out / DATASHEET).write_text(figures.render(DATASHEET, ctx, project), encoding="utf-8")
    licence = project.license.file
    (out / licence).write_text(figures.render("LICENSE-DATA.md", ctx, project), encoding="utf-8")
    rai = figures.rai(fig, release, project, ctx)
    doc = croissant.croissant(out, schemas, release, project, rai, digests)
    package.write_json(out / CROISSANT, doc)
