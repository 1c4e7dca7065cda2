"""Tables the IO layer fills with values in their marshalled form, each decoded when it is first asked for (a run
needs few of many kept values)."""

from __future__ import annotations

import marshal
from typing import Any


def decoded(table: dict[Any, Any], key: Any) -> Any:
    """The value at `key`, decoded in place the first time it is still in its marshalled form; None where there is
    none, or where the kept form cannot be decoded (the entry is dropped, so the caller makes it afresh)."""
    value = table.get(key)
    if type(value) is bytes:
        try:
            value = table[key] = marshal.loads(value)
        except (EOFError, ValueError, TypeError):
            del table[key]
            return None
    return value
