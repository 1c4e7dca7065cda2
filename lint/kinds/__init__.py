"""Rule kinds, by the name a rule pack uses in its `kind:` field."""

from __future__ import annotations

from lint.kinds.base import Parameter, ParameterError, RuleKind
from lint.kinds.claim import ClaimKind
from lint.kinds.disclaimer import DisclaimerKind
from lint.kinds.evidence import EvidenceKind
from lint.kinds.lexicon import LexiconKind
from lint.kinds.pattern import PatternKind, RuleTimeout
from lint.kinds.phrase import PhraseKind
from lint.kinds.presence import PresenceKind
from lint.kinds.spin import SpinKind

KINDS: dict[str, type[RuleKind]] = {
    kind.name: kind
    for kind in (LexiconKind, PatternKind, PhraseKind, PresenceKind, DisclaimerKind, ClaimKind, EvidenceKind, SpinKind)
}

__all__ = ["KINDS", "Parameter", "ParameterError", "RuleKind", "RuleTimeout"]
