"""``publish --repo-id OWNER/NAME``: put a validated release on the Hugging Face Hub.

In this order: validate the dataset (refuse an invalid one before any request); create the
dataset repo if it is missing; upload the folder exactly, in one commit that also deletes
remote files no longer in it; tag that commit ``v<version>``. A tag that already exists is
checked against the folder: same content, nothing to do; other content, refused. The token
comes from ``HF_TOKEN`` or the huggingface_hub login and is never printed or written.

With ``purge_history`` (a takedown), once the new release is up the ``main`` branch is squashed
into one commit (``super_squash_history``), every other tag is deleted (``delete_tag``) and the
release tag is put on the squashed commit, so no earlier version stays reachable on the Hub.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import distlayout, package
from ..checks import validate
from ..errors import DataError, UsageError
from ..project import HUB, Release

LOGIN_HELP = (
    "no Hugging Face token: set HF_TOKEN in the environment, or log in once with "
    "`hf auth login` (or `huggingface-cli login`); a token with write access is needed"
)


@dataclass(frozen=True)
class PlannedFile:
    path: str
    size: int
    sha256: str


def plan(dist: Path) -> list[PlannedFile]:
    return [
        PlannedFile(rel, (dist / rel).stat().st_size, package.sha256_file(dist / rel))
        for rel in sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())
    ]


def _git_blob_sha1(path: Path) -> str:
    """The id git (and so the Hub) gives a regular, non-LFS file of these bytes."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def check_repo_id(repo_id: str) -> None:
    """UsageError unless repo_id is OWNER/NAME and huggingface_hub's own validator accepts it."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise UsageError(f"--repo-id must be OWNER/NAME, not {repo_id!r}")
    try:
        validate_repo_id(repo_id)
    except HFValidationError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "not a valid repo id"
        raise UsageError(f"--repo-id {repo_id!r} is not a valid Hub repo id: {reason}") from None


def publish(
    dist: Path,
    repo_id: str,
    release: Release,
    *,
    private: bool = False,
    dry_run: bool = False,
    endpoint: str | None = None,
    purge_history: bool = False,
    say: Callable[[str], None] = print,
) -> int:
    check_repo_id(repo_id)
    if not dist.is_dir():
        raise UsageError(f"{dist}: no such dataset folder")
    findings = validate(dist, deep=True)
    if findings:
        raise DataError(
            [f"{dist} is not valid, so it was not published ({len(findings)} problem(s)):"]
            + [f"{dist}/{f.render()}" for f in findings]
        )
    built_for = _built_for(dist)
    if built_for and built_for != repo_id:
        raise DataError(
            [
                f"{dist} was built for the Hub repo {built_for}, not {repo_id}: its card and "
                f"metadata point there. Rebuild with `build --repo-id {repo_id}` (or set repo_id "
                "in [tool.corpuskit]) and publish again."
            ]
        )
    if not built_for:
        say(
            f"note: {dist} was built without a repo id, so its card shows loading from a "
            f"checkout; `build --repo-id {repo_id}` writes it for the Hub"
        )
    tag = release.tag
    files = plan(dist)
    if dry_run:
        say(f"dry run: nothing is sent. Would publish {dist} as version {release.version}:")
        say(f"  repo:     {repo_id} (dataset, {'private' if private else 'public'})")
        say(f"  endpoint: {endpoint or 'the default Hub endpoint'}")
        say("  revision: main (one commit; remote files not in the folder are deleted)")
        say(f"  tag:      {tag}")
        if purge_history:
            say("  then:     squash main's history into one commit and delete every other tag")
        say(f"  files:    {len(files)}, {sum(f.size for f in files)} bytes")
        for f in files:
            say(f"    {f.size:>12}  {f.sha256}  {f.path}")
        return 0

    from huggingface_hub import HfApi, get_token
    from huggingface_hub.errors import HfHubHTTPError

    token = get_token()
    if not token:
        raise DataError([LOGIN_HELP])
    api = HfApi(endpoint=endpoint, token=token)
    try:
        transport_errors: tuple[type[BaseException], ...] = (HfHubHTTPError, OSError)
        import httpx2

        transport_errors += (httpx2.HTTPError,)
    except ImportError:  # the client moved to another HTTP library: OSError still covers most
        pass
    committed: str | None = None
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        refs = api.list_repo_refs(repo_id, repo_type="dataset")
        if any(t.name == tag for t in refs.tags):
            differences = _compare(api, repo_id, tag, dist, files)
            if differences:
                raise DataError(
                    [
                        f"{repo_id}: tag {tag} already exists with other content, so nothing "
                        "was published. A changed dataset needs a new version (see README, "
                        "Versioning):",
                        *(f"  {d}" for d in differences[:20]),
                    ]
                )
            if purge_history:
                say(f"{repo_id}: {tag} is already published with exactly this content")
                _purge(api, repo_id, tag, say)
                return 0
            say(f"{repo_id}: {tag} is already published with exactly this content; nothing to do")
            return 0
        info = api.upload_folder(
            folder_path=str(dist),
            repo_id=repo_id,
            repo_type="dataset",
            commit_message=f"Release {tag}",
            commit_description=f"Dataset version {release.version} ({release.release_date}).",
            delete_patterns="*",
        )
        committed = info.oid
        api.create_tag(
            repo_id, tag=tag, revision=committed, repo_type="dataset", tag_message=f"Release {tag}"
        )
        if purge_history:
            _purge(api, repo_id, tag, say)
    except DataError:
        raise
    except transport_errors as exc:
        where = (
            f"the release commit {committed} was made but tagging it failed; "
            "run publish again to tag it"
            if committed
            else "nothing was committed: the remote is as it was"
        )
        raise DataError([f"publish to {repo_id} failed: {_describe(exc)}", where]) from None
    say(f"published {dist} to {repo_id} as {tag} (commit {committed}, {len(files)} files)")
    return 0


def _purge(api: object, repo_id: str, tag: str, say: Callable[[str], None]) -> None:
    """Squash main into one commit holding the release, delete every other tag, and move the
    release tag onto the squashed commit: no earlier version stays reachable."""
    from huggingface_hub import HfApi

    assert isinstance(api, HfApi)
    refs = api.list_repo_refs(repo_id, repo_type="dataset")
    head = next(b.target_commit for b in refs.branches if b.name == "main")
    tagged = next(t.target_commit for t in refs.tags if t.name == tag)
    if head != tagged:
        raise DataError(
            [
                f"{repo_id}: main has commits after {tag}, so its history was not squashed "
                "(that would publish them under the release tag); publish a new version instead"
            ]
        )
    api.super_squash_history(
        repo_id,
        repo_type="dataset",
        branch="main",
        commit_message=f"Release {tag}; earlier versions removed from the history",
    )
    refs = api.list_repo_refs(repo_id, repo_type="dataset")
    squashed = next(b.target_commit for b in refs.branches if b.name == "main")
    for t in refs.tags:
        api.delete_tag(repo_id, tag=t.name, repo_type="dataset")
    api.create_tag(
        repo_id, tag=tag, revision=squashed, repo_type="dataset", tag_message=f"Release {tag}"
    )
    gone = sorted(t.name for t in refs.tags if t.name != tag)
    say(
        f"{repo_id}: history squashed into {squashed}; tags deleted: "
        f"{', '.join(gone) or '(none)'}; {tag} now points to the squashed commit"
    )


def _built_for(dist: Path) -> str | None:
    """The Hub repo a dataset folder was built for (datapackage.json's homepage), if any."""
    import json

    try:
        doc = json.loads((dist / distlayout.DATAPACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    home = doc.get("homepage") or ""
    prefix = f"{HUB}/datasets/"
    return home.removeprefix(prefix) if home.startswith(prefix) else None


def _describe(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"HTTP {status}: {first}" if status else f"{type(exc).__name__}: {first}"


def _compare(
    api: object, repo_id: str, tag: str, dist: Path, files: list[PlannedFile]
) -> list[str]:
    """Differences between the tagged remote tree and the local folder (empty: the same)."""
    from huggingface_hub import HfApi
    from huggingface_hub.hf_api import RepoFile

    assert isinstance(api, HfApi)
    remote = {
        f.path: f
        for f in api.list_repo_tree(repo_id, repo_type="dataset", revision=tag, recursive=True)
        if isinstance(f, RepoFile) and f.path != ".gitattributes"
    }
    local = {f.path: f for f in files}
    out = [f"missing on the Hub: {p}" for p in sorted(local.keys() - remote.keys())]
    out += [f"only on the Hub: {p}" for p in sorted(remote.keys() - local.keys())]
    for p in sorted(local.keys() & remote.keys()):
        r = remote[p]
        same = r.lfs.sha256 == local[p].sha256 if r.lfs else r.blob_id == _git_blob_sha1(dist / p)
        if not same:
            out.append(f"different content: {p}")
    return out
