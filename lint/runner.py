"""The shell around the kernel: finding files, reading them, and linting each one."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from lint.document import Document
from lint.engine import LintConfig, check_document
from lint.report import FileReport
from lint.sources import TEXT_SUFFIXES, SourceError, read_source


class PathNotFound(Exception):
    """A path given on the command line that matches no file or directory."""


def collect_paths(arguments: Iterable[str]) -> list[Path]:
    """Expand files, directories (recursively, by known suffix) and globs into a sorted, unique list."""
    found: dict[Path, None] = {}
    for argument in arguments:
        if any(ch in argument for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True))
            if not matches:
                raise PathNotFound(argument)
            candidates: Iterable[Path] = matches
        else:
            path = Path(argument)
            if not path.exists():
                raise PathNotFound(argument)
            candidates = [path]
        for candidate in candidates:
            for file in _expand(candidate):
                found.setdefault(file, None)
    return list(found)


def _expand(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in TEXT_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    else:
        yield path


def check_file(path: Path, config: LintConfig) -> FileReport:
    """Lint one file; an unreadable or undecodable file becomes a report with `error` set."""
    try:
        source = read_source(path)
    except SourceError as error:
        return FileReport(str(path), error=str(error))
    doc = Document(source.text, source.syntax)
    result = check_document(doc, config)
    return FileReport(
        str(path),
        tuple(result.findings),
        None,
        source.text,
        source.note,
        tuple(result.problems),
        source.encoding,
        heading_spans(doc),
    )


def heading_spans(doc: Document) -> tuple[tuple[int, int], ...]:
    """The spans of the document's heading lines, for the report pages."""
    return tuple((block.start, block.end) for block in doc.blocks if block.kind == "heading")
