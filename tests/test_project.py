"""Issue 14: the tool apart from this dataset. A dataset project holds every fact about its
dataset; the tool in src/ names none of this one's; `corpuskit init` starts a second project,
which builds and validates with none of this dataset's texts in it — in-process, and (slow) with
the wheel installed into a fresh venv."""

from __future__ import annotations

import calendar
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from corpuskit import __version__
from corpuskit.cli import main
from corpuskit.errors import UsageError
from corpuskit.project import Project
from corpuskit.schema import TABLES, schema_dir

from . import invented
from .conftest import PROJECT, REPO, write_seed

_BUILT = shutil.ignore_patterns("__pycache__", "*.egg-info")
#: Words any web corpus's title may have; the rest of its capitalised words are its own.
_GENERIC = {"web", "corpus", "five", "dataset", "pages"}


def _own_words() -> set[str]:
    """This dataset's own words: the capitalised words of its title and description (place and
    person names, its subject), less month names (the date rules spell those) and generic ones."""
    text = f"{PROJECT.release().title} {PROJECT.release().description}"
    months = {m.lower() for m in calendar.month_name if m}
    words = {w.lower() for w in re.findall(r"\b[A-Z][a-z]{3,}", text)}
    return words - months - _GENERIC


def _own_texts() -> list[str]:
    """Every word and text of this dataset's config, for a second project's outputs."""
    config = tomllib.loads(PROJECT.config_path.read_text(encoding="utf-8"))
    texts = [config["title"], config["description"][:60], config["name"]]
    texts += [v[:60] for v in config["texts"].values() if "$" not in v[:60]]
    return texts + sorted(_own_words())


def _tool_files() -> list[Path]:
    """The tool's files, as a wheel carries them (the schemas through their link)."""
    root = REPO / "src" / "corpuskit"
    files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files) + sorted(Path(str(p)) for p in schema_dir().iterdir())


def test_the_tool_names_nothing_of_this_dataset() -> None:
    words = _own_words()
    assert {"koussa", "moussa", "libya", "defection"} <= words  # the check checks something
    pattern = re.compile(r"\b(" + "|".join(sorted(words | {"gaddafi"})) + r")", re.IGNORECASE)
    found = []
    for path in _tool_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for no, line in enumerate(text.splitlines(), start=1):
            if m := pattern.search(line):
                found.append(f"{path}:{no}: {m.group(0)}")
    assert not found, "\n".join(found)


def test_the_packaged_schemas_are_the_repositorys_schema_folder() -> None:
    for t in TABLES:
        packaged = (schema_dir() / f"{t}.schema.json").read_bytes()
        assert packaged == (REPO / "schema" / f"{t}.schema.json").read_bytes()


def _second_project(folder: Path) -> Path:
    """`corpuskit init`, then the curator's edits: its own facts and two invented seeds."""
    assert main(["init", str(folder)]) == 0
    _fill_in(folder)
    return folder


def _fill_in(folder: Path) -> None:
    config = folder / "corpuskit.toml"
    text = config.read_text(encoding="utf-8")
    for key, value in {
        "title": "Harbour Bill Debate Pages",
        "description": "Two invented pages about a harbour bill, for a test of the tool.",
    }.items():
        text = re.sub(rf'(?m)^{key} = ".*"$', f'{key} = "{value}"', text)
    text = text.replace('keywords = ["web scrape"]', 'keywords = ["harbours", "Test Data"]')
    config.write_text(text, encoding="utf-8")
    write_seed(folder / "seeds", "blog.txt", invented.SIGNED_BLOG)
    write_seed(folder / "seeds", "plain.txt", invented.PLAIN)


def _assert_none_of_this_dataset(dist: Path) -> None:
    texts = _own_texts()
    for path in sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix != ".parquet"):
        content = path.read_text(encoding="utf-8").lower()
        leaked = [t for t in texts if t.lower() in content]
        assert not leaked, f"{path}: {leaked}"


def test_init_writes_a_commented_config_and_overwrites_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new-corpus"
    assert main(["init", str(folder)]) == 0
    config = (folder / "corpuskit.toml").read_text(encoding="utf-8")
    assert config.count("\n# ") > 20 and (folder / "seeds").is_dir()
    assert not list((folder / "seeds").iterdir())
    project = Project.load(folder)
    assert project.name == "new-corpus" and project.version == "0.1.0"
    assert len((folder / "pseudonym.key").read_text(encoding="utf-8").strip()) == 64
    capsys.readouterr()
    before = {p: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert main(["init", str(folder)]) == 2
    assert 'corpuskit.toml": already exists; init writes a new project' in capsys.readouterr().err
    assert {p: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_a_second_project_builds_with_none_of_this_datasets_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _second_project(tmp_path / "harbour")
    capsys.readouterr()
    assert main(["build", "--project", str(folder), "--workers", "1"]) == 0
    # two versions: the dataset's (its project's) and the tool's
    assert f"(harbour 0.1.0, by corpuskit {__version__}): " in capsys.readouterr().out
    dist = folder / "dist"
    assert main(["validate", "--project", str(folder)]) == 0
    card = (dist / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\npretty_name: Harbour Bill Debate Pages\n")
    assert "- harbours\n- test-data\n- provenance\n" in card  # one keyword list, as tags
    _assert_none_of_this_dataset(dist)


def test_a_project_config_problem_names_the_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _second_project(tmp_path / "p")
    config = folder / "corpuskit.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('language = ["en"]', 'language = "en"'),
        encoding="utf-8",
    )
    assert main(["build", "--project", str(folder), "--workers", "1"]) == 2
    assert f'"{config}": language: must be a list of strings' in capsys.readouterr().err
    with pytest.raises(UsageError, match="not a corpuskit project"):
        Project.load(tmp_path)
    assert main(["build", "--project", str(tmp_path / "missing")]) == 2
    assert "no such project folder" in capsys.readouterr().err
    # an unknown placeholder in a text is named with its key
    config.write_text(
        config.read_text(encoding="utf-8").replace('biases = "', 'biases = "$nope '),
        encoding="utf-8",
    )
    config.write_text(
        config.read_text(encoding="utf-8").replace('language = "en"', 'language = ["en"]'),
        encoding="utf-8",
    )
    assert main(["build", "--project", str(folder), "--workers", "1"]) == 2
    assert not (folder / "dist").exists()
    assert f'"{config}": texts.biases: unknown placeholder $nope' in capsys.readouterr().err


@pytest.mark.slow
def test_the_installed_wheel_builds_a_second_project(tmp_path: Path) -> None:
    """Offline: the wheel is built from a copy of the source (setuptools comes from pip's
    configured sources, as for any build); it is installed with --no-index --no-deps into a
    fresh venv, which sees this venv's pinned dependencies through a .pth line (not this
    checkout's src/: the editable install's own hook is not run there)."""
    src = tmp_path / "src-copy"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for name in ("src", "schema"):  # src/corpuskit/schemas stays a link to schema/
        shutil.copytree(REPO / name, src / name, symlinks=True, ignore=_BUILT)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(src)], check=True)
    [wheel] = wheels.glob("corpuskit-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "outer-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    install = [py, "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    subprocess.run([*install, "--no-index", "--no-deps", str(wheel)], check=True)

    corpuskit = venv / "bin" / "corpuskit"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["CORPUSKIT_PROGRESS_SECONDS"] = "3600"

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(corpuskit), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    where = subprocess.run(
        [py, "-c", "import corpuskit; print(corpuskit.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(site), where  # the wheel's copy, not this checkout's src/
    assert run("--version", cwd=tmp_path).stdout.startswith(f"corpuskit {__version__} ")

    folder = tmp_path / "harbour"
    assert run("init", str(folder), cwd=tmp_path).returncode == 0
    _fill_in(folder)
    proc = run("build", "--workers", "1", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    proc = run("validate", cwd=folder / "seeds")  # from a folder inside the project
    assert proc.returncode == 0 and '/harbour/dist": valid' in proc.stdout, proc.stdout
    _assert_none_of_this_dataset(folder / "dist")


def test_a_release_bumps_the_datasets_version_not_the_tools(tmp_path: Path) -> None:
    """In a pyproject.toml that is both a Python project and a dataset project, `release` sets
    [tool.corpuskit]'s version and date, and leaves [project]'s alone."""
    from corpuskit.releases.release import _set_version

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "tool"\nversion = "3.0.0"\n\n[tool.corpuskit]\nname = "data"\n'
        'version = "1.1.0"\nrelease_date = "2026-01-01"\n\n[tool.corpuskit.license]\nid = "x"\n',
        encoding="utf-8",
    )
    _set_version(Project.load(tmp_path), "1.2.0", "2026-02-02")
    project = Project.load(tmp_path)
    assert project.version == "1.2.0" and project.get("release_date") == "2026-02-02"
    assert tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"] == "3.0.0"
