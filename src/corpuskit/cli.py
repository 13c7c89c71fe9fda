"""Command line: ``build`` (the default), ``validate``, ``explain``, ``diff``, ``release``,
``record``, ``publish``, ``init``.

Every command but ``validate`` and ``init`` works on a dataset project (``corpuskit.project``):
the one named by ``--project DIR``, else the current folder's (or the nearest above it). It is
loaded once, here, and passed down.

Exit codes: 0 success, 1 a data problem (bad seed, invalid dataset), 2 a usage error.
Expected failures print a message naming the file and the reason, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from . import __version__, memory
from .errors import DataError, Interrupted, Terminated, UsageError, qname, signal_exit_code
from .executors import ENGINES
from .project import Project


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _tool_version() -> str:
    """The tool's version and its extraction rules' (a dataset's own version is its project's:
    ``build`` prints it, and the card and build_stats.json record it)."""
    from .layouts.base import RULES_VERSION

    return f"{__version__} (extraction rules {RULES_VERSION})"


def _add_verbosity(common: argparse.ArgumentParser) -> None:
    """-v/-q, accepted before or after the subcommand (SUPPRESS: a subcommand that is not given
    them does not reset what was given before it)."""
    common.add_argument(
        "-v",
        "--verbose",
        action="store_const",
        const=2,
        dest="level",
        default=argparse.SUPPRESS,
        help="also print each stage's timing",
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_const",
        const=0,
        dest="level",
        default=argparse.SUPPRESS,
        help="no progress output; only errors and the final summary",
    )
    common.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the dataset project (its corpuskit.toml, or [tool.corpuskit] in its pyproject.toml); "
        "default: the current folder, or the nearest above it with a config",
    )


class _SubParser(_Parser):
    """A subcommand's parser: its own usage on error, and -v/-q after the subcommand too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_verbosity(self)


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _size(text: str) -> int:
    from .safety import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="corpuskit",
        description="Build, check and explain a dataset project's dataset. With no subcommand: "
        "build the project's seeds/ into its dist/.",
    )
    _add_verbosity(p)
    p.add_argument("--version", action="version", version=f"corpuskit {_tool_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_SubParser)

    b = sub.add_parser(
        "build",
        help="build the dataset from the seeds (the default)",
        description="Read every seed, extract articles and comments, merge "
        "duplicates and write the dataset. Writes into a fresh folder beside the "
        "target, checks it, and swaps it in atomically: a failed or killed build "
        "leaves the previous dataset exactly as it was.",
    )
    b.add_argument(
        "--seeds", type=Path, help="folder of seed files (default: the project's seeds/)"
    )
    b.add_argument(
        "--out", type=Path, help="dataset folder to (re)build (default: the project's dist/)"
    )
    b.add_argument(
        "--skip-invalid",
        action="store_true",
        help="build from the usable seeds and record each rejected one in metadata "
        "(default: any unusable seed fails the build and nothing is written)",
    )
    b.add_argument(
        "--pseudonymize",
        action="store_true",
        help="replace every commenter's handle with its keyed pseudonym (author, comment text, "
        "quoted text, removed lines); the key comes from CORPUSKIT_PSEUDONYM_KEY or the file "
        "named by the project's pseudonym_key_file",
    )
    b.add_argument(
        "--workers",
        type=_workers,
        default=os.cpu_count() or 1,
        help="processes for the per-document stages (default: the machine's cores)",
    )
    b.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        default="local",
        help="where the per-document stages run: local (a process pool on this machine, the "
        "default), ray (Ray tasks: a private Ray on this machine, or the cluster at --address; "
        "needs `make ray`) or serial (this process only); the output is the same either way",
    )
    b.add_argument(
        "--address",
        default=None,
        metavar="auto|HOST:PORT",
        help="with --engine ray: join this running Ray cluster (auto: the one `ray start` runs "
        "on this machine) and leave it running; every node must see the seeds at the same path "
        "(default: a private Ray on this machine, stopped at the end)",
    )
    b.add_argument(
        "--repo-id",
        default=None,
        help="the Hub dataset repo OWNER/NAME that the card's examples and the metadata's URLs "
        "point to (default: the project's repo_id; none: a local card)",
    )
    b.add_argument(
        "--jsonl-compression",
        choices=["none", "gzip"],
        default="none",
        help="write the JSONL copies plain (default) or gzip-compressed (.jsonl.gz)",
    )
    b.add_argument(
        "--seed-glob",
        action="append",
        default=None,
        metavar="PATTERN",
        help="which files of the seeds folder are seeds, e.g. '*.txt' (repeat for more; a "
        "pattern with a / matches the path under the folder); every other file is listed as "
        "ignored (default: [tool.corpuskit] seed_glob in pyproject.toml, else *.txt)",
    )
    b.add_argument(
        "--max-seed-bytes",
        type=_size,
        default=None,
        metavar="SIZE",
        help="refuse seeds larger than this, e.g. 67108864 or 64MiB (default: the project's "
        "max_seed_bytes, else 64MiB)",
    )

    v = sub.add_parser(
        "validate",
        help="check a built dataset and report every problem",
        description="Check a built dataset: Parquet schemas, every row against its "
        "JSON Schema, keys, JSONL copies, checksums, the card (and load_dataset), "
        "and the Frictionless package. Prints every finding with its file, row, "
        "field and rule; exits 1 if there is any.",
    )
    v.add_argument(
        "dir", nargs="?", type=Path, help="dataset folder (default: the project's dist/, else dist)"
    )
    v.add_argument("--json", action="store_true", help="write the report as JSON on stdout")
    v.add_argument(
        "--deep",
        action="store_true",
        help="also run frictionless' own row-by-row validation of datapackage.json (slow on large "
        "datasets; its key constraints are always checked, vectorised)",
    )

    d = sub.add_parser(
        "diff",
        help="compare two built datasets, row by row",
        description="Print, per table, the columns and rows added, removed and changed (by "
        "primary key), naming the fields that changed. OLD and NEW are dataset folders or git "
        "revisions of the project's repository (v1.0.0, HEAD, REV:PATH), whose committed dist/ "
        "is read with git archive into a temporary folder (the working tree is not touched). "
        "Exit 0 when the two hold the same rows, 1 when they differ (like diff(1)), 2 on trouble "
        "(not a built dataset, an unknown revision, a revision without dist/).",
    )
    d.add_argument("old", help="the earlier dataset: a folder or a git revision (e.g. v1.0.0)")
    d.add_argument("new", help="the later dataset: a folder or a git revision (e.g. dist)")
    d.add_argument("--json", action="store_true", help="write the differences as JSON on stdout")

    r = sub.add_parser(
        "record",
        help="record this version's per-table row counts and content hashes in releases.json",
        description="Write the release record of the project's version from a built "
        "dataset (default: the project's dist/): per-table row counts and content hashes. "
        "Refuses when that version was already recorded with other data, or has no CHANGELOG.md "
        "entry.",
    )
    r.add_argument("dir", nargs="?", type=Path, help="dataset folder (default: the project's dist)")

    rel = sub.add_parser(
        "release",
        help="rebuild, diff against the last release, bump the version, write the CHANGELOG "
        "entry and record it",
        description="Make the next release in one step: rebuild the dataset; diff it against "
        "the last version recorded in releases.json (read from its git tag v<version>, or "
        "--against); refuse a bump too small for the change (a column removed or renamed needs "
        "major; rows added, removed or changed, or a column added, minor; documentation only, "
        "patch); set version and release_date in the project's config; write the CHANGELOG.md "
        "entry from the diff with a placeholder for the reason; rebuild and record it.",
    )
    rel.add_argument("part", choices=["major", "minor", "patch"], help="which number to bump")
    rel.add_argument(
        "--date", default=None, help="the release date, YYYY-MM-DD (default: today's date)"
    )
    rel.add_argument(
        "--against",
        default=None,
        help="the previous release's data: a folder or git revision (default: tag v<last version>)",
    )
    rel.add_argument(
        "--seeds", type=Path, help="folder of seed files (default: the project's seeds/)"
    )
    rel.add_argument("--out", type=Path, help="dataset folder (default: the project's dist/)")
    rel.add_argument("--workers", type=_workers, default=1, help="processes (default: 1)")
    rel.add_argument(
        "--reason",
        default=None,
        help="why this release is made, for its CHANGELOG.md entry (default: a placeholder to "
        "fill in, which make test refuses; for a removal: the ground, never who asked)",
    )
    rel.add_argument(
        "--repo-id", default=None, help="as for build (default: the project's repo_id)"
    )

    pub = sub.add_parser(
        "publish",
        help="validate dist/ and publish it to the Hugging Face Hub as a tagged release",
        description="Validate the dataset (an invalid one is refused before any request), create "
        "the dataset repo if missing, upload the folder exactly in one commit (remote files no "
        "longer in it are deleted), and tag the commit v<version>. An existing tag with the same "
        "content is left alone; with other content the publish is refused. The token comes "
        "from HF_TOKEN or the huggingface_hub login and is never printed.",
    )
    pub.add_argument(
        "--repo-id",
        default=None,
        help="the dataset repo, OWNER/NAME (default: the project's repo_id)",
    )
    pub.add_argument("--dir", type=Path, help="dataset folder (default: the project's dist/)")
    pub.add_argument(
        "--private", action="store_true", help="create the repo as private if it is missing"
    )
    pub.add_argument(
        "--dry-run", action="store_true", help="send nothing; print the plan and every file"
    )
    pub.add_argument(
        "--endpoint", default=None, help="Hub endpoint URL (default: HF_ENDPOINT or the public Hub)"
    )
    pub.add_argument(
        "--purge-history",
        action="store_true",
        help="for a takedown: once the release is up, squash the Hub repo's history into one "
        "commit and delete every earlier version's tag, so no earlier version stays downloadable",
    )

    e = sub.add_parser(
        "explain",
        help="show what every line of a seed became",
        description="Print the seed with every line marked by what it became: "
        "title, byline, body, boilerplate and its rule, comment N, the quotation of "
        "comment N, signature N ... The curator's check before a seed goes in.",
    )
    e.add_argument("seed", type=Path, help="a seed file")

    i = sub.add_parser(
        "init",
        help="start a new dataset project: a commented corpuskit.toml and an empty seeds/",
        description="Write DIR/corpuskit.toml (the dataset's facts, every key commented), a fresh "
        "pseudonym key and an empty seeds/ folder. Refuses to overwrite a file that exists.",
    )
    i.add_argument("dir", type=Path, help="the project folder (made if missing)")
    return p


def run(default_project: Path | None = None) -> NoReturn:
    """The ``corpuskit`` command (and ``build_dataset.py``): :func:`main`, then exit with its
    code. Before the interpreter shuts down, every object is frozen out of the garbage
    collector (``gc.freeze``): the shutdown's collections would otherwise walk all that the
    command imported (datasets, pyarrow, pandas: ~0.15 s of CPU after a build) to free memory
    the process gives back as it exits anyway. Only here, not in :func:`main`, which tests
    and other programs call in their own process. Before anything, mimalloc's options
    (:func:`corpuskit.memory.before_pyarrow`), which must be set before pyarrow loads."""
    memory.before_pyarrow()
    code = main(default_project=default_project)
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None, default_project: Path | None = None) -> int:
    """``default_project``: the project when ``--project`` is not given (``build_dataset.py``
    passes its own folder); else the current folder's."""
    from . import progress

    p = parser()
    args, extra = p.parse_known_args(argv)
    if extra:  # a subcommand's unknown option: that subcommand's usage, not the top-level one
        commands = next(a.choices for a in p._actions if isinstance(a, argparse._SubParsersAction))
        owner = commands.get(args.command, p) if args.command else p
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    progress.LEVEL = getattr(args, "level", 1)
    if progress.LEVEL > 1:
        from .build import TIMINGS

        TIMINGS.on = True
    try:
        if args.command == "validate":
            if args.dir is None:
                found = _project_if_any(getattr(args, "project", default_project))
                args.dir = found.dist if found else Path("dist")
            return _validate(args)
        if args.command == "init":
            return _init(args)
        if args.command == "diff":
            found = _project_if_any(getattr(args, "project", default_project))
            return _diff(args, found.root if found else Path.cwd())
        project = Project.load(getattr(args, "project", default_project))
        if args.command in (None, "build"):
            return _build(args, project)
        if args.command == "explain":
            return _explain(args, project)
        if args.command == "record":
            return _record(args, project)
        if args.command == "release":
            return _release(args, project)
        if args.command == "publish":
            return _publish(args, project)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (DataError, Interrupted) as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; nothing was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a pager or `head` that closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    raise AssertionError(args.command)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """A SIGTERM stops a build the way Ctrl-C does: it cleans up and says what it left."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(args: argparse.Namespace, project: Project) -> int:
    from .build import build

    seeds = getattr(args, "seeds", None) or project.seeds
    out = getattr(args, "out", None) or project.dist
    engine, address = getattr(args, "engine", "local"), getattr(args, "address", None)
    if address and engine != "ray":
        raise UsageError(f"--address is for --engine ray (a Ray cluster), not --engine {engine}")
    with _sigterm_interrupts():
        result = build(
            seeds,
            out,
            skip_invalid=getattr(args, "skip_invalid", False),
            workers=getattr(args, "workers", os.cpu_count() or 1),
            progress=getattr(args, "level", 1) > 0,
            pseudonymize=getattr(args, "pseudonymize", False),
            max_seed_bytes=getattr(args, "max_seed_bytes", None),
            repo_id=getattr(args, "repo_id", None),
            jsonl_compression=getattr(args, "jsonl_compression", "none"),
            engine=engine,
            engine_options={"address": address} if address else None,
            project=project,
            seed_glob=getattr(args, "seed_glob", None),
        )
        try:
            s = result.stats.as_dict()
            status = ", ".join(f"{n} {k}" for k, n in s["seeds_by_status"].items())
            made = f"{project.name} {project.version}, by corpuskit {__version__}"
            print(
                f"built {qname(out)} ({made}): {s['rows'].get('articles', 0)} articles, "
                f"{s['rows'].get('comments', 0)} comments, {s['rows'].get('metadata', 0)} "
                f"metadata rows ({s['seeds']} seeds: {status})"
            )
        except KeyboardInterrupt as exc:
            raise Interrupted(
                [f"interrupted; {qname(result.out)} is the new dataset, complete and checked"],
                signal_exit_code(exc),
            ) from None
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .checks import validate

    if not args.dir.is_dir():
        raise UsageError(f"{qname(args.dir)}: no such dataset folder")
    findings = validate(args.dir, deep=args.deep)
    if args.json:
        json.dump(
            {
                "dataset": str(args.dir),
                "valid": not findings,
                "findings": [f.as_dict() for f in findings],
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for f in findings:
            print(f"{args.dir}/{f.render()}")
        print(
            f"{qname(args.dir)}: {'valid' if not findings else f'{len(findings)} problem(s)'}",
            file=sys.stderr if findings else sys.stdout,
        )
    return 1 if findings else 0


def _explain(args: argparse.Namespace, project: Project) -> int:
    from .explain import explain

    # it names a missing file, a folder, a device
    sys.stdout.write(explain(args.seed, project.max_seed_bytes()))
    return 0


def _diff(args: argparse.Namespace, repo: Path) -> int:
    from .releases.diff import as_json, diff_tables, render

    diffs = diff_tables(args.old, args.new, repo)
    report = as_json(diffs)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(diffs))
    return 0 if report["same"] else 1


def _release(args: argparse.Namespace, project: Project) -> int:
    from .releases.release import release

    release(
        args.part,
        project,
        date=args.date,
        against=args.against,
        seeds=args.seeds or project.seeds,
        out=args.out or project.dist,
        workers=args.workers,
        reason=args.reason,
        repo_id=args.repo_id,
    )
    return 0


def _record(args: argparse.Namespace, project: Project) -> int:
    from .releases.release import record

    folder = args.dir or project.dist
    if not folder.is_dir():
        raise UsageError(f"{qname(folder)}: no such dataset folder")
    version = record(folder, project)
    print(f"recorded version {version} in releases.json")
    return 0


def _publish(args: argparse.Namespace, project: Project) -> int:
    from .releases.publish import publish

    endpoint = args.endpoint or os.environ.get("HF_ENDPOINT") or None
    release = project.release()
    repo_id = args.repo_id or release.repo_id
    if not repo_id:
        raise UsageError(
            "publish: no repo id: pass --repo-id OWNER/NAME or set repo_id in "
            f"{qname(project.config_path)}"
        )
    return publish(
        args.dir or project.dist,
        repo_id,
        release,
        private=args.private,
        dry_run=args.dry_run,
        endpoint=endpoint,
        purge_history=args.purge_history,
    )


def _project_if_any(where: Path | None) -> Project | None:
    """The project named (it must be one), else the current folder's if it is in one:
    ``validate`` and ``diff`` of dataset folders need none."""
    try:
        return Project.load(where)
    except UsageError:
        if where is not None:
            raise
        return None


def _init(args: argparse.Namespace) -> int:
    from .init import init

    for path in init(args.dir):
        print(f"wrote {qname(path)}")
    print(
        f"next: fill in {qname(args.dir / 'corpuskit.toml')}, put seed files in "
        f"{qname(args.dir / 'seeds')}, and run `corpuskit build` there"
    )
    return 0
