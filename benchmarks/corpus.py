"""A synthetic corpus for benchmarks: the sample's sentences recombined.

Documents are made of sentences drawn from the bundled sample pages, with their
Arabic numbers replaced by random ones of the same length (some written in
Chinese numerals), written in a mix of encodings, and damaged as PDF and web
extraction damages text: hard-wrapped like a newspaper column, spaces between
characters from justified lines, full-width digits, HTML remnants. Deterministic
for a given seed.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from etl.text.clean import clean_layout
from etl.text.segment import split_sentences

SAMPLE = Path(__file__).resolve().parent.parent / "etl" / "sample"
ENCODINGS = [("utf-8", 0.75), ("gb18030", 0.15), ("utf-8-sig", 0.05), ("utf-16", 0.05)]
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CN_DIGITS = "零一二三四五六七八九"
_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def sample_sentences() -> list[str]:
    sentences = []
    for path in sorted(SAMPLE.glob("*.txt")):
        text = clean_layout(path.read_text("utf-8")).text
        sentences += [text[s:e] for s, e in split_sentences(text) if e - s > 8]
    return sentences


def _chinese(n: int) -> str:
    """1–99 in Chinese numerals (十二, 三十五), as counts are often written."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones or not tens else "")


def _vary_numbers(sentence: str, rng: random.Random) -> str:
    def digits(m: re.Match) -> str:
        n = len(m.group())
        return str(rng.randint(10 ** (n - 1) if n > 1 else 1, 10**n - 1))

    def number(m: re.Match) -> str:
        if len(m.group()) <= 2 and rng.random() < 0.2:
            return _chinese(rng.randint(1, 99 if len(m.group()) == 2 else 9))
        return _DIGITS.sub(digits, m.group())

    return _NUMBER.sub(number, sentence)


def _wrap(text: str, rng: random.Random) -> str:
    width = rng.randint(12, 20)
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def _damage(page: str, rng: random.Random) -> str:
    """Layout damage of PDF and web extraction, some kinds per document."""
    if rng.random() < 0.1:
        page = _NUMBER.sub(lambda m: m.group().translate(_WIDE).replace(".", "．") if rng.random() < 0.5 else m.group(), page)
    if rng.random() < 0.15:  # a justified line spreads its characters
        page = re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", lambda m: " " if rng.random() < 0.05 else "", page)
    if rng.random() < 0.1:
        page = "".join(f"<p>{para}</p>&nbsp;\n" for para in page.split("\n") if para)
    return _wrap(page, rng) if rng.random() < 0.5 else page


def make_document(sentences: list[str], rng: random.Random) -> str:
    body = "".join(_vary_numbers(rng.choice(sentences), rng) for _ in range(rng.randint(15, 60)))
    page = f"本报讯 {rng.randint(1, 12)}月{rng.randint(1, 28)}日，{body}\n记者 孙明\n"
    return _damage(page, rng)


def write_corpus(folder: Path, total_bytes: int, seed: int = 0) -> tuple[int, int]:
    """Write documents into `folder` until about `total_bytes`; return (files, chars)."""
    rng = random.Random(seed)
    sentences = sample_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    names, weights = zip(*ENCODINGS)
    written = files = chars = 0
    while written < total_bytes:
        text = make_document(sentences, rng)
        encoding = rng.choices(names, weights)[0]
        data = text.encode(encoding)
        sub = folder / f"{files // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"doc_{files:06d}.txt").write_bytes(data)
        written += len(data)
        chars += len(text)
        files += 1
    return files, chars
