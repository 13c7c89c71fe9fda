"""Issue 12: near-duplicates by content only (dedup_minhash_v1). Two seeds are merged when their
bodies are nearly the same text, never because they share a title, chrome or opening lines; the
similarity of every merge is recorded, and the output does not depend on the worker count."""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from benchmarks.generate import WORDS, generate
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit import dedup, ids
from corpuskit.cli import main
from corpuskit.clusters import SeedIndex, cluster
from corpuskit.layouts.base import CommentDraft, Extraction
from corpuskit.model import Document, Metadata, Reject, RejectReason
from corpuskit.schema import load

from .conftest import build_into, write_seed


def prose(seed: int, words: int) -> str:
    """Invented sentences of ten words, one paragraph per line."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(words // 10):
        w = [rng.choice(WORDS) for _ in range(10)]
        sentences.append(w[0].capitalize() + " " + " ".join(w[1:]) + ".")
    return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))


def _doc(body: str, comments: int = 0, title: str = "Title") -> Document:
    ex = Extraction(layout="plain", evidence=[], title=title, body=body, char_start=0, char_end=1)
    ex.comments = [
        CommentDraft(i + 1, "someone", None, "text", None, None, 0, 1) for i in range(comments)
    ]
    return Document(
        meta=Metadata("d", "d.txt"),
        extraction=ex,
        article_id=ids.article_id(title, None, body),
    )


def _rejected() -> Document:
    return Document(Metadata("r", "r.txt", reject=Reject(RejectReason.EMPTY, "no bytes")))


def _change_word(text: str, at: int, new: str = "zeppelin") -> str:
    words = text.split(" ")
    words[at] = new
    return " ".join(words)


# -- the signature ----------------------------------------------------------------------------


def test_the_signature_is_fixed_by_the_text_alone() -> None:
    """No per-process salt (Python's hash()) and no platform dependence: a fixed text has a fixed
    signature, pinned here by its digest."""
    text = "\n".join(" ".join(f"word{i}" for i in range(k, k + 20)) for k in range(0, 400, 20))
    sig = dedup.signature(text)
    assert sig is not None and len(sig) == dedup.SIGNATURE_BYTES == 256
    assert hashlib.sha256(sig).hexdigest()[:16] == "304b21a6149c0cad"


def test_shingles_never_cross_a_line_and_short_lines_give_none() -> None:
    body = "One two three four five six\n\n  Seven eight nine ten eleven\nA menu"
    h = dedup.shingle_hashes(body)
    assert len(h) == 2 + 1
    # where a shingle stands, white space, case and curly quotes do not matter
    assert set(dedup.shingle_hashes("x\n" + body)) == set(h)
    same = "ONE  two\tthree four\xa0five six\nseven eight nine ten eleven"
    assert (dedup.shingle_hashes(same) == h).all()
    quoted = dedup.shingle_hashes("It\u2019s a \u201cfine\u201d day here")
    assert (quoted == dedup.shingle_hashes('it\'s a "fine" day HERE')).all()


def test_a_body_signs_the_same_alone_or_in_a_batch() -> None:
    """Bodies are signed a chunk at a time; a signature never depends on the other bodies, and
    a word longer than a hashing block is one word like any other."""
    bodies = [prose(s, 300) for s in range(5)]
    bodies[2] = ""
    bodies[3] = prose(3, 30)  # too short
    bodies[4] = prose(4, 300) + "\n" + "x" * 300_000 + " and then " + prose(40, 100)
    alone = [dedup.signature(b) for b in bodies]
    assert dedup.signatures(bodies) == alone
    assert dedup.signatures(bodies[::-1]) == alone[::-1]
    assert [s is None for s in alone] == [False, False, True, True, False]
    many = [prose(s, 80) for s in range(dedup.BATCH + 20)]  # more than one batch
    assert dedup.signatures(many) == [dedup.signature(b) for b in many]


def test_similarity_estimates_jaccard() -> None:
    a = prose(2, 600)
    sig = np.frombuffer(dedup.signature(a) or b"", dtype="<u2")[None]
    assert dedup.similarity(sig, sig)[0] == 1.0
    other = np.frombuffer(dedup.signature(prose(3, 600)) or b"", dtype="<u2")[None]
    assert dedup.similarity(sig, other)[0] < 0.1
    # half the paragraphs replaced: true Jaccard about 1/3
    half = "\n\n".join(a.split("\n\n")[:6] + prose(4, 600).split("\n\n")[6:])
    mixed = np.frombuffer(dedup.signature(half) or b"", dtype="<u2")[None]
    assert 0.15 < dedup.similarity(sig, mixed)[0] < 0.55


def test_a_body_too_short_to_compare_has_no_signature() -> None:
    assert dedup.signature(prose(5, 40)) is None  # fewer shingles than min_shingles
    assert dedup.signature("") is None
    assert dedup.signature("• Home\n• News\n• Sport\n" * 40) is None  # menus give no shingle


def test_candidate_pairs_come_from_bands_not_all_pairs() -> None:
    """n signatures that all share every band still give at most BANDS * (n - 1) pairs to
    check (neighbours in sorted order), each pair once and with i < j."""
    sig = np.frombuffer(dedup.signature(prose(6, 400)) or b"", dtype="<u2")
    same = np.tile(sig, (50, 1))
    left, right = dedup.candidate_pairs(same)
    assert len(left) == 49 and (left < right).all()
    sigs = np.stack(
        [np.frombuffer(dedup.signature(prose(s, 400)) or b"", "<u2") for s in range(30)]
    )
    assert len(dedup.candidate_pairs(sigs)[0]) == 0  # unrelated texts share no band


# -- clusters ---------------------------------------------------------------------------------


def test_clusters_join_transitively_and_keep_the_richest_copy() -> None:
    text = prose(7, 400)
    a1 = _change_word(text, 100)  # a and c differ in two places: joined through b
    c1 = _change_word(text, 300)
    index = SeedIndex()
    index.add("c", _doc(c1))
    index.add("r", _rejected())  # rejected: never clustered
    index.add("a", _doc(a1))
    index.add("b", _doc(text, comments=2, title="Another title"))  # the richest
    index.add("d", _doc(prose(8, 400)))
    index.add("s", _doc(prose(9, 30)))  # too short to compare
    index.add("e2", _doc(prose(10, 300)))
    index.add("e1", _doc(prose(10, 300)))  # a tie in richness: the first doc_id wins
    usable = [c1, a1, text, prose(8, 400), prose(9, 30), prose(10, 300), prose(10, 300)]
    index.sign([dedup.signature(b) for b in usable])
    c = cluster(index)
    assert c.members == {"b": ["b", "a", "c"], "e1": ["e1", "e2"]}
    assert {d: c.canonical_of.get(d, d) for d in "abcdrs"} == dict(
        zip("abcdrs", "bbbdrs", strict=True)
    )
    assert c.article_of["a"] == c.article_of["c"] == ids.article_id("Another title", None, text)
    assert c.duplicates.to_pylist() == ["a", "c", "e2"]
    assert c.similarity_of["e2"] == 1.0 and 0.9 < c.similarity_of["a"] < 1.0
    assert c.rules == {"dedup_minhash_v1": 3, "dedup_too_short_v2": 1}


def test_an_empty_or_unusable_index_has_no_cluster() -> None:
    index = SeedIndex()
    assert cluster(index).members == {}
    index.add("r", _rejected())
    assert cluster(index).members == {}


# -- whole builds -----------------------------------------------------------------------------

CHROME = "Home | News | Harbour | Weather | Contact\n\nSign in to the Quayside Gazette\n\n"
FOOTER = "\n\nCopyright the Quayside Gazette. All rights reserved. Terms of use and privacy.\n"


def _metadata(out: Path) -> dict[str, dict]:
    rows = pq.read_table(out / "data" / "metadata").to_pylist()
    return {r["doc_id"]: r for r in rows}


def test_a_recrawl_with_one_word_changed_merges_and_records_its_similarity(
    tmp_path: Path,
) -> None:
    body = prose(11, 300)
    write_seed(tmp_path / "s", "a.txt", "Ferry levy passes the council\n\n" + CHROME + body)
    recrawl = _change_word(body, 2, "ox")  # in the first sentence, shorter: a stays richer
    write_seed(tmp_path / "s", "b.txt", "Ferry levy passes the council\n\n" + CHROME + recrawl)
    assert build_into(tmp_path / "s", tmp_path / "out") == 0
    meta = _metadata(tmp_path / "out")
    assert meta["b"]["status"] == "duplicate" and meta["b"]["duplicate_of"] == "a"
    assert 0.85 <= meta["b"]["duplicate_similarity"] < 1.0
    assert meta["b"]["article_id"] == meta["a"]["article_id"]
    assert meta["a"]["duplicate_similarity"] is None
    stats = json.loads((tmp_path / "out" / "build_stats.json").read_text(encoding="utf-8"))
    assert stats["rules_fired"]["dedup_minhash_v1"] == 1


def test_articles_of_one_site_sharing_title_chrome_and_opening_do_not_merge(
    tmp_path: Path,
) -> None:
    """Same title, menus, footer and the same first 70 words (so the same title-and-opening
    article key): two articles, each with its own ID, none lost."""
    opening = prose(12, 70)
    for name, seed in (("a", 13), ("b", 14), ("c", 15)):
        body = opening + "\n\n" + prose(seed, 200)
        write_seed(tmp_path / "s", f"{name}.txt", "Harbour notes\n\n" + CHROME + body + FOOTER)
    assert build_into(tmp_path / "s", tmp_path / "out") == 0
    meta = _metadata(tmp_path / "out")
    assert [m["status"] for m in meta.values()] == ["ok", "ok", "ok"]
    aids = [m["article_id"] for m in meta.values()]
    assert len(set(aids)) == 3
    articles = pq.read_table(tmp_path / "out" / "data" / "articles").to_pylist()
    first = next(a for a in articles if a["source_doc_ids"] == ["a"])
    assert aids[0] == ids.article_id(first["title"], None, first["body"])  # the first keeps it
    stats = json.loads((tmp_path / "out" / "build_stats.json").read_text(encoding="utf-8"))
    assert stats["rules_fired"]["article_id_collision_v1"] == 2
    assert "dedup_minhash_v1" not in stats["rules_fired"]
    assert sorted(a["article_id"] for a in articles) == sorted(aids)


def test_a_renamed_article_keeps_its_comments_and_their_replies_linked(tmp_path: Path) -> None:
    """Two threads under the same short post (too short to compare, so not merged): the second
    article takes a distinct ID, and its comments' IDs and reply links follow it."""
    from .invented import SIGNED_BLOG

    write_seed(tmp_path / "s", "a.txt", SIGNED_BLOG)
    head, _, thread = SIGNED_BLOG.partition("Trackback URL")
    write_seed(tmp_path / "s", "b.txt", head + "Trackback URL" + thread.replace("painful", "long"))
    assert build_into(tmp_path / "s", tmp_path / "out") == 0
    meta = _metadata(tmp_path / "out")
    assert meta["a"]["article_id"] != meta["b"]["article_id"]
    comments = pq.read_table(tmp_path / "out" / "data" / "comments").to_pylist()
    of_b = [c for c in comments if c["source_doc_id"] == "b"]
    assert of_b and all(c["article_id"] == meta["b"]["article_id"] for c in of_b)
    cids = {c["comment_id"] for c in comments}
    assert len(cids) == len(comments)
    replies = [c for c in of_b if c["reply_to_comment_id"]]
    assert replies and all(
        c["reply_to_comment_id"] in {x["comment_id"] for x in of_b} for c in replies
    )
    assert main(["validate", str(tmp_path / "out")]) == 0


def test_the_output_is_byte_identical_for_any_worker_count(tmp_path: Path) -> None:
    planted = generate(tmp_path / "seeds", 400, seed=21)
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        argv = ["build", "--seeds", str(tmp_path / "seeds"), "--out", str(out)]
        assert main([*argv, "--workers", workers]) == 0
        outs.append(out)
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*") if p.is_file())
    for f in files:
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes(), f
    meta = pq.read_table(outs[0] / "data" / "metadata").to_pylist()
    dups = [m for m in meta if m["status"] == "duplicate"]
    assert len(dups) == planted.duplicates > 0
    assert all(m["duplicate_similarity"] >= 0.85 for m in dups)


def test_the_similarity_column_derives_to_every_format() -> None:
    ts = load()["metadata"]
    col = next(c for c in ts.columns if c.name == "duplicate_similarity")
    assert ts.arrow_schema().field("duplicate_similarity").type == pa.float64()
    assert ts.hf_features()["duplicate_similarity"].dtype == "float64"
    field = next(f for f in ts.frictionless_schema()["fields"] if f["name"] == col.name)
    assert field["type"] == "number" and field["constraints"] == {"minimum": 0, "maximum": 1}
    assert ts.croissant_data_type(col) == "sc:Float"


def test_a_long_blurb_of_one_or_two_paragraphs_is_never_compared() -> None:
    """dedup_too_short_v2: a site's blurb (an "About me" box, the description in its footer)
    that the extraction took for the body of two photo posts is one or two paragraphs, however
    long; such bodies are not compared, while the same words as an article of three paragraphs
    are."""
    blurb = prose(21, 300).replace("\n\n", " ")  # 300 words on one line
    assert dedup.signature(blurb) is None
    assert dedup.signature(blurb[:900] + "\n\n" + blurb[900:]) is None
    three = blurb[:600] + "\n\n" + blurb[600:1200] + "\n\n" + blurb[1200:]
    assert dedup.signature(three) is not None
    assert dedup.signature(three.replace("\n\n", "\n")) is not None  # lines of one paragraph


def test_photo_posts_of_one_site_sharing_a_long_sidebar_blurb_do_not_merge(
    tmp_path: Path,
) -> None:
    """Two posts of one blog whose own text is a dated title and a photo caption, beside the same
    long profile paragraph: whatever the extraction takes as the body, they stay two articles."""
    profile = prose(22, 200).replace("\n\n", " ")
    for name, day, caption in (("a", 4, "Red boats"), ("b", 5, "Grey gulls")):
        page = (
            "Harbour notes\n\nAbout Me\n\n" + profile + "\n\nView my complete profile\n\n"
            f"Sunday, November {day:02d}, 2012\n\n{caption} at the quay\n\n"
            f"posted by harbourmaster @ 6:4{day} PM\n\n0 Comments:\n\nPost a Comment\n"
        )
        write_seed(tmp_path / "s", f"{name}.txt", page)
    assert build_into(tmp_path / "s", tmp_path / "out") == 0
    meta = _metadata(tmp_path / "out")
    assert [m["status"] for m in meta.values()] == ["ok", "ok"]
    assert meta["b"]["duplicate_of"] is None


def test_enough_lines_is_read_from_the_first_lines_as_from_the_whole_body() -> None:
    # runs of line breaks of every length, white space around, bodies of no line to many
    rng = random.Random(12)
    pieces = ["word", "two words", "\n", "\n\n", "\n\n\n", " ", "\t", "\u2003"]
    for _ in range(20000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        for least in range(-1, 6):
            assert dedup._has_lines(body, least) == (dedup._lines(body) >= least), (body, least)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=300),
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=20),
    st.booleans(),
)
def test_span_hashes_are_the_polynomial_of_their_bytes(
    data: bytes, spans: list[tuple[int, int]], long_first: bool
) -> None:
    """A span's hash, from prefix sums kept in one array between calls, is its definition:
    sum(data[k] * Q**(k - s)) mod 2**64, whatever was hashed before (a longer block first)."""
    if long_first:  # leaves the kept prefix sums full of another block's
        dedup._span_hashes(np.full(5000, 0xFF, np.uint8), np.array([0]), np.array([5000]))
    spans = [(s, min(s + n, len(data))) for s, n in spans if s < len(data)]
    starts = np.array([s for s, _ in spans], dtype=np.intp)
    ends = np.array([e for _, e in spans], dtype=np.intp)
    got = dedup._span_hashes(np.frombuffer(data, np.uint8), starts, ends)
    q, mod = dedup._Q, 1 << 64
    assert got.tolist() == [
        sum(data[k] * pow(q, k - s, mod) for k in range(s, e)) % mod for s, e in spans
    ]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200).map(lambda b: b.replace(b"\xff", b" ")))
def test_word_spans_are_the_runs_of_bytes_above_space(data: bytes) -> None:
    """Words are the maximal runs of bytes above 0x20, wherever the text starts and ends."""
    starts, ends = dedup._word_spans(np.frombuffer(data, np.uint8))
    runs = [m.span() for m in re.finditer(rb"[^\x00-\x20]+", data)]
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == runs


def test_a_body_is_signed_exactly_when_it_has_enough_distinct_shingles() -> None:
    """Bodies around ``min_shingles`` distinct shingles, repeated lines among them: the filled
    bins decide most, the few left open are counted exactly, and a batch signs as one body
    alone does."""
    rng = random.Random(12)
    s = dedup.settings()
    bodies = []
    for _ in range(300):
        vocabulary = WORDS[: rng.randint(2, 60)]
        lines = [
            " ".join(rng.choices(vocabulary, k=rng.randint(3, 25)))
            for _ in range(rng.randint(1, 12))
        ]
        bodies.append("\n\n".join(lines * rng.randint(1, 4)))
    signed = dedup.signatures(bodies)
    for body, sig in zip(bodies, signed, strict=True):
        distinct = len(np.unique(dedup.shingle_hashes(body) >> np.uint64(8)))
        assert (sig is not None) == (
            distinct >= s.min_shingles and dedup._lines(body) >= s.min_lines
        )
        assert sig == dedup.signature(body)
    assert 20 < sum(sig is not None for sig in signed) < 280  # both sides of the line
