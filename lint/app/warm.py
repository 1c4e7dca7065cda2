"""`healthlint cache warm`: building ahead of the first check what checks keep between runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lint.app.runner import languages, rule_set
from lint.app.testrules import check_rule_dirs
from lint.core.prefilter import GatedPattern, work_out_safe_widths
from lint.core.records import record
from lint.io.paths import default_rules_dir


@record(frozen=True)
class Warmed:
    """What `warm_caches` prepared: language packs, regular expressions, examples run (and how many failed)."""

    languages: int
    patterns: int
    examples: int
    failing: int


def warm_caches(rule_dirs: Sequence[Path]) -> Warmed:
    """Build now, for the shipped packs and those in `rule_dirs`, what checks keep between runs (written when the
    process exits): the parsed packs and language entries, the segmenter tables, the analysis, compiled form and
    safe widths of every regex of the language packs and of the rules' parameters, and, by running every example
    of the rules and entries, those of the patterns the models and kinds derive from them (a word list's
    alternatives, a construction's parts), with the safe widths of every pattern analysed."""
    rules, packs = rule_set(rule_dirs), languages(rule_dirs)
    patterns: dict[tuple[str, int], GatedPattern] = {}
    for pack in packs:
        pack.prepare()
        for name in sorted(pack.entries):
            pattern = pack.pattern(name)
            patterns.setdefault((pattern.pattern, int(pattern.flags)), pattern)
    for rule in rules:
        for pattern in rule.checker.patterns():
            patterns.setdefault((pattern.pattern, int(pattern.flags)), pattern)
    for pattern in patterns.values():
        pattern.prepare()
    examples = check_rule_dirs([default_rules_dir(), *rule_dirs])
    work_out_safe_widths()
    return Warmed(len(packs), len(patterns), examples.examples, len(examples.failures))
