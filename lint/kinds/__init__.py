"""Rule kinds, by the name a rule pack uses in its `kind:` field."""

from __future__ import annotations

from typing import Any

from lint.kinds.base import Deadline, Parameter, ParameterError, RuleKind, RuleTimeout
from lint.kinds.claim import ClaimKind
from lint.kinds.disclaimer import DisclaimerKind
from lint.kinds.evidence import EvidenceKind
from lint.kinds.lexicon import LexiconKind
from lint.kinds.pattern import PatternKind
from lint.kinds.phrase import PhraseKind
from lint.kinds.presence import PresenceKind
from lint.kinds.spin import SpinKind

KINDS: dict[str, type[RuleKind[Any]]] = {
    kind.name: kind
    for kind in (LexiconKind, PatternKind, PhraseKind, PresenceKind, DisclaimerKind, ClaimKind, EvidenceKind, SpinKind)
}

__all__ = ["KINDS", "Deadline", "Parameter", "ParameterError", "RuleKind", "RuleTimeout"]
