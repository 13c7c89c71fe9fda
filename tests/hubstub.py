"""A small stand-in for the Hugging Face Hub's HTTP API, for publish tests (there is no network).

A real HTTP server on 127.0.0.1 that the real ``huggingface_hub`` client talks to. It keeps
dataset repos as a list of commits (path -> bytes), branches and tags, speaks the endpoints
``create_repo``, ``upload_folder`` (preupload, LFS batch/upload/verify, NDJSON commit,
tree listing), ``list_repo_refs``, ``repo_info``, ``create_tag``, ``delete_tag`` and
``super_squash_history`` use, and those that read a dataset back (``hf_hub_download``'s
HEAD/GET ``resolve``, ``paths-info`` and per-folder tree listings, as ``datasets`` and
``HfFileSystem`` make them), logs every request, and can be told to fail the next commit with
a server error. A squash keeps only the commits a branch or tag still points to, as the Hub's
garbage collection does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

TOKEN = "hf_stub_token_never_printed_0123456789"
GITATTRIBUTES = b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class Repo:
    private: bool
    commits: list[tuple[str, dict[str, bytes], str]] = field(
        default_factory=list
    )  # (oid, files, message)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)  # commit -> parent ("" for a root)

    def files_at(self, revision: str) -> dict[str, bytes]:
        oid = self.tags.get(revision) or self.branches.get(revision) or revision
        for c_oid, files, _ in self.commits:
            if c_oid == oid:
                return files
        raise KeyError(revision)

    def commit(self, files: dict[str, bytes], message: str) -> str:
        oid = hashlib.sha1(
            f"{len(self.commits)}:{message}".encode(), usedforsecurity=False
        ).hexdigest()
        self.commits.append((oid, files, message))
        self.parents[oid] = self.branches.get("main", "")
        self.branches["main"] = oid
        return oid

    def squash(self, branch: str, message: str) -> str:
        """One new root commit with the branch's files, which replaces the branch's history."""
        oid = self.commit(dict(self.files_at(branch)), message)
        self.parents[oid] = ""
        self.branches[branch] = oid
        return oid

    def reachable(self) -> list[dict[str, bytes]]:
        """The file trees of every commit a branch or tag still reaches, through parents."""
        seen: set[str] = set()
        todo = [*self.branches.values(), *self.tags.values()]
        while todo:
            oid = todo.pop()
            if oid and oid not in seen:
                seen.add(oid)
                todo.append(self.parents.get(oid, ""))
        return [files for oid, files, _ in self.commits if oid in seen]


class HubStub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.lfs: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_next_commit = False
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HubStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the handler ---------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _send(
                self, status: int, body: Any = None, headers: dict[str, str] | None = None
            ) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self._send_file(
                    status, data, {"Content-Type": "application/json", **(headers or {})}
                )

            def _body(self) -> bytes:
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {TOKEN}":
                    return True
                self._send(401, {"error": "Invalid credentials"})
                return False

            def do_GET(self) -> None:
                self._dispatch("GET")

            def do_POST(self) -> None:
                self._dispatch("POST")

            def do_PUT(self) -> None:
                self._dispatch("PUT")

            def do_DELETE(self) -> None:
                self._dispatch("DELETE")

            def do_HEAD(self) -> None:
                self._dispatch("HEAD")

            def _send_file(self, status: int, data: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _dispatch(self, method: str) -> None:
                url = urlparse(self.path)
                path = unquote(url.path)
                stub.requests.append((method, path))
                body = self._body()
                with stub.lock:
                    stub._route(self, method, path, parse_qs(url.query), body)

        return Handler

    def _route(
        self, h: Any, method: str, path: str, query: dict[str, list[str]], body: bytes
    ) -> None:
        if method == "PUT" and path.startswith("/lfs-upload/"):  # the LFS "storage"
            oid = path.rsplit("/", 1)[1]
            if hashlib.sha256(body).hexdigest() != oid:
                return h._send(400, {"error": "sha256 mismatch"})
            self.lfs[oid] = body
            return h._send(200, {})
        if not h._authorized():
            return None
        m = re.fullmatch(
            r"/datasets/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)", path
        )
        if m and method in ("GET", "HEAD"):
            return self._resolve(h, m["repo"], m["rev"], m["file"])
        if method == "POST" and path == "/api/repos/create":
            doc = json.loads(body)
            repo_id = (
                f"{doc['organization']}/{doc['name']}" if doc.get("organization") else doc["name"]
            )
            if repo_id in self.repos:
                return h._send(
                    409,
                    {
                        "error": "You already created this dataset repo",
                        "url": f"{self.url}/datasets/{repo_id}",
                    },
                )
            repo = Repo(private=bool(doc.get("private")) or doc.get("visibility") == "private")
            repo.commit({".gitattributes": GITATTRIBUTES}, "initial commit")
            self.repos[repo_id] = repo
            return h._send(200, {"url": f"{self.url}/datasets/{repo_id}"})
        if method == "POST" and path == "/api/validate-yaml":
            return h._send(200, {"errors": [], "warnings": []})
        m = re.fullmatch(
            r"/datasets/(?P<repo>[^/]+/[^/]+)\.git/info/lfs/objects/(?P<op>batch|verify)", path
        )
        if m:
            doc = json.loads(body)
            if m["op"] == "verify":
                return h._send(200 if doc["oid"] in self.lfs else 404, {})
            objects = []
            for o in doc["objects"]:
                entry: dict[str, Any] = {"oid": o["oid"], "size": o["size"]}
                if o["oid"] not in self.lfs:
                    entry["actions"] = {
                        "upload": {"href": f"{self.url}/lfs-upload/{o['oid']}"},
                        "verify": {
                            "href": f"{self.url}/datasets/{m['repo']}.git/info/lfs/objects/verify"
                        },
                    }
                objects.append(entry)
            return h._send(200, {"transfer": "basic", "objects": objects})
        m = re.fullmatch(r"/api/datasets/(?P<repo>[^/]+/[^/]+)/(?P<rest>.*)", path)
        if not m or m["repo"] not in self.repos:
            return h._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
        repo = self.repos[m["repo"]]
        rest = m["rest"]
        if method == "GET" and rest == "refs":

            def ref(kind: str, name: str, oid: str) -> dict[str, str]:
                return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": oid}

            return h._send(
                200,
                {
                    "branches": [ref("heads", n, o) for n, o in repo.branches.items()],
                    "tags": [ref("tags", n, o) for n, o in repo.tags.items()],
                    "converts": [],
                    "pullRequests": [],
                },
            )
        if method == "GET" and (rest.startswith("revision/") or rest == ""):
            revision = rest.removeprefix("revision/") or "main"
            oid = repo.tags.get(revision) or repo.branches.get(revision, revision)
            files = repo.files_at(revision)
            return h._send(
                200,
                {
                    "id": m["repo"],
                    "sha": oid,
                    "private": repo.private,
                    "siblings": [{"rfilename": p} for p in sorted(files)],
                },
            )
        if method == "GET" and rest.startswith("tree/"):
            revision, _, folder = rest.removeprefix("tree/").partition("/")
            try:
                files = repo.files_at(revision)
            except KeyError:
                return h._send(
                    404, {"error": "Revision not found"}, {"X-Error-Code": "RevisionNotFound"}
                )
            recursive = query.get("recursive", ["false"])[0].lower() == "true"
            entries = self._tree(files, folder.strip("/"), recursive)
            if folder.strip("/") and not entries:
                return h._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
            return h._send(200, entries)
        if method == "POST" and rest.startswith("paths-info/"):
            files = repo.files_at(rest.removeprefix("paths-info/"))
            wanted = parse_qs(body.decode()).get("paths", [])
            every = {e["path"]: e for e in self._tree(files, "", recursive=True)}
            return h._send(200, [every[p.strip("/")] for p in wanted if p.strip("/") in every])
        if method == "POST" and rest.startswith("preupload/"):
            files = repo.files_at(unquote(rest.removeprefix("preupload/")))
            out = []
            for f in json.loads(body)["files"]:
                lfs = f["path"].endswith(".parquet")
                remote = files.get(f["path"])
                oid = (
                    None
                    if remote is None
                    else (hashlib.sha256(remote).hexdigest() if lfs else git_blob_sha1(remote))
                )
                out.append(
                    {
                        "path": f["path"],
                        "uploadMode": "lfs" if lfs else "regular",
                        "shouldIgnore": False,
                        "oid": oid,
                    }
                )
            return h._send(200, {"files": out})
        if method == "POST" and rest.startswith("commit/"):
            if self.fail_next_commit:
                self.fail_next_commit = False
                return h._send(
                    500, {"error": "Internal Error - the stand-in was told to fail this commit"}
                )
            lines = [json.loads(x) for x in body.splitlines() if x.strip()]
            files = dict(repo.files_at("main"))
            header = next(x["value"] for x in lines if x["key"] == "header")
            for x in lines:
                v = x["value"]
                if x["key"] == "file":
                    files[v["path"]] = base64.b64decode(v["content"])
                elif x["key"] == "lfsFile":
                    if v["oid"] not in self.lfs:
                        return h._send(422, {"error": f"LFS object {v['oid']} was never uploaded"})
                    files[v["path"]] = self.lfs[v["oid"]]
                elif x["key"] == "deletedFile":
                    files.pop(v["path"], None)
            oid = repo.commit(files, header["summary"])
            return h._send(
                200,
                {"commitUrl": f"{self.url}/datasets/{m['repo']}/commit/{oid}", "commitOid": oid},
            )
        if method == "POST" and rest.startswith("super-squash/"):
            branch = unquote(rest.removeprefix("super-squash/"))
            if branch not in repo.branches:
                return h._send(404, {"error": f"Branch {branch} not found"})
            message = json.loads(body or b"{}").get("message") or "squashed"
            oid = repo.squash(branch, message)
            return h._send(200, {"commitId": oid})
        if method == "DELETE" and rest.startswith("tag/"):
            tag = unquote(rest.removeprefix("tag/"))
            if repo.tags.pop(tag, None) is None:
                return h._send(404, {"error": f"Tag {tag} not found"})
            return h._send(200, {})
        if method == "POST" and rest.startswith("tag/"):
            revision = unquote(rest.removeprefix("tag/"))
            tag = json.loads(body)["tag"]
            if tag in repo.tags:
                return h._send(409, {"error": f"Tag {tag} already exists"})
            repo.tags[tag] = repo.branches.get(revision, revision)
            return h._send(200, {})
        return h._send(404, {"error": f"the stand-in does not know {method} {path}"})

    def _resolve(self, h: Any, repo_id: str, revision: str, path: str) -> None:
        """A file's bytes (GET) or its metadata headers (HEAD), as the Hub's ``resolve``."""
        repo = self.repos.get(repo_id)
        if repo is None:
            return h._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
        try:
            files = repo.files_at(revision)
        except KeyError:
            return h._send(
                404, {"error": "Revision not found"}, {"X-Error-Code": "RevisionNotFound"}
            )
        if path not in files:
            return h._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
        data = files[path]
        entry = self._tree_entry(path, data)
        oid = repo.tags.get(revision) or repo.branches.get(revision) or revision
        headers = {"X-Repo-Commit": oid, "ETag": f'"{entry["oid"]}"'}
        if "lfs" in entry:
            headers["X-Linked-Etag"] = f'"{entry["lfs"]["oid"]}"'
            headers["X-Linked-Size"] = str(len(data))
        return h._send_file(200, data, headers)

    @classmethod
    def _tree(cls, files: dict[str, bytes], folder: str, recursive: bool) -> list[dict[str, Any]]:
        """The entries under ``folder`` ("" for the root): its files and folders, or every file
        and folder below it when ``recursive``."""
        base = f"{folder}/" if folder else ""
        entries: dict[str, dict[str, Any]] = {}
        for p, data in sorted(files.items()):
            if not p.startswith(base):
                continue
            parts = p[len(base) :].split("/")
            dirs = range(1, len(parts)) if recursive else range(1, min(2, len(parts)))
            for i in dirs:
                d = base + "/".join(parts[:i])
                entries[d] = {"type": "directory", "path": d, "oid": git_blob_sha1(d.encode())}
            if recursive or len(parts) == 1:
                entries[p] = cls._tree_entry(p, data)
        return list(entries.values())

    @staticmethod
    def _tree_entry(path: str, data: bytes) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "type": "file",
            "path": path,
            "size": len(data),
            "oid": git_blob_sha1(data),
        }
        if path.endswith(".parquet"):
            entry["lfs"] = {
                "oid": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "pointerSize": 134,
            }
        return entry
