"""Regular expressions rebuilt from their compiled form instead of parsed again.

The `regex` module parses and optimises a pattern in Python (milliseconds for one of the language pack's long
alternations, over a second for all of them) and then hands the result, a list of integer op codes with its
group tables, to its C core (`_regex.compile`), which builds the pattern object in microseconds. `compile_regex`
keeps that compiled form per (source, flags) in `CODES`, which the IO layer keeps on disk between runs
(`lint.io.artefacts`, keyed by the `regex` release and this module's code), so a run that saw a pattern before
builds it from the kept form without parsing it. What is kept is only ever what `regex` itself produced for the
same source and flags under the same release; anything unexpected (another `regex` layout, a form the C core
refuses) falls back to `regex.compile`, so a pattern always behaves as `regex.compile` would make it.
"""

from __future__ import annotations

import marshal
import threading
from typing import Any

import regex

from lint.core.marshalled import decoded

# The compiled forms by (source, flags): the IO layer fills this from disk and writes back what was added.
CODES: dict[tuple[str, int], tuple[object, ...] | bytes] = {}
CODES_ADDED: set[tuple[str, int]] = set()

_CAPTURE_LOCK = threading.Lock()


class _Recorder:
    """Stands in for the `regex` module's C core while one pattern is compiled: passes every call through and
    records the arguments of the compile call made by the capturing thread."""

    def __init__(self, core: Any, thread: int) -> None:
        self._core, self._thread = core, thread
        self.arguments: tuple[object, ...] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)

    def compile(self, *arguments: object) -> Any:
        if threading.get_ident() == self._thread:
            self.arguments = arguments
        return self._core.compile(*arguments)


def _plain(value: object) -> object:
    """`value` with int subclasses (the `regex` flag enums) made ints, so that `marshal` keeps it."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, frozenset):
        return frozenset(_plain(item) for item in value)
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _compile_recording(source: str, flags: int) -> tuple[regex.Pattern[str], tuple[object, ...] | None]:
    """Compile with `regex`, returning the pattern and the C core's arguments (None when they cannot be had)."""
    main = getattr(regex, "_main", None)
    core = getattr(main, "_regex", None)
    if core is None or not hasattr(core, "compile"):
        return regex.compile(source, flags), None
    with _CAPTURE_LOCK:
        recorder = _Recorder(core, threading.get_ident())
        main._regex = recorder  # type: ignore[union-attr]
        try:
            pattern = regex.compile(source, flags, cache_pattern=False)
        finally:
            main._regex = core  # type: ignore[union-attr]
    arguments = recorder.arguments
    if arguments is None:
        return pattern, None
    try:
        kept = _plain(arguments)
        marshal.dumps(kept)
    except (TypeError, ValueError):
        return pattern, None
    assert isinstance(kept, tuple)
    return pattern, kept


def _rebuild(kept: tuple[object, ...], source: str, flags: int) -> regex.Pattern[str] | None:
    """The pattern built by the C core from a kept form, when the form is one for `source` and `flags`."""
    core = getattr(getattr(regex, "_main", None), "_regex", None)
    if core is None or not kept or kept[0] != source:
        return None
    try:
        pattern: regex.Pattern[str] = core.compile(*kept)
    except Exception:
        return None
    return pattern if pattern.pattern == source else None


def compile_regex(source: str, flags: int = 0) -> regex.Pattern[str]:
    """`regex.compile(source, flags)`, built from the kept compiled form when there is one; raises `regex.error`
    for an invalid pattern as `regex.compile` does."""
    key = (source, int(flags))
    kept = decoded(CODES, key)
    if kept is not None:
        pattern = _rebuild(kept, source, flags)
        if pattern is not None:
            return pattern
        CODES.pop(key, None)
    pattern, arguments = _compile_recording(source, flags)
    if arguments is not None:
        CODES[key] = arguments
        CODES_ADDED.add(key)
    return pattern
