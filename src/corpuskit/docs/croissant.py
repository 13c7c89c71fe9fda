"""``dist/croissant.json``: Croissant 1.0 metadata with the Responsible-AI extension.

One FileObject (with sha256) per Parquet file, one RecordSet per table whose fields, key and
references are derived from ``schema/``. Texts for the RAI fields come from the project, through
the same context as the card and the datasheet, so all three say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import distlayout, package
from ..distlayout import table_files
from ..project import Project, Release
from ..schema import TABLES, Column, TableSchema

CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "equivalentProperty": "cr:equivalentProperty",
    "samplingRate": "cr:samplingRate",
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _file_id(rel: str) -> str:
    return rel.replace("/", "-").removesuffix(".parquet")


def croissant(
    out: Path,
    schemas: dict[str, TableSchema],
    release: Release,
    project: Project,
    rai: dict[str, Any],
    digests: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``digests``: sha256 already computed for some files (by the writers), by path."""
    digests = digests or {}
    distribution = []
    files_of: dict[str, list[str]] = {}
    for t in TABLES:
        for f in table_files(out, t):
            rel = f.relative_to(out).as_posix()
            files_of.setdefault(t, []).append(rel)
            distribution.append(
                {
                    "@type": "cr:FileObject",
                    "@id": _file_id(rel),
                    "name": _file_id(rel),
                    "description": f"Table {t}, Parquet shard {rel.rsplit('/', 1)[-1]}.",
                    "contentUrl": rel,
                    "contentSize": f"{f.stat().st_size} B",
                    "encodingFormat": "application/x-parquet",
                    "sha256": digests.get(rel) or package.sha256_file(f),
                }
            )
    for t in TABLES:
        if len(files_of.get(t, [])) > 1:  # shards are read together through a FileSet
            distribution.append(
                {
                    "@type": "cr:FileSet",
                    "@id": f"{t}-parquet-files",
                    "name": f"{t}-parquet-files",
                    "description": f"All Parquet shards of table {t}.",
                    "encodingFormat": "application/x-parquet",
                    "includes": distlayout.table_pattern(t),
                }
            )
    record_sets = [_record_set(schemas[t], files_of.get(t, [])) for t in TABLES]
    languages = project.languages
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": release.name,
        "description": release.description,
        "conformsTo": [
            "http://mlcommons.org/croissant/1.0",
            "http://mlcommons.org/croissant/RAI/1.0",
        ],
        "version": release.version,
        "datePublished": release.release_date,
        # Absolute (the Hub repo, this release's tag) when the repo is known.
        "license": release.file_url("LICENSE-DATA.md"),
        "url": release.repo_url or "README.md",
        "inLanguage": languages[0] if len(languages) == 1 else languages,
        "keywords": project.keywords,
        "citeAs": rai.pop("citeAs"),
        **rai,
        "distribution": distribution,
        "recordSet": record_sets,
    }


def _nested_field(schema: TableSchema, c: Column, src: dict[str, Any]) -> dict[str, Any]:
    """A list of records: a repeated field whose sub-fields each take one key of every item
    (``jsonPath``), as mlcroissant reads a Parquet list of structs."""
    t = schema.name
    return {
        "@type": "cr:Field",
        "@id": f"{t}/{c.name}",
        "name": f"{t}/{c.name}",
        "description": c.description,
        "repeated": True,
        "subField": [
            {
                "@type": "cr:Field",
                "@id": f"{t}/{c.name}/{s.name}",
                "name": f"{t}/{c.name}/{s.name}",
                "description": s.description,
                "dataType": schema.croissant_data_type(s),
                "source": {
                    **src,
                    "extract": {"column": c.name},
                    "transform": {"jsonPath": s.name},
                },
            }
            for s in c.sub_columns()
        ],
    }


def _record_set(schema: TableSchema, files: list[str]) -> dict[str, Any]:
    t = schema.name
    if len(files) == 1:
        src: dict[str, Any] = {"fileObject": {"@id": _file_id(files[0])}}
    else:
        src = {"fileSet": {"@id": f"{t}-parquet-files"}}
    fields = []
    for c in schema.columns:
        if c.kind == "struct_list":
            fields.append(_nested_field(schema, c, src))
            continue
        field: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": f"{t}/{c.name}",
            "name": f"{t}/{c.name}",
            "description": c.description,
            "dataType": schema.croissant_data_type(c),
            "source": {**src, "extract": {"column": c.name}},
        }
        if c.kind == "string_list":
            field["repeated"] = True
        for fk in schema.foreign_keys:
            if fk["fields"] != c.name:
                continue
            ref = fk["reference"]
            if ref["resource"] == t:
                # mlcroissant reads references as edges of its operation graph, so a reference
                # into the same record set is a cycle it cannot read; state it in words instead.
                field["description"] += f" (References {t}/{ref['fields']} in this record set.)"
            else:
                field["references"] = {"field": {"@id": f"{ref['resource']}/{ref['fields']}"}}
        fields.append(field)
    return {
        "@type": "cr:RecordSet",
        "@id": t,
        "name": t,
        "description": schema.description,
        "key": {"@id": f"{t}/{schema.primary_key}"},
        "field": fields,
    }
