"""Safe replacements (`fix:` in a rule pack): whether one reads well where the flagged text stands, and applying them.

A rule's fix names the contexts it reads well in (`when:`): `before_noun` (a modifier such as 新的 needs a noun
after it), `before_de` (the span is followed by the attributive particle), `clause_end` (a predicate such as
安全性仍需评估 must end its clause, with no adverb before it that expects the original wording). What those
contexts look like in a language, and its structural particles, come from the language pack's `fixes` table.
A replacement ending in a particle merges with the same particle after the span (全新的 → 新的, not 新的的); a
doubled particle at either join, a context that does not fit, front matter and cited titles 《…》 leave the text
alone: the finding still offers its suggestion, but `--fix` does not touch it.
"""

from __future__ import annotations

from collections.abc import Sequence

from lint.analysis.scope import cited_title
from lint.core.document import Document
from lint.core.finding import Finding
from lint.core.language import LanguagePack, Slot
from lint.core.markup import front_matter_end
from lint.core.prefilter import GatedPattern
from lint.core.records import record
from lint.kernel.ruleset import FixChoice

FIX_CONTEXTS = ("before_noun", "before_de", "clause_end")
FIXABLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
_WINDOW = 12


@record(frozen=True, slots=True)
class FixVocabulary:
    """A language's particles and the patterns of the contexts a fix may require."""

    particles: frozenset[str]
    after: dict[str, GatedPattern]
    predicate_blocker: GatedPattern

    def fits(self, context: str, before: str, after: str) -> bool:
        """Whether the text `before` and `after` the span is the named context."""
        if not self.after[context].match(after):
            return False
        return context != "clause_end" or not self.predicate_blocker.search(before)


_VOCABULARY: Slot[FixVocabulary] = Slot("fixes")


def _vocabulary(language: LanguagePack) -> FixVocabulary:
    def build() -> FixVocabulary:
        return FixVocabulary(
            frozenset(language.words("fixes.particle")),
            {name: language.pattern(f"fixes.{name}") for name in FIX_CONTEXTS},
            language.pattern("fixes.predicate_blocker"),
        )

    return _VOCABULARY.get(language, build)


def contextual_fix(doc: Document, choice: FixChoice | None, start: int, end: int) -> str | None:
    """The replacement of `doc.text[start:end]` that reads well in its sentence, or None to leave it alone."""
    if choice is None:
        return None
    if doc.syntax == "markdown" and start < front_matter_end(doc.text):
        return None
    if cited_title(doc, start, end):
        return None
    vocabulary = _vocabulary(doc.language)
    before, after = doc.folded[max(0, start - _WINDOW) : start], doc.folded[end : end + _WINDOW]
    if choice.when and not any(vocabulary.fits(context, before, after) for context in choice.when):
        return None
    replacement = choice.to
    if replacement and replacement[-1] in vocabulary.particles and after.startswith(replacement[-1]):
        replacement = replacement[:-1]
    joins = ((before[-1:], replacement[:1]), (replacement[-1:], after[:1]))
    if any(left and left == right and left in vocabulary.particles for left, right in joins):
        return None
    return replacement


def apply_fixes(doc: Document, findings: Sequence[Finding]) -> tuple[str, list[Finding]]:
    """Replace every fixable finding's span; return the new text and the findings that were fixed.

    Overlapping fixes keep the leftmost; suppressed findings never reach this function.
    """
    pieces: list[str] = []
    fixed: list[Finding] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.sort_key):
        if finding.fix is None or finding.end <= finding.start or finding.start < cursor:
            continue
        pieces.append(doc.text[cursor : finding.start])
        pieces.append(finding.fix)
        cursor = finding.end
        fixed.append(finding)
    pieces.append(doc.text[cursor:])
    return "".join(pieces), fixed


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file's fixes."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
