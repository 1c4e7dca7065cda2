"""Validated rules and rule sets (no YAML here: `lint.io.rulepack` loads and validates pack files)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import field, replace
from typing import Any, get_args

from lint.core.document import BlockKind
from lint.core.examples import Examples
from lint.core.finding import CATEGORIES, Severity
from lint.core.normalize import match_key
from lint.core.records import record
from lint.kinds import KINDS, RuleKind

BLOCK_KINDS: frozenset[str] = frozenset(get_args(BlockKind))
DEFAULT_BLOCKS = frozenset({"heading", "paragraph", "list_item"})


@record(frozen=True, slots=True)
class FixChoice:
    """A safe replacement a rule declares, the contexts it reads well in (`when`; empty: any), and examples of it
    in context (text → the text after `--fix`), which the test suite runs."""

    to: str
    when: tuple[str, ...] = ()
    examples: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.to} (when {' or '.join(self.when)})" if self.when else self.to


@record(frozen=True, slots=True)
class Rule:
    """One validated rule: its metadata, the context scopes that cancel it, and its kind instance."""

    id: str
    category: str
    severity: Severity
    message: str
    suggestion: str
    basis: str
    kind: str
    checker: RuleKind[Any] = field(repr=False, compare=False)
    examples: Examples = field(repr=False)
    unless: tuple[str, ...] = ()
    yields_to: tuple[str, ...] = ()
    once: bool = False
    blocks: frozenset[str] = DEFAULT_BLOCKS
    description: str = ""
    fix: FixChoice | Mapping[str, FixChoice] | None = field(default=None, compare=False)
    path: str = ""
    line: int = 0
    language: str = "zh"

    @property
    def pack(self) -> str:
        return self.id.split(".", 1)[0]

    def named_by(self, names: Iterable[str]) -> bool:
        """Whether one of `names` is this rule's id, pack or category."""
        return any(name in (self.id, self.pack, self.category) for name in names)

    def replacement(self, text: str) -> FixChoice | None:
        """The safe replacement this rule declares for the flagged `text`, if any (`lint.kernel.fix` decides
        whether it reads well where the text stands)."""
        if isinstance(self.fix, FixChoice):
            return self.fix
        if self.fix is not None:
            return self.fix.get(match_key(text))
        return None


@record(frozen=True, slots=True)
class RulePack:
    """A named set of rules loaded from one YAML file, for texts in one language (the code of a language pack)."""

    name: str
    description: str
    path: str
    rules: tuple[Rule, ...]
    language: str = "zh"


class PrecedenceError(ValueError):
    """`yields_to` names nothing loaded, or rules that yield to each other in a cycle; `rule` is where."""

    def __init__(self, rule: Rule, message: str) -> None:
        super().__init__(f"{rule.path}:{rule.line}: rule {rule.id}: {message}")
        self.rule = rule
        self.reason = message


class RuleSet:
    """All rules that may run, with shared per-kind state prepared once.

    `precedence` orders the rules so that every rule comes after the rules it yields to (`yields_to`: rule ids,
    packs or categories whose overlapping findings take the span); a cycle is an error.
    """

    def __init__(self, packs: Sequence[RulePack]) -> None:
        self.packs = tuple(packs)
        self.rules: tuple[Rule, ...] = tuple(rule for pack in packs for rule in pack.rules)
        self.precedence: tuple[Rule, ...] = _precedence(self.rules)
        for kind in KINDS.values():
            kind.prepare([rule.checker for rule in self.rules if isinstance(rule.checker, kind)])

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        """Return the rule called `rule_id`, if loaded."""
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def with_severities(self, overrides: Mapping[str, str]) -> RuleSet:
        """A rule set with per-rule (or pack/category) severities changed; "off" removes the rule."""
        if not overrides:
            return self

        def level(rule: Rule) -> str | None:
            for name in (rule.id, rule.pack, rule.category):
                if name in overrides:
                    return overrides[name]
            return None

        packs = []
        for pack in self.packs:
            rules = []
            for rule in pack.rules:
                wanted = level(rule)
                if wanted == "off":
                    continue
                rules.append(replace(rule, severity=Severity.parse(wanted)) if wanted else rule)
            packs.append(replace(pack, rules=tuple(rules)))
        return RuleSet(packs)


def _precedence(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """`rules` ordered so that a rule follows every rule it yields to (depth-first, stable); cycles are errors."""
    known = {name for rule in rules for name in (rule.id, rule.pack, rule.category)} | set(CATEGORIES)
    for rule in rules:
        unknown = sorted(set(rule.yields_to) - known)
        if unknown:
            raise PrecedenceError(rule, f"'yields_to' names nothing loaded: {', '.join(unknown)}")
    ordered: list[Rule] = []
    state: dict[str, int] = {}
    named: dict[str, list[int]] = {}  # the rules (by position) each id, pack and category names
    for index, rule in enumerate(rules):
        for name in dict.fromkeys((rule.id, rule.pack, rule.category)):
            named.setdefault(name, []).append(index)

    def visit(rule: Rule, path: tuple[str, ...]) -> None:
        if state.get(rule.id) == 2:
            return
        if state.get(rule.id) == 1:
            cycle = " → ".join((*path[path.index(rule.id) :], rule.id))
            raise PrecedenceError(rule, f"rules yield to each other in a cycle: {cycle}")
        state[rule.id] = 1
        for index in sorted({index for name in rule.yields_to for index in named.get(name, ())}):
            if rules[index] is not rule:
                visit(rules[index], (*path, rule.id))
        state[rule.id] = 2
        ordered.append(rule)

    for rule in rules:
        visit(rule, ())
    return tuple(ordered)
