"""The build's stages as functions over streams.

    discover -> read -> decode -> detect layout -> extract      (per document, pure: process pool)
             -> merge duplicates -> rows of the three tables    (two passes over a disk spool)

Pass 1 runs the per-document part and spools each result to disk, keeping in memory only a
small index entry per seed (fingerprint, richness, own article ID). The duplicate clusters are
decided from that index. Pass 2 streams the spool back in seed order and yields the rows of the
three tables, so memory does not grow with the size of the corpus' texts.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from . import ids
from .decode import Rejected, decode
from .layouts import RULES_VERSION, Extraction, NoArticle, extract
from .privacy import Pseudonymizer, author_id


@dataclass(frozen=True)
class SeedFile:
    doc_id: str
    file_name: str  # path under the seeds folder, '/'-separated
    path: Path


def discover(seeds_dir: Path) -> list[SeedFile]:
    """Every file under the seeds folder, in a stable order. Nothing is skipped silently."""
    files = sorted(p for p in seeds_dir.rglob("*") if p.is_file() or p.is_symlink())
    out = []
    for p in files:
        rel = p.relative_to(seeds_dir).as_posix()
        stem = rel[: -len(p.suffix)] if p.suffix else rel
        out.append(SeedFile(doc_id=stem, file_name=rel, path=p))
    return out


@dataclass
class DocResult:
    """Everything pass 2 needs about one seed. Picklable, so it can cross process boundaries."""

    meta: dict[str, Any]
    extraction: Extraction | None = None
    fingerprint: str | None = None
    article_id: str | None = None
    error_code: str | None = None

    @property
    def richness(self) -> tuple[int, int, int, int, int]:
        """The richer copy of an article is canonical: comments, time, date, byline, length."""
        ex = self.extraction
        if ex is None:
            return (0, 0, 0, 0, 0)
        return (
            len(ex.comments),
            ex.published_at is not None,
            ex.published_date is not None,
            len(ex.authors) > 0,
            len(ex.body),
        )  # type: ignore[return-value]


def process(seed: SeedFile, doc_id_taken: bool = False) -> DocResult:
    """read -> decode -> detect -> extract for one seed. Pure but for reading its one file."""
    meta: dict[str, Any] = {
        "doc_id": seed.doc_id,
        "file_name": seed.file_name,
        "sha256": None,
        "bytes": None,
        "encoding": None,
        "line_ending": None,
        "chars": None,
        "lines": None,
        "layout": None,
        "layout_evidence": [],
        "status": "rejected",
        "error": None,
        "article_id": None,
        "duplicate_of": None,
        "boilerplate": [],
        "rules_version": RULES_VERSION,
    }
    try:
        data = seed.path.read_bytes()
    except OSError as exc:
        return _rejected(meta, "unreadable", f"cannot read the file: {exc.strerror or exc}")
    meta["sha256"] = hashlib.sha256(data).hexdigest()
    meta["bytes"] = len(data)
    if doc_id_taken:
        return _rejected(
            meta, "doc_id_collision", f"another seed already has doc_id {seed.doc_id!r}"
        )
    return process_bytes(meta, data)


def process_bytes(meta: dict[str, Any], data: bytes) -> DocResult:
    try:
        decoded = decode(data)
    except Rejected as exc:
        return _rejected(meta, exc.code, exc.detail)
    meta["encoding"] = decoded.encoding
    meta["line_ending"] = decoded.line_ending
    meta["chars"] = len(decoded.text)
    meta["lines"] = decoded.text.count("\n") + 1
    try:
        ex = extract(decoded.text)
    except NoArticle as exc:
        return _rejected(meta, exc.code, exc.detail)
    meta["layout"] = ex.layout
    meta["layout_evidence"] = ex.evidence
    meta["status"] = "ok"
    meta["boilerplate"] = [{"line": n, "rule": r, "text": t} for n, r, t in ex.boilerplate]
    return DocResult(
        meta=meta,
        extraction=ex,
        fingerprint=ids.fingerprint(ex.body),
        article_id=ids.article_id(ex.title, ex.page, ex.body),
    )


def _rejected(meta: dict[str, Any], code: str, detail: str) -> DocResult:
    meta["status"] = "rejected"
    meta["error"] = f"{code}: {detail}"
    return DocResult(meta=meta, error_code=code)


# -- pass 1: the per-document part, on a pool, spooled to disk --------------------


def _process_star(args: tuple[SeedFile, bool]) -> DocResult:
    return process(*args)


def run_documents(seeds: list[SeedFile], workers: int) -> Iterator[DocResult]:
    """Yield results in seed order; on a process pool when it pays for itself."""
    seen: set[str] = set()
    jobs = []
    for s in seeds:
        jobs.append((s, s.doc_id in seen))
        seen.add(s.doc_id)
    if workers <= 1 or len(jobs) < 64:
        yield from map(_process_star, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_process_star, jobs, chunksize=32)


class Spool:
    """An append-only file of pickled results, read back in the order written."""

    def __init__(self, folder: Path) -> None:
        fd, name = tempfile.mkstemp(prefix="spool-", dir=folder)
        os.close(fd)
        self.path = Path(name)
        self._out: BinaryIO | None = self.path.open("wb")

    def append(self, item: DocResult) -> None:
        assert self._out is not None
        pickle.dump(item, self._out, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[DocResult]:
        if self._out is not None:
            self._out.close()
            self._out = None
        with self.path.open("rb") as f:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    return

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
        self.path.unlink(missing_ok=True)


@dataclass
class IndexEntry:
    doc_id: str
    fingerprint: str | None
    richness: tuple[int, ...]
    article_id: str | None


@dataclass
class Clusters:
    """Duplicate clusters decided from the index: canonical doc -> members, member -> canonical."""

    canonical_of: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    article_of: dict[str, str] = field(default_factory=dict)


def cluster(index: Iterable[IndexEntry]) -> Clusters:
    """merge_duplicates_v1: seeds are one article when their bodies normalise equal
    (dedup_normalized_body_v1) or they share title, page and opening words, i.e. the article ID
    (dedup_same_opening_v1). Union-find over hash keys: linear, never all pairs. The richest
    copy is canonical; ties go to the first doc_id."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    entries: dict[str, IndexEntry] = {}
    first_with: dict[str, str] = {}
    for e in index:
        if e.fingerprint is None or e.article_id is None:
            continue
        entries[e.doc_id] = e
        parent[e.doc_id] = e.doc_id
        for key in ("f" + e.fingerprint, "a" + e.article_id):
            other = first_with.setdefault(key, e.doc_id)
            if other != e.doc_id:
                parent[find(e.doc_id)] = find(other)
    groups: dict[str, list[IndexEntry]] = {}
    for doc_id, e in entries.items():
        groups.setdefault(find(doc_id), []).append(e)
    c = Clusters()
    for group in groups.values():
        canon = max(group, key=lambda e: (e.richness, _neg(e.doc_id)))
        others = sorted(e.doc_id for e in group if e is not canon)
        c.members[canon.doc_id] = [canon.doc_id, *others]
        assert canon.article_id is not None
        for e in group:
            c.canonical_of[e.doc_id] = canon.doc_id
            c.article_of[e.doc_id] = canon.article_id
    return c


class _neg:
    """Reverse ordering for strings inside a max() key."""

    def __init__(self, s: str) -> None:
        self.s = s

    def __lt__(self, other: _neg) -> bool:
        return self.s > other.s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _neg) and self.s == other.s


# -- pass 2: rows ------------------------------------------------------------------


@dataclass
class BuildStats:
    seeds: int = 0
    status: Counter[str] = field(default_factory=Counter)
    layout: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    boilerplate: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    pseudonymized: bool = False

    def as_dict(self) -> dict[str, Any]:
        def srt(c: Counter[str]) -> dict[str, int]:
            return dict(sorted(c.items()))

        return {
            "rules_version": RULES_VERSION,
            "pseudonymized": self.pseudonymized,
            "seeds": self.seeds,
            "seeds_by_status": srt(self.status),
            "seeds_by_layout": srt(self.layout),
            "rejected_by_reason": srt(self.rejected),
            "duplicates_merged": self.status.get("duplicate", 0),
            "rows": srt(self.rows),
            "rules_fired": srt(self.rules),
            "boilerplate_lines_removed_by_rule": srt(self.boilerplate),
        }


Row = dict[str, Any]


def rows(
    spool: Iterable[DocResult], clusters: Clusters, stats: BuildStats, privacy: Privacy
) -> Iterator[tuple[str, Row]]:
    """Yield (table, row) in the tables' fixed order: every table follows seed order."""
    for r in spool:
        meta = dict(r.meta)
        if privacy.pseudonymizer is not None:
            meta["boilerplate"] = [
                {**b, "text": privacy.pseudonymizer.text(b["text"])} for b in meta["boilerplate"]
            ]
        stats.seeds += 1
        if r.extraction is None:
            stats.status["rejected"] += 1
            stats.rejected[r.error_code or "unknown"] += 1
            yield "metadata", meta
            continue
        ex = r.extraction
        canon = clusters.canonical_of[meta["doc_id"]]
        meta["article_id"] = clusters.article_of[meta["doc_id"]]
        stats.layout[ex.layout] += 1
        stats.rules.update(ex.rules)
        for _, rule, _ in ex.boilerplate:
            stats.boilerplate[rule] += 1
        if canon != meta["doc_id"]:
            meta["status"] = "duplicate"
            meta["duplicate_of"] = canon
            stats.status["duplicate"] += 1
            yield "metadata", meta
            continue
        stats.status["ok"] += 1
        aid = meta["article_id"]
        comment_rows = list(_comment_rows(ex, aid, meta["doc_id"], privacy))
        yield "articles", _article_row(ex, aid, clusters.members[canon], len(comment_rows))
        for row in comment_rows:
            yield "comments", row
        yield "metadata", meta
        stats.rows["articles"] += 1
        stats.rows["comments"] += len(comment_rows)
    stats.rows["metadata"] = stats.seeds


def _article_row(ex: Extraction, aid: str, sources: list[str], n_comments: int) -> Row:
    return {
        "article_id": aid,
        "title": ex.title,
        "subtitle": ex.subtitle,
        "authors": ex.authors,
        "published_date": ex.published_date,
        "published_at": ex.published_at,
        "site": ex.site,
        "body": ex.body,
        "page": ex.page,
        "page_count": ex.page_count,
        "is_partial": ex.is_partial,
        "language": ex.language,
        "editor_note": ex.editor_note,
        "photo_credit": ex.photo_credit,
        "photo_caption": ex.photo_caption,
        "layout": ex.layout,
        "source_doc_ids": sources,
        "comment_count": n_comments,
        "char_start": ex.char_start,
        "char_end": ex.char_end,
    }


@dataclass(frozen=True)
class Privacy:
    key: bytes
    pseudonymizer: Pseudonymizer | None = None  # set in a --pseudonymize build


def _comment_rows(ex: Extraction, aid: str, doc_id: str, privacy: Privacy) -> Iterator[Row]:
    p = privacy.pseudonymizer
    seen: Counter[tuple[Any, ...]] = Counter()
    by_position: dict[int, str] = {}
    for c in ex.comments:
        key = (c.posted_at, ids.normalize(c.text), ids.normalize(c.quoted_text or ""))
        cid = ids.comment_id(aid, c.posted_at, c.text, c.quoted_text, seen[key])
        seen[key] += 1
        by_position[c.position] = cid
        yield {
            "comment_id": cid,
            "article_id": aid,
            "position": c.position,
            "author": p.name(c.author) if p else c.author,
            "author_id": None if c.author is None else author_id(privacy.key, c.author),
            "posted_at": c.posted_at,
            "text": p.text(c.text) if p else c.text,
            "quoted_text": p.text(c.quoted_text) if p else c.quoted_text,
            "reply_to_comment_id": by_position.get(c.reply_to_position)
            if c.reply_to_position is not None
            else None,
            "source_doc_id": doc_id,
            "char_start": c.char_start,
            "char_end": c.char_end,
        }
