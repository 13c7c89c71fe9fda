"""Memory that a seed's large texts took goes back to the system as soon as they are freed.

Two allocators keep freed memory by default: pyarrow's mimalloc pool caches it for reuse, and
glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), so that later
blocks of that size come from the heap, which it rarely trims. Either way a process that read
one large seed keeps its peak for good, and the peaks of the stages add up. Arrow is switched
to the system allocator and glibc's threshold is fixed, so a block of 1 MiB or more is its own
mapping and is unmapped when freed. Called once, before the workers are forked.

The other way round, a pass-1 worker frees a chunk's few MB of small objects after every chunk;
glibc trimmed that heap each time (past 128 KiB) and the next chunk faulted it in again, page by
page: 1.7 s of system CPU in a 20,000-seed build (5.5 -> 3.6 s). Each worker keeps 8 MiB of
freed heap (:func:`keep_heap`); blocks of 1 MiB or more are still unmapped when freed. After
pass 1 the build's own process does the same with 32 MiB, its threads (pass 2's writers, the
checks) sharing two arenas so that each does not keep a pad of its own: its CPU in pass 2 and
the checks went from 5.3-5.5 s to 4.7-4.8 s at 20,000 seeds, for about 20 MB more at the peak
(a pad per thread's arena cost 130 MB).

And where no seed was large (at most :data:`REUSE_BELOW`), the build's process hands Arrow's
buffers back to mimalloc after pass 1 (:func:`reuse_freed`): pass 2 and the checks decode,
encode and compare row groups of tens of MB, and with a mapping per block each was faulted in
page by page and unmapped again (about 400,000 page faults and 1.2 s of system CPU in pass 2
and the checks at 20,000 seeds).
mimalloc reuses what it freed: 3 % less wall time at 20,000 seeds for about 50 MB more at the
peak, a cache bounded by a row group, not by the corpus. A large seed makes large rows, whose
peaks the cache would keep; then the system allocator stays.

mimalloc asks the kernel for transparent huge pages by default, so each first touch of its
memory clears 2 MiB. On the benchmark's virtual machine that was most of the build's system CPU
in pass 2 and the checks (0.9 s of `clear_page` at 20,000 seeds, seen with perf). The commands
start with huge pages off for mimalloc (:func:`before_pyarrow`): system CPU 2.1 -> 1.4 s, wall
0.97x, peak 40 MB lower. mimalloc reads its options from the environment once, when pyarrow is
loaded, so this is done before anything imports pyarrow; a value the user set stays.
"""

from __future__ import annotations

import contextlib
import ctypes
import os

_M_TOP_PAD = -2  # mallopt's parameter numbers (malloc.h)
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 1 << 20
#: Freed heap a pass-1 worker keeps for the next chunk.
WORKER_HEAP_PAD = 8 << 20
#: Freed heap the build's process keeps after pass 1, and the arenas its threads share.
BUILD_HEAP_PAD = 32 << 20
BUILD_ARENAS = 2
#: The largest seed for which the build's process lets mimalloc reuse Arrow's freed buffers.
REUSE_BELOW = 4 << 20


#: mimalloc's options for the commands (see above), as environment variables.
MIMALLOC_OPTIONS = {"MIMALLOC_ALLOW_THP": "0"}


def before_pyarrow() -> None:
    """mimalloc's options for this process: set before pyarrow is first imported (it reads
    them then, and only then); where the user set one, theirs stays."""
    for name, value in MIMALLOC_OPTIONS.items():
        os.environ.setdefault(name, value)


def _mallopt(param: int, value: int) -> None:
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc: its allocator decides
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(param, value)


def release_promptly() -> None:
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    _mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def reuse_freed() -> None:
    """Arrow's buffers from mimalloc's pool, which reuses freed memory, from now on (buffers
    made before go back to the pool that made them)."""
    import pyarrow as pa

    with contextlib.suppress(NotImplementedError):  # built without it: the system's, as before
        pa.set_memory_pool(pa.mimalloc_memory_pool())


def keep_heap(pad: int, arenas: int = 0) -> None:
    """Keep up to ``pad`` bytes of freed heap instead of trimming it (glibc's M_TOP_PAD); with
    ``arenas``, threads share at most that many arenas (M_ARENA_MAX)."""
    _mallopt(_M_TOP_PAD, pad)
    if arenas:
        _mallopt(_M_ARENA_MAX, arenas)
