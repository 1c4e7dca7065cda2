"""The strict YAML machinery shared by rule packs and language packs: line-numbered mappings, no duplicate keys,
errors that name the file, the item and the line, and the `examples` every decisive item carries.

A file parsed once is kept, by the hash of its bytes, in the `packs` table of `lint.io.artefacts`, so a run that
reads the same pack files again (every pre-commit run does) rebuilds their mappings without loading PyYAML.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lint.core.examples import Examples, markup_error
from lint.io.artefacts import PARSED_PACKS
from lint.io.paths import safe_loader


class PackError(Exception):
    """A pack file that cannot be used; the message names the file, the item (rule or entry) and the line."""

    item_label = "item"

    def __init__(self, path: Path | str, message: str, item: str | None = None, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {f'{self.item_label} {item}: ' if item else ''}{message}")
        self.path, self.item, self.line = str(path), item, line


class LineMapping(dict[str, Any]):
    """A YAML mapping that knows the line it starts on."""

    line: int = 0


@functools.cache
def _loader() -> Any:
    """The safe loader with line-numbered, duplicate-free mappings."""
    import yaml

    loader: Any = type("_Loader", (safe_loader(),), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return loader


def _construct_mapping(loader: Any, node: Any) -> LineMapping:
    import yaml

    loader.flatten_mapping(node)
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def read_yaml(path: Path, error: type[PackError], what: str) -> LineMapping:
    """Parse one pack file (UTF-8 YAML whose top level is a mapping); raise `error` naming the file and line."""
    try:
        raw = path.read_bytes()
    except OSError as failure:
        raise error(path, f"cannot read: {failure.strerror or failure}") from None
    digest = hashlib.sha256(raw).hexdigest()
    kept = PARSED_PACKS.get(digest)
    if kept is not None:
        try:
            return thawed(kept)
        except (TypeError, ValueError):
            PARSED_PACKS.table.pop(digest, None)
    data = _parse(raw, path, error, what)
    if not isinstance(data, LineMapping):
        raise error(path, f"{what} must be a mapping")
    with contextlib.suppress(TypeError):  # a value marshal cannot keep: parsed again next time
        PARSED_PACKS.put(digest, frozen(data))
    return data


def _parse(raw: bytes, path: Path, error: type[PackError], what: str) -> Any:
    import yaml

    try:
        return yaml.load(raw.decode("utf-8"), Loader=_loader())
    except UnicodeDecodeError:
        raise error(path, f"{what} must be UTF-8") from None
    except yaml.YAMLError as failure:
        mark = getattr(failure, "problem_mark", None)
        problem = getattr(failure, "problem", None) or str(failure)
        raise error(path, f"invalid YAML: {problem}", None, mark.line + 1 if mark else None) from None


def frozen(value: Any) -> Any:
    """A parsed value in a form `marshal` keeps: a mapping becomes (line, keys, values); TypeError for values
    YAML gives that it cannot keep (dates, binary)."""
    if isinstance(value, LineMapping):
        return (value.line, tuple(value), tuple(frozen(item) for item in value.values()))
    if isinstance(value, list):
        return [frozen(item) for item in value]
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__}")


def thawed(value: Any) -> Any:
    """The parsed value a `frozen` form was made from."""
    if isinstance(value, tuple):
        line, keys, values = value
        mapping = LineMapping(zip(keys, map(thawed, values), strict=True))
        mapping.line = line
        return mapping
    if isinstance(value, list):
        return [thawed(item) for item in value]
    return value


def require_text(error: type[PackError], path: Path, item: str, line: int, data: Mapping[str, object], key: str) -> str:
    """The non-empty string at `key`."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise error(path, f"'{key}' must be a non-empty string", item, line)
    return value.strip()


def str_list(error: type[PackError], path: Path, item: str, line: int, value: object, key: str) -> tuple[str, ...]:
    """`value` as a tuple of strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise error(path, f"'{key}' must be a list of strings", item, line)
    return tuple(value)


def parse_examples(error: type[PackError], path: Path, item: str, line: int, value: object) -> Examples:
    """An `examples` mapping: `flag` (at least one sentence, spans marked `[[…]]`) and `pass` lists."""
    if not isinstance(value, Mapping) or set(value) - {"flag", "pass"}:
        raise error(path, "'examples' must be a mapping with 'flag' and 'pass' lists", item, line)
    flag = str_list(error, path, item, line, value.get("flag", []), "examples.flag")
    passing = str_list(error, path, item, line, value.get("pass", []), "examples.pass")
    if not flag:
        raise error(path, "needs at least one 'examples.flag' sentence", item, line)
    for example in (*flag, *passing):
        problem = markup_error(example)
        if problem:
            raise error(path, f"example {example!r}: {problem}", item, line)
    marked = next((example for example in passing if "[[" in example), None)
    if marked is not None:
        raise error(path, f"'pass' example {marked!r} marks a span; only 'flag' examples have spans", item, line)
    return Examples(flag, passing)
