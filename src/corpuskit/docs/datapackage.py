"""``dist/datapackage.json``: the Frictionless descriptor of the JSONL copies, its field lists
derived from ``schema/``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import distlayout
from ..project import License, Release
from ..schema import TABLES, TableSchema


def datapackage(
    schemas: dict[str, TableSchema], release: Release, licence: License, jsonl: Mapping[str, str]
) -> dict[str, Any]:
    """Frictionless descriptor over the JSONL copies (Parquet's lists do not pass frictionless).
    ``jsonl``: each table's JSONL file name (``<table>.jsonl``, or ``.jsonl.gz`` when gzip).
    Resource paths stay relative, so the package validates from the folder it sits in."""
    doc: dict[str, Any] = {
        "name": release.name,
        "title": release.title,
        "version": release.version,
        "created": f"{release.release_date}T00:00:00Z",
        "description": release.description,
    }
    if release.repo_url:
        doc["homepage"] = release.repo_url
    return doc | {
        "licenses": [
            {"name": licence.id, "title": licence.title, "path": release.file_url(licence.file)}
        ],
        "resources": [
            {
                "name": t,
                "path": f"{distlayout.JSONL_DIR}/{jsonl[t]}",
                "format": "jsonl",
                **({"compression": "gz"} if jsonl[t].endswith(".gz") else {}),
                "mediatype": "application/jsonl",
                "encoding": "utf-8",
                "description": schemas[t].description,
                "schema": schemas[t].frictionless_schema(),
            }
            for t in TABLES
        ],
    }
