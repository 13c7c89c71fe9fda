"""``dist/README.md`` (the Hugging Face dataset card), ``DATASHEET.md`` and ``croissant.json``.

The card's field tables come from ``schema/``; every number in every document comes from
:func:`corpuskit.docs.figures`, computed from the tables as they were written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import croissant, docs, package, provenance
from .schema import TABLES, TableSchema
from .writer import jsonl_path

DATASHEET = "DATASHEET.md"
CROISSANT = "croissant.json"


def field_table(schema: TableSchema) -> str:
    arrow = schema.arrow_schema()
    rows = ["| field | type | nullable | description |", "|---|---|---|---|"]
    for c in schema.columns:
        desc = c.description.replace("|", "\\|")
        nullable = "yes" if c.nullable else "no"
        rows.append(f"| `{c.name}` | `{arrow.field(c.name).type}` | {nullable} | {desc} |")
    return "\n".join(rows)


def write_docs(
    out: Path,
    schemas: dict[str, TableSchema],
    sizes: dict[str, int],
    release: package.Release,
    fig: dict[str, Any],
    digests: Mapping[str, str] | None = None,
) -> None:
    """``fig``: :func:`corpuskit.docs.figures` of the tables just written; ``digests``: the
    sha256 of the data files, where already known."""
    ctx = docs.context(fig, release)
    for t in TABLES:
        ctx[f"fields_{t}"] = field_table(schemas[t])
    ctx["sources"] = provenance.sources_markdown(out / "data" / "metadata")
    gz = jsonl_path(out, TABLES[0]).name.endswith(".gz")
    ctx["jsonl_note"] = (
        "JSONL copies of the same rows, gzip-compressed (`build --jsonl-compression gzip`), are "
        'in `jsonl/` (`load_dataset("json", data_files=...)` and pandas read them as they are)'
        if gz
        else "JSONL copies of the same rows, uncompressed, are in `jsonl/`"
    )
    meta = package.card_metadata(schemas, fig["rows"], sizes, release)
    card = "---\n" + package.render_yaml(meta) + "---\n\n" + docs.render("card.md", ctx)
    (out / "README.md").write_text(card, encoding="utf-8")
    (out / DATASHEET).write_text(docs.render("DATASHEET.md", ctx), encoding="utf-8")
    (out / "LICENSE-DATA.md").write_text(docs.render("LICENSE-DATA.md", ctx), encoding="utf-8")
    doc = croissant.croissant(out, schemas, release, docs.rai(fig, release), digests)
    package.write_json(out / CROISSANT, doc)
