"""Project configuration: `[tool.healthlint]` in pyproject.toml or `.healthlint.toml`, found upward from a file."""

from __future__ import annotations

import functools
from dataclasses import field
from pathlib import Path

from lint.core.finding import Severity
from lint.core.records import record

CONFIG_FILES = (".healthlint.toml", "pyproject.toml")
KEYS = frozenset({"select", "ignore", "severity", "rules", "include", "exclude", "fail-on", "format", "min-severity"})
STARTER = """\
# healthlint configuration (https://pypi.org/project/healthlint/).
# Also accepted as [tool.healthlint] in pyproject.toml. Paths are relative to this file.

# Only these rule ids, packs or categories (empty: all).
select = []
# Skip these rule ids, packs or categories.
ignore = []
# Per-rule severity overrides: "error", "warning", "info" or "off".
[severity]
# "absolute_term.authority" = "error"
# "fear_appeal.urgency" = "off"

[files]
# Extra rule-pack directories, added to the shipped packs.
# rules = ["house-rules"]
# Glob patterns of files to lint and to skip when a directory is given.
include = ["**/*.md", "**/*.txt", "**/*.html", "**/*.htm", "**/*.docx"]
exclude = ["node_modules/**", ".git/**"]

[output]
# Exit 1 when a finding at or above this severity exists: error, warning, info or never.
fail-on = "error"
# text, json, sarif or github
format = "text"
min-severity = "info"
"""


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@record(frozen=True, eq=False)
class ProjectConfig:
    """Settings from one configuration file (or the defaults when there is none)."""

    path: Path | None = None
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    rules: tuple[Path, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: str | None = None
    output_format: str | None = None
    min_severity: str | None = None

    def excludes(self, file: Path) -> bool:
        """Whether `file` is excluded by this configuration's include/exclude globs."""
        if self.path is None:
            return False
        try:
            relative = (file.parent.resolve() / file.name).relative_to(self.path.parent.resolve())
        except ValueError:
            return False
        if any(relative.match(pattern) or _glob_match(relative, pattern) for pattern in self.exclude):
            return True
        return bool(self.include) and not any(
            relative.match(pattern) or _glob_match(relative, pattern) for pattern in self.include
        )


def _glob_match(relative: Path, pattern: str) -> bool:
    from fnmatch import fnmatch

    text = relative.as_posix()
    return fnmatch(text, pattern) or (pattern.startswith("**/") and fnmatch(text, pattern[3:]))


def _strings(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: '{key}' must be a list of strings")
    return tuple(value)


def _name(path: Path, key: str, value: object) -> str:
    """A name the command line checks (an output format: the formatters are the registry of those)."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: '{key}' must be a name")
    return value


def _choice(path: Path, key: str, value: object, choices: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(f"{path}: '{key}' must be one of {', '.join(sorted(choices))}")
    return value


def parse_config(path: Path, data: dict[str, object]) -> ProjectConfig:
    """Validate the healthlint table `data` read from `path`."""
    flat: dict[str, object] = {}
    for key, value in data.items():
        if key in ("files", "output") and isinstance(value, dict):
            for inner, inner_value in value.items():
                if inner not in KEYS:
                    raise ConfigError(f"{path}: unknown key '{key}.{inner}'")
                flat[inner] = inner_value
        elif key not in KEYS:
            raise ConfigError(f"{path}: unknown key '{key}'")
        else:
            flat[key] = value
    severity = flat.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{path}: 'severity' must be a table of rule = level")
    levels = frozenset({*(s.label for s in Severity), "off"})
    for rule, level in severity.items():
        _choice(path, f"severity.{rule}", level, levels)
    severities = frozenset(s.label for s in Severity)
    return ProjectConfig(
        path=path,
        select=frozenset(_strings(path, "select", flat.get("select", []))),
        ignore=frozenset(_strings(path, "ignore", flat.get("ignore", []))),
        severity=dict(severity),
        rules=tuple(path.parent / p for p in _strings(path, "rules", flat.get("rules", []))),
        include=_strings(path, "include", flat.get("include", [])),
        exclude=_strings(path, "exclude", flat.get("exclude", [])),
        fail_on=_choice(path, "fail-on", flat["fail-on"], severities | {"never"}) if "fail-on" in flat else None,
        output_format=_name(path, "format", flat["format"]) if "format" in flat else None,
        min_severity=_choice(path, "min-severity", flat["min-severity"], severities)
        if "min-severity" in flat
        else None,
    )


@functools.lru_cache(maxsize=64)
def load_config(path: Path) -> ProjectConfig | None:
    """Read one configuration file; `None` for a pyproject.toml without a [tool.healthlint] table."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("healthlint")
        return None if table is None else parse_config(path, table)
    return parse_config(path, data)


_DEFAULTS = ProjectConfig()


@functools.lru_cache(maxsize=256)
def find_config(directory: Path) -> ProjectConfig:
    """The nearest configuration at or above `directory` (defaults when none is found)."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                found = load_config(candidate)
                if found is not None:
                    return found
    return _DEFAULTS
