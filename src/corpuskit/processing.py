"""Pass 1, per document: read -> decode -> detect layout -> extract (:func:`process`), and the
rows of the three tables made from the records (:func:`metadata_row`, :func:`article_row`,
:func:`comment_rows`); per chunk of seeds, on an executor (:func:`process_chunk`): the rows go to
the spool (spool.py) and the parent keeps a packed index entry per seed (clusters.SeedIndex).

Every usable seed's rows are made as if it were its article's canonical copy; pass 2
(assemble.py) drops the rows of duplicates and patches the few fields that clustering decides.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import attrgetter
from pathlib import Path

import pyarrow as pa

from . import dedup, ids, provenance, spool
from .clusters import SeedIndex
from .decode import Decoded, Rejected, decode
from .layouts import Extraction, NoArticle, extract
from .layouts.base import CommentDraft
from .model import Document, Metadata, Reject, RemovedLine, RowMaker, SeedFile, Values
from .privacy import author_id
from .safety import DEFAULT_MAX_SEED_BYTES, read_seed
from .schema import TABLES, load


def process(seed: SeedFile, max_bytes: int = DEFAULT_MAX_SEED_BYTES) -> Document:
    """read -> decode -> detect -> extract for one seed. Pure but for reading its one file."""
    meta = Metadata(seed.doc_id, seed.file_name)
    if seed.provenance is not None:
        meta.provenance = seed.provenance
    try:
        data = read_seed(seed.path, max_bytes)
    except Rejected as exc:
        return _rejected(meta, Reject.of(exc))
    meta.sha256 = hashlib.sha256(data).hexdigest()
    meta.bytes = len(data)
    if seed.problem is not None:
        return _rejected(meta, seed.problem)
    try:
        decoded = decode(data)
    except Rejected as exc:
        return _rejected(meta, Reject.of(exc))
    del data  # only the text is read from here on: the bytes are not held through extraction
    doc = _process_text(meta, decoded)
    if doc.extraction is not None:
        provenance.apply(doc.extraction, seed.provenance)
    return doc


def process_bytes(meta: Metadata, data: bytes) -> Document:
    """decode -> detect -> extract for one seed's bytes; ``meta`` is filled in as it goes."""
    try:
        decoded = decode(data)
    except Rejected as exc:
        return _rejected(meta, Reject.of(exc))
    return _process_text(meta, decoded)


def _process_text(meta: Metadata, decoded: Decoded) -> Document:
    """detect -> extract for one seed's decoded text."""
    meta.encoding = decoded.encoding
    meta.replaced_bytes = decoded.replaced_bytes
    meta.line_ending = decoded.line_ending
    meta.chars = len(decoded.text)
    meta.lines = decoded.text.count("\n") + 1
    try:
        ex = extract(decoded.text)
    except NoArticle as exc:
        return _rejected(meta, Reject.of(exc))
    meta.layout = ex.layout
    meta.layout_evidence = ex.evidence
    scores = ex.scores if len(ex.scores) else None  # asked once, not per line
    meta.removed = [
        RemovedLine(n, r, t, None if scores is None else scores[n - 1])
        for n, r, t in ex.boilerplate
    ]
    return Document(meta, ex, ids.article_id(ex.title, ex.page, ex.body))


def _rejected(meta: Metadata, reject: Reject) -> Document:
    meta.reject = reject
    return Document(meta)


# -- rows: made from the records, in the schema's column order, at the end of pass 1 ----------


@cache
def _makers() -> dict[str, RowMaker]:
    """Per table, the columns given by name; every other column is an attribute of the record
    (Extraction, CommentDraft, Metadata) of the same name."""
    schemas = load()
    return {
        "articles": RowMaker(
            schemas["articles"], ("article_id", "source_doc_ids", "comment_count")
        ),
        "comments": RowMaker(
            schemas["comments"],
            ("comment_id", "article_id", "author_id", "reply_to_comment_id", "source_doc_id"),
        ),
        "metadata": RowMaker(
            schemas["metadata"], ("status", "error", "boilerplate", *provenance.META_COLUMNS)
        ),
    }


#: A seed's provenance columns, in provenance.META_COLUMNS' order (the maker's last names).
_PROVENANCE = attrgetter(*provenance.COLUMNS)


def metadata_row(meta: Metadata) -> Values:
    return _makers()["metadata"].row(  # the names given to the maker, in order
        meta,
        meta.status,
        meta.error,
        meta.removed,  # RemovedLine: the struct's fields, in order
        *_PROVENANCE(meta.provenance),
    )


def article_row(ex: Extraction, aid: str, sources: list[str], n_comments: int) -> Values:
    return _makers()["articles"].row(ex, aid, sources, n_comments)  # the names given, in order


#: A comment's identity: its time, normalised text and normalised quoted text ("" for none).
Identity = tuple[datetime | None, str, str]


def _numbered(aid: str, identities: Iterable[Identity]) -> Iterator[str]:
    """The IDs of an article's comments from their identities, in page order: the same identity
    again is told apart by its occurrence."""
    seen: dict[Identity, int] = {}
    for ident in identities:
        n = seen.get(ident, 0)
        seen[ident] = n + 1
        yield ids.comment_id(aid, *ident, n)


def comment_ids(aid: str, comments: Iterable[tuple[datetime | None, str, str | None]]) -> list[str]:
    """The IDs of an article's comments, from (posted_at, text, quoted_text) in page order."""
    return list(
        _numbered(
            aid, ((t, ids.normalize(x), ids.normalize(q) if q else "") for t, x, q in comments)
        )
    )


def comment_rows(
    ex: Extraction, aid: str, doc_id: str, key: bytes, words: list[int] | None = None
) -> list[Values]:
    """The rows of an article's comments; each comment's word count is appended to ``words``
    (counted from the split that normalises its text for its ID)."""
    normalized = [ids.normalize_counted(c.text) for c in ex.comments]
    return _comment_rows(ex.comments, aid, doc_id, key, [] if words is None else words, normalized)


def _comment_rows(
    comments: list[CommentDraft],
    aid: str,
    doc_id: str,
    key: bytes,
    counts: list[int],
    normalized: list[tuple[str, int]],
) -> list[Values]:
    """comment_rows, given each comment's ``ids.normalize_counted`` (process_chunk makes them
    by ``ids.normalize_counted_all`` over a chunk's comments)."""
    make = _makers()["comments"].row
    counts += (n for _, n in normalized)
    identities = [
        (c.posted_at, text, ids.normalize(c.quoted_text) if c.quoted_text else "")
        for c, (text, _) in zip(comments, normalized, strict=True)
    ]
    by_position: dict[int, str] = {}
    rows = []
    for c, cid in zip(comments, _numbered(aid, identities), strict=True):
        by_position[c.position] = cid
        rows.append(
            make(  # the names given to the maker, in order
                c,
                cid,
                aid,
                None if c.author is None else author_id(key, c.author),
                by_position.get(c.reply_to_position),  # type: ignore[arg-type]
                doc_id,
            )
        )
    return rows


def rows_table(table: str, rows: list[Values]) -> pa.Table:
    """One table's rows, as made above, as an Arrow table of its schema."""
    return _makers()[table].to_arrow(rows)


# -- pass 1: chunks of seeds on an executor ---------------------------------------------------

#: Seeds per unit of work. Fixed, so that the output never depends on the number of workers
#: (nor on this number: the writers cut row groups by size). 256 rather than 128: a chunk's fixed
#: costs (three spool files, Arrow and JSON set-up per column) halved, 4 % off a 20,000-seed build;
#: 512 gained nothing more and leaves a longer last chunk on one worker.
CHUNK_DOCS = 256


@dataclass(frozen=True)
class ChunkJob:
    number: int
    seeds: list[SeedFile]
    folder: Path
    key: bytes
    collect_names: bool
    max_seed_bytes: int = DEFAULT_MAX_SEED_BYTES


@dataclass
class ChunkResult:
    """What the parent keeps of a chunk; its rows wait on disk for pass 2."""

    number: int
    seeds: int
    index: SeedIndex
    rejected: list[tuple[str, Reject]]  # (path, why)
    names: set[str]
    layout: Counter[str]
    rules: Counter[str]
    boilerplate: Counter[str]
    largest: int = 0  # the largest seed's bytes


def chunk_jobs(
    seeds: Iterable[SeedFile],
    folder: Path,
    key: bytes,
    collect_names: bool,
    max_seed_bytes: int = DEFAULT_MAX_SEED_BYTES,
) -> Iterator[ChunkJob]:
    batch: list[SeedFile] = []
    number = 0
    for s in seeds:
        batch.append(s)
        if len(batch) == CHUNK_DOCS:
            yield ChunkJob(number, batch, folder, key, collect_names, max_seed_bytes)
            batch, number = [], number + 1
    if batch:
        yield ChunkJob(number, batch, folder, key, collect_names, max_seed_bytes)


def process_chunk(job: ChunkJob) -> ChunkResult:
    """read -> decode -> detect -> extract -> rows for a chunk of seeds; pure but for its files.

    Every usable seed's rows are built as if it were its article's canonical copy; pass 2
    drops the rows of duplicates and patches the few fields that clustering decides."""
    schemas = load()
    rows: dict[str, list[Values]] = {t: [] for t in TABLES}
    res = ChunkResult(
        job.number, len(job.seeds), SeedIndex(), [], set(), Counter(), Counter(), Counter()
    )
    bodies: list[str] = []  # held by the article rows anyway
    words: list[int] = []  # each comment's, for the spool
    #: Each article's comments, ID and doc_id: their rows are made once the chunk's comments
    #: are normalised, all at once (half the time of one by one).
    threads: list[tuple[list[CommentDraft], str, str]] = []
    for seed in job.seeds:
        doc = process(seed, job.max_seed_bytes)
        meta = doc.meta
        res.index.add(meta.doc_id, doc)
        res.largest = max(res.largest, meta.bytes or 0)
        ex = doc.extraction
        if ex is None:
            assert meta.reject is not None
            res.rejected.append((seed.path, meta.reject))
            rows["metadata"].append(metadata_row(meta))
            continue
        assert doc.article_id is not None
        bodies.append(ex.body)
        meta.article_id = doc.article_id
        n_comments = len(ex.comments)  # a row each
        rows["articles"].append(article_row(ex, doc.article_id, [meta.doc_id], n_comments))
        rows["metadata"].append(metadata_row(meta))
        if n_comments:  # only the comments are kept: the extraction's per-line data goes now
            threads.append((ex.comments, doc.article_id, meta.doc_id))
        res.layout[ex.layout] += 1
        res.rules.update(ex.rules)
        res.boilerplate.update(rule for _, rule, _ in ex.boilerplate)
        if job.collect_names:
            res.names.update(c.author for c in ex.comments if c.author)
    normalized = ids.normalize_counted_all([c.text for cs, _, _ in threads for c in cs])
    at = 0
    for comments, aid, doc_id in threads:
        mine = normalized[at : at + len(comments)]
        at += len(mine)
        rows["comments"] += _comment_rows(comments, aid, doc_id, job.key, words, mine)
    res.index.sign(dedup.signatures(bodies))
    known = {"comments": {spool.WORDS_COLUMN: pa.array(words, pa.int64())}}
    for t in TABLES:
        table = rows_table(t, rows[t])
        spool.write_chunk(job.folder, job.number, table, schemas[t], known.get(t, {}))
    return res
