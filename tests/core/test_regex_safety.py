"""The static backtracking check, and the guarantee it gives: every shipped pattern (rule packs, the language
pack, the package's own) is free of nested quantifiers and unguarded leading runs."""

import importlib
import pkgutil
import re

import pytest
import regex

import lint
from lint.core.prefilter import GatedPattern
from lint.core.regex_safety import LEADING, NESTED, backtracking_risk
from lint.io.language import default_language
from lint.io.rulepack import _parameters, default_packs


@pytest.mark.parametrize(
    ("source", "risk"),
    [
        ("(a+)+b", NESTED),
        ("(?:\\w+\\s?)*x", NESTED),
        ("(x+x+)+y", NESTED),
        ("(?:a*)*", NESTED),
        ("\\d+年", LEADING),
        ("[a-z]{2,}等", LEADING),
        ("\\p{Han}+x", LEADING),
        (".*根治", LEADING),
        ("(?<!\\d)\\d+年", None),
        ("\\d++年", None),
        ("\\d+", None),
        ("[。!?]+[”]*", None),
        ("x(?:,\\s*\\d+)*y", None),
        ("\\[\\d{1,3}(?:\\s*[-–,]\\s*\\d{1,3})*\\]", None),
        ("^\\s*healthlint-", None),
        ("(unclosed", None),
    ],
)
def test_shapes(source: str, risk: str | None) -> None:
    assert backtracking_risk(source) == risk


def _shipped_patterns() -> list[tuple[str, str, int]]:
    found = [
        (f"lang:{name}", entry.source, 0)
        for name, entry in default_language().entries.items()
        if entry.kind == "pattern"
    ]
    for pack in default_packs():
        for rule in pack.rules:
            for key, value in _parameters(rule.checker.params):
                for pattern in value if isinstance(value, tuple) else (value,):
                    if isinstance(pattern, regex.Pattern | GatedPattern):
                        found.append((f"{rule.id}:{key}", pattern.pattern, pattern.flags))
    for info in pkgutil.walk_packages(lint.__path__, "lint."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else [value]
            for pattern in values:
                if isinstance(pattern, regex.Pattern | re.Pattern | GatedPattern) and isinstance(pattern.pattern, str):
                    found.append((f"{info.name}.{name}", pattern.pattern, pattern.flags))
    return found


def test_every_shipped_pattern_is_proven_safe() -> None:
    patterns = _shipped_patterns()
    assert len(patterns) > 150
    risky = [(where, backtracking_risk(source, flags)) for where, source, flags in patterns]
    assert [entry for entry in risky if entry[1]] == []
