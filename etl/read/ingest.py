"""Ingest: find input files, read their bytes, decode them to text.

The only stage besides `write` that touches the file system. Nothing here
drops an input silently: paths that cannot be read are returned/recorded with
an error so the pipeline can give them a status in the documents table.
"""
from __future__ import annotations

import codecs
import functools
import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path

import charset_normalizer

__all__ = [
    "EMPTY",
    "InputFile",
    "UndecodableError",
    "decode_bytes",
    "discover_all",
    "discover_inputs",
    "doc_id",
    "escaped",
    "path_text",
    "read_input",
    "readable_suffixes",
]

#: Encoding reported for zero bytes: nothing was detected, and the pipeline
#: maps it to status ``empty``. Every other name returned by `decode_bytes`
#: is a Python codec with ``data.decode(name) == text``.
EMPTY = "empty"

# Share of control or private-use characters above which decoded "text" is
# taken for binary data or a wrong guess. Tolerates a stray NUL in a long file.
_MAX_SUSPECT_SHARE = 0.01
# Share of plausible characters a BOM-less UTF-16 guess must reach; the wrong
# byte order or binary data scores far lower (about 0.3-0.5).
_MIN_UTF16_SHARE = 0.9
_BOMS = (  # UTF-8's first; UTF-32 is not expected for these inputs
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept."""


# ---------------------------------------------------------------- discovery

def readable_suffixes() -> tuple[str, ...]:
    """The suffixes of the files the job reads in a folder (``etl/data/inputs.toml``)."""
    return tuple(_inputs_data()["readable_suffixes"])


@functools.cache
def _inputs_data() -> dict:
    return tomllib.loads(files("etl.data").joinpath("inputs.toml").read_text("utf-8"))


def discover_inputs(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The input files of the run's arguments (`discover_all`, without the unsupported ones)."""
    return discover_all(paths)[0]


def discover_all(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Path]]:
    """Expand the run's arguments into the input files, and the files found beside them
    that the job does not read.

    * An argument that is a folder (or a symlink to one) is searched recursively,
      skipping hidden entries (name starting with ``.``); results are sorted per folder.
      Files whose suffix is readable (`readable_suffixes`, case-insensitive) are inputs;
      the other files are returned apart, as *unsupported*.
    * Any other argument is taken as given, whatever its suffix, even when it
      does not exist: the pipeline records it as unreadable instead of losing it.
    * Inside folders, broken symlinks with a readable suffix and subfolders that cannot
      be listed are returned as inputs too, for the same reason.

    Order follows the arguments; a path reached twice is returned once.
    Paths are not resolved, so relative arguments give relative paths.
    """
    readable = readable_suffixes()
    found: list[Path] = []
    unsupported: list[Path] = []
    for arg in paths:
        root = Path(arg)
        if not root.is_dir():
            found.append(root)
            continue
        for path, listed in sorted(_walk(root, set(), readable)):
            (found if listed else unsupported).append(path)
    found = list(dict.fromkeys(found))  # de-duplicate, keep order
    taken = set(found)
    return found, [p for p in dict.fromkeys(unsupported) if p not in taken]


def _walk(folder: Path, seen: set[tuple[int, int]], readable: tuple[str, ...]) -> Iterable[tuple[Path, bool]]:
    """Yield (path, readable) for the files below `folder`, following symlinked folders once."""
    try:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in seen:  # symlink loop or second link to a folder
            return
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        yield folder, True  # not listable: read_input reports why
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir():  # follows symlinks; False for broken ones
            yield from _walk(path, seen, readable)
        elif entry.name.lower().endswith(readable):
            yield path, True
        elif entry.is_file():  # a broken symlink of another suffix is nothing we would read
            yield path, False


# ---------------------------------------------------------------- reading

@dataclass(frozen=True, slots=True)
class InputFile:
    """One input as read from disk: either `data` or `error` is set."""

    path: Path
    source: str  # file name without folder
    size: int | None  # None when stat failed
    mtime: datetime | None  # UTC
    data: bytes | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def read_input(path: str | os.PathLike) -> InputFile:
    """Read one input's bytes; OS errors become `error`, never exceptions."""
    path = path if isinstance(path, Path) else Path(path)
    name = str(path)  # os calls on the str: pathlib would convert the path again for each
    size = mtime = None
    try:
        st = os.stat(name)
        size = st.st_size
        mtime = datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)
        if stat.S_ISDIR(st.st_mode):
            os.listdir(name)  # raises the real reason if it cannot be listed
            raise OSError(f"is a folder, not a file: {path}")
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            raise OSError(f"not a regular file: {path}")
        data = _read_regular(name, path)
    except OSError as exc:
        reason = "broken symlink" if path.is_symlink() and not path.exists() else None
        return InputFile(path, path.name, size, mtime, error=_describe(exc, reason))
    return InputFile(path, path.name, len(data), mtime, data=data)


def _read_regular(name: str, path: Path) -> bytes:
    """The bytes of a file `os.stat` found regular. Opened without blocking and checked
    again on the open descriptor: a FIFO put in its place since the stat would otherwise
    block the open (or the read) until a writer comes."""
    fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb", buffering=0) as fh:  # unbuffered: one read of the whole file
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a regular file: {path}")
        return fh.readall()


def _describe(exc: OSError, reason: str | None) -> str:
    """A one-line message: 'PermissionError: [Errno 13] Permission denied: ...'."""
    message = f"{type(exc).__name__}: {exc}"
    return f"{reason}: {message}" if reason else message


def escaped(text: str) -> str:
    """`text` as valid UTF-8: a byte a file name could not decode (kept by Python as a lone
    surrogate, PEP 383) shows as ``\\xNN``. Arrow and Parquet refuse lone surrogates, and
    an OS error message repeats the name."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name gives (\ud800): escape it as such
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def path_text(path: str | os.PathLike) -> tuple[str, str | None]:
    """A path as the tables hold it: its text (`escaped`), and the hex of its raw bytes
    when they are not UTF-8 (else None), from which `raw_path` gives the path back."""
    text = os.fspath(path)
    shown = escaped(text)
    return shown, (None if shown == text else os.fsencode(text).hex())


def raw_path(text: str, path_bytes: str | None) -> str:
    """The path `path_text` gave (`text`, `path_bytes`) for, as the OS takes it."""
    return text if path_bytes is None else os.fsdecode(bytes.fromhex(path_bytes))


def doc_id(data: bytes) -> str:
    """Document id: SHA-256 hex of the file's bytes (stable across names and runs)."""
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- decoding

def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)``.

    Deterministic order, first fit wins:

    1. zero bytes -> ``("", EMPTY)``;
    2. a byte-order mark decides: ``utf-8-sig``, or ``utf-16`` for a BOM of
       either byte order (that codec reads the BOM); an invalid body after a
       BOM raises rather than guessing further;
    3. strict ``utf-8``;
    4. ``utf-16-le`` / ``utf-16-be`` without BOM: byte order from where the NUL
       bytes of ASCII characters sit, or, for pure CJK text without NULs,
       from which order gives plausible Chinese text;
    5. strict ``gb18030`` (a superset of GBK and GB2312, so GBK files report
       ``gb18030``);
    6. charset-normalizer's best guess, still decoded strictly (its UTF-*
       guesses are ignored: those were decided above).

    Every candidate must also look like text (at most 1% control or
    private-use characters), so binary data raises `UndecodableError`.
    Newlines and all other characters are kept as they are, so offsets into
    `text` are raw offsets.
    """
    if not data:
        return "", EMPTY
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None or not _looks_like_text(text):
                raise UndecodableError(
                    f"starts with a {encoding} byte-order mark but is not {encoding} text"
                )
            return text, encoding
    for encoding in _candidates(data):
        text = _strict(data, encoding)
        if text is not None and _looks_like_text(text):
            return text, encoding
    raise UndecodableError(
        f"no text encoding fits these {len(data)} bytes (tried utf-8, utf-16, gb18030, "
        f"charset-normalizer); {_control_share(data):.0%} are NUL or control bytes; "
        f"{_utf8_error(data)}"
    )


def _candidates(data: bytes) -> Iterable[str]:
    """Encodings to try after the BOM check, lazily (the last one is costly)."""
    yield "utf-8"
    guess = _utf16_order(data)
    if guess:
        yield guess
    yield "gb18030"
    best = charset_normalizer.from_bytes(data).best()
    name = codecs.lookup(best.encoding).name if best else ""  # 'utf_8' -> 'utf-8'
    if name and not name.startswith("utf"):  # UTF-* was decided above; its guesses
        yield name  # on short binary data (utf-16-be for 6 bytes) are noise


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_order(data: bytes) -> str | None:
    """Byte order of BOM-less UTF-16 data, or None when it is not UTF-16."""
    if len(data) % 2:
        return None
    odd_nuls = data[1::2].count(0)
    even_nuls = data[0::2].count(0)
    if odd_nuls != even_nuls:  # ASCII characters put their NUL on the high byte
        orders = ["utf-16-le" if odd_nuls > even_nuls else "utf-16-be"]
    else:  # no NULs (pure CJK) or no clue: let plausibility choose
        orders = ["utf-16-le", "utf-16-be"]
    scored = [(_cjk_share(text), enc) for enc in orders if (text := _strict(data, enc))]
    best = max(scored, key=lambda s: s[0], default=(0.0, None))  # ties keep LE
    return best[1] if best[0] >= _MIN_UTF16_SHARE else None


# Characters usual in Chinese text: CJK ideographs (with extension A), CJK
# and full-width punctuation, general punctuation, printable ASCII, whitespace.
_IMPLAUSIBLE = re.compile(
    "[^\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\u2000-\u206f -~\t-\r]"
)
# Control characters other than whitespace, and private-use ones: GB18030 maps
# many byte pairs of non-Chinese data there, real text hardly ever uses them.
_SUSPECT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_SUSPECT_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\x0b\x0c")


def _cjk_share(text: str) -> float:
    return 1 - len(_IMPLAUSIBLE.findall(text)) / len(text)


def _looks_like_text(text: str) -> bool:
    return len(_SUSPECT.findall(text)) <= _MAX_SUSPECT_SHARE * len(text)


def _utf8_error(data: bytes) -> str:
    """Where UTF-8 fails, for the error message (a corrupt byte in a UTF-8 file)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"utf-8 fails at byte {exc.start} ({data[exc.start:exc.start + 4].hex(' ')})"
    return "valid utf-8 but too many control characters"


def _control_share(data: bytes) -> float:
    """Share of NUL/C0 control bytes, for the error message."""
    return (len(data) - len(data.translate(None, _SUSPECT_BYTES))) / len(data)


def over_limit(size: int, max_bytes: int) -> str:
    return (f"not read: {size / 2**20:.1f} MB is over the limit of "
            f"{max_bytes / 2**20:g} MB (--max-input-mb)")
