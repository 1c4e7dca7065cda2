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
