"""Discovery: the seeds folder streamed as :class:`~corpuskit.model.SeedFile` records, in sorted
path order, each with its doc_id (the path without its suffix) and, for a name that cannot be
used, the reason it is refused."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .errors import DataError, qbare, qname
from .model import Reject, RejectReason, SeedFile
from .provenance import Selection


def discover(seeds_dir: Path, selection: Selection | None = None) -> Iterator[SeedFile]:
    """Every entry under the seeds folder but its folders (symbolic links to folders included,
    which are never followed), streamed in sorted path order; nothing is skipped silently, and
    folders are walked with a stack, so any depth is fine. A doc_id is the path without its
    suffix; files whose doc_ids would be equal are all refused (see :func:`_doc_ids`). With a
    ``selection``, only the files it takes are seeds (the others it records as ignored), each
    with its manifest row."""
    stack = [_folder(os.fspath(seeds_dir), "", None, selection)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, SeedFile):
            yield item
        else:
            stack.append(_folder(*item, selection))


def count_seeds(seeds_dir: Path, selection: Selection | None = None) -> int:
    return sum(1 for _ in discover(seeds_dir, selection))


def _suffix(name: str) -> str:
    """As pathlib's: the last dot-suffix, never a leading dot or a trailing one."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


_NOT_UTF8 = Reject(
    RejectReason.FILE_NAME_NOT_UTF8,
    "the path is not valid UTF-8, so the dataset cannot hold it as it is (file_name shows it "
    "with C escapes); rename it",
)

_Sub = tuple[str, str, Reject | None]  # a folder to walk: path, prefix, problem


def _folder(
    folder: str, prefix: str, problem: Reject | None, selection: Selection | None = None
) -> Iterator[SeedFile | _Sub]:
    """One folder's entries in name order: its seeds, and its sub-folders to walk."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise DataError(
            [f"{qname(folder)}: cannot list the folder: {exc.strerror or exc}"]
        ) from None
    files: list[tuple[os.DirEntry[str], str, Reject | None]] = []
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
        elif selection is None or selection.take(prefix + shown):
            files.append((e, prefix + shown, own))
    names = [rel for _, rel, _ in files if not rel.endswith("/")]
    ids, clashes = _doc_ids(names)
    for e, rel, own in files:
        if rel.endswith("/"):
            yield (e.path, rel, own)
            continue
        clash = clashes.get(rel)
        if clash is not None:
            own = own or Reject(
                RejectReason.DOC_ID_COLLISION,
                f"{' and '.join(qname(n) for n in clash)} map to one doc_id, "
                f"{qname(_stem(rel))}: none of them is used (rename all but one)",
            )
        row = None if selection is None else selection.row(rel)
        yield SeedFile(ids[rel], rel, e.path, own, row)


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
