"""Readers benchmark: extraction parity of PDF, web pages and Word files with plain text,
page correctness of PDF figures, and the PDF reader's speed and memory on a long file.

    python benchmarks/bench_readers.py [--pages 300]

Prints:

1. value F1 against the gold of the bundled sample pages (tests/gold), and of the held-out
   set (tests/heldout) when present, of the plain text and
   of each rendering of the same pages (tests/docgen.py: a 3-column PDF whose content
   stream draws the lines in random order, with running heads, footers and page numbers;
   a 2-column PDF in stream order; web pages in UTF-8 and GBK with navigation, related
   news, counters and comments; a Word file), and the figures of each rendering that the
   plain text does not give (by kind and value: furniture, navigation, a broken order);
2. page correctness: the share of PDF figures whose `page` is the page PDFium itself finds
   their characters on, inside their `bbox`;
3. `read_pdf` on a PDF of about --pages pages (the sample pages repeated): pages/s and
   the peak RSS of a fresh process that reads it (and, apart, the whole pipeline on it).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import docgen  # noqa: E402  (the child process of speed_and_memory imports nothing else at first)

SAMPLE = ROOT / "etl" / "sample"
GOLD = ROOT / "tests" / "gold"
HELDOUT = ROOT / "tests" / "heldout"


def formats() -> dict:
    found = {
        "pdf, 3 columns, shuffled stream": ("x.pdf", lambda t: docgen.render_pdf(t, columns=3, shuffle=True)),
        "pdf, 2 columns, stream order": ("x.pdf", lambda t: docgen.render_pdf(t, columns=2, shuffle=False)),
        "html utf-8": ("x.html", lambda t: docgen.render_html(t, "utf-8")),
        "html gbk (http-equiv)": ("x.html", lambda t: docgen.render_html(t, "gbk", "http-equiv")),
        "docx": ("x.docx", docgen.render_docx),
    }
    if docgen.browser():  # a PDF as a browser prints a page laid out in CSS columns
        found["pdf, printed by Chromium"] = ("x.pdf", lambda t: docgen.print_columns_pdf(t, tempfile.mkdtemp()))
    return found


def parity(docs: Path, gold_dir: Path) -> None:
    from etl.pipeline import extract_figures
    from etl.read.document import read_document
    from etl.review.evaluate import evaluate, load_gold

    gold = load_gold(gold_dir)
    texts = {p.name: p.read_text("utf-8") for p in sorted(docs.glob("*.txt"))}
    print(f"{docs.relative_to(ROOT)}, scored against {gold_dir.relative_to(ROOT)}:")
    from_text = {n: [f.to_dict() for f in extract_figures(t)] for n, t in texts.items()}
    plain = evaluate(gold, from_text).overall
    print(f"{'input':<34}{'P':>7}{'R':>7}{'F1':>7}{'ΔF1':>8}  figures the text does not give")
    print(f"{'plain text':<34}{plain.precision:>7.3f}{plain.recall:>7.3f}{plain.f1:>7.3f}{0:>8.3f}")
    for label, (name, render) in formats().items():
        output = {source: [f.to_dict() for f in extract_figures(read_document(name, render(text)).text)]
                  for source, text in texts.items()}
        score = evaluate(gold, output).overall
        extra = evaluate(from_text, output).overall.fp  # the plain text's figures as the gold
        print(f"{label:<34}{score.precision:>7.3f}{score.recall:>7.3f}{score.f1:>7.3f}"
              f"{score.f1 - plain.f1:>+8.3f}  {extra}")


def page_correctness() -> None:
    import pypdfium2 as pdfium

    from etl.pipeline import process_input
    from etl.read.ingest import InputFile

    right = total = 0
    for path in sorted(SAMPLE.glob("*.txt")):
        text = path.read_text("utf-8")
        for columns in (1, 2, 3):
            data = docgen.render_pdf(text, columns=columns)
            rows = process_input(InputFile(path, "x.pdf", len(data), None, data), None).figures
            pdf = pdfium.PdfDocument(data)
            for row in rows:
                x0, y0, x1, y1 = row["bbox"]
                inside = pdf[row["page"] - 1].get_textpage().get_text_bounded(x0 - .5, y0 - .5, x1 + .5, y1 + .5)
                need = Counter("".join(row["surface"].split()))
                right += not need - Counter("".join(inside.split()))
                total += 1
            pdf.close()
    print(f"PDF figures on the right page, inside their bbox: {right}/{total} = {right / total:.4f}")


def speed_and_memory(pages: int) -> None:
    texts = [p.read_text("utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    one_round = "\n\n".join(texts)
    rounds = max(1, round(pages / len(docgen.layout_columns(one_round, 3, 10.0, 722.0))))
    data = docgen.render_pdf("\n\n".join([one_round] * rounds), columns=3)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        path.write_bytes(data)
        for what in ("read_pdf", "pipeline"):
            out = subprocess.run([sys.executable, __file__, "--child", what, str(path)],
                                 capture_output=True, text=True, check=True).stdout
            print(out.strip())


def child(what: str, path: str) -> None:
    """Run in a fresh process: the modules it measures are imported first, so the peak
    RSS over the baseline is the work's."""
    from etl.pipeline import process_input
    from etl.read.ingest import InputFile
    from etl.read.pdf import read_pdf

    data = Path(path).read_bytes()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu, start = time.process_time(), time.perf_counter()
    if what == "read_pdf":
        got = read_pdf(data)
        n, extra = got.pages, f"{len(got.text) / 1e6:.2f} M chars"
    else:
        result = process_input(InputFile(Path(path), "long.pdf", len(data), None, data), None)
        n, extra = len(result.figures), f"status {result.document['status']}"
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = f" = {n / seconds:.1f} pages/s ({n / cpu:.1f} per CPU-second)" if what == "read_pdf" else ""
    unit = "pages" if what == "read_pdf" else "figures"
    print(f"{what:<9} {len(data) / 2**20:.1f} MB PDF: {n} {unit} in {seconds:.1f} s, {cpu:.1f} s CPU{rate}; "
          f"peak RSS {peak:.0f} MiB, {peak - base:+.0f} MiB over the process before it; {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    parity(SAMPLE, GOLD)
    print()
    if HELDOUT.is_dir():  # measured, never tuned on (tests/heldout/README.md)
        parity(HELDOUT / "docs", HELDOUT / "gold")
        print()
    page_correctness()
    print()
    speed_and_memory(args.pages)


if __name__ == "__main__":
    main()
