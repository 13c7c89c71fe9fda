#!/usr/bin/env python3
"""Thin entry point: ``python build_dataset.py [build|validate|explain|diff|publish] ...``.

All logic lives in the ``corpuskit`` package under ``src/``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from corpuskit.cli import main

if __name__ == "__main__":
    sys.exit(main())
