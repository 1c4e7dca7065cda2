"""healthlint: a content-compliance linter for Chinese health-marketing copy.

The flow is `Document` → rules → `Finding`s → a formatter::

    from lint import lint
    for finding in lint("干细胞可根治红斑狼疮，无副作用。"):
        print(finding.rule, finding.start, finding.end, finding.message)

`lint()` and `check_document()` wire in the shipped rule packs and the `zh` language pack; the kernel
(`lint.kernel.engine`) takes both explicitly and reads no file. Names are imported on first use, so that
importing one module of the package does not import them all. Importing the package reads the kept methods of its
record classes and the kept compiled forms of regular expressions first (`lint.io.kept`), so the modules that make
classes and patterns as they load compile none anew.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any

from lint.core.version import __version__
from lint.io.kept import use_import_caches

use_import_caches()

if TYPE_CHECKING:
    from lint.core.document import Document, Syntax
    from lint.core.finding import Finding
    from lint.core.language import LanguagePack
    from lint.kernel.engine import LintConfig, LintResult

_EXPORTS = {
    "CATEGORIES": "lint.core.finding",
    "Document": "lint.core.document",
    "Finding": "lint.core.finding",
    "LanguagePack": "lint.core.language",
    "LintConfig": "lint.kernel.engine",
    "LintResult": "lint.kernel.engine",
    "Related": "lint.core.finding",
    "Rule": "lint.kernel.ruleset",
    "RulePack": "lint.kernel.ruleset",
    "RulePackError": "lint.io.rulepack",
    "RuleSet": "lint.kernel.ruleset",
    "Severity": "lint.core.finding",
    "default_language": "lint.io.language",
    "load_pack": "lint.io.rulepack",
    "load_packs": "lint.io.rulepack",
}

__all__ = [
    "CATEGORIES",
    "Document",
    "Finding",
    "LanguagePack",
    "LintConfig",
    "LintResult",
    "Related",
    "Rule",
    "RulePack",
    "RulePackError",
    "RuleSet",
    "Severity",
    "__version__",
    "check_document",
    "default_language",
    "lint",
    "load_pack",
    "load_packs",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'lint' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def _with_defaults(config: LintConfig | None) -> LintConfig:
    from lint.kernel.engine import LintConfig

    config = config or LintConfig()
    if config.rules is not None:
        return config
    try:
        return _with_shipped_rules(config)
    except TypeError:  # a field given as a mutable value (a set for `select`) cannot key the cache
        return _shipped_rules(config)


@functools.lru_cache(maxsize=16)
def _with_shipped_rules(config: LintConfig) -> LintConfig:
    """`config` with the shipped rule set, made once per distinct configuration, so that what a configuration
    works out once (its active rules, the rules each yields to) is not worked out again for every text."""
    return _shipped_rules(config)


def _shipped_rules(config: LintConfig) -> LintConfig:
    from dataclasses import replace

    from lint.io.rulepack import default_rule_set

    return replace(config, rules=default_rule_set())


def lint(
    text: str, config: LintConfig | None = None, syntax: Syntax = "text", language: LanguagePack | None = None
) -> list[Finding]:
    """Lint `text` (the shipped rules and the `zh` pack unless given) and return its findings, sorted by offset."""
    from lint.io.language import default_language
    from lint.kernel import engine

    return engine.lint(text, _with_defaults(config), language or default_language(), syntax)


def check_document(doc: Document, config: LintConfig | None = None) -> LintResult:
    """Run every active rule over `doc` (the shipped rules unless `config` names others)."""
    from lint.kernel import engine

    return engine.check_document(doc, _with_defaults(config))
