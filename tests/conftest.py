"""Shared fixtures. Tests use the real libraries; nothing is mocked."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from corpuskit.cli import main
from corpuskit.project import Project

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DIST = REPO / "dist"
#: This repository as a dataset project (corpuskit.toml).
PROJECT = Project.load(REPO)

# Loading a local folder makes no network call, but make sure of it.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"


def build_into(seeds: Path, out: Path, *extra: str) -> int:
    argv = ["build", "--seeds", str(seeds), "--out", str(out), "--workers", "1", *extra]
    return main(argv, default_project=REPO)


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the shipped seeds into a temporary folder (built once per session)."""
    out = tmp_path_factory.mktemp("fresh") / "dist"
    assert build_into(SEEDS, out) == 0
    return out


@pytest.fixture
def dist_copy(fresh_build: Path, tmp_path: Path) -> Path:
    """A private copy of a real build, for tests that corrupt it."""
    out = tmp_path / "dist"
    shutil.copytree(fresh_build, out)
    return out


def write_seed(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    if isinstance(content, str):
        p.write_text(content, encoding="utf-8", newline="")
    else:
        p.write_bytes(content)
    return p
