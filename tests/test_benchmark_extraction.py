"""Issue 12: the parts of ``python -m benchmarks.extraction`` (the development set itself is
evaluation data and never enters the tests; its score.py is not copied either)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import extraction

from .conftest import write_seed
from .invented import PAGED_NEWS, PLAIN, SIGNED_BLOG

# score.py's table as it prints it, with invented figures
SCORE_OUTPUT = """\
subset           pages    ok  dup  rej miss |    F1     P     R whole |    titles |  comments authors  rows
news                12    10    1    1    0 | 0.812 0.700 0.966 0.700 |       7/9 |         -       -     -
forum                3     3    0    0    0 | 0.500 0.400 0.667 0.550 |         - |       4/6       3     5
----------------------------------------------------------------------------------------------------------------
ALL                 15    13    1    1    0 | 0.760 0.650 0.915 0.680 |      7/9 |       4/6       3     5
body: F1/P/R with the article-extraction-benchmark metric; whole: ...
dev: body F1 0.760 (whole-text 0.680) over 15 pages; titles 77.8%; comments found 4/6
"""


def test_a_folder_that_is_not_a_development_set_gets_one_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pages").mkdir()
    assert extraction.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"{tmp_path}: not a development set: no gold.jsonl (gold file), no score.py (scorer)"
    )
    assert extraction.main([str(tmp_path / "nowhere")]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"{tmp_path / 'nowhere'}: not a folder, so not a development set"
    )
    (tmp_path / "gold.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "score.py").write_text("", encoding="utf-8")
    assert extraction.check_dev_set(tmp_path) is None


def test_score_table_is_read_by_column_and_written_as_markdown() -> None:
    rows = extraction.parse_table(SCORE_OUTPUT)
    assert [r["subset"] for r in rows] == ["news", "forum", "ALL"]
    assert rows[0]["F1"] == "0.812" and rows[0]["whole"] == "0.700" and rows[0]["titles"] == "7/9"
    assert rows[1]["comments"] == "4/6" and rows[1]["rows"] == "5"
    md = extraction.markdown(rows, extraction.Build(seconds=2.0, pages=15, workers=1))
    assert "| `news` | 12 | 10 | 1 | 1 | 0.812 | 0.700 | 0.966 | 0.700 | 7/9 | - | - | - |" in md
    assert "| **ALL** | 15 | 13 | 1 | 1 | 0.760 |" in md
    assert "15 pages in 2.0 s wall time with --workers 1, 8 pages/s" in md
    assert extraction.parse_table("no table here\n") == []


def test_the_build_step_counts_every_page_of_a_dev_set_shaped_folder(tmp_path: Path) -> None:
    for sub, name, text in (("a", "p1", SIGNED_BLOG), ("a", "p2", PLAIN), ("b", "p3", PAGED_NEWS)):
        write_seed(tmp_path / "dev" / "pages" / sub, f"{name}.txt", text)
    write_seed(tmp_path / "dev" / "pages" / "b", "empty.txt", "")  # rejected, still counted
    b = extraction.build(tmp_path / "dev", tmp_path / "dist", workers=1)
    assert b.pages == 4 and b.workers == 1
    assert (tmp_path / "dist" / "data" / "metadata").is_dir()
