"""Checking a user's rule directory: its rule packs and language files are loaded strictly (with the shipped
ones, so that clashes show) and every example they carry is run, each rule with the pack of its language."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from lint.analysis.entries import check_entry
from lint.app.runner import languages, rule_set
from lint.core.examples import ExampleFailure
from lint.core.language import Entry
from lint.core.records import record
from lint.core.version import __version__
from lint.io.artefacts import library_stamp
from lint.io.kept import KeptTable
from lint.io.paths import default_rules_dir
from lint.kernel.examples import rule_failures
from lint.kernel.ruleset import Rule


@record(frozen=True)
class RulesCheck:
    """What a rule directory holds and which of its examples fail."""

    rules: tuple[Rule, ...]
    entries: tuple[Entry, ...]
    examples: int
    failures: tuple[ExampleFailure, ...]

    def describe(self) -> str:
        """A report for the terminal: every failing example, then the totals."""
        lines = [failure.describe() for failure in self.failures]
        rules = f"{len(self.rules)} rule{'s' if len(self.rules) != 1 else ''}"
        entries = f"{len(self.entries)} language-pack entr{'ies' if len(self.entries) != 1 else 'y'}"
        examples = f"{self.examples} example{'s' if self.examples != 1 else ''}"
        lines.append(f"{rules} and {entries}: {examples} run, {len(self.failures)} failing")
        return "\n".join(lines) + "\n"


def check_rule_dirs(rule_dirs: Sequence[Path]) -> RulesCheck:
    """Load `rule_dirs` on top of the shipped packs (raising `RulePackError`/`LanguagePackError` on a broken file)
    and run the examples of their own rules and language entries."""
    rules = rule_set(rule_dirs)
    packs = languages(rule_dirs)
    by_code = {pack.code: pack for pack in packs}
    roots = [directory.resolve() for directory in rule_dirs]
    own_rules = tuple(rule for rule in rules if _inside(rule.path, roots))
    failures: list[ExampleFailure] = []
    examples = 0
    for rule in own_rules:
        language = by_code.get(rule.language)
        if language is None:
            failures.append(_no_language(rule, sorted(by_code)))
            continue
        examples += len(rule.examples.flag) + len(rule.examples.passing)
        failures.extend(rule_failures(rule, rules, language))
    own_entries: list[Entry] = []
    for pack in packs:
        for name, entry in pack.entries.items():
            if _inside(entry.path, roots):
                own_entries.append(entry)
                examples += len(entry.examples.flag) + len(entry.examples.passing)
                failures.extend(check_entry(pack, name))
    return RulesCheck(own_rules, tuple(own_entries), examples, tuple(failures))


# rule directories whose examples all passed, by everything that decides them (see `examples_key`): `check --rules`
# runs them on every start, which a pre-commit hook pays on every commit
PASSED = KeptTable("examples", {}, set(), Path(__file__), limit=256)
# the installed libraries whose behaviour the examples depend on (matching, segmenting, folding)
_LIBRARIES = ("regex", "jieba", "rjieba", "ahocorasick", "ahocorasick_rs", "opencc")


def examples_pass(rule_dirs: Sequence[Path]) -> RulesCheck | None:
    """`check_rule_dirs(rule_dirs)`, or None when the same files, code and libraries passed before; a run whose
    examples all pass is kept, one with failures never is."""
    key = examples_key(rule_dirs)
    if key is not None and PASSED.get(key):
        return None
    result = check_rule_dirs(rule_dirs)
    if key is not None and not result.failures:
        PASSED.put(key, True)
    return result


def examples_key(rule_dirs: Sequence[Path]) -> str | None:
    """The SHA-256 of what the examples of `rule_dirs` depend on: every file of those directories and of the
    shipped rules, the package's code, healthlint's version and the installed libraries it matches with (None
    when a file cannot be read)."""
    import lint

    digest = hashlib.sha256(__version__.encode())
    package = Path(lint.__file__).parent
    roots = [(package, "*.py"), (default_rules_dir(), "*"), *((directory, "*") for directory in rule_dirs)]
    try:
        for root, pattern in roots:
            for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
                digest.update(f"|{path}|".encode())
                digest.update(path.read_bytes())
        for name in _LIBRARIES:
            digest.update(f"|{library_stamp(name)}".encode())
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _inside(path: str, roots: Sequence[Path]) -> bool:
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(root) for root in roots)


def _no_language(rule: Rule, codes: list[str]) -> ExampleFailure:
    return ExampleFailure(
        rule.id, rule.path, rule.line, "", f"a language pack for {rule.language!r}", f"only {', '.join(codes)}"
    )
