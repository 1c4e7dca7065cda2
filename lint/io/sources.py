"""Reading article files: decoding (UTF-8/16, GB18030, Big5), binary detection, and text extraction."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from lint.core.document import Syntax

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
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class SourceError(Exception):
    """A file that cannot be linted: unreadable, binary, too large or undecodable."""


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded article: the text the rules see, its syntax, and how it was obtained."""

    path: str
    text: str
    syntax: Syntax
    encoding: str
    note: str | None = None


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes, returning (text, encoding); raise `SourceError` for binary or unknown data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise SourceError(f"invalid {encoding} after a byte-order mark: {error.reason}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _guess_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise SourceError("binary file (contains NUL bytes)")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    if best is None or best.encoding not in ("gb18030", "big5"):
        raise SourceError("cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5 text")
    return str(best), best.encoding


def _plausible_share(text: str) -> float:
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if (ch.isascii() and (ch.isprintable() or ch in "\t\n\r"))
        or 0x4E00 <= ord(ch) <= 0x9FFF
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2010" <= ch <= "\u206f"
    )
    return good / len(text)


def _guess_utf16(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    scores: dict[str, float] = {}
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            scores[encoding] = _plausible_share(sample.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    others = [v for k, v in scores.items() if k != best]
    if scores[best] >= 0.95 and all(scores[best] - v > 0.05 for v in others):
        return best
    return None


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


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word document (body, then table cells), one paragraph a line."""
    import io
    import zipfile

    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise SourceError("reading .docx needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SourceError(f"not a readable .docx file: {error}") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
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
        from lint.io.htmltext import html_to_text

        return Source(
            name,
            html_to_text(text),
            "text",
            encoding,
            note="offsets refer to the text extracted from the HTML, not to the markup",
        )
    return Source(name, text, "markdown" if kind == "markdown" else "text", encoding)
