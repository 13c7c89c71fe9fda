"""``dist/README.md``: the Hugging Face dataset card, rendered from a template in the repo.

Field tables come from ``schema/``; every number comes from the build's counts.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Any

from . import package
from .schema import TABLES, TableSchema

TEMPLATES = Path(__file__).resolve().parent / "templates"


def field_table(schema: TableSchema) -> str:
    rows = ["| field | type | nullable | description |", "|---|---|---|---|"]
    for c in schema.columns:
        arrow = str(schema.arrow_schema().field(c.name).type)
        desc = c.description.replace("|", "\\|")
        rows.append(f"| `{c.name}` | `{arrow}` | {'yes' if c.nullable else 'no'} | {desc} |")
    return "\n".join(rows)


def _counts_table(counter: dict[str, int], head: str) -> str:
    if not counter:
        return "(none)"
    lines = [f"| {head} | count |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in sorted(counter.items())]
    return "\n".join(lines)


def context(
    schemas: dict[str, TableSchema], counts: dict[str, int], release: package.Release, stats: Any
) -> dict[str, str]:
    s = stats.as_dict()
    ctx = {
        "version": release.version,
        "release_date": release.release_date,
        "release_year": release.release_date[:4],
        "n_articles": str(counts["articles"]),
        "n_comments": str(counts["comments"]),
        "n_metadata": str(counts["metadata"]),
        "n_seeds": str(s["seeds"]),
        "n_duplicates": str(s["duplicates_merged"]),
        "n_rejected": str(s["seeds_by_status"].get("rejected", 0)),
        "seeds_by_layout": _counts_table(s["seeds_by_layout"], "layout"),
        "seeds_by_status": _counts_table(s["seeds_by_status"], "status"),
        "boilerplate_by_rule": _counts_table(s["boilerplate_lines_removed_by_rule"], "rule"),
        "rules_version": s["rules_version"],
    }
    for t in TABLES:
        ctx[f"fields_{t}"] = field_table(schemas[t])
    return ctx


def write_card(
    out: Path,
    schemas: dict[str, TableSchema],
    counts: dict[str, int],
    sizes: dict[str, int],
    release: package.Release,
    stats: Any,
) -> None:
    meta = package.card_metadata(schemas, counts, sizes, release)
    body = Template((TEMPLATES / "card.md").read_text(encoding="utf-8"))
    text = (
        "---\n"
        + package.render_yaml(meta)
        + "---\n\n"
        + body.substitute(context(schemas, counts, release, stats))
    )
    (out / "README.md").write_text(text, encoding="utf-8")
    (out / "LICENSE-DATA.md").write_text(
        (TEMPLATES / "LICENSE-DATA.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
