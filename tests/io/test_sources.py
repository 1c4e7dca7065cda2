import codecs

import pytest

from lint.io.sources import Source, SourceError, decode, read_source, source_from_bytes

TEXT = "干细胞疗法可根治红斑狼疮，絕對安全。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings(data: bytes, encoding: str) -> None:
    assert decode(data) == (TEXT, encoding)


def test_gb18030_and_gbk() -> None:
    article = "间充质干细胞治疗狼疮性肾炎的临床研究进展，本文不构成诊断建议。" * 3
    for codec in ("gbk", "gb18030"):
        text, encoding = decode(article.encode(codec))
        assert text == article
        assert encoding == "gb18030"


def test_big5_traditional() -> None:
    article = "間充質幹細胞治療狼瘡性腎炎的臨床研究進展，本文不構成診斷建議。" * 3
    text, encoding = decode(article.encode("big5"))
    assert text == article
    assert encoding == "big5"


def test_binary_is_an_error() -> None:
    with pytest.raises(SourceError, match="binary"):
        source_from_bytes("x.bin", bytes(range(256)) * 4)


def test_png_header_is_an_error() -> None:
    with pytest.raises(SourceError):
        source_from_bytes("x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))


def test_empty_file_is_fine(tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_source(path) == Source(str(path), "", "text", "utf-8")


def test_oversized_file_is_an_error(tmp_path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(SourceError, match="too large"):
        read_source(path, max_bytes=1024)


def test_unreadable_path_is_an_error(tmp_path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read_source(tmp_path)


def test_html_is_extracted_with_a_note(fixtures) -> None:
    source = read_source(fixtures / "article.html")
    assert source.syntax == "text"
    assert source.note and "extracted" in source.note
    assert source.text == "干细胞治疗狼疮\n干细胞可以 根治红斑狼疮，<绝对安全>。\n请在医生指导下治疗。"


def test_markdown_suffix_gives_markdown_syntax(fixtures) -> None:
    assert read_source(fixtures / "article.md").syntax == "markdown"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("关节".encode()[:-1], "cut off at the end"),
        ("护肝片效果".encode()[:-2], "cut off at the end"),
        ("护肝片效果".encode() + b"\xff" + "很好".encode(), "invalid UTF-8 at byte 15"),
        ("café".encode("latin-1"), "cut off at the end"),
        ("naïve".encode("latin-1"), "cannot decode"),
        (b"\xfe\x41abc", "mojibake"),
    ],
    ids=["truncated-2", "truncated-1", "stray-byte", "latin-1", "latin-1-inside", "no-script"],
)
def test_short_invalid_utf8_is_an_error_not_mojibake(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        decode(data)


@pytest.mark.parametrize(
    "text",
    [
        "䶵",
        "㐀㐁 研究",
        "古籍里的𠀀字与𪛖字",
        "Price: 100€ • 5★",
        "效果好😀，请遵医嘱。",
        "• 第一条\n• 第二条",
        "한국어 자료",
        "价格 €100",
    ],
    ids=["ext-a-alone", "ext-a", "ext-b", "symbols-only", "emoji", "bullets", "hangul", "short-tie-with-big5"],
)
def test_gb18030_four_byte_text_is_accepted(text: str) -> None:
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_short_big5_reads_and_short_latin1_is_not_taken_for_utf16() -> None:
    assert decode("幹細胞療法".encode("big5")) == ("幹細胞療法", "big5")
    with pytest.raises(SourceError, match="cannot decode"):
        decode("café au lait".encode("latin-1"))


def test_gb18030_articles_round_trip_in_every_supported_encoding(fixtures) -> None:
    for path in sorted((fixtures / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for codec in ("gb18030", "utf-16-le", "utf-16-be"):
            assert decode(text.encode(codec))[0] == text, (path.name, codec)


def test_source_error_survives_pickling() -> None:
    import pickle

    error = SourceError("not a readable .docx file: XMLSyntaxError: boom")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def _docx_cases() -> dict[str, bytes]:
    from tests.hostile import hostile_docx

    return {case.name: case.data for case in hostile_docx()}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad-xml.docx", "XMLSyntaxError"),
        ("deflate64.docx", "unsupported compression method 9"),
        ("encrypted.docx", "encrypted zip member"),
        ("no-document-part.docx", "not a readable .docx file: KeyError"),
        ("no-content-types.docx", "not a readable .docx file"),
        ("zip-bomb.docx", "a zip bomb"),
        ("corrupt-deflate.docx", "not a readable .docx file"),
        ("deep-xml.docx", "XMLSyntaxError"),
        ("not-a-zip.docx", "not a readable .docx file"),
        ("empty.docx", "not a readable .docx file"),
    ],
)
def test_malformed_docx_is_a_source_error(name: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        source_from_bytes(name, _docx_cases()[name], "docx")


def test_docx_entities_are_not_expanded_and_good_docx_reads() -> None:
    cases = _docx_cases()
    assert (
        source_from_bytes("good.docx", cases["good.docx"], "docx").text
        == "该疗法可以根治关节炎。\n本文不构成医疗建议。"
    )
    assert len(source_from_bytes("e.docx", cases["entities.docx"], "docx").text) < 100


def test_docx_bomb_is_refused_before_inflating() -> None:
    import tracemalloc

    data = _docx_cases()["zip-bomb.docx"]
    tracemalloc.start()
    with pytest.raises(SourceError):
        source_from_bytes("bomb.docx", data, "docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 * len(data) + 1024 * 1024
