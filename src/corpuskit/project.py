"""A dataset project: the folder that holds one corpus — its seeds, its built dataset, its release
record — and the facts about that dataset, which the tool itself never states.

The facts live in the project's config: ``corpuskit.toml`` (keys at the top level), or
``[tool.corpuskit]`` in its ``pyproject.toml``. ``corpuskit init DIR`` writes a commented one.
The project is found once, from ``--project DIR`` or the current folder (or the nearest folder
above it that has a config), and passed to every command that needs it: there are no module-level
paths.

The documents' templates are the tool's (``corpuskit/templates/``, generic); a project may put
its own of the same name in its ``templates/`` folder. Either way, the dataset's prose comes from
the project: config keys, whose ``$placeholders`` are filled with the figures of the build.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from .errors import UsageError, qname
from .safety import DEFAULT_MAX_SEED_BYTES, parse_size

#: Which files of a seeds folder are seeds unless the project says otherwise (``seed_glob``).
DEFAULT_SEED_GLOB = ("*.txt",)

CONFIG = "corpuskit.toml"
PYPROJECT = "pyproject.toml"
HUB = "https://huggingface.co"

#: The project's prose, under ``[texts]``: each may use the documents' ``$placeholders``.
TEXTS = (
    "collection",
    "personal_information",
    "biases",
    "limitations",
    "uses",
    "social_impact",
    "maintenance",
    "privacy_reason",
)


@dataclass(frozen=True)
class Release:
    """The facts of the dataset version being built or published."""

    name: str
    title: str
    version: str
    release_date: str
    #: The dataset's description (the project's), not the tool's.
    description: str
    #: The Hub dataset repo, OWNER/NAME (config ``repo_id`` or ``--repo-id``), if known.
    repo_id: str | None = None
    #: Where takedown requests go (config ``contact``), if given.
    contact: str | None = None

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def repo_url(self) -> str | None:
        return f"{HUB}/datasets/{self.repo_id}" if self.repo_id else None

    def file_url(self, rel: str) -> str:
        """A file of this release: absolute on the Hub (pinned to its tag) when the repo is
        known, else relative to the dataset folder."""
        return f"{self.repo_url}/resolve/{self.tag}/{rel}" if self.repo_id else rel


@dataclass(frozen=True)
class License:
    #: The card's ``license``: a Hub licence id (``cc-by-4.0``), or ``other``.
    id: str
    #: The card's ``license_name`` when ``id`` is ``other``.
    name: str | None
    #: One line for datapackage.json.
    title: str
    #: The licence file written beside the data.
    file: str


def _config_in(folder: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config of the project in ``folder``, if it is one."""
    own = folder / CONFIG
    if own.is_file():
        return own, _read_toml(own)
    pyproject = folder / PYPROJECT
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {}).get("corpuskit")
        if isinstance(tool, dict):
            return pyproject, tool
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{qname(path)}: cannot read the project's config: {exc}") from None


@dataclass(frozen=True)
class Project:
    root: Path
    #: ``corpuskit.toml``, or the ``pyproject.toml`` whose ``[tool.corpuskit]`` is the config.
    config_path: Path
    config: Mapping[str, Any]

    @classmethod
    def load(cls, where: Path | None = None) -> Project:
        """The project in ``where`` (default: the current folder) or the nearest folder above
        it with a config. UsageError naming the folder if there is none."""
        start = (where or Path.cwd()).resolve()
        if where is not None and not start.is_dir():
            raise UsageError(f"{qname(where)}: no such project folder")
        for folder in (start, *start.parents):
            found = _config_in(folder)
            if found:
                return cls(folder, *found)
            if where is not None:
                break  # --project names the folder itself
        raise UsageError(
            f"{qname(where or Path('.'))}: not a corpuskit project: no {CONFIG} (or "
            f"[tool.corpuskit] in {PYPROJECT}) here or above; `corpuskit init DIR` makes one"
        )

    # -- config values -------------------------------------------------------------------------
    def _where(self, key: str) -> str:
        section = "[tool.corpuskit] " if self.config_path.name == PYPROJECT else ""
        return f"{qname(self.config_path)}: {section}{key}"

    def get(self, key: str, default: Any = None, kind: type = str) -> Any:
        """A config value, checked: UsageError naming the file and key if it has the wrong
        type, or is missing without a default."""
        value = self.config.get(key, default)
        if value is None and default is None:
            raise UsageError(f"{self._where(key)}: missing (see `corpuskit init`)")
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise UsageError(f"{self._where(key)}: must be a list of strings")
        elif not isinstance(value, kind):
            raise UsageError(f"{self._where(key)}: must be a {kind.__name__}")
        return value

    def optional(self, key: str) -> str | None:
        value = self.config.get(key)
        return str(self.get(key)) if value not in (None, "") else None

    @property
    def name(self) -> str:
        """The dataset's machine name (datapackage.json and croissant.json ``name``)."""
        name = str(self.get("name"))
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name):
            raise UsageError(f"{self._where('name')}: lower-case letters, digits, . _ - only")
        return name

    @property
    def version(self) -> str:
        version = str(self.get("version"))
        if not re.fullmatch(r"\d+\.\d+\.\d+", version):
            raise UsageError(f"{self._where('version')}: must be MAJOR.MINOR.PATCH")
        return version

    def release(self, repo_id: str | None = None) -> Release:
        """The dataset version this project builds; ``repo_id`` overrides the config's."""
        return Release(
            name=self.name,
            title=self.get("title"),
            version=self.version,
            release_date=str(self.get("release_date", kind=object)),
            description=self.get("description"),
            repo_id=repo_id or self.optional("repo_id"),
            contact=self.optional("contact"),
        )

    @property
    def languages(self) -> list[str]:
        return list(self.get("language", kind=list))

    @property
    def keywords(self) -> list[str]:
        """One list: croissant.json's keywords, and (lower-cased, spaces as hyphens) the card's
        tags."""
        return list(self.get("keywords", [], kind=list))

    @property
    def task_categories(self) -> list[str]:
        return list(self.get("task_categories", [], kind=list))

    @property
    def collection_type(self) -> list[str]:
        return list(self.get("collection_type", [], kind=list))

    @property
    def license(self) -> License:
        table = self.get("license", kind=dict)
        sub = Project(self.root, self.config_path, table)
        ident = sub.get("id")
        return License(
            id=ident,
            name=sub.optional("name"),
            title=sub.get("title", f"Licence: {ident}; see LICENSE-DATA.md"),
            file="LICENSE-DATA.md",
        )

    def texts(self, ctx: Mapping[str, str]) -> dict[str, str]:
        """The project's prose under ``[texts]``, each with its placeholders filled from
        ``ctx``; a text not given is empty."""
        table = self.get("texts", {}, kind=dict)
        out = {}
        for key in TEXTS:
            text = table.get(key, "")
            if not isinstance(text, str):
                raise UsageError(f"{self._where('texts.' + key)}: must be a string")
            out[key] = fill(text, ctx, self._where("texts." + key))
        return out

    def max_seed_bytes(self) -> int:
        value = self.config.get("max_seed_bytes")
        if value is None:
            return DEFAULT_MAX_SEED_BYTES
        try:
            return parse_size(str(value))
        except ValueError as exc:
            raise UsageError(f"{self._where('max_seed_bytes')}: {exc}") from None

    def seed_globs(self) -> tuple[str, ...]:
        """``seed_glob``: which files of the seeds folder are seeds (a pattern or a list of
        them; default ``*.txt``)."""
        value = self.config.get("seed_glob")
        if value is None:
            return DEFAULT_SEED_GLOB
        globs = [value] if isinstance(value, str) else value
        if (
            not isinstance(globs, list)
            or not globs
            or not all(isinstance(g, str) and g for g in globs)
        ):
            raise UsageError(
                f'{self._where("seed_glob")}: a pattern such as "*.txt" or a list of them, '
                f"not {value!r}"
            )
        return tuple(globs)

    # -- the project's files --------------------------------------------------------------------
    def path(self, key: str, default: str) -> Path:
        """A project file or folder; relative to the current folder when the project is the
        current folder, so that messages name it as the user would (``"seeds/x.txt"``)."""
        rel = Path(str(self.get(key, default)))
        if not rel.is_absolute() and self.root == Path.cwd().resolve():
            return rel
        return self.root / rel

    @property
    def seeds(self) -> Path:
        return self.path("seeds", "seeds")

    @property
    def dist(self) -> Path:
        return self.path("dist", "dist")

    @property
    def changelog(self) -> Path:
        return self.root / "CHANGELOG.md"

    @property
    def releases(self) -> Path:
        return self.root / "releases.json"

    @property
    def datasheet(self) -> Path:
        """The project's copy of the built datasheet (kept beside the code by make dataset)."""
        return self.root / "DATASHEET.md"

    @property
    def key_file(self) -> Path | None:
        rel = self.optional("pseudonym_key_file")
        return self.root / rel if rel else None

    def template(self, name: str) -> tuple[str, str]:
        """A document's template and where it comes from: the project's ``templates/NAME`` if
        there is one, else the tool's."""
        own = self.root / "templates" / name
        if own.is_file():
            return own.read_text(encoding="utf-8"), qname(own)
        tool = resources.files("corpuskit") / "templates" / name
        return tool.read_text(encoding="utf-8"), f"corpuskit's templates/{name}"


def fill(text: str, ctx: Mapping[str, str], where: str) -> str:
    """``text`` with its ``$placeholders`` filled; UsageError naming ``where`` for an unknown
    one."""
    try:
        return Template(text).substitute(ctx)
    except KeyError as exc:
        raise UsageError(f"{where}: unknown placeholder ${exc.args[0]}") from None
    except ValueError as exc:
        raise UsageError(f"{where}: {exc} (write $$ for a dollar sign)") from None
