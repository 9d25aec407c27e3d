"""Publish: mirror the committed output folder to an fsspec URL (``s3://``, ``gs://``, ``file://`` ...).

The job itself always works in a local output folder, where the lock, the staging area and
the commit journal rely on ``rename`` and ``flock``. After a run, `publish` brings a remote
copy up to date with it: the table parts, the run records, ``report.html`` and the
validation page. A manifest in ``_state/published.json`` records what the remote copy holds
(by size and modification time), so a run uploads only what changed and deletes only what
left the local folder; a publish that failed or was killed is finished by the next run.

Order, as in the local commit: emptied parts leave first, then changed and new parts
arrive, then the documents table, the run records and the pages. Each file is uploaded
under a hidden temporary name and then moved to its name, so readers of the remote copy
never see half a file (on object stores the move is a server-side copy).

`plan` is pure (local files and manifest in, ordered operations out); only `publish`
touches a file system.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .state import read_json, state_dir, write_json_atomic

MANIFEST = "published.json"
#: What a remote copy holds, in the order it is brought up to date; everything else in the
#: output folder (``_state``, ``.lock``) is the job's own.
PUBLISHED = (("figures", "articles", "checks"), ("documents",), ("runs",),
             ("validation", "report_pages", "report.html"))


@dataclass(frozen=True)
class Operation:
    action: str  # "upload" or "delete"
    path: str  # relative to the output folder and to the URL, with "/"


def local_files(out_dir: Path) -> dict[str, list[int]]:
    """The published files of the output folder: relative path → [size, mtime_ns]."""
    found = {}
    for group in PUBLISHED:
        for name in group:
            top = out_dir / name
            paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
            for path in paths:
                if path.is_file() and not path.name.startswith("."):
                    st = path.stat()
                    found[path.relative_to(out_dir).as_posix()] = [st.st_size, st.st_mtime_ns]
    return found


def plan(local: dict[str, list[int]], published: dict[str, list[int]]) -> list[Operation]:
    """What brings a remote copy that holds `published` to `local`, in a safe order."""
    def group_of(path: str) -> int:
        top = path.split("/", 1)[0]
        return next(i for i, names in enumerate(PUBLISHED) if top in names)

    deletions = [Operation("delete", p) for p in sorted(set(published) - set(local))]
    uploads = sorted((p for p in local if published.get(p) != local[p]), key=lambda p: (group_of(p), p))
    return deletions + [Operation("upload", p) for p in uploads]


def publish(out_dir: Path, url: str) -> list[Operation]:
    """Bring the copy at `url` up to date with `out_dir`; returns what was done.

    Call with the output folder's lock held. Raises the file system's error when the URL
    cannot be written; the manifest then keeps what was done, and the next call resumes.
    """
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    root = root.rstrip("/")
    manifest_path = state_dir(out_dir) / MANIFEST
    manifest = read_json(manifest_path) or {}
    published = manifest.get("files", {}) if manifest.get("url") == url else {}
    ops = plan(local_files(out_dir), published)
    done: list[Operation] = []
    try:
        for op in ops:
            target = f"{root}/{op.path}"
            if op.action == "delete":
                if fs.exists(target):
                    fs.rm(target)
                published.pop(op.path, None)
            else:
                source = out_dir / op.path
                st = source.stat()  # before the upload: a change during it is seen next time
                folder, name = target.rsplit("/", 1)
                fs.makedirs(folder, exist_ok=True)
                tmp = f"{folder}/.{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
                fs.put_file(str(source), tmp)
                fs.mv(tmp, target)
                published[op.path] = [st.st_size, st.st_mtime_ns]
            done.append(op)
    finally:
        write_json_atomic(manifest_path, {"url": url, "files": published})
    return done
