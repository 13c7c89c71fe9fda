"""Regenerate tests/golden/<doc_id>.json from a fresh build of seeds/.

    .venv/bin/python tests/golden/make_golden.py

Rows are rewritten from the build; each file's hand-written "checks" (what the body must and
must not contain, the quotation links a reader sees) are kept. Read the diff by eye before you
commit it: the golden files are the record of how each seed reads to a person.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "src"))

from corpuskit.cli import main  # noqa: E402


def rows_by_seed(dist: Path) -> dict[str, dict]:
    def load(t: str) -> list[dict]:
        return [
            json.loads(x)
            for x in (dist / "jsonl" / f"{t}.jsonl").read_text(encoding="utf-8").splitlines()
        ]

    articles = {a["article_id"]: a for a in load("articles")}
    comments = load("comments")
    out = {}
    for meta in load("metadata"):
        canonical = meta["status"] == "ok"
        art = articles.get(meta["article_id"]) if canonical else None
        out[meta["doc_id"]] = {
            "metadata": meta,
            "article": art,
            "comments": [c for c in comments if canonical and c["source_doc_id"] == meta["doc_id"]],
        }
    return out


def main_() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        if (
            main(["build", "--seeds", str(REPO / "seeds"), "--out", str(dist), "--workers", "1"])
            != 0
        ):
            return 1
        for doc_id, rows in rows_by_seed(dist).items():
            path = HERE / f"{doc_id}.json"
            checks = (
                json.loads(path.read_text(encoding="utf-8")).get("checks", {})
                if path.exists()
                else {}
            )
            doc = {"doc_id": doc_id, "checks": checks, **rows}
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
