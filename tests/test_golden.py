"""Issue 3: the built dataset matches the golden record of how each shipped seed reads.

To regenerate after an intended change: .venv/bin/python tests/golden/make_golden.py
(then read the diff by eye)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpuskit.cli import main

from .conftest import SEEDS
from .golden.make_golden import rows_by_seed

GOLDEN = Path(__file__).resolve().parent / "golden"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
REGEN = "if the change is intended: .venv/bin/python tests/golden/make_golden.py, and read the diff"


@pytest.fixture(scope="module")
def built(fresh_build: Path) -> dict[str, dict]:
    return rows_by_seed(fresh_build)


def _golden(doc_id: str) -> dict:
    return json.loads((GOLDEN / f"{doc_id}.json").read_text(encoding="utf-8"))


def test_every_shipped_seed_has_a_golden_file() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == SEED_IDS


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_rows_match_golden(doc_id: str, built: dict[str, dict]) -> None:
    g = _golden(doc_id)
    for part in ("metadata", "article", "comments"):
        assert built[doc_id][part] == g[part], f"{doc_id} {part} differs from golden; {REGEN}"


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_hand_written_checks(doc_id: str, built: dict[str, dict]) -> None:
    checks = _golden(doc_id)["checks"]
    rows = built[doc_id]
    art, meta = rows["article"], rows["metadata"]
    for s in checks.get("body_must_contain", []):
        assert s in art["body"], s
    for s in checks.get("body_must_not_contain", []):
        assert s not in art["body"], s
    if "comment_count" in checks:
        assert art["comment_count"] == len(rows["comments"]) == checks["comment_count"]
    if "status" in checks:
        assert (meta["status"], meta["duplicate_of"]) == (checks["status"], checks["duplicate_of"])
    if "boilerplate_rules" in checks:
        assert [b["rule"] for b in meta["boilerplate"]] == checks["boilerplate_rules"]
    by_pos = {c["position"]: c for c in rows["comments"]}
    for q in checks.get("quotations", []):
        c = by_pos[q["comment"]]
        target = by_pos[q["quotes"]]
        assert c["author"] == q["author"] and target["author"] == q["quoted_author"]
        assert c["reply_to_comment_id"] == target["comment_id"]
        assert c["quoted_text"] == q["quoted_text"]
        if q["quoted_text"]:
            assert q["quoted_text"] not in c["text"]
    if "quotations" in checks:
        linked = [c for c in rows["comments"] if c["reply_to_comment_id"]]
        assert len(linked) == len(checks["quotations"])


def test_signature_shaped_lines_versus_comments(built: dict[str, dict]) -> None:
    """In the Hot Air seed 41 signature-shaped lines hold 37 comments (4 are attributions)."""
    doc_id = next(d for d in SEED_IDS if "signature_shaped_lines" in _golden(d)["checks"])
    text = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    from corpuskit.layouts.signed_blog import SIGNATURE

    shaped = [ln for ln in text.splitlines() if SIGNATURE.match(ln.strip())]
    assert len(shaped) == _golden(doc_id)["checks"]["signature_shaped_lines"]
    assert len(built[doc_id]["comments"]) == _golden(doc_id)["checks"]["comment_count"]


def test_no_boilerplate_line_is_left_in_any_body(built: dict[str, dict]) -> None:
    removed = {
        b["text"].strip() for rows in built.values() for b in rows["metadata"]["boilerplate"]
    }
    assert removed
    for rows in built.values():
        if rows["article"]:
            body_lines = {ln.strip() for ln in rows["article"]["body"].splitlines()}
            assert not (removed & body_lines)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_explain_shows_each_shipped_seed(doc_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(SEEDS / f"{doc_id}.txt")]) == 0
    out = capsys.readouterr().out
    text = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    lines = out.splitlines()
    assert len([ln for ln in lines if not ln.startswith("#")]) == len(text.split("\n"))
    assert any(" title " in ln for ln in lines)
    for b in _golden(doc_id)["metadata"]["boilerplate"]:
        assert any(
            f"boilerplate:{b['rule']}" in ln and ln.rstrip().endswith(b["text"].strip())
            for ln in lines
        )
    if _golden(doc_id)["comments"]:
        assert any(" signature 1 " in ln or " comment 1 " in ln for ln in lines)


def test_build_stats_count_every_rule(fresh_build: Path, built: dict[str, dict]) -> None:
    stats = json.loads((fresh_build / "build_stats.json").read_text(encoding="utf-8"))
    per_rule: dict[str, int] = {}
    for rows in built.values():
        for b in rows["metadata"]["boilerplate"]:
            per_rule[b["rule"]] = per_rule.get(b["rule"], 0) + 1
    assert stats["boilerplate_lines_removed_by_rule"] == dict(sorted(per_rule.items()))
    assert (
        stats["rules_fired"]["signature_line_v1"] == 39 - 2
    )  # the numbered comments are not signed
    assert stats["rules_fired"]["quote_attribution_v1"] == 4
    assert stats["seeds_by_status"] == {"duplicate": 1, "ok": 4}
    assert stats["duplicates_merged"] == 1
