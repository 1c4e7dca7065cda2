"""Archive inputs for `healthlint scan`: directories, JSON Lines exports and zip files, read as a stream."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from lint.io.sources import MAX_BYTES, TEXT_SUFFIXES


@dataclass(frozen=True, slots=True)
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


def iter_jsonl(path: Path, text_field: str = "text", max_bytes: int = MAX_BYTES) -> Iterator[Article]:
    """One article per line: `{"id", "title", text_field}`; a malformed line is an error entry, not a stop."""
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Article(str(path), error=f"cannot read file: {error.strerror or error}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            fallback = f"{path}#{number}"
            if len(raw) > max_bytes:
                yield Article(fallback, error=f"line too large ({len(raw):,} bytes; limit {max_bytes:,})")
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                yield Article(fallback, error=f"malformed JSON on line {number}: {error}")
                continue
            if not isinstance(record, dict):
                yield Article(fallback, error=f"line {number} is not a JSON object")
                continue
            identifier = f"{path}#{record['id']}" if "id" in record else fallback
            text = record.get(text_field)
            if not isinstance(text, str):
                yield Article(identifier, error=f"line {number} has no string field '{text_field}'")
                continue
            yield Article(identifier, str(record.get("title") or ""), text=text)


def _unsafe_member(name: str) -> bool:
    member = PurePosixPath(name.replace("\\", "/"))
    return member.is_absolute() or ".." in member.parts or (len(name) > 1 and name[1] == ":")


def _zip_entry(info: zipfile.ZipInfo, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether a zip member is an entry of the scan: an article, or an unsafe path reported as an error."""
    if info.is_dir():
        return False
    if _unsafe_member(info.filename):
        return True
    suffix = PurePosixPath(info.filename).suffix.lower()
    return suffix in TEXT_SUFFIXES and _selected(info.filename, include, exclude)


def iter_zip(
    path: Path, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (), max_bytes: int = MAX_BYTES
) -> Iterator[Article]:
    """Articles inside a zip file, read in memory (nothing is extracted); unsafe member paths are errors."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        yield Article(str(path), error=f"not a readable zip file: {error}")
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if not _zip_entry(info, include, exclude):
                continue
            name = f"{path}!{info.filename}"
            if _unsafe_member(info.filename):
                yield Article(name, error="unsafe path in zip (absolute or '..'): rejected")
                continue
            suffix = PurePosixPath(info.filename).suffix.lower()
            if info.file_size > max_bytes:
                yield Article(name, error=f"file too large ({info.file_size:,} bytes; limit {max_bytes:,})")
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(max_bytes + 1)
            except (OSError, zipfile.BadZipFile, RuntimeError) as error:
                yield Article(name, error=f"cannot read zip member: {error}")
                continue
            if len(data) > max_bytes:
                yield Article(name, error=f"zip member inflates past the limit ({max_bytes:,} bytes)")
                continue
            yield Article(name, data=data, kind=TEXT_SUFFIXES[suffix])


def iter_articles(
    paths: Iterable[Path],
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    text_field: str = "text",
    max_bytes: int = MAX_BYTES,
) -> Iterator[Article]:
    """Every article of `paths`, in a stable order, as a stream."""
    for path, directory in _inputs(paths, include, exclude):
        yield from _one(path, include, exclude, text_field, max_bytes, directory)


def count_articles(paths: Iterable[Path], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> int:
    """How many entries `iter_articles` yields, counted without reading the articles (a progress bar's total)."""
    total = 0
    for path, directory in _inputs(paths, include, exclude):
        suffix = path.suffix.lower()
        try:
            if suffix == ".jsonl":
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            elif suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    total += sum(1 for info in archive.infolist() if _zip_entry(info, include, exclude))
            elif suffix in TEXT_SUFFIXES or not directory:
                total += 1
        except (OSError, zipfile.BadZipFile):
            total += 1
    return total


def _inputs(paths: Iterable[Path], include: tuple[str, ...], exclude: tuple[str, ...]) -> Iterator[tuple[Path, bool]]:
    """Each input file with whether it was found in a directory: hidden and unselected files skipped."""
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = file.relative_to(path)
                if not any(part.startswith(".") for part in relative.parts) and _selected(
                    relative.as_posix(), include, exclude
                ):
                    yield file, True
        else:
            yield path, False


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
