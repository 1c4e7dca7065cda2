"""`record`: `dataclasses.dataclass`, with the methods it writes compiled once and kept.

`dataclasses` writes the `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` … of every class it makes
as source text and compiles each with `exec` when the class is made: about a millisecond a class, which over the
package's classes was a third of what importing healthlint cost. `record` makes the class with `dataclasses`
itself, but hands it an `exec` that takes the compiled form of each source text from `METHODS` where one is kept
(the IO layer keeps the table on disk between runs, `lint.io.kept`); a class gets the same methods either way,
compiled from the same text with the same flags.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from types import CodeType
from typing import Any, TypeVar, dataclass_transform, overload

from lint.core.marshalled import decoded

# compiled method sources by source text, each kept marshalled on its own and decoded when first asked for
METHODS: dict[str, CodeType | bytes] = {}
METHODS_ADDED: set[str] = set()
_MAKING = threading.RLock()

C = TypeVar("C", bound=type)


def _kept_exec(source: object, globals: dict[str, Any] | None = None, locals: dict[str, Any] | None = None) -> None:
    """`exec(source, globals, locals)` (what `dataclasses` calls), the source compiled at most once."""
    if type(source) is not str:
        exec(source, globals, locals)  # type: ignore[call-overload]
        return
    code = decoded(METHODS, source)
    if type(code) is not CodeType:
        # as `exec` compiles a string: no future flags from this module (annotations stay as they are written)
        code = compile(source, "<string>", "exec", dont_inherit=True)
        METHODS_ADDED.add(source)
    METHODS[source] = code
    exec(code, globals, locals)


@overload
def record(cls: C, /) -> C: ...
@overload
def record(cls: None = None, /, **options: Any) -> Callable[[C], C]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: C | None = None, /, **options: Any) -> C | Callable[[C], C]:
    """`dataclasses.dataclass(cls, **options)`, its methods compiled from `METHODS` where kept."""

    def make(cls: C) -> C:
        with _MAKING:  # `dataclasses` looks `exec` up in its own globals before the builtins
            dataclasses.exec = _kept_exec  # type: ignore[attr-defined]
            try:
                return dataclasses.dataclass(cls, **options)  # type: ignore[no-any-return]
            finally:
                del dataclasses.exec  # type: ignore[attr-defined]

    return make if cls is None else make(cls)
