"""``corpuskit init DIR``: a new dataset project, from the tool's commented config."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from importlib import resources
from pathlib import Path
from string import Template

from .errors import UsageError, qname
from .project import CONFIG


def init(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Write ``folder/corpuskit.toml``, a random pseudonym key and an empty ``seeds/``; returns
    the files written. Refuses, before writing anything, if either file exists."""
    config, key, seeds = folder / CONFIG, folder / "pseudonym.key", folder / "seeds"
    existing = [p for p in (config, key) if p.exists() or p.is_symlink()]
    if existing:
        raise UsageError(
            f"{qname(existing[0])}: already exists; init writes a new project and overwrites "
            "nothing"
        )
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{qname(folder)}: is not a folder")
    stem = folder.resolve().name
    name = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._") or "corpus"
    text = (resources.files("corpuskit") / "templates" / CONFIG).read_text(encoding="utf-8")
    filled = Template(text).safe_substitute(
        name=name, title=stem.replace('"', "'"), today=(today or dt.date.today()).isoformat()
    )
    try:
        seeds.mkdir(parents=True, exist_ok=True)
        with config.open("x", encoding="utf-8") as f:
            f.write(filled)
        with key.open("x", encoding="utf-8") as f:
            f.write(secrets.token_hex(32) + "\n")
    except OSError as exc:
        raise UsageError(f"{qname(folder)}: cannot write the project: {exc.strerror}") from None
    return [config, key, seeds]
