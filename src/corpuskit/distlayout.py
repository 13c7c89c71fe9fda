"""Where everything of a built dataset lives, relative to its folder (``dist/``)::

    data/{table}/train-00000-of-00001.parquet   the tables, in Parquet shards (the Hub's layout)
    jsonl/{table}.jsonl[.gz]                     a JSONL copy of each table
    README.md                                    the dataset card
    DATASHEET.md                                 the datasheet
    LICENSE-DATA.md                              the data's licence
    datapackage.json                             the Frictionless data package
    croissant.json                               Croissant metadata
    build_stats.json                             the build's counts
    MANIFEST.sha256                              every other file's SHA-256

Every module that reads or writes one of these takes its name or path from here.
"""

from __future__ import annotations

from pathlib import Path

CARD = "README.md"
DATASHEET = "DATASHEET.md"
LICENSE = "LICENSE-DATA.md"
DATAPACKAGE = "datapackage.json"
CROISSANT = "croissant.json"
STATS = "build_stats.json"
MANIFEST = "MANIFEST.sha256"
#: Every file a build writes besides the tables' shards, their JSONL copies and the manifest.
DOCUMENTS = (CARD, DATASHEET, LICENSE, STATS, CROISSANT, DATAPACKAGE)

DATA_DIR = "data"
JSONL_DIR = "jsonl"
#: ``build --jsonl-compression``: the JSONL copies' file suffix per choice. ``none`` (the
#: default) keeps them plain, readable by every tool and by `sha256sum`/`grep`; ``gzip`` is read
#: by `datasets`' JSON builder, pandas, DuckDB and Frictionless alike.
JSONL_SUFFIX = {"none": ".jsonl", "gzip": ".jsonl.gz"}


def table_dir(out: Path, table: str) -> Path:
    """The folder of a table's Parquet shards."""
    return out / DATA_DIR / table


def table_folder(table: str) -> str:
    """The folder of a table's Parquet shards, relative to the dataset, as findings name it."""
    return f"{DATA_DIR}/{table}/"


def table_pattern(table: str) -> str:
    """A table's Parquet shards as a glob relative to the dataset (the card's data_files)."""
    return f"{table_folder(table)}*.parquet"


def shard_name(i: int, n: int) -> str:
    return f"train-{i:05d}-of-{n:05d}.parquet"


def table_files(out: Path, table: str) -> list[Path]:
    """A built dataset's Parquet shards of one table, in order."""
    return sorted(table_dir(out, table).glob("*.parquet"))


def jsonl_file(out: Path, table: str, compression: str = "none") -> Path:
    """The JSONL copy of a table written with that compression (a JSONL_SUFFIX key)."""
    return out / JSONL_DIR / f"{table}{JSONL_SUFFIX[compression]}"


def jsonl_path(out: Path, table: str) -> Path:
    """The JSONL copy of a table, whichever compression it was written with (plain if none)."""
    paths = [jsonl_file(out, table, c) for c in JSONL_SUFFIX]
    return next((p for p in paths if p.is_file()), paths[0])
