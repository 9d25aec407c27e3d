"""Web page reader: the article's text, without the page around it.

1. **Charset**: a byte-order mark, else the ``<meta charset>`` or HTTP-equiv Content-Type
   in the first bytes (GB2312 and GBK are read as GB18030, their superset), else the text
   decoder's guess (`decode_bytes`). A declared charset the bytes do not fit is ignored.
2. **Boilerplate**: elements that are never article text are dropped by tag (nav, header,
   footer, aside, script, form, ...) and by a word in their class or id (nav, breadcrumb,
   related, comment, counter, footer, ...), as are lists under a 相关新闻-like heading. An
   element named like boilerplate that holds most of the page's text is kept: it wraps
   the article.
3. **Article**: the element whose paragraphs hold the most text outside links.
4. **Text**: the page's main heading, the date line (发布时间：2025-07-30 ...) when the
   article does not hold it, then the article's paragraphs separated by blank lines.

The words and tags are in etl/data/readers.toml.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree

from .document import CorruptError, Extracted, NoTextError, library_version, readers_config
from .ingest import UndecodableError, decode_bytes

__all__ = ["read_html", "decode_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "euc-cn"}
_BLOCK_TAGS = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr table thead tbody section "
                        "article main blockquote pre figure figcaption center".split())
_CELL_TAGS = frozenset(("td", "th"))
_SPACES = re.compile(r"[^\S\n]+")
_PROSE = re.compile(r"[，。；！？,;]")


@dataclass(frozen=True)
class HtmlSettings:
    drop_tags: frozenset[str]
    drop_classes: tuple[str, ...]
    drop_headings: tuple[str, ...]
    date_line: re.Pattern
    min_body_chars: int


@lru_cache(maxsize=1)
def html_settings() -> HtmlSettings:
    html = readers_config()["html"]
    markers = "|".join(re.escape(m.rstrip("：:")) for m in html["date_markers"])
    date_line = re.compile(rf"(?:{markers})\s*[:：]?\s*[0-9０-９][0-9０-９年月日/.\-\s:：]*[0-9０-９日]")
    return HtmlSettings(frozenset(html["drop_tags"]), tuple(html["drop_classes"]),
                        tuple(html["drop_headings"]), date_line, html["min_body_chars"])


def read_html(data: bytes) -> Extracted:
    """The article text of a web page (see the module's doc)."""
    settings = html_settings()
    markup, encoding = decode_html(data)
    if not markup.strip():
        return Extracted("", "html", library_version("lxml"), encoding)
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptError(f"not a parsable web page: {exc}") from exc
    date_line = _date_line(root, settings)
    heading = _main_heading(root)
    _drop_boilerplate(root, settings)
    article = _article(root)
    paragraphs = _paragraphs(article) if article is not None else []
    if sum(map(len, paragraphs)) < settings.min_body_chars:
        raise NoTextError("the page holds no article text (navigation, links or scripts only)")
    body = "\n\n".join(paragraphs)
    head = [line for line in (heading, date_line) if line and line not in body]
    return Extracted("\n".join(head + [""] + [body]) if head else body, "html",
                     library_version("lxml"), encoding)


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's markup and the codec it was decoded with (see the module's doc)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        codec = "gb18030" if name in _GB_FAMILY else name
        try:
            return data.decode(codec), codecs.lookup(codec).name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: guess from the bytes instead
    try:
        return decode_bytes(data)
    except UndecodableError as exc:
        raise CorruptError(f"not a web page in any known charset: {exc}") from exc


def _date_line(root, settings: HtmlSettings) -> str | None:
    """The first 发布时间-like line of the page: marker and date, without what follows."""
    found = settings.date_line.search(root.text_content())
    return _SPACES.sub(" ", found.group(0)).strip() if found else None


def _main_heading(root) -> str | None:
    headings = root.xpath("//h1")
    text = _SPACES.sub(" ", headings[0].text_content()).strip() if headings else ""
    return text or None


def _drop_boilerplate(root, settings: HtmlSettings) -> None:
    """Remove what is never article text, in place."""
    for element in root.xpath("//comment() | //processing-instruction()"):
        _remove(element)
    for element in list(root.iter(*settings.drop_tags)):
        _remove(element)
    total = len(root.text_content())
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        names = f"{element.get('class', '')} {element.get('id', '')}".lower()
        if any(word in names for word in settings.drop_classes) and len(element.text_content()) < total / 2:
            _remove(element)
    for heading in list(root.iter("h2", "h3", "h4", "h5", "h6", "div", "span", "p", "strong", "b")):
        text = heading.text_content().strip()
        if heading.getparent() is not None and len(text) <= 8 and text.startswith(settings.drop_headings):
            parent = heading.getparent()
            _remove(parent if _link_share(parent) > 0.5 else heading)


def _remove(element) -> None:
    """Drop an element but keep its tail text (it belongs to the parent)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _link_share(element) -> float:
    text = len(element.text_content().strip())
    links = sum(len(a.text_content().strip()) for a in element.iter("a"))
    return links / text if text else 1.0


def _article(root):
    """The element whose direct text blocks hold the most prose outside links (text with a
    comma or full stop: an info line of dates, sources and counters has none)."""
    scores: dict = {}
    for block in root.iter("p", "div", "td", "section", "article", "pre", "blockquote", "li", "font", "span"):
        own = _own_text(block)
        if len(own) < 10 or not _PROSE.search(own):
            continue
        parent = block.getparent() if block.tag in ("p", "font", "span", "li") else block
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(own)
    if not scores:
        body = root.find("body")
        return body if body is not None else root
    return max(scores, key=scores.get)


def _own_text(element) -> str:
    """Text of `element` outside links and outside its block children."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _BLOCK_TAGS and child.tag != "a":
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _space(m: re.Match) -> str:
    """A run of space as one space, or as one TAB when it holds one (a cell's edge)."""
    return "\t" if "\t" in m.group() else " "


def _paragraphs(element) -> list[str]:
    """The text of `element` as paragraphs: one per block element, ``<br>`` as a line break."""
    out: list[str] = [""]

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK_TAGS:
            out.append("")
        if tag == "br":
            out[-1] += "\n"
        elif tag in _CELL_TAGS:
            out[-1] += "\t"  # a table's cells: a row a line, its cells cut by a TAB (etl/text/tables.py)
        if tag:  # a comment's text is not the page's
            out[-1] += node.text or ""
        for child in node:
            walk(child)
            out[-1] += child.tail or ""
        if tag in _BLOCK_TAGS:
            out.append("")

    walk(element)
    cleaned = ("\n".join(_SPACES.sub(_space, line).strip() for line in p.split("\n")) for p in out)
    return [p.strip("\n") for p in cleaned if p.strip()]
