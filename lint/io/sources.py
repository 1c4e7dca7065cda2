"""Reading article files: decoding (UTF-8/16, GB18030, Big5), binary detection, and text extraction."""

from __future__ import annotations

import codecs
import functools
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from lint.core.document import Syntax
from lint.core.records import record

if TYPE_CHECKING:
    import zipfile

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}
# decoding without a byte-order mark: how much of a guess must read as real text, and when UTF-8 is damaged
_MIN_COMMON_SHARE = 0.8
_DAMAGED_UTF8_SHARE = 0.8
_UTF16_MIN_BYTES = 32
_SAMPLE_CHARS = 65536
# a .docx is a zip: caps on what its members may inflate to
DOCX_MAX_UNZIPPED = 64 * 1024 * 1024
MAX_RATIO = 200
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class SourceError(Exception):
    """A file that cannot be linted: unreadable, binary, too large or undecodable."""


@record(frozen=True, slots=True)
class Source:
    """A decoded article: the text the rules see, its syntax, and how it was obtained."""

    path: str
    text: str
    syntax: Syntax
    encoding: str
    note: str | None = None


def display_name(name: str) -> str:
    """A file name fit for any output: bytes that are not UTF-8 (held as surrogate escapes by the file
    system decoding) are shown as `\\xNN`, so reports stay valid UTF-8 and distinct names stay distinct."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in name)


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes, returning (text, encoding); raise `SourceError` for binary, damaged or unknown data.

    Without a byte-order mark, UTF-8 is tried first; damaged UTF-8 (mostly valid multi-byte sequences, or a
    sequence cut off at the end) is an error, not a guess. Otherwise every strict decoding among GB18030
    (with its 4-byte sequences), Big5 and UTF-16 is scored by the share of its non-ASCII characters that are
    common (common Simplified or Traditional characters, letters, punctuation, symbols); the best one wins,
    GB18030 first on a tie, and none at all when even the best reads as mojibake.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise SourceError(f"invalid {encoding} after a byte-order mark: {error.reason}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        _reject_damaged_utf8(data, error)
    has_nul = b"\x00" in data
    candidates: list[tuple[float, int, str, str]] = []
    encodings = ["utf-16-le", "utf-16-be"] if has_nul else ["gb18030", "big5", "utf-16-le", "utf-16-be"]
    for rank, encoding in enumerate(encodings):
        if encoding.startswith("utf-16") and (len(data) % 2 or (not has_nul and len(data) < _UTF16_MIN_BYTES)):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text, encoding), -rank, text, encoding))
    if not candidates:
        if has_nul:
            raise SourceError("binary file (contains NUL bytes)")
        raise SourceError("cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5 text")
    score, _, text, encoding = max(candidates)
    if score < _MIN_COMMON_SHARE:
        raise SourceError(
            "binary file (contains NUL bytes)"
            if has_nul
            else f"cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5 text (best guess {encoding} reads as mojibake)"
        )
    return text, "gb18030" if encoding == "gb18030" else encoding


def _reject_damaged_utf8(data: bytes, error: UnicodeDecodeError) -> None:
    """Raise `SourceError` when `data` is UTF-8 with damage rather than text in another encoding."""
    if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
        raise SourceError(f"invalid UTF-8: a character is cut off at the end of the file (byte {error.start:,})")
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if valid and valid / (valid + replaced) >= _DAMAGED_UTF8_SHARE:
        raise SourceError(
            f"invalid UTF-8 at byte {error.start:,} ({replaced:,} bad byte sequence{'s' if replaced != 1 else ''}"
            f" among {valid:,} valid characters)"
        )


# non-ideograph ranges that real Chinese text uses: Latin, Greek and Cyrillic letters; punctuation and symbols;
# CJK symbols, kana and bopomofo; enclosed CJK; full-width forms; emoji
_COMMON_RANGES = (
    ("\u0080", "\u052f"),
    ("\u2000", "\u2bff"),
    ("\u3000", "\u312f"),
    ("\u3200", "\u33ff"),
    ("\ufe30", "\ufe4f"),
    ("\uff00", "\uffef"),
    ("\U0001f000", "\U0001faff"),
)


@functools.lru_cache(maxsize=65536)
def _common(ch: str, encoding: str) -> bool:
    """A character that real Chinese text decoded with `encoding` holds: a common Simplified (GB2312) or
    Traditional (Big5 level 1) ideograph, any assigned character GB18030 spells in four bytes (a structure that
    random bytes rarely form), or a letter, punctuation mark or symbol of the usual ranges."""
    if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"):
        return ch in "\t\n\r\f"
    if encoding == "gb18030" and len(ch.encode("gb18030")) == 4:
        return True
    if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000":
        try:
            ch.encode("gb2312")
            return True
        except UnicodeEncodeError:
            pass
        try:
            return 0xA4 <= ch.encode("big5")[0] <= 0xC6
        except UnicodeEncodeError:
            return False
    return any(low <= ch <= high for low, high in _COMMON_RANGES)


def _common_share(text: str, encoding: str) -> float:
    """The share of common characters among the non-ASCII characters of (the start of) `text`."""
    sample = [ch for ch in text[:_SAMPLE_CHARS] if not ch.isascii()]
    if not sample:
        return 1.0
    return sum(_common(ch, encoding) for ch in sample) / len(sample)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return "\x00" in sample or control / len(sample) > 0.05


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> Source:
    """Read and decode one article file; raise `SourceError` with a reason a person can act on."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"file too large ({size:,} bytes; limit {max_bytes:,})")
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return source_from_bytes(str(path), data, TEXT_SUFFIXES.get(path.suffix.lower(), "text"))


def describe(error: BaseException) -> str:
    """An exception as `type: message`, the type qualified when it is not a built-in (`zlib.error: …`)."""
    kind = type(error)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    return f"{name}: {error}"


def check_zip_member(info: zipfile.ZipInfo, max_bytes: int) -> str | None:
    """Why a zip member must not be inflated (encrypted, an unsupported method, too large, a zip-bomb ratio),
    or None. The sizes are the central directory's, which also bound what `zipfile` reads."""
    if info.flag_bits & 0x1:
        return "encrypted zip member: cannot be read"
    import zipfile

    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        return f"zip member with unsupported compression method {info.compress_type} (e.g. deflate64)"
    if info.file_size > max_bytes:
        return f"file too large ({info.file_size:,} bytes; limit {max_bytes:,})"
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"compression ratio {info.file_size // max(info.compress_size, 1):,}:1 (limit {MAX_RATIO}:1): a zip bomb"
    return None


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word document (body, then table cells), one paragraph a line.

    The package is checked before python-docx opens it: no encrypted or exotic members, each member and
    the whole under `DOCX_MAX_UNZIPPED` once inflated and under a `MAX_RATIO` compression ratio; any error
    while parsing becomes a `SourceError` naming its type.
    """
    import io

    try:
        import docx
    except ImportError:
        raise SourceError("reading .docx needs python-docx (pip install python-docx)") from None
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except Exception as error:  # a damaged directory raises anything from BadZipFile to NotImplementedError
        raise SourceError(f"not a readable .docx file: {error}") from None
    for info in members:
        problem = check_zip_member(info, DOCX_MAX_UNZIPPED)
        if problem:
            raise SourceError(f"not a readable .docx file: {info.filename}: {problem}")
    total = sum(info.file_size for info in members)
    if total > DOCX_MAX_UNZIPPED:
        raise SourceError(f"not a readable .docx file: inflates to {total:,} bytes (limit {DOCX_MAX_UNZIPPED:,})")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.extend(cell.text for cell in row.cells)
    except Exception as error:  # any parser fault of untrusted input is this file's error, never the batch's
        raise SourceError(f"not a readable .docx file: {describe(error)}") from None
    return "\n".join(lines)


def source_from_bytes(name: str, data: bytes, kind: str = "text") -> Source:
    """Decode `data` of the given kind (text, markdown, html or docx) into a `Source`."""
    if kind == "docx":
        return Source(
            name,
            docx_text(data),
            "text",
            "docx",
            note="offsets refer to the document's paragraphs joined by line breaks; line = paragraph number",
        )
    text, encoding = decode(data)
    if _looks_binary(text):
        raise SourceError("binary file (control characters in the decoded text)")
    if kind == "html":
        from lint.io.htmltext import MarkupError, html_to_text

        try:
            extracted = html_to_text(text)
        except MarkupError as error:
            raise SourceError(str(error)) from None
        return Source(
            name,
            extracted,
            "text",
            encoding,
            note="offsets refer to the text extracted from the HTML, not to the markup",
        )
    return Source(name, text, "markdown" if kind == "markdown" else "text", encoding)
