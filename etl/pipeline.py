"""The stages composed: bytes of one input in, rows of the three tables out.

`process_input` never raises for a bad input: whatever goes wrong becomes the
document's `status` and `error`, so one bad file never stops a run.
"""
from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from ._version import __version__
from .text.clean import CleanText, clean_layout
from .figures.context import Anchor
from .figures.period import holiday_of
from .figures.extract import find_figures
from .figures.confidence import figure_confidence
from .figures.figure import Figure
from .read.document import Extracted, PageBoxes, ReaderError, read_document, reader_for
from .read.ingest import InputFile, UndecodableError, doc_id, escaped, path_text
from .text.dates import document_date, news_page, report_period, title_year
from .text.segment import Article, split_articles, split_sentences

#: Statuses of a document that count as failed inputs. The others: ok, empty, duplicate,
#: superseded, and no_text (a PDF without a text layer: like an empty file, nothing to read).
FAILED_STATUSES = ("unreadable", "undecodable", "encrypted", "corrupt", "failed")
#: The review columns of a figure no reviewer has decided on.
UNREVIEWED = {"review_status": "unreviewed", "review_field": None, "review_value": None, "review_note": None}


@dataclass(frozen=True)
class ArticleFigures:
    """One article of a text and the figures found in it."""

    article: Article
    sentences: list[tuple[int, int]]
    figures: list[Figure]


@dataclass(frozen=True)
class TextResult:
    cleaned: CleanText
    articles: list[ArticleFigures]
    document_date: date | None = None
    document_date_source: str | None = None

    @property
    def figures(self) -> list[Figure]:
        return [f for a in self.articles for f in a.figures]


def process_text(text: str) -> TextResult:
    """Clean, segment and extract one decoded text."""
    cleaned = clean_layout(text)
    when, source = document_date(cleaned.text)
    report = report_period(cleaned.text) or holiday_of(cleaned.text, when)
    anchor = Anchor.of(when, title_year(cleaned.text), report, source, news_page(cleaned.text))
    return TextResult(cleaned, list(iter_articles(cleaned, anchor)), when, source)


def iter_articles(cleaned: CleanText, anchor: Anchor = Anchor()) -> Iterator[ArticleFigures]:
    """The articles of a cleaned text with their figures (raw offsets set), one at a time;
    relative time words count from `anchor` (the document's date)."""
    articles = split_articles(cleaned.text)
    for article in articles:
        sentences = split_sentences(cleaned.text, article.start, article.end)
        figures = find_figures(cleaned.text, sentences, article.start, article.end, cleaned.raw_span, anchor)
        yield ArticleFigures(article, sentences, figures)


def text_rows(text: str, source: str) -> DocumentResult:
    """The articles and figures rows of one decoded text as a run makes them, without a
    file (`figure-etl eval`); doc_id is the SHA-256 of the text. Sentence spans kept for
    the checks."""
    result = process_text(text)
    doc = {"doc_id": hashlib.sha256(text.encode("utf-8")).hexdigest(), "source": source}
    rows = _rows(doc, result.cleaned, result.articles)
    rows.sentences = [item.sentences for item in result.articles]
    return rows


def extract_figures(text: str) -> list[Figure]:
    """Every figure in `text`, cleaned and segmented as the pipeline does.

    `char_start`/`char_end` index the cleaned text, `raw_start`/`raw_end` index
    `text` itself.
    """
    return process_text(text).figures


@dataclass
class DocumentResult:
    """The rows one input contributes to the documents, articles, figures and checks tables."""

    document: dict
    articles: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    #: Sentence spans per article, for the checks (`etl.job.job.load_and_process`); then None.
    sentences: list[list[tuple[int, int]]] | None = None


def unsupported_input(inp: InputFile, processed_at: datetime, readable: tuple[str, ...]) -> DocumentResult:
    """The documents row of a file of a kind the job does not read (`inp` from a stat, no bytes)."""
    doc = document_row(inp, processed_at)
    kind = inp.path.suffix.lower() or "files without a suffix"
    return DocumentResult({**doc, "doc_id": _path_id(inp, "unsupported"), "status": "unsupported",
                           "error": escaped(f"not read: {kind} is not a kind of file the job reads "
                                            f"({', '.join(readable)})")})


def process_input(inp: InputFile, processed_at: datetime) -> DocumentResult:
    """Turn one read input into table rows; bad input becomes a status, never an exception."""
    doc = document_row(inp, processed_at)
    if not inp.ok:
        return DocumentResult({**doc, "status": "unreadable", "error": escaped(inp.error)})
    extracted = _extract(inp, doc)
    if isinstance(extracted, DocumentResult):
        return extracted
    text, boxes = extracted.text, extracted.boxes
    del extracted  # memory: the text is held once, below
    if not text or text.isspace():  # not text.strip(): that would copy the whole text
        return DocumentResult({**doc, "status": "empty", "error": "no text in the file", "n_chars": 0})
    try:
        result = process_text(text)
        del text  # memory: the raw text is not needed for the rows (the shift maps hold the offsets)
        doc["document_date"], doc["document_date_source"] = result.document_date, result.document_date_source
        rows = _rows(doc, result.cleaned, result.articles, boxes)
        rows.sentences = [item.sentences for item in result.articles]  # not split again for the checks
        return rows
    except Exception as exc:  # a bug on one input must not stop the run; record it whole
        return internal_error(doc, exc)


def internal_error(doc: dict, exc: Exception) -> DocumentResult:
    """The result of an input whose processing raised: its document row, status failed."""
    return DocumentResult({**doc, "status": "failed", "error": f"internal error: {_describe(exc)}"})


def _extract(inp: InputFile, doc: dict) -> Extracted | DocumentResult:
    """The input's text by the reader its name calls for, the reader recorded in `doc`; or
    the row of a document no reader could read."""
    doc["reader"] = reader_for(inp.source)  # also on failure: which reader could not read it
    try:
        extracted = read_document(inp.source, inp.data)
    except UndecodableError as exc:
        return DocumentResult({**doc, "status": "undecodable", "error": str(exc)})
    except ReaderError as exc:
        return DocumentResult({**doc, "status": exc.status, "error": str(exc)})
    except Exception as exc:  # a reader's bug or a library's surprise on one input
        return DocumentResult({**doc, "status": "corrupt", "error": f"the reader failed: {_describe(exc)}"})
    doc.update(encoding=extracted.encoding, reader=extracted.reader, reader_version=extracted.reader_version)
    return extracted


def _describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(exc)).strip()


def document_row(inp: InputFile, processed_at: datetime) -> dict:
    """The documents row of `inp` before it is decoded: status ok, nothing counted yet."""
    path, path_bytes = path_text(inp.path)
    return {
        "doc_id": doc_id(inp.data) if inp.data is not None else _path_id(inp),
        "source": escaped(inp.source),
        "path": path,
        "path_bytes": path_bytes,
        "size_bytes": inp.size,
        "mtime": inp.mtime,
        "encoding": None,
        "reader": None,
        "reader_version": None,
        "status": "ok",
        "error": None,
        "n_chars": None,
        "n_articles": 0,
        "n_figures": 0,
        "document_date": None,
        "document_date_source": None,
        "processed_at": processed_at,
        "pipeline_version": __version__,
    }


def _path_id(inp: InputFile, why: str = "unreadable") -> str:
    # An input whose bytes were not read has no content to hash; its path identifies it instead.
    return hashlib.sha256(f"{why}:".encode() + os.fsencode(str(inp.path))).hexdigest()


def _figure_row(f: Figure, short: str, doc_id: str, source: str, article_id: str, date: str | None,
                text: str, boxes: PageBoxes | None = None) -> dict:
    """One row of the figures table: the ids, then every field of `f` (in its order), then
    the article's date, then where the figure stands on its page (PDF inputs only), then its
    confidence (from `text`, the cleaned text its offsets index) and review status (not
    reviewed: decisions are applied where rows are written, `etl.job.decisions`). Written
    out, as a dict display is built twice as fast as a dict from pairs (a test compares the
    keys with the fields); not Figure.to_dict(), which deep-copies every value (all scalars
    here)."""
    confidence = figure_confidence(f, text)
    return {
        "figure_id": f"{short}:{f.char_start}-{f.char_end}", "doc_id": doc_id, "source": source,
        "article_id": article_id,
        "kind": f.kind, "value": f.value, "unit": f.unit, "surface": f.surface, "number_text": f.number_text,
        "unit_text": f.unit_text, "char_start": f.char_start, "char_end": f.char_end,
        "value_high": f.value_high, "counter": f.counter, "qualifier": f.qualifier, "metric": f.metric,
        "subject": f.subject, "sentence": f.sentence, "raw_start": f.raw_start, "raw_end": f.raw_end,
        "indicator": f.indicator, "relation": f.relation, "period_start": f.period_start,
        "period_end": f.period_end, "period_text": f.period_text, "modality": f.modality,
        "part_of": f"{short}:{f.part_of[0]}-{f.part_of[1]}" if f.part_of else None,
        "article_date": date,
        **_place(f, boxes),
        "confidence": confidence.score, "confidence_reasons": list(confidence.reasons),
        **UNREVIEWED,
    }


def _place(f: Figure, boxes: PageBoxes | None) -> dict:
    """The page (1-based) and box of a figure's surface, from the reader's character map."""
    if boxes is None or f.raw_start is None:
        return {"page": None, "bbox": None}
    page, bbox = boxes.locate(f.raw_start, f.raw_end)
    return {"page": page, "bbox": bbox}


def _rows(doc: dict, cleaned: CleanText, items: Iterable[ArticleFigures],
          boxes: PageBoxes | None = None) -> DocumentResult:
    """Table rows of one document's articles and figures."""
    text = cleaned.text
    short = doc["doc_id"][:12]
    articles, figures = [], []
    for item in items:
        a = item.article
        article_id = f"{short}:a{a.index}"
        date = a.dateline or None
        raw_start, raw_end = cleaned.raw_span(a.start, a.end) if a.end > a.start else (0, 0)
        articles.append({
            "article_id": article_id,
            "doc_id": doc["doc_id"],
            "source": doc["source"],
            "article_index": a.index,
            "headline": a.headline or None,  # the schema: null when the article has none
            "article_date": date,
            "reporters": list(a.reporters),
            "char_start": a.start,
            "char_end": a.end,
            "raw_start": raw_start,
            "raw_end": raw_end,
            "n_sentences": len(item.sentences),
            "n_figures": len(item.figures),
            "text": text[a.start : a.end],
        })
        figures += [_figure_row(f, short, doc["doc_id"], doc["source"], article_id, date, text, boxes)
                    for f in item.figures]
    doc = {**doc, "n_chars": len(text), "n_articles": len(articles), "n_figures": len(figures)}
    return DocumentResult(doc, articles, figures)
