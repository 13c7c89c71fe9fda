"""The three tables' schemas, read from ``schema/*.schema.json`` (the single source of truth).

The tables are the tool's, not a project's: the code fills their columns. The repository's
``schema/`` is the one copy; the package reaches it as ``corpuskit/schemas`` (a symbolic link in
the source tree, so a checkout and an editable install read ``schema/`` itself), and the wheel
carries the files there as package data.

Everything else that describes a table — the Arrow schema used to write Parquet, the ``datasets``
features in the card, the Frictionless Table Schema and the Croissant fields — is derived here
from the JSON Schema, never retyped.

JSON Schema cannot say everything Arrow needs, so two extension keywords are used:

* ``x-arrow-type`` on a property overrides the Arrow type (``timestamp[ms]`` for wall-clock times
  without a zone, which JSON Schema's ``date-time`` format cannot express because it demands an
  offset);
* ``x-primaryKey`` / ``x-foreignKeys`` at the top level declare keys, in Frictionless' own shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pyarrow as pa

from .errors import qname

TABLES: tuple[str, ...] = ("articles", "comments", "metadata")


class SchemaError(Exception):
    """A schema file is missing or uses a construct this module cannot derive from."""


@dataclass(frozen=True)
class Column:
    name: str
    spec: dict[str, Any]
    nullable: bool

    @property
    def base_type(self) -> str:
        types = self.spec.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            if len(non_null) != 1:
                raise SchemaError(f"column {self.name}: exactly one non-null type expected")
            return str(non_null[0])
        if not isinstance(types, str):
            raise SchemaError(f"column {self.name}: no 'type'")
        return types

    @property
    def description(self) -> str:
        return str(self.spec.get("description", ""))

    @property
    def kind(self) -> str:
        """A small closed vocabulary every derivation maps from."""
        if "x-arrow-type" in self.spec:
            arrow = self.spec["x-arrow-type"]
            if arrow.startswith("timestamp["):
                return "timestamp"
            raise SchemaError(f"column {self.name}: unsupported x-arrow-type {arrow!r}")
        base = self.base_type
        if base == "string":
            return "date" if self.spec.get("format") == "date" else "string"
        if base in ("integer", "boolean", "number"):
            return base
        if base == "array":
            items = self.spec.get("items", {})
            if items.get("type") == "string":
                return "string_list"
            if items.get("type") == "object":
                return "struct_list"
        raise SchemaError(f"column {self.name}: cannot derive a type from {self.spec!r}")

    def sub_columns(self) -> list[Column]:
        items = self.spec["items"]
        required = set(items.get("required", []))
        out = []
        for name, spec in items["properties"].items():
            out.append(Column(name, spec, nullable=_nullable(spec) or name not in required))
        return out


def _nullable(spec: dict[str, Any]) -> bool:
    t = spec.get("type")
    return isinstance(t, list) and "null" in t


@dataclass(frozen=True)
class TableSchema:
    name: str
    json_schema: dict[str, Any]

    @property
    def description(self) -> str:
        return str(self.json_schema.get("description", ""))

    @property
    def columns(self) -> list[Column]:
        props = self.json_schema["properties"]
        return [Column(n, s, nullable=_nullable(s)) for n, s in props.items()]

    @property
    def column_names(self) -> list[str]:
        return list(self.json_schema["properties"])

    @property
    def primary_key(self) -> str:
        return str(self.json_schema["x-primaryKey"])

    @property
    def foreign_keys(self) -> list[dict[str, Any]]:
        return list(self.json_schema.get("x-foreignKeys", []))

    # -- Arrow -------------------------------------------------------------------------------
    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, _arrow_type(c), nullable=c.nullable) for c in self.columns]
        )

    # -- Hugging Face datasets -------------------------------------------------------------
    def hf_features(self) -> Any:
        import datasets

        return datasets.Features.from_arrow_schema(self.arrow_schema())

    def hf_features_yaml(self) -> list[dict[str, Any]]:
        """The card's ``dataset_info.features``, written without importing ``datasets`` (slow to
        import); a test keeps it equal to ``hf_features()._to_yaml_list()``."""
        return [{"name": f.name, **_hf_yaml_type(f.type)} for f in self.arrow_schema()]

    # -- Frictionless Table Schema ---------------------------------------------------------
    def frictionless_schema(self) -> dict[str, Any]:
        fields = []
        for c in self.columns:
            field: dict[str, Any] = {
                "name": c.name,
                "type": _FRICTIONLESS_TYPES[c.kind],
                "description": c.description,
            }
            constraints: dict[str, Any] = {}
            if not c.nullable:
                constraints["required"] = True
            if "enum" in c.spec:
                constraints["enum"] = [v for v in c.spec["enum"] if v is not None]
            for bound in ("minimum", "maximum"):
                if bound in c.spec:
                    constraints[bound] = c.spec[bound]
            if c.kind == "string" and "pattern" in c.spec:
                # Frictionless patterns are implicitly anchored; JSON Schema ones are not.
                constraints["pattern"] = c.spec["pattern"].removeprefix("^").removesuffix("$")
            if constraints:
                field["constraints"] = constraints
            fields.append(field)
        foreign_keys = []
        for fk in self.foreign_keys:
            ref = fk["reference"]
            resource = "" if ref["resource"] == self.name else ref["resource"]
            foreign_keys.append(
                {
                    "fields": fk["fields"],
                    "reference": {"resource": resource, "fields": ref["fields"]},
                }
            )
        schema: dict[str, Any] = {"fields": fields, "primaryKey": self.primary_key}
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        return schema

    # -- Croissant ---------------------------------------------------------------------------
    def croissant_data_type(self, column: Column) -> str:
        return _CROISSANT_TYPES[column.kind]


_FRICTIONLESS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "datetime",
    "string_list": "array",
    "struct_list": "array",
}

_CROISSANT_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
    "timestamp": "sc:DateTime",
    "string_list": "sc:Text",
    "struct_list": "sc:Text",
}


def _hf_yaml_type(t: pa.DataType) -> dict[str, Any]:
    if pa.types.is_list(t):
        item = t.value_type
        if pa.types.is_struct(item):
            return {"list": [{"name": f.name, **_hf_yaml_type(f.type)} for f in item]}
        return {"list": _hf_yaml_type(item)["dtype"]}
    names = {
        pa.string(): "string",
        pa.int64(): "int64",
        pa.float64(): "float64",
        pa.bool_(): "bool",
        pa.date32(): "date32",
    }
    if t in names:
        return {"dtype": names[t]}
    if pa.types.is_timestamp(t) and t.tz is None:
        return {"dtype": f"timestamp[{t.unit}]"}
    raise SchemaError(f"no datasets feature for Arrow type {t}")


def _arrow_type(c: Column) -> pa.DataType:
    kind = c.kind
    if kind == "string":
        return pa.string()
    if kind == "integer":
        return pa.int64()
    if kind == "number":
        return pa.float64()
    if kind == "boolean":
        return pa.bool_()
    if kind == "date":
        return pa.date32()
    if kind == "timestamp":
        unit = c.spec["x-arrow-type"].removeprefix("timestamp[").removesuffix("]")
        if unit not in ("ms", "us"):
            raise SchemaError(f"column {c.name}: Parquet keeps only ms or us timestamps")
        return pa.timestamp(unit)
    if kind == "string_list":
        return pa.list_(pa.string())
    if kind == "struct_list":
        struct = pa.struct(
            [pa.field(s.name, _arrow_type(s), nullable=s.nullable) for s in c.sub_columns()]
        )
        return pa.list_(struct)
    raise SchemaError(f"column {c.name}: unknown kind {kind}")


def schema_dir() -> Traversable:
    """The tool's table schemas (package data)."""
    return resources.files("corpuskit") / "schemas"


@cache
def load(folder: Path | Traversable | None = None) -> dict[str, TableSchema]:
    """Read the three table schemas (default: the tool's); raises SchemaError naming the file on
    any problem."""
    folder = folder or schema_dir()
    out = {}
    for table in TABLES:
        path = folder / f"{table}.schema.json"
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaError(f"{qname(str(path))}: cannot read the schema: {exc}") from exc
        if doc.get("title") != table:
            raise SchemaError(f"{qname(str(path))}: 'title' must be {table!r}")
        out[table] = TableSchema(table, doc)
    return out
