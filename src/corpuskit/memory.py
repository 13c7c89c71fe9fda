"""Memory that a seed's large texts took goes back to the system as soon as they are freed.

Two allocators keep freed memory by default: pyarrow's mimalloc pool caches it for reuse, and
glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), so that later
blocks of that size come from the heap, which it rarely trims. Either way a process that read
one large seed keeps its peak for good, and the peaks of the stages add up. Arrow is switched
to the system allocator and glibc's threshold is fixed, so a block of 1 MiB or more is its own
mapping and is unmapped when freed. Called once, before the workers are forked.
"""

from __future__ import annotations

import ctypes

_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
MMAP_THRESHOLD = 1 << 20


def release_promptly() -> None:
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc: its allocator decides
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
