"""Readers of PDF, web pages and Word files: text, reading order, furniture, charsets, page
and box of each figure, statuses of documents that cannot be read. Every test document is
made here (tests/docgen.py) from the bundled sample pages or sentences written for the test."""
from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import docgen
from conftest import GOLD, SAMPLE
from etl.pipeline import extract_figures
from etl.read.document import CorruptError, EncryptedError, NoTextError, read_document, reader_for
from etl.read.docx import read_docx
from etl.read.html import decode_html, read_html
from etl.read.pdf import read_pdf
from etl.review.evaluate import evaluate, load_gold

SAMPLES = sorted(SAMPLE.glob("*.txt"))


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def sample_texts() -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in SAMPLES}


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize("columns,shuffle", [(3, True), (2, False), (1, True)])
def test_pdf_text_is_the_text_in_reading_order_without_furniture(sample_texts, columns, shuffle):
    for name, text in sample_texts.items():
        got = read_pdf(docgen.render_pdf(text, columns=columns, shuffle=shuffle))
        # the masthead of page 1 is the only line not in the text file
        assert squeeze(got.text) == docgen.MASTHEAD + squeeze(text), name
        assert got.reader == "pdf" and got.reader_version.startswith("figure-etl ")
        assert len(got.boxes.page) == len(got.text)


@pytest.mark.skipif(docgen.browser() is None, reason="no chromium binary on PATH (make test installs Debian's "
                                                    "chromium with apt-get where it can)")
def test_pdf_printed_by_a_browser_from_css_columns(sample_texts, tmp_path):
    # embedded subset fonts, justified lines, balanced columns on the last page, running
    # head, footer and page numbers in the page margins
    for i, (name, text) in enumerate(sample_texts.items()):
        (tmp_path / str(i)).mkdir()
        got = read_pdf(docgen.print_columns_pdf(text, tmp_path / str(i)))
        assert got.pages == 2 and squeeze(got.text) == docgen.MASTHEAD + squeeze(text), name


def test_pdf_furniture_never_reaches_the_text(sample_texts):
    got = read_pdf(docgen.render_pdf(sample_texts[SAMPLES[0].name]))
    assert got.pages >= 2
    for furniture in ("星期三", "邮编", "定价", "2.00元", "- 1 -", "- 2 -"):
        assert furniture not in got.text


def test_pdf_single_page_drops_its_furniture_but_keeps_the_body():
    # nothing repeats on one page: the small band lines without a sentence are furniture
    text = "本报讯 高新区今年新开工项目12个，总投资86亿元。\n"
    got = read_pdf(docgen.render_pdf(text, columns=1))
    assert got.pages == 1
    assert squeeze(got.text) == docgen.MASTHEAD + squeeze(text)
    assert [f.surface for f in extract_figures(got.text)] == ["12个", "86亿元"]


def test_pdf_front_page_reads_each_article_under_its_headline():
    # headlines in large type across their columns, a stream drawn in random order
    first = "本报讯 今年以来，高新区新签约项目42个，总投资318亿元，其中超10亿元项目9个。" * 12
    second = "本报讯 前三季度全区规上工业增加值同比增长8.6%，高于全市2.1个百分点。" * 6
    data = docgen.render_front_page([("高新区项目建设跑出加速度", first, 0, 2), ("工业经济稳中有进", second, 2, 1)])
    got = read_pdf(data)
    assert squeeze(got.text) == squeeze(docgen.MASTHEAD + "高新区项目建设跑出加速度" + first + "工业经济稳中有进" + second)
    assert "高新区项目建设跑出加速度\n\n本报讯" in got.text  # the headline is a block of its own


def test_pdf_columns_crossed_by_a_caption_keep_their_order(sample_texts):
    # a caption drawn across the gutter between two columns leaves them no free gutter
    from reportlab.pdfgen import canvas

    text = sample_texts[SAMPLES[3].name]
    placed = docgen.layout_columns(text, 3, 10.0, 842 - 120.0)[0]
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=docgen.PAGE_SIZE)
    for x, y, line in placed:
        pdf.setFont(docgen.FONT, 10)
        pdf.drawString(x, y, line)
    caption = "（图片由高新区宣传部提供，拍摄于2025年7月）"
    pdf.setFont(docgen.FONT, 9)
    pdf.drawString(60, placed[20][1], caption)
    pdf.showPage()
    pdf.save()
    got = squeeze(read_pdf(buf.getvalue()).text)
    assert squeeze(caption) in got  # whole, between columns: not cut into the lines it crosses
    assert got.replace(squeeze(caption), "") == squeeze("".join(line for _, _, line in placed))


def bounded_text(data: bytes, page: int, bbox: list[float]) -> str:
    """What PDFium itself finds inside `bbox` on `page` (1-based), a hair wider."""
    pdf = pdfium.PdfDocument(data)
    try:
        textpage = pdf[page - 1].get_textpage()
        x0, y0, x1, y1 = bbox
        return textpage.get_text_bounded(x0 - 0.5, y0 - 0.5, x1 + 0.5, y1 + 0.5)
    finally:
        pdf.close()


def holds(hay: str, needle: str) -> bool:
    """Every character of `needle` is in `hay` (PDFium orders a box's lines its own way)."""
    return not Counter(needle) - Counter(hay)


def test_pdf_figures_have_the_page_and_a_box_holding_their_characters(sample_texts):
    from etl.pipeline import process_input
    from etl.read.ingest import InputFile

    for name, text in sample_texts.items():
        data = docgen.render_pdf(text, columns=3)
        row = process_input(InputFile(Path(name).with_suffix(".pdf"), "a.pdf", len(data), None, data),
                            processed_at=None)
        assert row.document["status"] == "ok" and row.figures, name
        for figure in row.figures:
            inside = bounded_text(data, figure["page"], figure["bbox"])
            assert holds(squeeze(inside), squeeze(figure["surface"])), (name, figure["surface"])


def test_pdf_page_of_a_figure_on_a_later_page():
    lines = [f"第{i}段：该区新建道路{i}公里。" for i in range(1, 80)]
    text = "\n\n".join(lines + ["本报讯 该项目总投资777亿元。"])
    data = docgen.render_pdf(text, columns=1)
    got = read_pdf(data)
    start = got.text.index("777亿元")
    page, bbox = got.boxes.locate(start, start + 5)
    assert got.pages >= 2 and page == got.pages
    assert "777亿元" in bounded_text(data, page, bbox).replace(" ", "")


def scanned_pdf() -> bytes:
    """A page with only a drawing on it: no text layer, as a scan."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=docgen.PAGE_SIZE)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    pdf.drawString(72, 700, "Total investment 12 billion yuan")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


@pytest.mark.parametrize("make,error,message", [
    (scanned_pdf, NoTextError, "OCR is not done"),
    (encrypted_pdf, EncryptedError, "password"),
    (lambda: docgen.render_pdf("本报讯 项目总投资8亿元。")[:300], CorruptError, "not a readable PDF"),
    (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 4, CorruptError, "not a readable PDF"),
])
def test_pdf_that_cannot_be_read_raises_its_status(make, error, message):
    with pytest.raises(error, match=message) as caught:
        read_pdf(make())
    assert caught.value.status in ("no_text", "encrypted", "corrupt")


# ---------------------------------------------------------------- web pages


@pytest.mark.parametrize("encoding,meta", [("utf-8", "charset"), ("gbk", "charset"),
                                           ("gbk", "http-equiv"), ("gb18030", "http-equiv")])
def test_html_article_text_only_in_any_declared_charset(sample_texts, encoding, meta):
    for name, text in sample_texts.items():
        got = read_html(docgen.render_html(text, encoding, meta))
        lines = got.text.split("\n")
        assert lines[:2] == ["高新区新闻", "发布时间：2025-07-30 10:15"], name
        assert squeeze("\n".join(lines[2:])) == squeeze(text), name
        assert got.encoding in ("utf-8", "gb18030")
        for trap in (docgen.RELATED_TRAP, "首页", "当前位置", "浏览次数", "访问量", "网友评论", "版权所有"):
            assert trap not in got.text, (name, trap)


def test_html_related_news_figures_are_not_extracted():
    text = "本报讯 高新区今年签约项目18个，总投资56亿元。"
    figures = extract_figures(read_html(docgen.render_html(text, "gbk")).text)
    assert {f.surface for f in figures} == {"18个", "56亿元"}


def test_html_charset_from_the_bytes_when_undeclared_or_wrong():
    page = "<html><body><div><p>本报讯 高新区新增企业320家，同比增长15%。</p></div></body></html>"
    assert decode_html(page.encode("gb18030")) == (page, "gb18030")
    wrong = page.replace("<html>", '<html><meta charset="utf-8">')
    assert decode_html(wrong.encode("gbk"))[0] == wrong  # declared utf-8, bytes are GBK
    assert "320家" in read_html(wrong.encode("gbk")).text


def test_html_without_article_text_is_no_text():
    page = '<html><body><div class="nav"><a href="/">首页</a><a href="/x">投资50亿元</a></div></body></html>'
    with pytest.raises(NoTextError):
        read_html(page.encode())


# ---------------------------------------------------------------- Word


def test_docx_body_and_table_in_order_without_header_and_footer(sample_texts):
    table = [["项目", "总投资"], ["一期", "35亿元"], ["二期", "28亿元"]]
    for name, text in sample_texts.items():
        got = read_docx(docgen.render_docx(text, table))
        blocks = got.text.split("\n\n")
        assert blocks[1] == "项目\t总投资\n一期\t35亿元\n二期\t28亿元", name
        assert squeeze("".join(blocks[:1] + blocks[2:])) == squeeze(text), name
        assert "邮编" not in got.text and "星期三" not in got.text


def test_docx_table_figures_are_found():
    figures = extract_figures(read_docx(docgen.render_docx("本报讯 两期项目开工。", [["一期", "总投资35亿元"]])).text)
    assert [f.surface for f in figures] == ["35亿元"]


@pytest.mark.parametrize("data,error", [
    (b"PK\x03\x04 not really a zip", CorruptError),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, CorruptError),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600, EncryptedError),
])
def test_docx_that_cannot_be_read_raises_its_status(data, error):
    with pytest.raises(error):
        read_docx(data)


# ---------------------------------------------------------------- dispatch and parity


def test_reader_by_suffix_and_readable_suffixes():
    assert [reader_for(n) for n in ("a.PDF", "b.htm", "c.html", "d.docx", "e.txt", "f.csv")] == [
        "pdf", "html", "html", "docx", "txt", "txt"]
    from etl.read.ingest import readable_suffixes

    assert readable_suffixes() == (".txt", ".pdf", ".html", ".htm", ".docx")
    assert read_document("a.txt", "本报讯".encode("gbk")).encoding == "gb18030"


RENDERERS = {
    "pdf": lambda t: docgen.render_pdf(t, columns=3),
    "html-utf8": lambda t: docgen.render_html(t, "utf-8"),
    "html-gbk": lambda t: docgen.render_html(t, "gbk", "http-equiv"),
    "docx": lambda t: docgen.render_docx(t, [["一期", "总投资35亿元"]]),
}


def value_f1(sample_texts, render=None) -> float:
    gold = load_gold(GOLD)
    output = {}
    for name, text in sample_texts.items():
        if render is not None:
            suffix = ".html" if "html" in render else "." + render
            text = read_document("x" + suffix, RENDERERS[render](text)).text
        output[name] = [f.to_dict() for f in extract_figures(text)]
        if render == "docx":  # the table's figure is not in the gold of the text
            output[name] = [f for f in output[name] if f["surface"] != "35亿元"]
    return evaluate(gold, output).overall.f1


@pytest.mark.parametrize("render", RENDERERS)
def test_value_f1_of_each_format_is_within_002_of_the_plain_text(sample_texts, render):
    assert value_f1(sample_texts, render) >= value_f1(sample_texts) - 0.02


# ---------------------------------------------------------------- the job


def write_inputs(folder: Path) -> None:
    text = "本报讯 7月30日，高新区4个项目集中开工，总投资19亿元。\n"
    folder.mkdir()
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "b.pdf").write_bytes(docgen.render_pdf(text))
    (folder / "c.HTML").write_bytes(docgen.render_html(text, "gbk"))
    (folder / "d.htm").write_bytes(docgen.render_html(text.replace("19", "21"), "utf-8"))
    (folder / "e.docx").write_bytes(docgen.render_docx(text.replace("19", "23")))
    (folder / "scan.pdf").write_bytes(scanned_pdf())
    (folder / "locked.pdf").write_bytes(encrypted_pdf())
    (folder / "notes.md").write_text(text, "utf-8")  # not an input by default


def test_run_discovers_every_format_and_records_its_reader(tmp_path):
    import pandas as pd
    from click.testing import CliRunner

    from etl.cli import EXIT_INPUTS_FAILED, main

    write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(out), "-j", "1", "--no-report"])
    assert first.exit_code == EXIT_INPUTS_FAILED, first.output  # the encrypted PDF
    assert "locked.pdf: encrypted: the PDF is encrypted" in first.output
    docs = pd.read_parquet(out / "documents").set_index("source")
    assert docs.loc["notes.md", "status"] == "unsupported"
    docs = docs.drop(index="notes.md")
    assert sorted(docs.index) == ["a.txt", "b.pdf", "c.HTML", "d.htm", "e.docx", "locked.pdf", "scan.pdf"]
    assert docs["reader"].to_dict() == {"a.txt": "txt", "b.pdf": "pdf", "c.HTML": "html", "d.htm": "html",
                                        "e.docx": "docx", "locked.pdf": "pdf", "scan.pdf": "pdf"}
    assert docs.loc["b.pdf", "reader_version"].startswith("figure-etl ") and "pypdfium2" in docs.loc["b.pdf", "reader_version"]
    assert docs.loc["scan.pdf", "status"] == "no_text" and "OCR" in docs.loc["scan.pdf", "error"]
    assert docs.loc["c.HTML", "encoding"] == "gb18030"
    figures = pd.read_parquet(out / "figures")
    money = figures[figures["kind"] == "investment"].set_index("source")
    assert money["value"].to_dict() == {"a.txt": 1.9e9, "b.pdf": 1.9e9, "c.HTML": 1.9e9, "d.htm": 2.1e9, "e.docx": 2.3e9}
    assert money.loc["b.pdf", "page"] == 1 and len(money.loc["b.pdf", "bbox"]) == 4
    assert money.drop(index="b.pdf")["page"].isna().all() and money.drop(index="b.pdf")["bbox"].isna().all()

    again = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(out), "-j", "1", "--no-report"])
    assert "documents: 0 read; 8 unchanged" in again.output, again.output  # notes.md too
    only_pdf = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "o2"), "-j", "1",
                                         "--no-report", "--pattern", "b.*", "--pattern", "*.MD"])
    assert only_pdf.exit_code == 0, only_pdf.output
    docs = pd.read_parquet(tmp_path / "o2" / "documents")
    assert sorted(docs[docs["status"] != "unsupported"]["source"]) == ["b.pdf", "notes.md"]


# ---------------------------------------------------------------- page images in the review


def latin_pdf() -> bytes:
    """A page in a standard font, which renders without any installed font."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=docgen.PAGE_SIZE)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(100, 500, "Total investment 1900 million")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_render_region_outlines_the_figure_on_its_page():
    import numpy as np

    from etl.read.pdf import OUTLINE, REGION_MARGIN, REGION_SCALE, render_regions

    data = latin_pdf()
    got = read_pdf(data)
    start = got.text.index("1900")
    page, bbox = got.boxes.locate(start, start + 4)
    (image,) = render_regions(data, [(page, bbox)])
    pixels = np.asarray(image)
    ys, xs = np.nonzero(np.all(pixels == OUTLINE, axis=2))
    left, top = (bbox[0] - REGION_MARGIN[0]) * REGION_SCALE, (842 - bbox[3] - REGION_MARGIN[1]) * REGION_SCALE
    # the outline is the figure's box (2 px out), where the region puts it
    assert abs(xs.min() - (bbox[0] * REGION_SCALE - left - 2)) <= 2
    assert abs(xs.max() - (bbox[2] * REGION_SCALE - left + 2)) <= 2
    assert abs(ys.min() - (REGION_MARGIN[1] * REGION_SCALE - 2)) <= 2
    inside = pixels[ys.min() + 3: ys.max() - 2, xs.min() + 3: xs.max() - 2]
    assert (inside.sum(axis=2) < 200).any()  # the digits are drawn inside it
    assert image.width == round((bbox[2] - bbox[0] + 2 * REGION_MARGIN[0]) * REGION_SCALE)


def test_report_shows_each_pdf_figure_on_its_page_and_drops_stale_images(tmp_path):
    from click.testing import CliRunner

    from etl.cli import main
    from etl.review.report import PAGES_DIR, build_review

    folder = tmp_path / "in"
    folder.mkdir()
    text = "本报讯 7月30日，高新区4个项目集中开工，总投资19亿元。\n"
    (folder / "a.pdf").write_bytes(docgen.render_pdf(text))
    (folder / "b.txt").write_text(text, "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(folder), "-o", str(out), "-j", "1", "--no-validate"])
    assert result.exit_code == 0, result.output
    images = sorted((out / PAGES_DIR).glob("*.png"))
    assert len(images) == 2  # the two figures of the PDF, none for the text file
    page = (out / "report.html").read_text("utf-8")
    for image in images:
        assert f'src="{PAGES_DIR}/{image.name}"' in page
    figures_table = page[page.index('<table id="figures-table"'):]
    assert figures_table.count("p. 1") == 2
    start = page.index('<table id="review-first-table"')
    review_first = page[start:page.index("</table>", start)]
    assert review_first.count("a.pdf p. 1") == 2 and review_first.count("b.txt<") == 2  # a text file has no page
    (folder / "a.pdf").write_bytes(docgen.render_pdf(text.replace("19", "21")))  # not the run's bytes
    build_review(out)
    assert not list((out / PAGES_DIR).glob("*.png"))
    assert "<img" not in (out / "report.html").read_text("utf-8") and "p. 1" in (out / "report.html").read_text("utf-8")


def test_config_file_sets_the_patterns(tmp_path):
    import pandas as pd
    from click.testing import CliRunner

    from etl.cli import main

    write_inputs(tmp_path / "in")
    config = tmp_path / "etl.toml"
    config.write_text('pattern = "*.DOCX"\n', "utf-8")  # one glob as a string, case aside
    result = CliRunner().invoke(main, ["run", "--config", str(config), str(tmp_path / "in"),
                                       "-o", str(tmp_path / "out"), "-j", "1", "--no-report"])
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(tmp_path / "out" / "documents")
    assert list(docs[docs["status"] != "unsupported"]["source"]) == ["e.docx"]
