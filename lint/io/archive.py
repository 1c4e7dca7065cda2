"""Archive inputs for `healthlint scan`: directories, JSON Lines exports and zip files, read as a stream."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from lint.core.records import record
from lint.io.paths import skipped_link
from lint.io.sources import MAX_BYTES, TEXT_SUFFIXES, check_zip_member, describe, display_name

MAX_JSON_DEPTH = 64
_ARCHIVE_SUFFIXES = (".jsonl", ".zip")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


@record(frozen=True, slots=True)
class Article:
    """One article of an archive: raw bytes (files, zip members) or text (JSON Lines), or why it is unusable."""

    id: str
    title: str = ""
    data: bytes | None = None
    text: str | None = None
    kind: str = "text"
    error: str | None = None


def _matches(relative: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch(relative, p) or (p.startswith("**/") and fnmatch(relative, p[3:])) for p in patterns)


def _selected(relative: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    return (not include or _matches(relative, include)) and not _matches(relative, exclude)


def _read_file(path: Path, name: str, max_bytes: int) -> Article:
    kind = TEXT_SUFFIXES.get(path.suffix.lower(), "text")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Article(name, error=f"file too large ({size:,} bytes; limit {max_bytes:,})")
        return Article(name, data=path.read_bytes(), kind=kind)
    except OSError as error:
        return Article(name, error=f"cannot read file: {error.strerror or error}")


def _json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """Whether the JSON text `raw` nests arrays and objects deeper than `limit` (strings skipped; linear)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for byte in _JSON_STRING.sub(b"", raw):
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif byte in b"]}":
            depth -= 1
    return False


def _clean(value: str) -> str:
    """`value` with lone surrogates (which no output encoding accepts) replaced by U+FFFD; offsets unchanged."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", value)
    return value


def _scalar(value: object) -> str:
    """A JSON value as an id or a title: strings and numbers as they are, anything else empty."""
    if isinstance(value, str):
        return _clean(value)
    return str(value) if isinstance(value, int | float) else ""


def iter_jsonl(path: Path, text_field: str = "text", max_bytes: int = MAX_BYTES) -> Iterator[Article]:
    """One article per line: `{"id", "title", text_field}`; a malformed line is an error entry, not a stop.

    A UTF-8 byte-order mark before the first record is skipped; lines nested deeper than `MAX_JSON_DEPTH`
    are errors; lone surrogates in strings become U+FFFD; a repeated id gets the line number appended, so
    every entry of the output names one line.
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Article(str(path), error=f"cannot read file: {error.strerror or error}")
        return
    seen: set[str] = set()

    def unique(identifier: str, number: int) -> str:
        """`identifier`, or with the line number appended where an earlier entry (an error one too) has it."""
        while identifier in seen:
            identifier = f"{identifier} (line {number})"
        seen.add(identifier)
        return identifier

    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            fallback = f"{path}#{number}"
            if len(raw) > max_bytes:
                yield Article(
                    unique(fallback, number), error=f"line too large ({len(raw):,} bytes; limit {max_bytes:,})"
                )
                continue
            if _json_depth_exceeds(raw, MAX_JSON_DEPTH):
                yield Article(
                    unique(fallback, number), error=f"line {number} nests JSON deeper than {MAX_JSON_DEPTH} levels"
                )
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError) as error:
                yield Article(unique(fallback, number), error=f"malformed JSON on line {number}: {error}")
                continue
            if not isinstance(record, dict):
                yield Article(unique(fallback, number), error=f"line {number} is not a JSON object")
                continue
            identifier = unique(f"{path}#{_scalar(record['id'])}" if _scalar(record.get("id")) else fallback, number)
            text = record.get(text_field)
            if not isinstance(text, str):
                yield Article(identifier, error=f"line {number} has no string field '{text_field}'")
                continue
            yield Article(identifier, _scalar(record.get("title") or ""), text=_clean(text))


def _unsafe_member(name: str) -> bool:
    member = PurePosixPath(name.replace("\\", "/"))
    return member.is_absolute() or ".." in member.parts or (len(name) > 1 and name[1] == ":")


def _zip_entry(info: zipfile.ZipInfo, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether a zip member is an entry of the scan: an article, or an unsafe name reported as an error."""
    if info.is_dir():
        return False
    if _unsafe_member(info.filename) or "\x00" in info.orig_filename:
        return True
    suffix = PurePosixPath(info.filename).suffix.lower()
    return suffix in TEXT_SUFFIXES and _selected(info.filename, include, exclude)


def iter_zip(
    path: Path, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (), max_bytes: int = MAX_BYTES
) -> Iterator[Article]:
    """Articles inside a zip file, read in memory (nothing is extracted).

    Unsafe member paths, names with a NUL byte, encrypted or exotic members, members that would inflate past
    `max_bytes` or at a zip-bomb ratio, and corrupt streams are error entries. A repeated member name gets
    its position in the archive appended, so every entry of the output names one member.
    """
    try:
        archive = zipfile.ZipFile(path)
    except Exception as error:  # a damaged directory raises anything from BadZipFile to NotImplementedError
        yield Article(str(path), error=f"not a readable zip file: {error}")
        return
    seen: set[str] = set()
    with archive:
        members = sorted(enumerate(archive.infolist(), start=1), key=lambda pair: pair[1].filename)
        for position, info in members:
            if not _zip_entry(info, include, exclude):
                continue
            name = f"{path}!{info.filename}"
            if name in seen:
                name = f"{name} (entry {position})"
            seen.add(name)
            if "\x00" in info.orig_filename:
                shown = info.orig_filename.replace("\x00", "\\0")
                yield Article(name, error=f"skipped: member name contains a NUL byte ({shown!r})")
                continue
            if _unsafe_member(info.filename):
                yield Article(name, error="unsafe path in zip (absolute or '..'): rejected")
                continue
            problem = check_zip_member(info, max_bytes)
            if problem:
                yield Article(name, error=problem)
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(max_bytes + 1)
            except Exception as error:  # a corrupt member (zlib, CRC, headers) is its own error entry
                yield Article(name, error=f"cannot read zip member: {describe(error)}")
                continue
            if len(data) > max_bytes:
                yield Article(name, error=f"zip member inflates past the limit ({max_bytes:,} bytes)")
                continue
            suffix = PurePosixPath(info.filename).suffix.lower()
            yield Article(name, data=data, kind=TEXT_SUFFIXES[suffix])


def iter_articles(
    paths: Iterable[Path],
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    text_field: str = "text",
    max_bytes: int = MAX_BYTES,
) -> Iterator[Article]:
    """Every article of `paths`, in a stable order, as a stream; skipped links are listed as error entries."""
    for path, directory, skipped in _inputs(paths, include, exclude):
        found = (
            [Article(str(path), error=skipped)]
            if skipped
            else _one(path, include, exclude, text_field, max_bytes, directory)
        )
        for article in found:
            shown = display_name(article.id)
            yield article if shown == article.id else replace(article, id=shown)


def count_articles(paths: Iterable[Path], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> int:
    """How many entries `iter_articles` yields, counted without reading the articles (a progress bar's total)."""
    total = 0
    for path, directory, skipped in _inputs(paths, include, exclude):
        suffix = path.suffix.lower()
        try:
            if skipped:
                total += 1
            elif suffix == ".jsonl":
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            elif suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    total += sum(1 for info in archive.infolist() if _zip_entry(info, include, exclude))
            elif suffix in TEXT_SUFFIXES or not directory:
                total += 1
        except Exception:  # an unreadable input is one error entry
            total += 1
    return total


def _inputs(
    paths: Iterable[Path], include: tuple[str, ...], exclude: tuple[str, ...]
) -> Iterator[tuple[Path, bool, str | None]]:
    """Each input file with whether it was found in a directory and, for a link that cannot be read, why:
    hidden and unselected files are left out."""
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                relative = file.relative_to(path)
                if any(part.startswith(".") for part in relative.parts) or not _selected(
                    relative.as_posix(), include, exclude
                ):
                    continue
                skipped = skipped_link(file)
                if skipped and (file.is_dir() or file.suffix.lower() in (*TEXT_SUFFIXES, *_ARCHIVE_SUFFIXES)):
                    yield file, True, skipped
                elif not skipped and file.is_file():
                    yield file, True, None
        else:
            yield path, False, None


def _one(
    path: Path, include: tuple[str, ...], exclude: tuple[str, ...], text_field: str, max_bytes: int, directory: bool
) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from iter_jsonl(path, text_field, max_bytes)
    elif suffix == ".zip":
        yield from iter_zip(path, include, exclude, max_bytes)
    elif suffix in TEXT_SUFFIXES or not directory:
        yield _read_file(path, str(path), max_bytes)
