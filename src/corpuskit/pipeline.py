"""The build's stages as functions over streams.

    discover -> read -> decode -> detect layout -> extract -> rows    (per chunk of seeds, pure:
                                                                       a process pool)
             -> merge duplicates -> rows of the three tables          (two passes over a spool)

Discovery streams the seeds folder; chunks of seeds go to the pool a few at a time. Pass 1 turns
each chunk into the rows of the three tables as if every seed were its article's canonical copy,
spools them to disk (Arrow IPC, with each row's JSON line beside it) and keeps in memory only a
packed index entry per seed (the body's 256-byte MinHash signature, article key, richness,
doc_id). The duplicate clusters are decided from that index (see dedup.py). Pass 2 streams the
spool back in seed order, one table at a time, drops duplicates' rows and patches the few rows
that clustering changes. Texts are never held beyond one chunk, so memory does not grow with the
size of the corpus' texts.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dedup, ids
from .decode import Decoded, Rejected, decode
from .errors import DataError, qbare, qname
from .layouts import RULES_VERSION, Extraction, NoArticle, extract
from .privacy import Pseudonymizer, author_id
from .safety import DEFAULT_MAX_SEED_BYTES, read_seed
from .schema import TABLES, TableSchema, load
from .writer import jsonl_line


@dataclass(frozen=True, slots=True)
class SeedFile:
    doc_id: str
    file_name: str  # path under the seeds folder, '/'-separated; C-escaped if not UTF-8
    path: str  # where to read it
    problem: tuple[str, str] | None = None  # (code, detail) of a name that cannot be used


def discover(seeds_dir: Path) -> Iterator[SeedFile]:
    """Every entry under the seeds folder but its folders (symbolic links to folders included,
    which are never followed), streamed in sorted path order; nothing is skipped silently, and
    folders are walked with a stack, so any depth is fine. A doc_id is the path without its
    suffix; files whose doc_ids would be equal are all refused (see :func:`_doc_ids`)."""
    stack = [_folder(os.fspath(seeds_dir), "", None)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, SeedFile):
            yield item
        else:
            stack.append(_folder(*item))


def count_seeds(seeds_dir: Path) -> int:
    return sum(1 for _ in discover(seeds_dir))


def _suffix(name: str) -> str:
    """As pathlib's: the last dot-suffix, never a leading dot or a trailing one."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


_NOT_UTF8 = (
    "file_name_not_utf8",
    "the path is not valid UTF-8, so the dataset cannot hold it as it is (file_name shows it "
    "with C escapes); rename it",
)

_Sub = tuple[str, str, tuple[str, str] | None]  # a folder to walk: path, prefix, problem


def _folder(folder: str, prefix: str, problem: tuple[str, str] | None) -> Iterator[SeedFile | _Sub]:
    """One folder's entries in name order: its seeds, and its sub-folders to walk."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise DataError(
            [f"{qname(folder)}: cannot list the folder: {exc.strerror or exc}"]
        ) from None
    files: list[tuple[os.DirEntry[str], str, tuple[str, str] | None]] = []
    for e in entries:
        try:
            e.name.encode("utf-8")
            shown, own = e.name, problem
        except UnicodeEncodeError:
            shown, own = qbare(e.name), _NOT_UTF8
        try:
            is_dir = e.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False  # gone since the listing: read (and refused) as a file
        if is_dir:
            files.append((e, prefix + shown + "/", own))
        else:
            files.append((e, prefix + shown, own))
    names = [rel for _, rel, _ in files if not rel.endswith("/")]
    ids, clashes = _doc_ids(names)
    for e, rel, own in files:
        if rel.endswith("/"):
            yield (e.path, rel, own)
            continue
        clash = clashes.get(rel)
        if clash is not None:
            own = own or (
                "doc_id_collision",
                f"{' and '.join(qname(n) for n in clash)} map to one doc_id, "
                f"{qname(_stem(rel))}: none of them is used (rename all but one)",
            )
        yield SeedFile(ids[rel], rel, e.path, own)


def _stem(rel: str) -> str:
    return rel[: len(rel) - len(_suffix(rel.rpartition("/")[2]))]


def _doc_ids(names: list[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The doc_id of each file of one folder, and the files that share theirs. Such files are
    all refused, under their whole names; a whole name may be another file's stem in turn
    (``a.md`` refused beside ``a.md.txt``), which then is refused too, and so on."""
    twice = sorted(n for n, k in Counter(names).items() if k > 1)
    if twice:  # a name that is not UTF-8, beside its escaped form written out
        raise DataError(
            [f"{qname(n)}: two seeds have this name once it is escaped; rename one" for n in twice]
        )
    by_stem: dict[str, list[str]] = {}
    for n in names:
        by_stem.setdefault(_stem(n), []).append(n)
    clashes = {n: group for group in by_stem.values() if len(group) > 1 for n in group}
    grown = bool(clashes)
    while grown:
        grown = False
        for n in names:
            if n not in clashes and _stem(n) in clashes:
                clashes[n] = [_stem(n), n]
                grown = True
    ids = {n: n if n in clashes else _stem(n) for n in names}
    return ids, clashes


@dataclass
class DocResult:
    """What reading one seed gives: its metadata row and, when it holds an article, the
    extraction with the article ID. The bodies' MinHash signatures are made a chunk at a time
    (SeedIndex.sign)."""

    meta: dict[str, Any]
    extraction: Extraction | None = None
    article_id: str | None = None

    @property
    def richness(self) -> int:
        """The richer copy of an article is canonical. In order of weight: comments, a time, a
        date, a byline, the body's length, packed into one integer that orders the same way."""
        ex = self.extraction
        if ex is None:
            return 0
        return (
            min(len(ex.comments), (1 << 22) - 1) << 40
            | (ex.published_at is not None) << 39
            | (ex.published_date is not None) << 38
            | (len(ex.authors) > 0) << 37
            | min(len(ex.body), (1 << 37) - 1)
        )


def process(seed: SeedFile, max_bytes: int = DEFAULT_MAX_SEED_BYTES) -> DocResult:
    """read -> decode -> detect -> extract for one seed. Pure but for reading its one file."""
    meta: dict[str, Any] = {
        "doc_id": seed.doc_id,
        "file_name": seed.file_name,
        "sha256": None,
        "bytes": None,
        "encoding": None,
        "replaced_bytes": None,
        "line_ending": None,
        "chars": None,
        "lines": None,
        "layout": None,
        "layout_evidence": [],
        "status": "rejected",
        "error": None,
        "article_id": None,
        "duplicate_of": None,
        "duplicate_similarity": None,
        "boilerplate": [],
        "rules_version": RULES_VERSION,
    }
    try:
        data = read_seed(seed.path, max_bytes)
    except Rejected as exc:
        return _rejected(meta, exc.code, exc.detail)
    meta["sha256"] = hashlib.sha256(data).hexdigest()
    meta["bytes"] = len(data)
    if seed.problem is not None:
        return _rejected(meta, *seed.problem)
    try:
        decoded = decode(data)
    except Rejected as exc:
        return _rejected(meta, exc.code, exc.detail)
    del data  # only the text is read from here on: the bytes are not held through extraction
    return _process_text(meta, decoded)


def process_bytes(meta: dict[str, Any], data: bytes) -> DocResult:
    try:
        decoded = decode(data)
    except Rejected as exc:
        return _rejected(meta, exc.code, exc.detail)
    return _process_text(meta, decoded)


def _process_text(meta: dict[str, Any], decoded: Decoded) -> DocResult:
    meta["encoding"] = decoded.encoding
    meta["replaced_bytes"] = decoded.replaced_bytes
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
    scores = ex.scores
    meta["boilerplate"] = [
        {"line": n, "rule": r, "text": t, "score": scores[n - 1] if scores else None}
        for n, r, t in ex.boilerplate
    ]
    return DocResult(
        meta=meta, extraction=ex, article_id=ids.article_id(ex.title, ex.page, ex.body)
    )


def _rejected(meta: dict[str, Any], code: str, detail: str) -> DocResult:
    meta["status"] = "rejected"
    meta["error"] = f"{code}: {detail}"
    return DocResult(meta=meta)


# -- the duplicate index: packed, a few hundred bytes per seed ------------------------------


class SeedIndex:
    """What duplicate detection needs of every seed, in packed arrays: the article ID's 64 bits,
    the packed richness, the doc_id and, for the seeds whose body is long enough to compare,
    its MinHash signature (dedup.SIGNATURE_BYTES) and position. Seeds that yield no article are
    kept (so positions match the seed order) but marked unusable."""

    def __init__(self) -> None:
        self.doc_ids: list[str] = []
        self.article_keys = array("Q")
        self.richness = array("q")
        self.usable = bytearray()
        self.signed = array("I")  # positions of the seeds with a signature, ascending
        self.signatures = bytearray()  # their signatures, in that order

    def __len__(self) -> int:
        return len(self.doc_ids)

    def add(self, doc_id: str, r: DocResult) -> None:
        self.doc_ids.append(doc_id)
        self.richness.append(r.richness)
        self.article_keys.append(0 if r.article_id is None else ids.article_key(r.article_id))
        self.usable.append(r.article_id is not None)

    def sign(self, signatures: list[bytes | None]) -> None:
        """The signatures of the usable seeds added so far, in order, signed as one batch
        (dedup.signatures)."""
        assert not self.signed, "signed twice"
        usable = [i for i, u in enumerate(self.usable) if u]
        for i, sig in zip(usable, signatures, strict=True):
            if sig is not None:
                self.signed.append(i)
                self.signatures += sig

    def extend(self, other: SeedIndex) -> None:
        self.signed.extend(p + len(self.doc_ids) for p in other.signed)
        self.signatures += other.signatures
        self.doc_ids += other.doc_ids
        self.article_keys += other.article_keys
        self.richness += other.richness
        self.usable += other.usable


@dataclass
class Clusters:
    """Duplicate clusters with more than one seed; any other seed is its own canonical copy."""

    canonical_of: dict[str, str] = field(default_factory=dict)  # member -> canonical doc_id
    members: dict[str, list[str]] = field(default_factory=dict)  # canonical -> all, canonical first
    article_of: dict[str, str] = field(default_factory=dict)  # member -> the article's ID
    similarity_of: dict[str, float] = field(default_factory=dict)  # duplicate -> to canonical
    renamed: dict[str, str] = field(default_factory=dict)  # canonical -> its article's new ID
    rules: Counter[str] = field(default_factory=Counter)

    def sources(self, doc_id: str) -> list[str]:
        return self.members.get(doc_id, [doc_id])

    # Computed once, when pass 2 first asks: clustering is complete by then.
    @cached_property
    def duplicates(self) -> pa.Array:
        """doc_ids of the copies that are not canonical, for vectorised lookups."""
        return pa.array(sorted(d for d, c in self.canonical_of.items() if d != c), pa.string())

    @cached_property
    def canonicals(self) -> pa.Array:
        return pa.array(sorted(self.members), pa.string())

    @cached_property
    def renamed_docs(self) -> pa.Array:
        """doc_ids of the canonical copies whose article ID pass 1 guessed wrong."""
        return pa.array(sorted(self.renamed), pa.string())


def cluster(index: SeedIndex) -> Clusters:
    """merge_duplicates_v2: seeds are one article when their bodies are nearly the same text
    (dedup_minhash_v1: estimated Jaccard similarity of their shingles at least the threshold),
    joined transitively. Candidate pairs come from sorted LSH band keys, never all pairs, and
    only the seeds that have a twin enter a union-find. The richest copy is canonical; ties go
    to the first doc_id. Each duplicate records its estimated similarity to the canonical copy,
    and the article keeps the canonical copy's ID."""
    c = Clusters()
    usable = np.frombuffer(bytes(index.usable), dtype=np.uint8).astype(bool)
    too_short = int(np.count_nonzero(usable)) - len(index.signed)
    rows = np.frombuffer(index.signed, dtype=np.uint32).astype(np.intp)
    signatures = np.frombuffer(index.signatures, dtype="<u2").reshape(-1, dedup.BINS)
    left, right = dedup.similar_pairs(signatures, dedup.settings().threshold)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in list(parent):
        groups.setdefault(find(i), []).append(i)
    canonical = usable.copy()  # the seeds whose rows pass 2 keeps
    for group in groups.values():
        seeds = rows[group].tolist()
        canon = max(seeds, key=lambda i: (index.richness[i], _neg(index.doc_ids[i])))
        cdoc = index.doc_ids[canon]
        c.members[cdoc] = [cdoc, *sorted(index.doc_ids[i] for i in seeds if i != canon)]
        aid_text = ids.article_from_key(index.article_keys[canon])
        sims = dedup.similarity(signatures[group], signatures[group[seeds.index(canon)]][None])
        for i, sim in zip(seeds, sims.tolist(), strict=True):
            c.canonical_of[index.doc_ids[i]] = cdoc
            c.article_of[index.doc_ids[i]] = aid_text
            if i != canon:
                c.similarity_of[index.doc_ids[i]] = sim
                canonical[i] = False
    _distinct_ids(index, canonical, c)
    c.rules.update(
        {
            dedup.TOO_SHORT_RULE: too_short,
            dedup.RULE: len(c.similarity_of),
            ids.COLLISION_RULE: len(c.renamed),
        }
    )
    c.rules = +c.rules  # only the rules that fired
    return c


def _distinct_ids(index: SeedIndex, canonical: np.ndarray, c: Clusters) -> None:
    """Two different articles may share title, page and opening words, hence an article ID:
    the first in seed order keeps it, every later one takes ids.distinct_article_id
    (article_id_collision_v1), and so do its duplicates. Found by sorting the canonical copies'
    article keys."""
    rows = np.flatnonzero(canonical)
    keys = np.frombuffer(index.article_keys, dtype=np.uint64)[rows]
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    for i in rows[order[1:][ordered[1:] == ordered[:-1]]].tolist():
        doc = index.doc_ids[i]
        aid = ids.distinct_article_id(ids.article_from_key(index.article_keys[i]), doc)
        c.renamed[doc] = aid
        for member in c.members.get(doc, ()):
            c.article_of[member] = aid


class _neg:
    """Reverse ordering for strings inside a max() key."""

    def __init__(self, s: str) -> None:
        self.s = s

    def __lt__(self, other: _neg) -> bool:
        return self.s > other.s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _neg) and self.s == other.s


# -- counts ------------------------------------------------------------------------


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

    def add_chunk(self, res: ChunkResult) -> None:
        """Pass 1's counts of a chunk (pass 2 adds the rows and statuses)."""
        self.layout.update(res.layout)
        self.rules.update(res.rules)
        self.boilerplate.update(res.boilerplate)
        for _, error in res.rejected:
            self.rejected[error.split(":", 1)[0]] += 1

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
        "published_text": ex.published_text,
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


def _comment_ids(
    aid: str, comments: Iterable[tuple[datetime | None, str, str | None]]
) -> list[str]:
    """The IDs of an article's comments, from (posted_at, text, quoted_text) in page order."""
    seen: Counter[tuple[Any, ...]] = Counter()
    out = []
    for posted_at, text, quoted in comments:
        ident = (posted_at, ids.normalize(text), ids.normalize(quoted or ""))
        out.append(ids.comment_id(aid, *ident, seen[ident]))
        seen[ident] += 1
    return out


def _comment_rows(ex: Extraction, aid: str, doc_id: str, key: bytes) -> Iterator[Row]:
    by_position: dict[int, str] = {}
    cids = _comment_ids(aid, ((c.posted_at, c.text, c.quoted_text) for c in ex.comments))
    for c, cid in zip(ex.comments, cids, strict=True):
        by_position[c.position] = cid
        reply = by_position.get(c.reply_to_position) if c.reply_to_position is not None else None
        yield {
            "comment_id": cid,
            "article_id": aid,
            "position": c.position,
            "author": c.author,
            "author_id": None if c.author is None else author_id(key, c.author),
            "posted_at": c.posted_at,
            "posted_text": c.posted_text,
            "text": c.text,
            "quoted_text": c.quoted_text,
            "reply_to_comment_id": reply,
            "depth": c.depth,
            "source_doc_id": doc_id,
            "char_start": c.char_start,
            "char_end": c.char_end,
        }


# -- pass 1: chunks of seeds on a process pool --------------------------------------------------

#: Seeds per unit of work. Fixed, so that the output never depends on the number of workers.
CHUNK_DOCS = 128
JSON_COLUMN = "__json__"  # each row's JSON line, carried beside the row between the passes
WORDS_COLUMN = "__words__"  # each comment's word count (str.split), for the documents' figures
HIDDEN = (JSON_COLUMN, WORDS_COLUMN)


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
    rejected: list[tuple[str, str]]  # (path, error)
    names: set[str]
    layout: Counter[str]
    rules: Counter[str]
    boilerplate: Counter[str]


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


def chunk_path(folder: Path, number: int, table: str) -> Path:
    return folder / f"chunk-{number:07d}.{table}.arrow"


def process_chunk(job: ChunkJob) -> ChunkResult:
    """read -> decode -> detect -> extract -> rows for a chunk of seeds; pure but for its files.

    Every usable seed's rows are built as if it were its article's canonical copy; pass 2
    drops the rows of duplicates and patches the few fields that clustering decides."""
    schemas = load()
    rows: dict[str, list[Row]] = {t: [] for t in TABLES}
    res = ChunkResult(
        job.number, len(job.seeds), SeedIndex(), [], set(), Counter(), Counter(), Counter()
    )
    bodies: list[str] = []  # held by the article rows anyway
    for seed in job.seeds:
        r = process(seed, job.max_seed_bytes)
        meta = r.meta
        res.index.add(meta["doc_id"], r)
        ex = r.extraction
        if ex is None:
            res.rejected.append((seed.path, meta["error"]))
            rows["metadata"].append(meta)
            continue
        assert r.article_id is not None
        bodies.append(ex.body)
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
    res.index.sign(dedup.signatures(bodies))
    for t in TABLES:
        table, lines = _rows_table(rows[t], schemas[t])
        if t == "comments":
            table = table.append_column(WORDS_COLUMN, _word_counts(rows[t]))
        table = table.append_column(JSON_COLUMN, lines)
        path = str(chunk_path(job.folder, job.number, t))
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
            w.write_table(table)
    return res


def _rows_table(rows: list[Row], schema: TableSchema) -> tuple[pa.Table, pa.Array]:
    """The rows as an Arrow table, and their JSON lines as UTF-8 bytes."""
    cols = schema.column_names
    lines = [jsonl_line(r, cols).encode("utf-8") for r in rows]
    return pa.Table.from_pylist(rows, schema=schema.arrow_schema()), pa.array(lines, pa.binary())


# -- pass 2: clustering decisions applied, one table at a time, in seed order ----------------


@dataclass(frozen=True)
class Privacy:
    key: bytes
    pseudonymizer: Pseudonymizer | None = None  # set in a --pseudonymize build


@dataclass
class Piece:
    """A chunk's rows of one table, ready to write: the rows, their JSON lines and, for
    comments, each text's word count."""

    rows: pa.Table
    lines: pa.ChunkedArray | pa.Array
    words: pa.ChunkedArray | pa.Array | None = None


def read_chunk(folder: Path, number: int, table: str) -> pa.Table:
    path = chunk_path(folder, number, table)
    with pa.memory_map(str(path)) as source:
        t = pa.ipc.open_file(source).read_all()
    path.unlink()
    return t


def assemble(
    table: str, chunks: int, folder: Path, clusters: Clusters, privacy: Privacy
) -> Iterator[Piece]:
    """One table's rows, chunk by chunk in seed order, with duplicates resolved. The three
    tables' spools are independent, so the three can be assembled side by side."""
    schema = load()[table]
    for n in range(chunks):
        t = read_chunk(folder, n, table)
        if table == "metadata":
            yield _metadata(t, clusters, privacy, schema)
        elif table == "articles":
            yield _articles(t, clusters, schema)
        else:
            yield _comments(t, clusters, privacy, schema)


def _visible(table: pa.Table) -> pa.Table:
    return table.drop_columns([c for c in HIDDEN if c in table.column_names])


def _piece(table: pa.Table, lines: pa.Array | None = None) -> Piece:
    words = table.column(WORDS_COLUMN) if WORDS_COLUMN in table.column_names else None
    return Piece(_visible(table), table.column(JSON_COLUMN) if lines is None else lines, words)


def _rewrite(rows: list[Row], schema: TableSchema) -> Piece:
    """Rows changed in Python (the pseudonymised path): converted and serialised again."""
    table, lines = _rows_table(rows, schema)
    words = None
    if schema.name == "comments":
        words = _word_counts(rows)
    return Piece(table, lines, words)


def _word_counts(rows: list[Row]) -> pa.Array:
    """Each comment's word count (str.split), for the documents' figures."""
    return pa.array([ids.word_count(r["text"]) for r in rows], pa.int64())


def _set(table: pa.Table, name: str, values: list[Any]) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def _relines(table: pa.Table, picked: list[int], schema: TableSchema) -> pa.ChunkedArray:
    """The JSON lines, serialised again for the rows picked (the others are kept as written)."""
    lines = table.column(JSON_COLUMN)
    if not picked:
        return lines
    rows = _visible(table).take(pa.array(picked)).to_pylist()
    new = pa.array([jsonl_line(r, schema.column_names).encode("utf-8") for r in rows], pa.binary())
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[picked] = True
    return pc.replace_with_mask(lines, pa.array(mask), new)


def _positions(mask: pa.ChunkedArray | pa.Array) -> list[int]:
    return np.flatnonzero(mask.to_numpy(zero_copy_only=False)).tolist()  # type: ignore[no-any-return]


def _metadata(table: pa.Table, clusters: Clusters, privacy: Privacy, schema: TableSchema) -> Piece:
    dup = pc.and_(
        pc.is_in(table.column("doc_id"), value_set=clusters.duplicates),
        pc.not_equal(table.column("status"), "rejected"),
    )
    renamed = clusters.renamed
    p = privacy.pseudonymizer
    if p is not None:  # every row's removed lines may hold a handle: the slow path
        rows = _visible(table).to_pylist()
        for row, is_dup in zip(rows, dup.to_pylist(), strict=True):
            doc = row["doc_id"]
            if is_dup:
                row.update(status="duplicate", duplicate_of=clusters.canonical_of[doc],
                           duplicate_similarity=clusters.similarity_of[doc],
                           article_id=clusters.article_of[doc])  # fmt: skip
            elif doc in renamed:
                row["article_id"] = renamed[doc]
            row["boilerplate"] = [{**b, "text": p.text(b["text"])} for b in row["boilerplate"]]
        return _rewrite(rows, schema)
    dups = set(_positions(dup))
    picked = _positions(pc.or_(dup, pc.is_in(table.column("doc_id"), clusters.renamed_docs)))
    if not picked:
        return _piece(table)
    docs = table.column("doc_id").to_pylist()
    status = table.column("status").to_pylist()
    aids = table.column("article_id").to_pylist()
    table = _set(table, "status", ["duplicate" if i in dups else s for i, s in enumerate(status)])
    table = _set(
        table,
        "duplicate_of",
        [clusters.canonical_of[d] if i in dups else None for i, d in enumerate(docs)],
    )
    table = _set(
        table,
        "duplicate_similarity",
        [clusters.similarity_of[d] if i in dups else None for i, d in enumerate(docs)],
    )
    table = _set(
        table,
        "article_id",
        [
            clusters.article_of[d] if i in dups else renamed.get(d, a)
            for i, (d, a) in enumerate(zip(docs, aids, strict=True))
        ],
    )
    return _piece(table, _relines(table, picked, schema))


def _articles(
    table: pa.Table,
    clusters: Clusters,
    schema: TableSchema,
) -> Piece:
    first = pc.list_element(table.column("source_doc_ids"), 0)
    drop = pc.is_in(first, value_set=clusters.duplicates)
    if pc.any(drop).as_py():
        table = table.filter(pc.invert(drop))
        first = pc.list_element(table.column("source_doc_ids"), 0)
    picked = _positions(
        pc.or_(
            pc.is_in(first, value_set=clusters.canonicals), pc.is_in(first, clusters.renamed_docs)
        )
    )
    if not picked:
        return _piece(table)
    docs = first.to_pylist()
    table = _set(table, "source_doc_ids", [clusters.sources(d) for d in docs])
    if clusters.renamed:
        aids = table.column("article_id").to_pylist()
        renamed = [clusters.renamed.get(d, a) for d, a in zip(docs, aids, strict=True)]
        table = _set(table, "article_id", renamed)
    return _piece(table, _relines(table, picked, schema))


def _comments(table: pa.Table, clusters: Clusters, privacy: Privacy, schema: TableSchema) -> Piece:
    drop = pc.is_in(table.column("source_doc_id"), value_set=clusters.duplicates)
    if pc.any(drop).as_py():
        table = table.filter(pc.invert(drop))
    renamed = pc.any(pc.is_in(table.column("source_doc_id"), clusters.renamed_docs)).as_py()
    p = privacy.pseudonymizer
    if (p is None and not renamed) or table.num_rows == 0:
        return _piece(table)
    rows = _visible(table).to_pylist()
    if renamed:
        _rename_comments(rows, clusters.renamed)
    if p is not None:
        for row in rows:
            row["author"] = p.name(row["author"])
            row["text"] = p.text(row["text"])
            row["quoted_text"] = p.text(row["quoted_text"])
    return _rewrite(rows, schema)


def _rename_comments(rows: list[Row], renamed: dict[str, str]) -> None:
    """The comments of an article whose ID changed (article_id_collision_v1): their IDs derive
    from the article's, so they are derived again, and the replies between them follow."""
    by_doc: dict[str, list[Row]] = {}
    for row in rows:
        if row["source_doc_id"] in renamed:
            by_doc.setdefault(row["source_doc_id"], []).append(row)
    for doc, cs in by_doc.items():
        aid = renamed[doc]
        new = _comment_ids(aid, ((r["posted_at"], r["text"], r["quoted_text"]) for r in cs))
        old_to_new = {r["comment_id"]: n for r, n in zip(cs, new, strict=True)}
        for r, n in zip(cs, new, strict=True):
            reply = r["reply_to_comment_id"]
            r.update(comment_id=n, article_id=aid, reply_to_comment_id=old_to_new.get(reply, reply))
