"""The strict YAML machinery shared by rule packs and language packs: line-numbered mappings, no duplicate keys,
errors that name the file, the item and the line, and the `examples` every decisive item carries."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from lint.core.examples import Examples, markup_error
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


# the safe loader with line-numbered, duplicate-free mappings
_Loader: Any = type("_Loader", (safe_loader(),), {})


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, error: type[PackError], what: str) -> LineMapping:
    """Parse one pack file (UTF-8 YAML whose top level is a mapping); raise `error` naming the file and line."""
    try:
        data: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as failure:
        raise error(path, f"cannot read: {failure.strerror or failure}") from None
    except UnicodeDecodeError:
        raise error(path, f"{what} must be UTF-8") from None
    except yaml.YAMLError as failure:
        mark = getattr(failure, "problem_mark", None)
        problem = getattr(failure, "problem", None) or str(failure)
        raise error(path, f"invalid YAML: {problem}", None, mark.line + 1 if mark else None) from None
    if not isinstance(data, LineMapping):
        raise error(path, f"{what} must be a mapping")
    return data


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
