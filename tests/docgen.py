"""Test documents made at test time: a text rendered as a multi-column PDF (reportlab), a
Word file (python-docx) and a news portal page (HTML, UTF-8 or GBK).

Each generator takes plain text (blank lines separate paragraphs, other line breaks are
layout) and lays it out as the format's users meet it: the PDF with a masthead, a running
head with the date line, a page-number footer and columns the content stream draws out of
reading order; the page with navigation, a 相关新闻 list and a footer full of figures that
must not be read. Also used by benchmarks/bench_readers.py.
"""
from __future__ import annotations

import io
import random

#: What the furniture of the generated documents says: figures that must never be extracted.
RUNNING_HEAD = "高新区周报  2025年7月30日  星期三  第{page}版"
FOOTER = "本报地址：科技路88号  邮编450001  定价每份2.00元"
MASTHEAD = "高新区周报"
RELATED_TRAP = "签约项目总投资120亿元"
PAGE_SIZE = (595.0, 842.0)  # A4 in points
FONT = "STSong-Light"  # a CID font every PDF reader knows; reportlab draws it unembedded


def paragraphs(text: str) -> list[str]:
    """The text's lines, one blank entry where a blank line separates blocks."""
    return [line.strip() for line in text.splitlines()]


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wrap(line: str, width: float, size: float) -> list[str]:
    """`line` cut into pieces no wider than `width` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces, current = [], ""
    for char in line:
        if current and stringWidth(current + char, FONT, size) > width:
            pieces.append(current)
            current = ""
        current += char
    if pieces and len(current) == 1:  # reportlab draws a lone CID character as nothing
        current = pieces[-1][-1] + current
        pieces[-1] = pieces[-1][:-1]
    return [*pieces, current]


def layout_columns(text: str, columns: int, size: float, top: float) -> list[list[tuple[float, float, str]]]:
    """Place the text's lines in columns: per page, (x, y, line) in reading order."""
    _register_font()
    width, height = PAGE_SIZE
    margin, gutter, leading = 40.0, 16.0, size * 1.45
    col_width = (width - 2 * margin - (columns - 1) * gutter) / columns
    bottom = 60.0
    pages, placed, col, y = [], [], 0, top
    for line in paragraphs(text):
        for piece in _wrap(line, col_width, size) if line else [""]:
            if y < bottom:
                col, y = col + 1, top
                if col == columns:
                    pages.append(placed)
                    placed, col, y = [], 0, height - 110.0
            if piece:
                placed.append((margin + col * (col_width + gutter), y, piece))
            y -= leading
    return [*pages, placed] if placed else pages


def render_pdf(text: str, columns: int = 3, size: float = 10.0, shuffle: bool = True,
               seed: int = 7) -> bytes:
    """`text` as a newspaper-like PDF: masthead on page 1, running head and footer with a
    page number on every page, and (with `shuffle`) lines drawn in a random order."""
    from reportlab.pdfgen import canvas

    _register_font()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=PAGE_SIZE, invariant=1)
    width, height = PAGE_SIZE
    rng = random.Random(seed)
    for number, placed in enumerate(layout_columns(text, columns, size, height - 120.0), 1):
        body = list(placed)
        if shuffle:
            rng.shuffle(body)
        for x, y, line in body:
            pdf.setFont(FONT, size)
            pdf.drawString(x, y, line)
        pdf.setFont(FONT, 9)
        pdf.drawString(40, height - 40, RUNNING_HEAD.format(page=number))
        pdf.drawString(40, 30, FOOTER)
        pdf.drawString(width - 60, 30, f"- {number} -")
        if number == 1:
            pdf.setFont(FONT, 24)
            pdf.drawString(40, height - 85, MASTHEAD)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def render_docx(text: str, table: list[list[str]] | None = None) -> bytes:
    """`text` as a Word file: one paragraph per block (its lines joined), an optional
    table after the first paragraph, and a header and footer full of figures."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEAD.format(page=1)
    section.footer.paragraphs[0].text = FOOTER
    blocks = [b for b in "\n".join(paragraphs(text)).split("\n\n") if b.strip()]
    for i, block in enumerate(blocks):
        document.add_paragraph("".join(block.split("\n")))
        if i == 0 and table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def render_html(text: str, encoding: str = "utf-8", meta: str = "charset",
                date_line: str = "发布时间：2025-07-30 10:15  来源：高新区管委会") -> bytes:
    """`text` as a news portal page in `encoding`, declared by ``<meta charset>`` or
    (``meta="http-equiv"``) the old Content-Type form, with navigation, breadcrumbs,
    a visit counter, a 相关新闻 list, comments and a footer around the article."""
    from html import escape

    blocks = [b for b in "\n".join(paragraphs(text)).split("\n\n") if b.strip()]
    body = "\n".join(f"<p>{escape(''.join(b.split(chr(10))))}</p>" for b in blocks)
    declared = (f'<meta charset="{encoding}">' if meta == "charset" else
                f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">')
    page = f"""<!DOCTYPE html>
<html><head>{declared}<title>高新区新闻网</title>
<style>.nav {{ color: red }}</style><script>var visits = 3500;</script></head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a href="/news">要闻</a> | <a href="/zt">专题：投资500亿元</a></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/news">新闻中心</a></div>
<div class="main">
  <div class="article">
    <h1>高新区新闻</h1>
    <div class="info">{escape(date_line)}  <span class="counter">浏览次数：1520次</span></div>
    <div class="content">
{body}
    </div>
  </div>
  <div class="related"><h3>相关新闻</h3><ul>
    <li><a href="/a1">{RELATED_TRAP}</a></li><li><a href="/a2">新增就业岗位3000个</a></li></ul></div>
  <div id="comment">网友评论（共25条）<p>希望再建8所学校</p></div>
</div>
<div class="footer">版权所有 高新区管委会 | 访问量：9876543次 | 地址：科技路88号</div>
</body></html>"""
    return page.encode(encoding)


def render_front_page(articles: list[tuple[str, str, int, int]], columns: int = 3,
                      size: float = 10.0, seed: int = 3) -> bytes:
    """One newspaper page: masthead and date line across the top, then each article as
    (headline, text, first column, number of columns), its headline in large type across
    its columns and its text flowing down them; the stream draws everything shuffled."""
    from reportlab.pdfgen import canvas

    _register_font()
    width, height = PAGE_SIZE
    margin, gutter, leading = 40.0, 16.0, size * 1.45
    col_width = (width - 2 * margin - (columns - 1) * gutter) / columns
    draws = [(MASTHEAD, 24.0, margin, height - 70), (RUNNING_HEAD.format(page=1), 9.0, margin, height - 40),
             (FOOTER, 9.0, margin, 30.0)]
    for headline, text, first, span in articles:
        left = margin + first * (col_width + gutter)
        draws.append((headline, 16.0, left, height - 120))
        col, y = 0, height - 150
        for line in paragraphs(text):
            for piece in _wrap(line, col_width, size) if line else [""]:
                if y < 60:
                    col, y = col + 1, height - 150
                    assert col < span, "the article does not fit its columns"
                if piece:
                    draws.append((piece, size, left + col * (col_width + gutter), y))
                y -= leading
    random.Random(seed).shuffle(draws)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=PAGE_SIZE, invariant=1)
    for line, font_size, x, y in draws:
        pdf.setFont(FONT, font_size)
        pdf.drawString(x, y, line)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str | None:
    import shutil

    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def print_columns_pdf(text: str, folder, columns: int = 3) -> bytes:
    """`text` laid out by a browser as a newspaper page (CSS columns, a masthead, a running
    head, a footer and page numbers in the margins of every printed page) and printed to
    PDF with headless Chromium."""
    import subprocess
    from html import escape
    from pathlib import Path

    blocks = [b for b in "\n".join(paragraphs(text)).split("\n\n") if b.strip()]
    body = "\n".join(f"<p>{escape(''.join(b.split(chr(10))))}</p>" for b in blocks)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 22mm 16mm 20mm 16mm;
  @top-left {{ content: "{RUNNING_HEAD.format(page='')}"; font-size: 8pt; }}
  @bottom-left {{ content: "{FOOTER}"; font-size: 8pt; }}
  @bottom-right {{ content: "- " counter(page) " -"; font-size: 8pt; }} }}
body {{ font: 10pt/1.5 "Noto Serif CJK SC", "Noto Sans CJK SC", serif; margin: 0; }}
h1 {{ font-size: 26pt; margin: 0 0 6mm; }}
.cols {{ column-count: {columns}; column-gap: 6mm; text-align: justify; }}
p {{ margin: 0; text-indent: 2em; }}
</style></head><body>
<h1>{MASTHEAD}</h1><div class="cols">{body}</div></body></html>"""
    folder = Path(folder)
    source, target = folder / "page.html", folder / "page.pdf"
    source.write_text(page, "utf-8")
    subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={target}", source.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return target.read_bytes()
