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
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import ids
from .decode import Rejected, decode
from .layouts import RULES_VERSION, Extraction, NoArticle, extract
from .privacy import Pseudonymizer, author_id
from .schema import TABLES, load
from .writer import jsonl_line


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
    body = ids.normalize(ex.body)
    return DocResult(
        meta=meta,
        extraction=ex,
        fingerprint=ids.fingerprint(ex.body, body),
        article_id=ids.article_id(ex.title, ex.page, ex.body, body),
    )


def _rejected(meta: dict[str, Any], code: str, detail: str) -> DocResult:
    meta["status"] = "rejected"
    meta["error"] = f"{code}: {detail}"
    return DocResult(meta=meta, error_code=code)


# -- pass 1: the per-document part, on a pool, spooled to disk --------------------


@dataclass(slots=True)
class IndexEntry:
    """What duplicate detection needs of a seed; kept in memory for every seed, so small."""

    doc_id: str
    fingerprint: bytes | None  # first 16 bytes of the normalised body's sha256
    richness: tuple[int, ...]
    article_id: str | None


@dataclass
class Clusters:
    """Duplicate clusters with more than one seed; any other seed is its own canonical copy."""

    canonical_of: dict[str, str] = field(default_factory=dict)  # member -> canonical doc_id
    members: dict[str, list[str]] = field(default_factory=dict)  # canonical -> all, canonical first
    article_of: dict[str, str] = field(default_factory=dict)  # member -> the article's ID

    def canonical(self, doc_id: str) -> str:
        return self.canonical_of.get(doc_id, doc_id)

    def sources(self, doc_id: str) -> list[str]:
        return self.members.get(doc_id, [doc_id])


def cluster(index: list[IndexEntry]) -> Clusters:
    """merge_duplicates_v1: seeds are one article when their bodies normalise equal
    (dedup_normalized_body_v1) or they share title, page and opening words, i.e. the article ID
    (dedup_same_opening_v1). Union-find over hash keys: linear, never all pairs. The richest
    copy is canonical; ties go to the first doc_id."""
    usable = [e for e in index if e.fingerprint is not None and e.article_id is not None]
    parent = list(range(len(usable)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_with: dict[bytes | str, int] = {}
    for i, e in enumerate(usable):
        for key in (e.fingerprint, e.article_id):
            assert key is not None
            other = first_with.setdefault(key, i)
            if other != i:
                parent[find(i)] = find(other)
    del first_with
    groups: dict[int, list[int]] = {}
    for i in range(len(usable)):
        root = find(i)
        if root != i or i in groups:
            groups.setdefault(root, []).append(i)
    c = Clusters()
    for root, rest in groups.items():
        group = [usable[j] for j in {root, *rest}]
        if len(group) < 2:
            continue
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


def _comment_rows(ex: Extraction, aid: str, doc_id: str, key: bytes) -> Iterator[Row]:
    seen: Counter[tuple[Any, ...]] = Counter()
    by_position: dict[int, str] = {}
    for c in ex.comments:
        ident = (c.posted_at, ids.normalize(c.text), ids.normalize(c.quoted_text or ""))
        cid = ids.comment_id(aid, *ident, seen[ident])
        seen[ident] += 1
        by_position[c.position] = cid
        reply = by_position.get(c.reply_to_position) if c.reply_to_position is not None else None
        yield {
            "comment_id": cid,
            "article_id": aid,
            "position": c.position,
            "author": c.author,
            "author_id": None if c.author is None else author_id(key, c.author),
            "posted_at": c.posted_at,
            "text": c.text,
            "quoted_text": c.quoted_text,
            "reply_to_comment_id": reply,
            "source_doc_id": doc_id,
            "char_start": c.char_start,
            "char_end": c.char_end,
        }


# -- pass 1: chunks of seeds on a process pool --------------------------------------------------

#: Seeds per unit of work. Fixed, so that the output never depends on the number of workers.
CHUNK_DOCS = 128
JSON_COLUMN = "__json__"  # each row's JSON line, carried beside the row between the passes


@dataclass(frozen=True)
class ChunkJob:
    number: int
    seeds: list[tuple[SeedFile, bool]]  # (seed, its doc_id was already taken)
    folder: Path
    key: bytes
    collect_names: bool


@dataclass
class ChunkResult:
    """What the parent keeps of a chunk; its rows wait on disk for pass 2."""

    number: int
    index: list[IndexEntry]
    rejected: list[tuple[str, str]]  # (file name, error)
    names: set[str]
    layout: Counter[str]
    rules: Counter[str]
    boilerplate: Counter[str]


def chunk_jobs(
    seeds: list[SeedFile], folder: Path, key: bytes, collect_names: bool
) -> list[ChunkJob]:
    seen: set[str] = set()
    flagged = []
    for s in seeds:
        flagged.append((s, s.doc_id in seen))
        seen.add(s.doc_id)
    return [
        ChunkJob(n, flagged[i : i + CHUNK_DOCS], folder, key, collect_names)
        for n, i in enumerate(range(0, len(flagged), CHUNK_DOCS))
    ]


def chunk_path(folder: Path, number: int, table: str) -> Path:
    return folder / f"chunk-{number:07d}.{table}.arrow"


def process_chunk(job: ChunkJob) -> ChunkResult:
    """read -> decode -> detect -> extract -> rows for a chunk of seeds; pure but for its files.

    Every usable seed's rows are built as if it were its article's canonical copy; pass 2
    drops the rows of duplicates and patches the few fields that clustering decides."""
    schemas = load()
    rows: dict[str, list[Row]] = {t: [] for t in TABLES}
    res = ChunkResult(job.number, [], [], set(), Counter(), Counter(), Counter())
    for seed, taken in job.seeds:
        r = process(seed, taken)
        meta = r.meta
        fp = bytes.fromhex(r.fingerprint)[:16] if r.fingerprint else None
        res.index.append(IndexEntry(meta["doc_id"], fp, r.richness, r.article_id))
        ex = r.extraction
        if ex is None:
            res.rejected.append((meta["file_name"], meta["error"]))
            rows["metadata"].append(meta)
            continue
        assert r.article_id is not None
        meta["article_id"] = r.article_id
        comments = list(_comment_rows(ex, r.article_id, meta["doc_id"], job.key))
        rows["articles"].append(_article_row(ex, r.article_id, [meta["doc_id"]], len(comments)))
        rows["comments"].extend(comments)
        rows["metadata"].append(meta)
        res.layout[ex.layout] += 1
        res.rules.update(ex.rules)
        res.boilerplate.update(rule for _, rule, _ in ex.boilerplate)
        if job.collect_names:
            res.names.update(c.author for c in ex.comments if c.author)
    for t in TABLES:
        cols = schemas[t].column_names
        table = pa.Table.from_pylist(rows[t], schema=schemas[t].arrow_schema())
        table = table.append_column(
            JSON_COLUMN, pa.array([jsonl_line(r, cols) for r in rows[t]], pa.string())
        )
        path = str(chunk_path(job.folder, job.number, t))
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
            w.write_table(table)
    return res


def _started(_: int) -> None:
    return None


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A process pool whose workers are started at once, before the corpus is listed, so that
    they do not inherit (and count in their memory) the parent's list of every seed."""
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_started, range(workers)))
        yield pool


def run_chunks(jobs: list[ChunkJob], pool: ProcessPoolExecutor | None) -> Iterator[ChunkResult]:
    """Chunk results in order; on the pool when there is one and more than one chunk."""
    if pool is None or len(jobs) < 2:
        yield from map(process_chunk, jobs)
        return
    yield from pool.map(process_chunk, jobs)


# -- pass 2: clustering decisions applied, rows written in seed order ------------------------


@dataclass(frozen=True)
class Privacy:
    key: bytes
    pseudonymizer: Pseudonymizer | None = None  # set in a --pseudonymize build


def read_chunk(folder: Path, number: int, table: str) -> pa.Table:
    path = chunk_path(folder, number, table)
    with pa.memory_map(str(path)) as source:
        t = pa.ipc.open_file(source).read_all()
    path.unlink()
    return t


def assemble(
    results: Iterable[ChunkResult],
    folder: Path,
    clusters: Clusters,
    stats: BuildStats,
    privacy: Privacy,
) -> Iterator[tuple[str, pa.Table, list[str]]]:
    """Yield (table, rows, JSON lines) per chunk, in seed order, with duplicates resolved."""
    schemas = load()
    for res in results:
        stats.layout.update(res.layout)
        stats.rules.update(res.rules)
        stats.boilerplate.update(res.boilerplate)
        for _, error in res.rejected:
            stats.rejected[error.split(":", 1)[0]] += 1
        for t in TABLES:
            table = read_chunk(folder, res.number, t)
            if t == "metadata":
                out = _metadata(table, clusters, stats, privacy, schemas[t])
            elif t == "articles":
                out = _articles(table, clusters, schemas[t])
            else:
                out = _comments(table, clusters, privacy, schemas[t])
            stats.rows[t] += out[0].num_rows
            if t == "metadata":
                stats.seeds += out[0].num_rows
            yield t, *out


def _split(table: pa.Table) -> tuple[pa.Table, list[str]]:
    lines = table.column(JSON_COLUMN).to_pylist()
    return table.drop_columns([JSON_COLUMN]), lines


def _rewrite(rows: list[Row], schema: Any) -> tuple[pa.Table, list[str]]:
    cols = schema.column_names
    return pa.Table.from_pylist(rows, schema=schema.arrow_schema()), [
        jsonl_line(r, cols) for r in rows
    ]


def _set(table: pa.Table, name: str, values: list[Any]) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def _relines(table: pa.Table, which: list[bool], schema: Any) -> list[str]:
    """The JSON lines, re-serialised for the rows marked (the others are kept as written)."""
    lines = table.column(JSON_COLUMN).to_pylist()
    picked = [i for i, w in enumerate(which) if w]
    if picked:
        rows = table.take(pa.array(picked)).drop_columns([JSON_COLUMN]).to_pylist()
        for i, row in zip(picked, rows, strict=True):
            lines[i] = jsonl_line(row, schema.column_names)
    return lines


def _metadata(
    table: pa.Table, clusters: Clusters, stats: BuildStats, privacy: Privacy, schema: Any
) -> tuple[pa.Table, list[str]]:
    docs = table.column("doc_id").to_pylist()
    status = table.column("status").to_pylist()
    dup = [
        s != "rejected" and clusters.canonical(d) != d for d, s in zip(docs, status, strict=True)
    ]
    for s, is_dup in zip(status, dup, strict=True):
        stats.status["duplicate" if is_dup else s] += 1
    p = privacy.pseudonymizer
    if p is not None:  # every row's removed lines may hold a handle: the slow path
        rows = table.drop_columns([JSON_COLUMN]).to_pylist()
        for row, is_dup in zip(rows, dup, strict=True):
            if is_dup:
                row.update(status="duplicate", duplicate_of=clusters.canonical_of[row["doc_id"]],
                           article_id=clusters.article_of[row["doc_id"]])  # fmt: skip
            row["boilerplate"] = [{**b, "text": p.text(b["text"])} for b in row["boilerplate"]]
        return _rewrite(rows, schema)
    if not any(dup):
        return _split(table)
    table = _set(
        table, "status", ["duplicate" if x else s for s, x in zip(status, dup, strict=True)]
    )
    table = _set(
        table,
        "duplicate_of",
        [clusters.canonical_of[d] if x else None for d, x in zip(docs, dup, strict=True)],
    )
    aids = table.column("article_id").to_pylist()
    table = _set(
        table,
        "article_id",
        [clusters.article_of[d] if x else a for d, a, x in zip(docs, aids, dup, strict=True)],
    )
    return table.drop_columns([JSON_COLUMN]), _relines(table, dup, schema)


def _articles(table: pa.Table, clusters: Clusters, schema: Any) -> tuple[pa.Table, list[str]]:
    docs = [ids[0] for ids in table.column("source_doc_ids").to_pylist()]
    keep = [clusters.canonical(d) == d for d in docs]
    if not all(keep):
        table = table.filter(pa.array(keep, pa.bool_()))
        docs = [d for d, k in zip(docs, keep, strict=True) if k]
    merged = [d in clusters.members for d in docs]
    if not any(merged):
        return _split(table)
    table = _set(table, "source_doc_ids", [clusters.sources(d) for d in docs])
    return table.drop_columns([JSON_COLUMN]), _relines(table, merged, schema)


def _comments(
    table: pa.Table, clusters: Clusters, privacy: Privacy, schema: Any
) -> tuple[pa.Table, list[str]]:
    docs = table.column("source_doc_id").to_pylist()
    keep = [clusters.canonical(d) == d for d in docs]
    if not all(keep):
        table = table.filter(pa.array(keep, pa.bool_()))
    p = privacy.pseudonymizer
    if p is None:
        return _split(table)
    rows = table.drop_columns([JSON_COLUMN]).to_pylist()
    for row in rows:
        row["author"] = p.name(row["author"])
        row["text"] = p.text(row["text"])
        row["quoted_text"] = p.text(row["quoted_text"])
    return _rewrite(rows, schema) if rows else _split(table)
