"""The result of a rule: a `Finding`, with its span, position and explanation."""

from __future__ import annotations

import enum
from dataclasses import field

from lint.core.records import record

CATEGORIES: tuple[str, ...] = (
    "overclaim",
    "absolute_term",
    "cure_or_guarantee",
    "safety_overclaim",
    "fear_appeal",
    "testimonial",
    "uncited_efficacy",
    "spin",
    "weak_evidence",
    "missing_disclaimer",
)
"""The ten categories of the annotation guidelines: reported by default."""

OPT_IN_CATEGORIES: tuple[str, ...] = ("inducement",)
"""Categories outside the ten (sales urgency and inducements): their rules run only when selected by rule id,
pack or category (`--select inducement`), so default output holds the ten categories alone."""

ALL_CATEGORIES: tuple[str, ...] = CATEGORIES + OPT_IN_CATEGORIES
"""Every category a rule may declare."""


class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that `ERROR > WARNING > INFO`."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        """Return the severity called `name` (case-insensitive)."""
        try:
            return cls[name.upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r} (choose from {choices})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@record(frozen=True, slots=True)
class Related:
    """A span of the article that a finding rests on or contradicts (a study, a citation, a result); for a trial
    result, also its `verdict` (null, negative, futility …) and its `figures` as written (安慰剂组为30%)."""

    role: str
    start: int
    end: int
    text: str
    verdict: str = ""
    figures: tuple[str, ...] = ()


@record(frozen=True, slots=True)
class Hit:
    """What a rule kind reports: a code-point span of the document, and the evidence it points to."""

    start: int
    end: int
    related: tuple[Related, ...] = ()


@record(frozen=True, slots=True)
class Finding:
    """One problem in one document, with code-point offsets and 1-based line/column."""

    rule: str
    category: str
    severity: Severity
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    message: str
    suggestion: str
    basis: str
    related: tuple[Related, ...] = field(default=())
    fix: str | None = None

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.rule)
