"""Readers: the bytes of one input in, the text the pipeline extracts figures from out.

One pure function per format (`etl.read.pdf`, `etl.read.html`, `etl.read.docx`, and
`decode_bytes` for plain text), chosen by the file's suffix. Every reader returns an
`Extracted`: the text whose offsets ``raw_start``/``raw_end`` index, the reader's name and
version (recorded in the documents table so offsets stay reproducible), and for PDF the
page and box of every character (`PageBoxes`).

A reader never returns a partial result silently: a document it cannot read raises a
`ReaderError` whose `status` is the documents table's status (``no_text``, ``encrypted``,
``corrupt``) and whose message says why.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from .._version import __version__

__all__ = [
    "CorruptError", "EncryptedError", "Extracted", "NoTextError", "PageBoxes", "ReaderError",
    "read_document", "reader_for", "readers_config",
]

READERS_FILE = Path(__file__).resolve().parent.parent / "data" / "readers.toml"


class ReaderError(ValueError):
    """A document the reader cannot turn into text; `status` goes to the documents table."""

    status = "corrupt"


class NoTextError(ReaderError):
    status = "no_text"


class EncryptedError(ReaderError):
    status = "encrypted"


class CorruptError(ReaderError):
    status = "corrupt"


@dataclass(frozen=True)
class PageBoxes:
    """Where each character of an extracted text stands on its page.

    Arrays as long as the text: `page` is 0-based, -1 for characters the reader added (line
    breaks, spaces between words; their boxes are NaN); boxes are in PDF points, origin at
    the page's lower left.
    """

    page: np.ndarray  # int32
    boxes: np.ndarray  # float32, shape (n, 4): x0, y0, x1, y1

    def locate(self, start: int, end: int) -> tuple[int | None, list[float] | None]:
        """The 1-based page and the box holding the characters of ``text[start:end]``.

        A span that runs over a page break is placed on the page where it starts (its box
        holds the characters on that page). None, None when the span has no drawn character.
        """
        pages = self.page[start:end]
        drawn = np.flatnonzero(pages >= 0)
        if not len(drawn):
            return None, None
        first = int(pages[drawn[0]])
        boxes = self.boxes[start:end][drawn[pages[drawn] == first]]
        x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
        x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
        return first + 1, [round(float(v), 2) for v in (x0, y0, x1, y1)]


@dataclass(frozen=True)
class Extracted:
    """What a reader made of one input."""

    text: str
    reader: str  # txt, pdf, html, docx
    reader_version: str  # figure-etl's and the library's versions
    encoding: str | None = None  # the charset of text and HTML inputs
    boxes: PageBoxes | None = None  # PDF only
    pages: int | None = None  # PDF only


def library_version(package: str) -> str:
    """``figure-etl X; package Y``: what the documents table records as the reader's version."""
    try:
        version = metadata.version(package)
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"figure-etl {__version__}; {package} {version}"


@lru_cache(maxsize=1)
def readers_config() -> dict:
    with open(READERS_FILE, "rb") as fh:
        return tomllib.load(fh)


def reader_for(name: str) -> str:
    """The reader of a file, by its suffix (case-insensitive); text for any other suffix."""
    suffix = Path(name).suffix.lower()
    return {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}.get(suffix, "txt")


def read_document(name: str, data: bytes) -> Extracted:
    """Extract the text of one input's bytes with the reader its file name calls for.

    Raises `ReaderError` for a document that has no usable text, and
    `etl.read.ingest.UndecodableError` for a text file in no known encoding.
    """
    kind = reader_for(name)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    if kind == "html":
        from .html import read_html

        return read_html(data)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data)
    from .ingest import decode_bytes

    text, encoding = decode_bytes(data)
    return Extracted(text, "txt", f"figure-etl {__version__}", encoding)
