"""Issue 15, item 1: provenance per seed. A manifest beside the seeds (``metadata.csv`` or
``metadata.jsonl``) is validated by row and column, its values reach ``metadata``, the card and
the datasheet, and extraction uses them (relative comment times, the article's site); only seed
files are read from the seeds folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpuskit import provenance
from corpuskit.cli import main
from corpuskit.errors import DataError, UsageError, qname
from corpuskit.project import Project
from corpuskit.provenance import absolute_time, load_manifest

from . import invented, invented_threads
from .conftest import REPO, SEEDS, build_into, write_seed

SEED_A = "000_d574cc39f97571b8.txt"
SEED_B = "003_26c9f0b52926ddc7.txt"


def _jsonl(out: Path, table: str) -> list[dict]:
    lines = (out / "jsonl" / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines]


def _stats(out: Path) -> dict:
    return json.loads((out / "build_stats.json").read_text(encoding="utf-8"))


# -- the manifest's values in metadata, the card and the datasheet ----------------------------


MANIFEST = f"""\
file_name,url,retrieved_at,license,license_url,site,language,notes
{SEED_A},https://blog.example.org/2011/03/a,2014-05-02,All rights reserved,https://blog.example.org/terms,Example Blog,en,"first crawl, by hand"
{SEED_B},http://news.example.com/world/b,2011-04-01T09:30:00Z,CC-BY-4.0,,,en-GB,
"""


@pytest.fixture(scope="module")
def with_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("manifest")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "metadata.csv").write_text(MANIFEST, encoding="utf-8")
    assert build_into(seeds, root / "dist") == 0
    return root / "dist"


def test_manifest_values_reach_metadata(with_manifest: Path) -> None:
    meta = {m["file_name"]: m for m in _jsonl(with_manifest, "metadata")}
    assert {k: v for k, v in meta[SEED_A].items() if k.startswith("source_")} == {
        "source_url": "https://blog.example.org/2011/03/a",
        "source_retrieved_at": "2014-05-02",
        "source_license": "All rights reserved",
        "source_license_url": "https://blog.example.org/terms",
        "source_site": "Example Blog",
        "source_language": "en",
        "source_notes": "first crawl, by hand",
    }
    assert meta[SEED_B]["source_retrieved_at"] == "2011-04-01T09:30:00Z"
    assert meta[SEED_B]["source_site"] is None and meta[SEED_B]["source_language"] == "en-GB"
    others = [m for f, m in meta.items() if f not in (SEED_A, SEED_B)]
    assert others and all(m[c] is None for m in others for c in provenance.META_COLUMNS)
    table = pq.read_table(with_manifest / "data" / "metadata")
    assert table.schema.field("source_retrieved_at").type == "string"
    assert "metadata.csv" not in meta  # the manifest is no seed
    stats = _stats(with_manifest)
    assert stats["provenance_manifest"] == "metadata.csv"
    assert stats["seeds_with_provenance"] == 2
    assert stats["files_ignored_names"] == ["metadata.csv"]


def test_url_host_fills_the_site_the_text_does_not_name(with_manifest: Path) -> None:
    fresh = {a["source_doc_ids"][0]: a for a in _jsonl(with_manifest, "articles")}
    # SEED_A's text names its site; the manifest's does not replace it.
    assert fresh[SEED_A.removesuffix(".txt")]["site"] != "Example Blog"
    assert fresh[SEED_B.removesuffix(".txt")]["site"] == "news.example.com"
    assert _stats(with_manifest)["rules_fired"]["site_from_url_host_v1"] == 1


def test_card_and_datasheet_list_the_sources(with_manifest: Path) -> None:
    for doc in ("README.md", "DATASHEET.md"):
        text = (with_manifest / doc).read_text(encoding="utf-8")
        assert "| file | url | site | license | retrieved_at |" in text, doc
        assert (
            f"| {SEED_A} | https://blog.example.org/2011/03/a | Example Blog | All rights "
            "reserved | 2014-05-02 |" in text
        ), doc
        assert "| CC-BY-4.0 | 1 |" in text, doc
    card = (with_manifest / "README.md").read_text(encoding="utf-8")
    assert "name: source_url\n    dtype: string" in card  # the card's features, from schema/


def test_a_build_with_a_manifest_is_valid(
    with_manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(with_manifest)]) == 0, capsys.readouterr().out
    package = json.loads((with_manifest / "datapackage.json").read_text(encoding="utf-8"))
    meta = next(r for r in package["resources"] if r["name"] == "metadata")
    assert "source_url" in [f["name"] for f in meta["schema"]["fields"]]


def test_without_a_manifest_the_documents_list_no_sources(fresh_build: Path) -> None:
    for doc in ("README.md", "DATASHEET.md"):
        assert "Sources and licences" not in (fresh_build / doc).read_text(encoding="utf-8")
    assert _stats(fresh_build)["provenance_manifest"] is None
    assert _stats(fresh_build)["files_ignored"] == 0


def test_jsonl_manifest(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    rows = [{"file_name": "a.txt", "url": "https://x.example.net/a", "notes": None}]
    (seeds / "metadata.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    assert build_into(seeds, tmp_path / "dist") == 0
    [meta] = _jsonl(tmp_path / "dist", "metadata")
    assert (meta["source_url"], meta["source_notes"]) == ("https://x.example.net/a", None)
    [art] = _jsonl(tmp_path / "dist", "articles")
    assert art["site"] == "x.example.net"


# -- a bad manifest is refused by file, row and column --------------------------------------------

HEAD = "file_name,url,retrieved_at,license,license_url,site,language,notes\n"

BAD = [
    (
        HEAD + "a.txt,ftp://files.example.org/a,,,,,,\n",
        "row 1 (line 2), column url: not an http or https URL with a host: "
        "'ftp://files.example.org/a'",
    ),
    (
        HEAD + "a.txt,https://,,,,,,\n",
        "row 1 (line 2), column url: not an http or https URL with a host: 'https://'",
    ),
    (
        HEAD + "a.txt,,,,,,,\nb.txt,,30/03/2011,,,,,\n",
        "row 2 (line 3), column retrieved_at: not an ISO 8601 date or date and time "
        "(2011-03-30, 2011-03-30T18:36:00Z): '30/03/2011'",
    ),
    (
        HEAD + "a.txt,,2011-02-30,,,,,\n",
        "row 1 (line 2), column retrieved_at: not a date that exists: '2011-02-30'",
    ),
    (HEAD + "gone.txt,,,,,,,\n", 'row 1 (line 2), column file_name: "gone.txt": no such file'),
    (
        HEAD + "a.txt,,,,,,,\n\na.txt,,,,,,,\n",
        'row 2 (line 4), column file_name: "a.txt" is listed again (first in row 1)',
    ),
    (
        "file_name,licence\na.txt,MIT\n",
        "header (line 1), column licence: unknown column (known: file_name, url, retrieved_at, "
        "license, license_url, site, language, notes)",
    ),
    ("url\nhttps://a.example.org/\n", "header (line 1), column file_name: missing"),
    (
        HEAD + "notes.md,,,,,,,\n",
        'row 1 (line 2), column file_name: "notes.md": not a seed: its name does not match '
        "seed_glob *.txt",
    ),
    (
        HEAD + "a.txt,,,Free for teaching,,,,\n",
        "row 1 (line 2), column license: not an SPDX identifier (such as CC-BY-4.0), so "
        "license_url must say where the licence is: 'Free for teaching'",
    ),
    (
        HEAD + "a.txt,,,,,,English,\n",
        "row 1 (line 2), column language: not a BCP-47 language tag (en, pt-BR): 'English'",
    ),
    (HEAD + "a.txt,,,,,\n", "row 1 (line 2): 6 cells, the header has 8"),
    (
        HEAD + '"a.txt,\nb.txt",,,,,,,\nb.txt,https://a b.example.org/,,,,,,\n',
        "row 2 (line 4), column url: not an http or https URL with a host",
    ),
]


@pytest.mark.parametrize(("manifest", "message"), BAD)
def test_a_bad_manifest_fails_the_build_by_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str, message: str
) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    write_seed(seeds, "b.txt", invented.WIDGET_NEWS)
    write_seed(seeds, "notes.md", "not a seed\n")
    (seeds / "metadata.csv").write_text(manifest, encoding="utf-8")
    assert build_into(seeds, tmp_path / "dist") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{qname(seeds / 'metadata.csv')}: {message}" in err
    assert err.startswith(f"{qname(seeds / 'metadata.csv')}: the seeds' manifest has ")
    assert not (tmp_path / "dist").exists()


def test_a_spreadsheet_export_is_read(tmp_path: Path) -> None:
    """A byte-order mark, CRLF line ends, a quoted cell over two lines, cells padded with
    spaces and an upper-case scheme, as spreadsheets write them."""
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    write_seed(seeds, "b.txt", invented.WIDGET_NEWS)
    text = (
        "\ufefffile_name,notes,url\r\n"
        'a.txt,"two\r\nlines",https://a.example.org/x\r\n'
        " b.txt ,,HTTP://B.example.org/y\r\n"
        "c.txt,,ftp://c.example.org/\r\n"
    )
    (seeds / "metadata.csv").write_bytes(text.encode("utf-8"))
    with pytest.raises(DataError) as err:
        load_manifest(seeds)
    assert err.value.lines[1:] == [  # the third row starts on line 5
        f"{qname(seeds / 'metadata.csv')}: row 3 (line 5), column url: not an http or https "
        "URL with a host: 'ftp://c.example.org/'"
    ]
    text = text.rsplit("c.txt", 1)[0]
    (seeds / "metadata.csv").write_bytes(text.encode("utf-8"))
    rows = load_manifest(seeds).manifest.rows
    assert rows["a.txt"].notes == "two\nlines"
    assert rows["b.txt"].url == "http://B.example.org/y"


def test_a_bad_jsonl_row_is_named_by_row_and_column(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    lines = ['{"file_name": "a.txt", "retrieved_at": 2014}', "", '{"file_name": "a.txt", "x": 1}']
    (seeds / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_manifest(seeds)
    name = qname(seeds / "metadata.jsonl")
    assert err.value.lines[1:] == [
        f"{name}: row 1 (line 1), column retrieved_at: must be text, not 2014",
        f"{name}: row 2 (line 3), column x: unknown column (known: file_name, url, "
        "retrieved_at, license, license_url, site, language, notes)",
    ]


def test_two_manifests_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    write_seed(seeds, "metadata.csv", "file_name\n")
    write_seed(seeds, "metadata.jsonl", "")
    assert build_into(seeds, tmp_path / "dist") == 1
    assert capsys.readouterr().err == (
        f"{qname(seeds / 'metadata.csv')} and {qname(seeds / 'metadata.jsonl')}: two manifests; "
        "keep one (metadata.csv or metadata.jsonl)\n"
    )


def test_a_manifest_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    os.mkfifo(seeds / "metadata.csv")
    with pytest.raises(DataError) as err:
        load_manifest(seeds)
    assert err.value.lines == [
        f"{qname(seeds / 'metadata.csv')}: cannot read the manifest: a named pipe (FIFO): only "
        "regular files are read"
    ]


def test_the_problems_are_all_listed_up_to_a_cap(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    rows = "".join(f"missing{i}.txt\n" for i in range(25))
    (seeds / "metadata.csv").write_text("file_name\n" + rows, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_manifest(seeds)
    lines = err.value.lines
    assert lines[0].endswith("the seeds' manifest has 25 problem(s); nothing was built:")
    assert len(lines) == 22 and lines[-1] == "... and 5 more"


# -- only seed files are read ---------------------------------------------------------------


def test_a_sidecar_beside_a_seed_is_ignored_and_takes_no_doc_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "000_x.txt", invented.PLAIN)
    write_seed(seeds, "000_x.json", '{"url": "https://a.example.org/"}\n')
    write_seed(seeds, "README.md", "# What these seeds are\n\nNotes by the curator.\n")
    assert build_into(seeds, tmp_path / "dist") == 0  # strict: nothing is refused
    err = capsys.readouterr().err
    line = (
        f"{qname(seeds)}: ignored 2 file(s) that are not seeds (seed_glob *.txt): "
        '"000_x.json", "README.md"'
    )
    assert err.count("ignored 2 file(s)") == 1 and line in err.splitlines()
    [meta] = _jsonl(tmp_path / "dist", "metadata")
    assert (meta["doc_id"], meta["file_name"], meta["status"]) == ("000_x", "000_x.txt", "ok")
    stats = _stats(tmp_path / "dist")
    assert (stats["files_ignored"], stats["files_ignored_names"]) == (
        2,
        ["000_x.json", "README.md"],
    )
    assert stats["seeds"] == 1
    assert main(["validate", str(tmp_path / "dist")]) == 0


def test_a_seeds_readme_never_becomes_a_rejected_row(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    write_seed(seeds, "README.md", "Seeds\n\nWhere these pages come from.\n")
    write_seed(seeds / "sub", "README.md", "More seeds\n\nAnd these.\n")
    assert build_into(seeds, tmp_path / "dist", "--skip-invalid") == 0
    names = [m["file_name"] for m in _jsonl(tmp_path / "dist", "metadata")]
    assert names == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert _stats(tmp_path / "dist")["files_ignored_names"] == ["README.md", "sub/README.md"]


def test_seed_glob_option_chooses_the_seeds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.txt", invented.PLAIN)
    write_seed(seeds / "pages", "b.md", invented.WIDGET_NEWS)
    write_seed(seeds, "c.md", invented.PAGED_NEWS)
    write_seed(seeds, "D.TXT", invented.DATED_REPOST)  # patterns match regardless of case
    out = tmp_path / "dist"
    assert build_into(seeds, out, "--seed-glob", "pages/*.md", "--seed-glob", "*.txt") == 0
    assert [m["file_name"] for m in _jsonl(out, "metadata")] == ["D.TXT", "a.txt", "pages/b.md"]
    stats = _stats(out)
    assert stats["seed_glob"] == ["pages/*.md", "*.txt"]
    assert stats["build_options"]["seed_glob"] == ["pages/*.md", "*.txt"]
    assert stats["files_ignored_names"] == ["c.md"]


def test_a_folder_without_seeds_says_what_it_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "a.html", "<p>a page</p>\n")
    assert build_into(seeds, tmp_path / "dist") == 1
    assert capsys.readouterr().err.splitlines()[-2:] == [
        f"{qname(seeds)}: no seed in the folder, so there is no dataset to build (build "
        "--seed-glob PATTERN chooses which files are seeds)",
        f'{qname(seeds)}: ignored 1 file(s) that are not seeds (seed_glob *.txt): "a.html"',
    ]


def test_seed_glob_from_the_configuration(tmp_path: Path) -> None:
    config = tmp_path / "corpuskit.toml"

    def globs(text: str) -> tuple[str, ...]:
        config.write_text('name = "x"\n' + text, encoding="utf-8")
        return Project.load(tmp_path).seed_globs()

    assert globs("") == ("*.txt",)  # not set: the default
    assert globs('seed_glob = "*.md"\n') == ("*.md",)
    assert globs('seed_glob = ["*.md", "*.txt"]\n') == ("*.md", "*.txt")
    with pytest.raises(UsageError, match=r"seed_glob: a pattern such as \"\*.txt\""):
        globs("seed_glob = []\n")


# -- relative_time_v1 ------------------------------------------------------------------------

DAY = (dt.datetime(2014, 5, 31), False)  # retrieved on 2014-05-31, no clock
CLOCK = (dt.datetime(2014, 5, 31, 14, 20, 5), True)


@pytest.mark.parametrize(
    ("shown", "retrieved", "expected"),
    [
        ("3 years ago", DAY, dt.datetime(2011, 5, 31)),
        ("3 months ago", DAY, dt.datetime(2014, 2, 28)),  # the day clamped to the month's end
        ("an hour ago", CLOCK, dt.datetime(2014, 5, 31, 13, 20, 5)),
        ("an hour ago", DAY, None),  # the day itself is unknown
        ("a few days ago", DAY, None),  # too vague
        ("vor 2 Tagen", DAY, dt.datetime(2014, 5, 29)),
        ("vor einem Jahr", CLOCK, dt.datetime(2013, 5, 31)),
        ("il y a 3 jours", DAY, dt.datetime(2014, 5, 28)),
        ("il y a un an", DAY, dt.datetime(2013, 5, 31)),
        ("hace 2 días", DAY, dt.datetime(2014, 5, 29)),
        ("hace un mes", DAY, dt.datetime(2014, 4, 30)),
        ("2 weeks ago", DAY, dt.datetime(2014, 5, 17)),
        ("yesterday at 6:32 PM", DAY, dt.datetime(2014, 5, 30, 18, 32)),
        ("gestern um 13:04 Uhr", DAY, dt.datetime(2014, 5, 30, 13, 4)),
        ("March 30, 2011", DAY, None),  # not relative: the extraction's business
        ("no time here", DAY, None),
    ],
)
def test_relative_times_become_absolute(
    shown: str, retrieved: tuple[dt.datetime, bool], expected: dt.datetime | None
) -> None:
    assert absolute_time(shown, retrieved) == expected


def _thread_seeds(tmp_path: Path, manifest: str | None) -> Path:
    seeds = tmp_path / "seeds"
    write_seed(seeds, "thread.txt", invented_threads.DISQUS)
    if manifest is not None:
        (seeds / "metadata.csv").write_text(manifest, encoding="utf-8")
    return seeds


def test_retrieved_at_makes_relative_comment_times_absolute(tmp_path: Path) -> None:
    seeds = _thread_seeds(tmp_path, "file_name,retrieved_at\nthread.txt,2014-05-31\n")
    assert build_into(seeds, tmp_path / "dist") == 0
    comments = _jsonl(tmp_path / "dist", "comments")
    assert [(c["posted_text"], c["posted_at"]) for c in comments] == [
        ("3 years ago", "2011-05-31T00:00:00"),
        ("3 years ago", "2011-05-31T00:00:00"),
        ("2 years ago", "2012-05-31T00:00:00"),
    ]
    assert _stats(tmp_path / "dist")["rules_fired"]["relative_time_v1"] == 3


def test_without_a_retrieval_date_relative_times_stay_null(tmp_path: Path) -> None:
    seeds = _thread_seeds(tmp_path, "file_name,url\nthread.txt,https://a.example.org/p\n")
    assert build_into(seeds, tmp_path / "dist") == 0
    comments = _jsonl(tmp_path / "dist", "comments")
    assert [c["posted_at"] for c in comments] == [None, None, None]
    assert [c["posted_text"] for c in comments] == ["3 years ago", "3 years ago", "2 years ago"]
    assert "relative_time_v1" not in _stats(tmp_path / "dist")["rules_fired"]


# -- README, "Provenance", as written ----------------------------------------------------------


def _readme_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Provenance\n", 1)[1].split("\n## ", 1)[0]


def _block(section: str, lang: str) -> str:
    return section.split(f"```{lang}\n", 1)[1].split("```", 1)[0]


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ["build_dataset.py", "src", "schema", "seeds", "config", "pyproject.toml",
                 "corpuskit.toml", "templates", "CHANGELOG.md"]:  # fmt: skip
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    # The README's commands run the project's .venv/bin/corpuskit: this one's.
    (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return repo


def _sh(repo: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HF_HUB_OFFLINE": "1",
           "HF_DATASETS_OFFLINE": "1", "HOME": str(repo.parent)}  # fmt: skip
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )


def test_readme_provenance_section_runs_as_written(repo_copy: Path) -> None:
    section = _readme_section()
    manifest = _block(section, "csv")
    (repo_copy / "seeds" / "metadata.csv").write_text(manifest, encoding="utf-8")
    proc = _sh(repo_copy, _block(section, "sh"))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    dist = repo_copy / "dist"
    meta = {m["file_name"]: m for m in _jsonl(dist, "metadata")}
    rows = [r.split(",") for r in manifest.splitlines()[1:]]
    assert len(rows) == 2
    for r in rows:
        assert meta[r[0]]["source_url"] == r[1] and meta[r[0]]["source_retrieved_at"] == r[2]
        assert meta[r[0]]["source_license"] == r[3]
    card = (dist / "README.md").read_text(encoding="utf-8")
    for r in rows:
        assert f"| {r[0]} | {r[1]} |" in card

    # A bad one is refused by row and column, as the section shows.
    shown = _block(section, "text").strip()
    bad_date = shown.rsplit("'", 2)[1]
    bad = manifest.replace(rows[0][2], bad_date, 1)
    (repo_copy / "seeds" / "metadata.csv").write_text(bad, encoding="utf-8")
    before = {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    proc = _sh(repo_copy, "python build_dataset.py build")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert shown in proc.stderr.splitlines()
    assert {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()} == before
