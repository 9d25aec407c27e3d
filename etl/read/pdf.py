"""PDF reader: the text layer of every page in reading order, without page furniture.

PDFium (through pypdfium2) gives each drawn character and its box, in the order the
content stream draws them, which is not the reading order of a multi-column page. So:

1. **Fragments**: characters that follow each other in the stream on one baseline, left to
   right, with no gap wider than a gutter (`gutter_gap` character heights), are one line
   fragment; fragments that continue each other on the same baseline are merged.
2. **Reading order**: a recursive XY cut over the lines. A region splits first at vertical
   gutters that cross it whole (columns, left to right); else at its widest horizontal gaps
   (a masthead or a headline above the columns, top to bottom); else, when a few wide
   lines cross its columns, it is read as those columns with the wide lines set apart; a
   region that splits no way is read top to bottom.
3. **Furniture**: lines in the top or bottom band of a page that repeat (digits aside) on
   most pages, and page numbers, are dropped: running heads, footers, the date line.
4. **Text**: lines joined by ``\\n``, a blank line where a block ends (a column, a page), so
   the clean stage joins lines broken by the layout as it does for text files.

Every character of the text keeps its page and box (`PageBoxes`), so a figure's offsets
give its page and the box of its surface.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .document import (
    CorruptError, EncryptedError, Extracted, NoTextError, PageBoxes, library_version, readers_config,
)

__all__ = ["read_pdf", "page_lines", "open_pdf", "render_regions"]

Char = tuple[str, float, float, float, float]  # character, x0, y0, x1, y1 (PDF points)
# Scripts written without spaces between words: no space is put between two of their
# characters, whatever the gap (CJK starts at U+2E80).
_SPACED_SCRIPT_END = 0x2E80
_SENTENCE_END = re.compile("[。！？；]")
_NO_BOX = (float("nan"),) * 4


@dataclass(frozen=True)
class PdfSettings:
    top_band: float
    bottom_band: float
    repeat_share: float
    page_number: re.Pattern
    gutter_gap: float
    space_gap: float
    block_gap: float


@lru_cache(maxsize=1)
def pdf_settings() -> PdfSettings:
    pdf = readers_config()["pdf"]
    return PdfSettings(pdf["top_band"], pdf["bottom_band"], pdf["repeat_share"],
                       re.compile("|".join(f"(?:{p})" for p in pdf["page_number"])),
                       pdf["gutter_gap"], pdf["space_gap"], pdf["block_gap"])


@dataclass(slots=True)
class Line:
    """Characters on one baseline of one column, left to right, and their box (kept by
    `seal`, as the reading order asks for it many times)."""

    chars: list[Char] = field(default_factory=list)
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    text: str = ""  # set by `compact`, with the spaces between words
    boxes: np.ndarray | None = None  # float32 (len(text), 4), NaN for the spaces; by `compact`

    def seal(self) -> Line:
        chars = self.chars
        self.x0 = chars[0][1]
        self.x1 = max(c[3] for c in chars)
        self.y0 = min(c[2] for c in chars)
        self.y1 = max(c[4] for c in chars)
        return self

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def centre(self) -> float:
        return (self.y0 + self.y1) / 2

    def compact(self, space_gap: float) -> Line:
        """Keep the text (a space where two letters of a spaced script stand apart) and the
        boxes as an array, and drop the character tuples (memory of a long PDF)."""
        text: list[str] = []
        boxes: list[tuple[float, float, float, float]] = []
        prev = None
        for char in self.chars:
            if (prev is not None and ord(prev[0]) < _SPACED_SCRIPT_END and ord(char[0]) < _SPACED_SCRIPT_END
                    and char[1] - prev[3] > space_gap * (char[4] - char[2])):
                text.append(" ")
                boxes.append(_NO_BOX)
            text.append(char[0])
            boxes.append(char[1:])
            prev = char
        self.text, self.boxes, self.chars = "".join(text), np.array(boxes, dtype=np.float32), []
        return self


def read_pdf(data: bytes) -> Extracted:
    """The text of a PDF's pages in reading order, furniture removed, with each
    character's page and box."""
    settings = pdf_settings()
    pdf = open_pdf(data)
    try:
        heights = [pdf.get_page_size(i)[1] for i in range(len(pdf))]
        pages = [page_lines(pdf, i, settings) for i in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise CorruptError(f"a page of the PDF cannot be read: {exc}") from exc
    finally:
        pdf.close()
    if not any(pages):
        raise NoTextError(f"no text layer on any of its {len(pages)} page(s): a scan or images "
                          f"only; OCR is not done, so no figures can be read from it")
    furniture = find_furniture(pages, heights, settings)
    text, page, boxes = _assemble(pages, furniture, settings)
    return Extracted(text, "pdf", library_version("pypdfium2"), None,
                     PageBoxes(page, boxes), len(pages))


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Open a PDF, or raise `EncryptedError` / `CorruptError` saying why it cannot be."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedError("the PDF is encrypted and needs a password to open; "
                                 "figure-etl reads no encrypted files") from exc
        raise CorruptError(f"not a readable PDF (PDFium: {exc})") from exc


def page_lines(pdf: pdfium.PdfDocument, index: int, settings: PdfSettings) -> list[Line]:
    """The lines of one page in reading order."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            chars = _page_chars(textpage)
        finally:
            textpage.close()
    finally:
        page.close()
    lines = _merge_fragments(_fragments(chars, settings.gutter_gap))
    ordered = _reading_order(lines, settings.gutter_gap) if lines else []
    return [line.compact(settings.space_gap) for line in ordered]


def _page_chars(textpage: pdfium.PdfTextPage) -> list[Char]:
    """Drawn, visible characters in stream order with their loose boxes (font ascent to
    descent: the same height for every character of a font, unlike the glyph's ink box)."""
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    chars = []
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:  # spaces and breaks PDFium made up
            continue
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, i))
        if char.isspace() or not char.isprintable():  # spaces come back from the gaps
            continue
        if pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect) and rect.top > rect.bottom:
            chars.append((char, rect.left, rect.bottom, rect.right, rect.top))
    return chars


def _fragments(chars: list[Char], gutter_gap: float) -> list[Line]:
    """Runs of characters the stream draws one after the other along one baseline."""
    lines: list[Line] = []
    prev = None
    for char in chars:
        if prev is None or not _follows(prev, char, gutter_gap):
            lines.append(Line())
        lines[-1].chars.append(char)
        prev = char
    return [line.seal() for line in lines]


def _follows(prev: Char, char: Char, gutter_gap: float) -> bool:
    """`char` continues the line of `prev`: same row, to its right, no gutter between."""
    height = max(prev[4] - prev[2], char[4] - char[2])
    same_row = abs((prev[2] + prev[4]) - (char[2] + char[4])) / 2 <= 0.4 * height
    return same_row and char[1] >= prev[1] and char[1] - prev[3] <= gutter_gap * height


def _merge_fragments(fragments: list[Line]) -> list[Line]:
    """Join fragments that continue one another on a row (a line drawn in pieces, out of
    order); rows are found by their centre, in buckets of half a line height."""
    merged: list[Line] = []
    open_ends: dict[int, list[Line]] = {}
    for frag in sorted(fragments, key=lambda f: f.x0):
        step = max(frag.height / 2, 1.0)
        bucket = round(frag.centre / step)
        target = next((line for b in (bucket - 1, bucket, bucket + 1) for line in open_ends.get(b, ())
                       if _follows(line.chars[-1], frag.chars[0], 0.3)), None)
        if target is None:
            merged.append(frag)
            open_ends.setdefault(bucket, []).append(frag)
        else:
            target.chars.extend(frag.chars)
            target.seal()
    return merged


def _reading_order(lines: list[Line], gutter_gap: float) -> list[Line]:
    """XY cut: columns left to right, else bands top to bottom, recursively."""
    unit = median(line.height for line in lines)
    columns = _split(lines, lambda l: (l.x0, l.x1), gutter_gap * unit)
    if len(columns) > 1:
        return [line for col in columns for line in _reading_order(col, gutter_gap)]
    # Rows by their core (the middle of the line box), so touching boxes still leave a gap.
    bands = _split(lines, lambda l: (-l.centre - 0.3 * l.height, -l.centre + 0.3 * l.height), 0.0,
                   widest=True)
    if len(bands) > 1:
        return [line for band in bands for line in _reading_order(band, gutter_gap)]
    return _around_wide_lines(lines, gutter_gap) or sorted(lines, key=lambda l: (-l.y1, l.x0))


def _around_wide_lines(lines: list[Line], gutter_gap: float) -> list[Line] | None:
    """Columns that a few lines cross (a caption, a stamp, a line drawn over the text): the
    columns read without those lines, the crossing lines above them first and the others
    after. None when no gutter is left free by all but a few lines."""
    unit = median(line.height for line in lines)
    crossing = _gutter_crossers(lines, gutter_gap * unit)
    narrow = [line for line in lines if line not in crossing]
    if not crossing or len(narrow) < 2:
        return None
    columns = _split(narrow, lambda l: (l.x0, l.x1), gutter_gap * unit)
    if len(columns) < 2:
        return None
    top = max(line.y1 for line in narrow)
    wide = sorted(crossing, key=lambda l: -l.y1)
    return [*(l for l in wide if l.y0 >= top), *(line for col in columns for line in _reading_order(col, gutter_gap)),
            *(l for l in wide if l.y0 < top)]


def _gutter_crossers(lines: list[Line], min_gap: float) -> list[Line]:
    """The lines that cross a gutter: an interval at least `min_gap` wide, between text on
    both sides, that at most a twentieth of the lines (one at least) cover."""
    left = min(line.x0 for line in lines)
    cover = np.zeros(int(max(line.x1 for line in lines) - left) + 2, dtype=np.int32)
    for line in lines:
        cover[int(line.x0 - left)] += 1
        cover[int(line.x1 - left) + 1] -= 1
    cover = np.cumsum(cover)
    sparse = cover <= max(1, len(lines) // 20)
    crossers: list[Line] = []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], sparse.astype(np.int8), [0]))))
    for start, stop in zip(edges[::2], edges[1::2]):
        if stop - start >= min_gap and start > 0 and stop < len(cover) - 1:
            a, b = left + start, left + stop
            crossers += [l for l in lines if l.x0 < a and l.x1 > b and l not in crossers]
    return crossers


def _split(lines: list[Line], span, min_gap: float, widest: bool = False) -> list[list[Line]]:
    """Groups of `lines` separated by gaps in their projection on one axis (`span` gives a
    line's interval, increasing in reading order). All gaps wider than `min_gap`, or with
    `widest` only those nearly as wide as the widest one, and none when the widest is no
    wider than the usual gap (cutting columns whose rows align would interleave them)."""
    ordered = sorted(lines, key=lambda l: span(l)[0])
    gaps, end = [], span(ordered[0])[1]
    for i, line in enumerate(ordered[1:], 1):
        start, stop = span(line)
        if start - end > min_gap:
            gaps.append((start - end, i))
        end = max(end, stop)
    if widest and gaps:
        top = max(g for g, _ in gaps)
        if len(gaps) > 1 and top < 1.3 * median(g for g, _ in gaps):
            return [ordered]  # only the usual spacing of lines: rows of columns, not bands
        gaps = [(g, i) for g, i in gaps if g >= 0.8 * top]
    cuts = [0, *(i for _, i in gaps), len(ordered)]
    return [ordered[a:b] for a, b in zip(cuts, cuts[1:])]


def find_furniture(pages: list[list[Line]], heights: list[float],
                   settings: PdfSettings) -> set[tuple[int, int]]:
    """(page, line index) of every furniture line: page numbers in a band, and band lines
    that repeat on `repeat_share` of the pages (two at least), digits aside. A document of
    one page has nothing to repeat: there a band line set smaller than the body that
    holds no sentence end (a running head, an imprint) is furniture."""
    candidates: dict[tuple[str, str], set[int]] = {}
    where: list[tuple[int, int, tuple[str, str]]] = []
    furniture = set()
    for p, (lines, height) in enumerate(zip(pages, heights)):
        bands = [_band(line, height, settings) for line in lines]
        body = median([line.height for line, band in zip(lines, bands) if band is None] or [0.0])
        for i, (line, band) in enumerate(zip(lines, bands)):
            if band is None:
                continue
            if settings.page_number.search(line.text) or (
                    len(pages) == 1 and line.height < 0.95 * body and not _SENTENCE_END.search(line.text)):
                furniture.add((p, i))
            key = (band, re.sub(r"\d+", "#", line.text))
            candidates.setdefault(key, set()).add(p)
            where.append((p, i, key))
    needed = max(2, settings.repeat_share * len(pages))
    furniture.update((p, i) for p, i, key in where if len(candidates[key]) >= needed)
    return furniture


def _band(line: Line, page_height: float, settings: PdfSettings) -> str | None:
    """The band of the page `line` lies in wholly: top, bottom or None (the body)."""
    if line.y0 >= page_height * (1 - settings.top_band):
        return "top"
    return "bottom" if line.y1 <= page_height * settings.bottom_band else None


def _assemble(pages: list[list[Line]], furniture: set[tuple[int, int]],
              settings: PdfSettings) -> tuple[str, np.ndarray, np.ndarray]:
    """The text of the kept lines, and the page and box of each of its characters (page -1
    for the line breaks and spaces the reader put in)."""
    texts: list[str] = []
    where: list[np.ndarray] = []
    boxes: list[np.ndarray] = []
    for p, lines in enumerate(pages):
        prev = None
        for i, line in enumerate(lines):
            if (p, i) in furniture:
                continue
            if texts:
                breaks = "\n" if prev is not None and _same_block(prev, line, settings) else "\n\n"
                texts.append(breaks)
                where.append(np.full(len(breaks), -1, dtype=np.int32))
                boxes.append(np.full((len(breaks), 4), np.nan, dtype=np.float32))
            texts.append(line.text)
            where.append(np.full(len(line.text), p, dtype=np.int32))
            boxes.append(line.boxes)
            prev = line
    if not texts:
        return "", np.zeros(0, dtype=np.int32), np.zeros((0, 4), dtype=np.float32)
    page, box = np.concatenate(where), np.concatenate(boxes)
    page[np.isnan(box[:, 0])] = -1
    return "".join(texts), page, box


def _same_block(prev: Line, line: Line, settings: PdfSettings) -> bool:
    """`line` stands right below `prev` in the same column."""
    gap = prev.y0 - line.y1
    overlap = min(prev.x1, line.x1) - max(prev.x0, line.x0)
    return -0.3 * line.height <= gap <= settings.block_gap * line.height and overlap > 0


# ---------------------------------------------------------------- page images for the review

#: Points of page shown around a figure's box (left/right, above/below), and the scale of
#: the image (2: 144 dpi, sharp enough to read 9-point type).
REGION_MARGIN = (100.0, 45.0)
REGION_SCALE = 2.0
OUTLINE = (220, 30, 30)


def render_regions(data: bytes, places: list[tuple[int, list[float]]]):
    """For each (1-based page, bbox in PDF points) an image (PIL) of the page around the
    box, the box outlined; each page is rendered once. PIL is imported only here."""
    from PIL import ImageDraw

    pdf = open_pdf(data)
    images: list = [None] * len(places)
    try:
        by_page: dict[int, list[int]] = {}
        for i, (page, _) in enumerate(places):
            by_page.setdefault(page, []).append(i)
        for page, indices in sorted(by_page.items()):
            width, height = pdf.get_page_size(page - 1)
            bitmap = pdf[page - 1].render(scale=REGION_SCALE)
            full = bitmap.to_pil().convert("RGB")
            for i in indices:
                crop = _crop_box(places[i][1], width, height)
                image = full.crop(crop)
                box = _to_pixels(places[i][1], height)
                outline = [box[0] - crop[0] - 2, box[1] - crop[1] - 2, box[2] - crop[0] + 2, box[3] - crop[1] + 2]
                ImageDraw.Draw(image).rectangle(outline, outline=OUTLINE, width=2)
                images[i] = image
    finally:
        pdf.close()
    return images


def _to_pixels(bbox: list[float], page_height: float) -> tuple[int, int, int, int]:
    """A box in PDF points (origin lower left) as pixels of the rendered page (origin top left)."""
    x0, y0, x1, y1 = bbox
    return (round(x0 * REGION_SCALE), round((page_height - y1) * REGION_SCALE),
            round(x1 * REGION_SCALE), round((page_height - y0) * REGION_SCALE))


def _crop_box(bbox: list[float], width: float, height: float) -> tuple[int, int, int, int]:
    """The pixels of the region shown around `bbox`, within the page."""
    dx, dy = REGION_MARGIN
    x0, y0, x1, y1 = bbox
    region = [max(0.0, x0 - dx), max(0.0, y0 - dy), min(width, x1 + dx), min(height, y1 + dy)]
    return _to_pixels(region, height)
