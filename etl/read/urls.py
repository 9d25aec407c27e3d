"""Inputs by fsspec URL (``file://``, ``memory://``, ``s3://`` with s3fs installed ...).

Local paths never come here: they keep the stat-based fast path of `etl.job.job.plan`. URL
inputs are read on every run (their size and mtime are not compared), and content that
did not change is then only touched, by its hash, as for local files.
"""
from __future__ import annotations

from datetime import datetime, timezone
from posixpath import basename

from .ingest import InputFile, over_limit


def is_url(path: str) -> bool:
    return "://" in str(path)


def discover_urls(url: str) -> list[str]:
    """A folder URL searched recursively for ``*.txt`` (hidden names skipped), sorted; any
    other URL as given (a missing one is recorded unreadable, as for local paths)."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    try:
        if not fs.isdir(root):
            return [url]
        found = fs.find(root)
    except OSError:
        return [url]
    keep = sorted(p for p in found if p.lower().endswith(".txt")
                  and not any(part.startswith(".") for part in p[len(root):].split("/")))
    return [fs.unstrip_protocol(p) for p in keep]


def read_url(url: str, max_bytes: int | None) -> InputFile:
    """One input's bytes by URL; errors become `error`, never exceptions (as `read_input`)."""
    import fsspec

    size = mtime = None
    try:
        fs, path = fsspec.core.url_to_fs(url)
        info = fs.info(path)
        size, mtime = info.get("size"), _mtime(info)
        if info.get("type") == "directory":
            raise IsADirectoryError(f"is a folder, not a file: {url}")
        if max_bytes is not None and size is not None and size > max_bytes:
            return InputFile(url, basename(path), size, mtime, error=over_limit(size, max_bytes))
        data = fs.cat_file(path)
    except Exception as exc:  # any backend's error: a status for this input, not a stopped run
        return InputFile(url, basename(str(url)), size, mtime, error=f"{type(exc).__name__}: {exc}")
    return InputFile(url, basename(path), len(data), mtime, data=data)


def _mtime(info: dict) -> datetime | None:
    """Modification time from an fsspec info dict (keys differ by backend)."""
    for key in ("mtime", "LastModified", "last_modified", "created"):
        value = info.get(key)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value, tz=timezone.utc)
    return None
