"""Word reader: the body's paragraphs and tables in document order (python-docx).

Headers, footers, footnotes and comments live in other parts of the package and are not
read. A paragraph is one block of text; a table gives one line per row, its cells
separated by a tab (a merged cell once); blocks are separated by blank lines. Content
controls (``w:sdt``) are read through. A legacy ``.doc`` or an encrypted Word file (both OLE
compound files) and a broken package get their own status.
"""
from __future__ import annotations

import io
import zipfile

from .document import CorruptError, EncryptedError, Extracted, library_version

__all__ = ["read_docx"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def read_docx(data: bytes) -> Extracted:
    """The body text of a .docx file (see the module's doc)."""
    document = _open(data)
    blocks = [block for block in _blocks(document.element.body, document) if block.strip()]
    return Extracted("\n\n".join(blocks), "docx", library_version("python-docx"))


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise EncryptedError("the Word file is encrypted and needs a password to open; "
                                 "figure-etl reads no encrypted files")
        raise CorruptError("an old binary Word file (.doc), not .docx: save it as .docx to read it")
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptError(f"not a readable .docx package: {type(exc).__name__}: {exc}") from exc


def _blocks(container, document):
    """Text of each paragraph and table directly in `container`, in order."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            yield "\n".join(_row_text(row) for row in Table(child, document).rows)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, document)


def _row_text(row) -> str:
    """A table row's cells, a merged cell once, separated by tabs."""
    seen, cells = set(), []
    for cell in row.cells:
        if cell._tc in seen:  # a merged cell is returned once per grid column
            continue
        seen.add(cell._tc)
        cells.append(" ".join(p.text for p in cell.paragraphs).strip())
    return "\t".join(cells)
