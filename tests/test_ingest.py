"""Ingest: discovery of inputs, reading, decoding, document ids."""
from __future__ import annotations

import codecs
import hashlib
import os
import random
from datetime import timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.read import ingest
from etl.read.ingest import EMPTY, UndecodableError, decode_bytes, discover_inputs, doc_id, read_input

SAMPLES = sorted((Path(ingest.__file__).parent / "sample").glob("*.txt"))

# Composed for these tests: digits, a percent, a CRLF line break, full-width
# punctuation; the second has no ASCII at all (so UTF-16 has no NUL bytes).
MIXED = "高新区四个制造业类项目集中开工，总投资19亿元，占地183亩。\r\n增速12.6%，提高0.5个百分点。"
PURE_CJK = "项目总投资十九亿元，年度计划投资五亿元。"


def _bom(bom: bytes, codec: str):
    return lambda text: bom + text.encode(codec)


# (case id, how the file was written, encoding name decode_bytes must report)
ENCODINGS = [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
    ("gb18030", lambda t: t.encode("gb18030"), "gb18030"),
    ("gbk", lambda t: t.encode("gbk"), "gb18030"),  # GBK is a subset: one name
    ("utf-16-le BOM", _bom(codecs.BOM_UTF16_LE, "utf-16-le"), "utf-16"),
    ("utf-16-be BOM", _bom(codecs.BOM_UTF16_BE, "utf-16-be"), "utf-16"),
    ("utf-16-le", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", lambda t: t.encode("utf-16-be"), "utf-16-be"),
]


@pytest.mark.parametrize("text", [MIXED, PURE_CJK], ids=["mixed", "pure-cjk"])
@pytest.mark.parametrize("encode, expected", [c[1:] for c in ENCODINGS], ids=[c[0] for c in ENCODINGS])
def test_decode_round_trip(text, encode, expected):
    data = encode(text)
    decoded, encoding = decode_bytes(data)
    assert decoded == text  # CRLF kept: offsets into it are raw offsets
    assert encoding == expected
    assert data.decode(encoding) == text  # the recorded name reproduces the text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "utf-16-le", "utf-16-be"])
def test_decode_whole_sample_files(sample, codec):
    text = sample.read_bytes().decode("utf-8")
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_ascii_only_is_utf8_but_ascii_in_utf16_is_not():
    assert decode_bytes(b"total 19\n") == ("total 19\n", "utf-8")
    # Valid UTF-8 too (NULs are ASCII), but half NULs means UTF-16.
    assert decode_bytes("total 19\n".encode("utf-16-le")) == ("total 19\n", "utf-16-le")


def test_empty_and_bom_only():
    assert decode_bytes(b"") == ("", EMPTY)
    assert decode_bytes(codecs.BOM_UTF8) == ("", "utf-8-sig")


GARBAGE = {
    "random bytes": random.Random(0).randbytes(4096),
    "all byte values": bytes(range(256)) * 4,
    "NULs": b"\x00" * 100,
    "png-like": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(500),
    "control bytes": b"\x01\x02\x03abc",
    "elf-like": b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00>\x00\x01\x00\x00\x00",
}


@pytest.mark.parametrize("data", GARBAGE.values(), ids=GARBAGE.keys())
def test_binary_is_undecodable(data):
    with pytest.raises(UndecodableError, match="no text encoding fits"):
        decode_bytes(data)


def test_corrupt_byte_in_utf8_is_undecodable_and_located():
    # No lenient fallback: a replaced character could sit inside a figure.
    good = MIXED.encode("utf-8") * 50
    data = good + b"\xff" + good
    with pytest.raises(UndecodableError, match=rf"utf-8 fails at byte {len(good)} \(ff "):
        decode_bytes(data)


def test_undecodable_is_a_value_error():
    assert issubclass(UndecodableError, ValueError)


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8 + b"\xff\xfe\xfd", codecs.BOM_UTF16_LE + b"\x41", codecs.BOM_UTF16_LE + b"\x00\x00" * 50],
    ids=["utf-8 BOM, bad body", "utf-16 BOM, odd length", "utf-16 BOM, NULs"],
)
def test_bom_with_invalid_body_raises(data):
    with pytest.raises(UndecodableError, match="byte-order mark"):
        decode_bytes(data)


_CHINESE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from(list("，。、；：“”（）%0123456789.亿万元 \n")),
    ),
    min_size=1,
)


@given(_CHINESE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_decode_unambiguous_encodings_property(text, codec):
    # utf-16 (BOM) and utf-8 can always be told apart; BOM-less legacy
    # encodings of very short strings are inherently ambiguous.
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    assert text.encode(codec).decode(encoding) == text


def test_doc_id_is_sha256_of_bytes():
    assert doc_id(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    data = MIXED.encode("gb18030")
    assert doc_id(data) == hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------ discovery


@pytest.fixture
def tree(tmp_path):
    """A folder with what real input folders hold."""
    root = tmp_path / "in put"
    for rel in [
        "a.txt",
        "B.TXT",
        "with space 名单.txt",
        "notes.md",
        ".hidden.txt",
        ".git/x.txt",
        "sub/深层/c.txt",
        "sub/z.txt",
    ]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("内容", encoding="utf-8")
    (root / "broken.txt").symlink_to(root / "missing-target.txt")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    return root


def test_discover_folder(tree):
    assert discover_inputs([tree]) == [
        tree / "B.TXT",
        tree / "a.txt",
        tree / "broken.txt",  # kept: the pipeline records it as unreadable
        tree / "sub" / "z.txt",
        tree / "sub" / "深层" / "c.txt",
        tree / "with space 名单.txt",
    ]


def test_discover_follows_symlinked_folders_without_looping(tmp_path, tree):
    link = tmp_path / "link"
    link.symlink_to(tree, target_is_directory=True)
    assert discover_inputs([link]) == [link / p.relative_to(tree) for p in discover_inputs([tree])]


def test_discover_explicit_files_are_taken_as_given(tree):
    explicit = [tree / "notes.md", tree / ".hidden.txt", tree / "nope.txt", str(tree / "a.txt")]
    assert discover_inputs(explicit) == [Path(p) for p in explicit]


def test_discover_deduplicates_and_keeps_argument_order(tree):
    found = discover_inputs([tree / "sub" / "z.txt", tree, tree / "a.txt"])
    assert found[0] == tree / "sub" / "z.txt"
    assert len(found) == len(set(found)) == 6


def test_discover_relative_arguments_stay_relative(tree, monkeypatch):
    monkeypatch.chdir(tree.parent)
    assert discover_inputs(["in put/sub/深层"]) == [Path("in put/sub/深层/c.txt")]


def test_discover_returns_unlistable_folders(tree, monkeypatch):
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "深层":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(ingest.os, "scandir", scandir)
    assert tree / "sub" / "深层" in discover_inputs([tree])


# ------------------------------------------------------------ reading


def test_read_input_ok(tree):
    got = read_input(tree / "with space 名单.txt")
    assert got.ok and got.error is None
    assert got.source == "with space 名单.txt"
    assert got.data == "内容".encode() and got.size == 6
    assert got.mtime.tzinfo is timezone.utc


def test_read_input_broken_symlink(tree):
    got = read_input(tree / "broken.txt")
    assert not got.ok and got.data is None and got.size is None
    assert got.error.startswith("broken symlink: FileNotFoundError")


@pytest.mark.parametrize(
    "rel, message",
    [("nope.txt", "FileNotFoundError"), ("sub", "is a folder")],
)
def test_read_input_errors(tree, rel, message):
    got = read_input(tree / rel)
    assert not got.ok and got.data is None
    assert message in got.error


def test_read_input_unreadable(tree, monkeypatch):
    # Tests may run as root, where chmod 000 does not stop reading.
    def deny(file, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(ingest, "open", deny, raising=False)  # the open read_input calls
    got = read_input(tree / "a.txt")
    assert got.error.startswith("PermissionError: [Errno 13] Permission denied")
    assert got.size == 6  # stat still worked


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_read_input_does_not_block_on_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in read_input(fifo).error
