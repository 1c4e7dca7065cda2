"""The IO-free kernel: text + configuration + language pack → findings. It reads no file and writes no cache."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator

from lint.analysis.scope import SCOPES
from lint.core.document import Document, Syntax
from lint.core.finding import OPT_IN_CATEGORIES, Finding, Hit, Severity
from lint.core.language import LanguagePack
from lint.core.normalize import match_key
from lint.core.prefilter import PatternBudgetExceeded, pattern_budget
from lint.core.records import record
from lint.kernel.fix import contextual_fix
from lint.kernel.ruleset import Rule, RuleSet
from lint.kernel.suppress import apply_suppressions
from lint.kinds import RuleTimeout


@record(frozen=True)
class LintConfig:
    """Which rules run and how: selection by rule id, pack or category, a severity floor, a timeout for each
    regex a rule brings (`regex_timeout`) and a time budget for the built-in patterns of the analysis on one
    document (`pattern_budget`, None for none). Rules of an opt-in category (`lint.core.finding.OPT_IN_CATEGORIES`)
    run only when selected by name.

    `rules` is None only until `lint.lint` or `lint.check_document` fills in the shipped rule set; the kernel
    itself always needs it set.
    """

    rules: RuleSet | None = None
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    min_severity: Severity = Severity.INFO
    regex_timeout: float = 1.0
    report_unused_disables: bool = False
    pattern_budget: float | None = 10.0

    @functools.cached_property
    def active_rules(self) -> tuple[Rule, ...]:
        """The rules that run under this configuration, in pack order."""
        if self.rules is None:
            raise ValueError("LintConfig.rules is not set (lint.lint() fills in the shipped rule set)")
        return tuple(
            rule
            for rule in self.rules
            if rule.severity >= self.min_severity
            and (_selected(rule, self.select) if self.select or rule.category in OPT_IN_CATEGORIES else True)
            and not _selected(rule, self.ignore)
        )

    def rules_for(self, language: str) -> tuple[Rule, ...]:
        """The active rules written for texts in `language`."""
        found = self._by_language.get(language)
        if found is None:
            found = self._by_language[language] = tuple(r for r in self.active_rules if r.language == language)
        return found

    @functools.cached_property
    def _by_language(self) -> dict[str, tuple[Rule, ...]]:
        return {}

    def rivals(self, rule: Rule) -> tuple[str, ...]:
        """The ids of the active rules `rule` yields to (worked out once per rule)."""
        found = self._rivals.get(rule.id)
        if found is None:
            found = self._rivals[rule.id] = tuple(
                other.id for other in self.active_rules if other.named_by(rule.yields_to)
            )
        return found

    @functools.cached_property
    def _rivals(self) -> dict[str, tuple[str, ...]]:
        return {}


def _selected(rule: Rule, names: frozenset[str]) -> bool:
    return rule.id in names or rule.pack in names or rule.category in names


@record(frozen=True, slots=True)
class LintResult:
    """Findings for one document, plus rule problems (such as a regex timeout) that did not stop the run."""

    findings: list[Finding]
    problems: list[str]


def lint(text: str, config: LintConfig, language: LanguagePack, syntax: Syntax = "text") -> list[Finding]:
    """Lint `text`, written in `language`, and return its findings, sorted by offset."""
    return check_document(Document(text, syntax, language=language), config).findings


def check_document(doc: Document, config: LintConfig) -> LintResult:
    """Run every active rule of the document's language over `doc`; a rule that times out is reported and the
    others go on. A rule that yields to others (`yields_to`) drops the findings that overlap theirs.

    A rule's own regexes each have `regex_timeout`; the built-in patterns of the analysis (scopes, evidence,
    results) share `pattern_budget` for the whole document, and the rules still to run when it is spent are
    skipped and named in one problem."""
    found: dict[str, list[Hit]] = {}
    problems: list[str] = []
    skipped: list[str] = []
    budget: PatternBudgetExceeded | None = None
    # the segmenter's table is compiled or read once per process: that is setup, not this document's time
    doc.language.segment("")
    with pattern_budget(config.pattern_budget):
        for rule in config.rules_for(doc.language.code):
            try:
                found[rule.id] = list(_in_scope(doc, rule, list(rule.checker.hits(doc, config.regex_timeout))))
            except PatternBudgetExceeded as error:
                budget = error
                skipped.append(rule.id)
            except (RuleTimeout, TimeoutError) as error:
                problems.append(f"rule {rule.id}: {error}")
    if budget is not None:
        problems.append(f"{budget}; rules skipped: {', '.join(skipped)}")
    findings: dict[tuple[str, int, int], Finding] = {}
    for rule, hit in _after_precedence(config, found):
        findings.setdefault((rule.id, hit.start, hit.end), _finding(doc, rule, hit))
    kept, unused = apply_suppressions(doc.text, sorted(findings.values(), key=lambda f: f.sort_key))
    if config.report_unused_disables:
        problems.extend(directive.describe() for directive in unused)
    return LintResult(kept, problems)


def _after_precedence(config: LintConfig, found: dict[str, list[Hit]]) -> Iterator[tuple[Rule, Hit]]:
    """The hits of every rule that ran, less those overlapping a kept hit of a rule they yield to; rules are
    taken in the rule set's precedence order, so what a rule yields to is settled first."""
    assert config.rules is not None
    kept: dict[str, list[Hit]] = {}
    for rule in config.rules.precedence:
        hits = found.get(rule.id)
        if hits is None:
            continue
        if rule.yields_to:
            rivals = _union(h for other in config.rivals(rule) for h in kept.get(other, ()))
            hits = [hit for hit in hits if not _overlaps(rivals, hit)]
        kept[rule.id] = hits
        for hit in hits:
            yield rule, hit


def _union(hits: Iterable[Hit]) -> list[tuple[int, int]]:
    """The spans of `hits` merged into disjoint spans, sorted."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((hit.start, hit.end) for hit in hits):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlaps(spans: list[tuple[int, int]], hit: Hit) -> bool:
    """Whether `hit` overlaps one of the disjoint sorted `spans` (found by bisection)."""
    index = bisect.bisect_left(spans, (hit.end,)) - 1
    return index >= 0 and spans[index][1] > hit.start


def _in_scope(doc: Document, rule: Rule, hits: Iterable[Hit]) -> Iterable[Hit]:
    """The hits of `rule` that no scope cancels, without overlaps; a rule marked `once` keeps the first of the
    hits with the same text."""
    reach = -1
    seen: set[str] = set()
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if hit.start < reach:
            continue
        if not rule.checker.document_level:
            block = doc.block_at(hit.start)
            if block is None or block.kind not in rule.blocks:
                continue
            if any(SCOPES[name](doc, hit.start, hit.end) for name in rule.unless):
                continue
            if rule.once:
                key = match_key(doc.text[hit.start : hit.end])
                if key in seen:
                    continue
                seen.add(key)
        reach = max(reach, hit.end)
        yield hit


def _finding(doc: Document, rule: Rule, hit: Hit) -> Finding:
    line, column = doc.position(hit.start)
    end_line, end_column = doc.position(hit.end)
    text = doc.text[hit.start : hit.end]
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        start=hit.start,
        end=hit.end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        text=text,
        message=rule.message.replace("{match}", text),
        suggestion=rule.suggestion.replace("{match}", text),
        basis=rule.basis,
        related=hit.related,
        fix=contextual_fix(doc, rule.replacement(text), hit.start, hit.end) if hit.end > hit.start else None,
    )
