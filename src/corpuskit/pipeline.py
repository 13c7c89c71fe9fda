"""The build's stages as functions over streams.

    discover -> read -> decode -> detect layout -> extract -> rows    (per chunk of seeds, pure:
                                                                       on an executor)
             -> merge duplicates -> rows of the three tables          (two passes over a spool)

Discovery (discovery.py) streams the seeds folder; chunks of seeds go to the executor
(executors.py) a few at a time. Pass 1 (processing.py) turns each chunk into the rows of the
three tables as if every seed were its article's canonical copy, spools them to disk (spool.py)
and keeps in memory only a packed index entry per seed (the body's 256-byte MinHash signature,
article key, richness, doc_id). The duplicate clusters are decided from that index
(clusters.py, dedup.py). Pass 2 (assemble.py) streams the spool back in seed order, one table at
a time, drops duplicates' rows and patches the few rows that clustering changes; the writers
(writers/) stream them out. Texts are never held beyond one chunk, so memory does not grow with
the size of the corpus' texts. The records a seed becomes are typed in model.py; the counts are
stats.py's.

This module only gathers the stages' entry points under one name.
"""

from __future__ import annotations

from .assemble import Privacy, assemble
from .clusters import Clusters, SeedIndex, cluster
from .discovery import count_seeds, discover
from .model import Document, Metadata, Reject, RejectReason, SeedFile
from .processing import (
    CHUNK_DOCS,
    ChunkJob,
    ChunkResult,
    chunk_jobs,
    process,
    process_bytes,
    process_chunk,
)
from .stats import BuildStats

__all__ = [
    "CHUNK_DOCS",
    "BuildStats",
    "ChunkJob",
    "ChunkResult",
    "Clusters",
    "Document",
    "Metadata",
    "Privacy",
    "Reject",
    "RejectReason",
    "SeedFile",
    "SeedIndex",
    "assemble",
    "chunk_jobs",
    "cluster",
    "count_seeds",
    "discover",
    "process",
    "process_bytes",
    "process_chunk",
]
