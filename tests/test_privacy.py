"""Issue 6: keyed pseudonyms from configuration, and a --pseudonymize build with no handle in it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpuskit.cli import main
from corpuskit.privacy import KEY_ENV, author_id

from .conftest import DIST, SEEDS, build_into


def _comments(out: Path) -> list[dict]:
    return [
        json.loads(x)
        for x in (out / "jsonl" / "comments.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def _handles() -> set[str]:
    return {c["author"] for c in _comments(DIST) if c["author"]}


@pytest.fixture(scope="module")
def pseudonymized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pseudo") / "dist"
    assert (
        main(
            ["build", "--seeds", str(SEEDS), "--out", str(out), "--workers", "1", "--pseudonymize"]
        )
        == 0
    )
    return out


def _every_text(out: Path) -> dict[str, str]:
    """Every file of the dataset as text; Parquet decoded so compression cannot hide a name."""
    texts = {}
    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(out).as_posix()
        if p.suffix == ".parquet":
            texts[rel] = json.dumps(pq.read_table(p).to_pylist(), default=str, ensure_ascii=False)
            texts[rel + " (raw)"] = p.read_bytes().decode("latin-1")
        else:
            texts[rel] = p.read_text(encoding="utf-8")
    return texts


def test_pseudonymized_build_holds_no_commenters_handle_anywhere(pseudonymized: Path) -> None:
    handles = _handles()
    assert len(handles) == 25
    texts = _every_text(pseudonymized)
    assert any(rel.endswith(".parquet") for rel in texts) and "jsonl/comments.jsonl" in texts
    for handle in handles:
        pattern = re.compile(rf"(?<![\w.]){re.escape(handle)}(?!\w)", re.I)
        found = [rel for rel, text in texts.items() if pattern.search(text)]
        assert found == [], f"{handle!r} in {found}"


def test_pseudonyms_replace_handles_in_author_and_in_text(pseudonymized: Path) -> None:
    plain, pseudo = _comments(DIST), _comments(pseudonymized)
    assert [c["comment_id"] for c in plain] == [
        c["comment_id"] for c in pseudo
    ]  # IDs do not change
    for a, b in zip(plain, pseudo, strict=True):
        assert b["author_id"] == a["author_id"]
        assert b["author"] == a["author_id"]
        assert b["reply_to_comment_id"] == a["reply_to_comment_id"]
    addressed = next(
        i
        for i, c in enumerate(plain)
        if c["author"]
        and any(
            re.search(rf"\b{re.escape(o['author'])}\b", c["text"]) for o in plain if o["author"]
        )
    )
    assert pseudo[addressed]["text"] != plain[addressed]["text"]
    assert re.search(r"usr_[0-9a-f]{16}", pseudo[addressed]["text"])
    stats = json.loads((pseudonymized / "build_stats.json").read_text(encoding="utf-8"))
    assert stats["pseudonymized"] is True
    assert "This build is **pseudonymised**" in (pseudonymized / "README.md").read_text(
        encoding="utf-8"
    )


def test_author_id_is_a_keyed_hash_from_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _comments(DIST)[0]
    assert first["author_id"] != author_id(b"another key", first["author"])
    monkeypatch.setenv(KEY_ENV, "another key")
    assert build_into(SEEDS, tmp_path / "other") == 0
    other = _comments(tmp_path / "other")[0]
    assert other["author_id"] == author_id(b"another key", first["author"])
    assert other["comment_id"] == first["comment_id"]


def test_the_same_handle_always_gets_the_same_pseudonym() -> None:
    ids: dict[str, set[str]] = {}
    for c in _comments(DIST):
        if c["author"]:
            ids.setdefault(c["author"], set()).add(c["author_id"])
    assert all(len(v) == 1 for v in ids.values())
    assert len({next(iter(v)) for v in ids.values()}) == len(ids)


def test_missing_key_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CORPUSKIT_PSEUDONYM_KEY", raising=False)
    (tmp_path / "corpuskit.toml").write_text('pseudonym_key_file = "none.key"\n', "utf-8")
    argv = ["build", "--project", str(tmp_path), "--seeds", str(SEEDS), "--out"]
    assert main([*argv, str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "no pseudonym key: set CORPUSKIT_PSEUDONYM_KEY, or put a key in the file" in err
    assert f"{tmp_path / 'corpuskit.toml'}" in err
    assert not (tmp_path / "d").exists()
