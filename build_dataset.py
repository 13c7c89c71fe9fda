#!/usr/bin/env python3
"""Thin entry point: ``python build_dataset.py [build|validate|explain|diff|publish] ...``, the
``corpuskit`` command for this folder's project (``corpuskit.toml`` beside this file).

All logic lives in the ``corpuskit`` package under ``src/``. Run by a Python that lacks the
project's dependencies (a system ``python3``), it says which interpreter to use instead.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "src"))


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def _wrong_python(problem: str) -> int:
    venv = HERE / ".venv" / "bin" / "python"
    run = f"{_shown(venv)} {_shown(HERE / 'build_dataset.py')} ..."
    use = (
        f"use the project's: {run}"
        if venv.exists() and os.path.abspath(sys.executable) != str(venv)
        else f"run `make dataset` in {_shown(HERE)} (it makes .venv), then {run}"
    )
    sys.stderr.write(f"error: {sys.executable} cannot run this: {problem}; {use}\n")
    return 2


if __name__ == "__main__":
    if not (3, 11) <= sys.version_info[:2] <= (3, 13):
        sys.exit(
            _wrong_python(f"it is Python {sys.version.split()[0]}; 3.11 to 3.13 are supported")
        )
    try:
        from corpuskit.cli import run

        run(default_project=HERE)  # this folder's project, wherever it is run from
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] == "corpuskit":
            raise
        sys.exit(_wrong_python(f"it has no module {exc.name!r}, which the project needs"))
