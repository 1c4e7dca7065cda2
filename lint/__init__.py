"""healthlint: a content-compliance linter for Chinese health-marketing copy.

The flow is `Document` → rules → `Finding`s → a formatter::

    from lint import lint
    for finding in lint("干细胞可根治红斑狼疮，无副作用。"):
        print(finding.rule, finding.start, finding.end, finding.message)
"""

from lint.document import Document
from lint.engine import LintConfig, LintResult, check_document, lint
from lint.finding import CATEGORIES, Finding, Related, Severity
from lint.rulepack import Rule, RulePack, RulePackError, RuleSet, load_pack, load_packs

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES",
    "Document",
    "Finding",
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
    "lint",
    "load_pack",
    "load_packs",
]
