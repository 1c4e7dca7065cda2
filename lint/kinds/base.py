"""The interface every rule kind implements, and validation of kind parameters."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

import regex

from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.normalize import fold, pattern_problem

ParameterType = Literal["str", "int", "float", "bool", "terms", "regex", "regexes"]


class ParameterError(ValueError):
    """A kind parameter that is missing, of the wrong type, or an invalid regular expression."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter a rule kind accepts in YAML."""

    type: ParameterType
    required: bool = False
    default: object = None
    help: str = ""


def compile_pattern(source: object, name: str) -> regex.Pattern[str]:
    """Compile a rule regex, rejecting patterns that could never match the folded text."""
    if not isinstance(source, str) or not source:
        raise ParameterError(f"'{name}' must be a non-empty string")
    problem = pattern_problem(source)
    if problem:
        raise ParameterError(f"'{name}': {problem}")
    try:
        return regex.compile(source, regex.IGNORECASE)
    except regex.error as error:
        raise ParameterError(f"'{name}': invalid regular expression: {error}") from None


def _coerce(name: str, spec: Parameter, value: object) -> object:
    if spec.type == "str" and isinstance(value, str):
        return value
    if spec.type == "bool" and isinstance(value, bool):
        return value
    if spec.type == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if spec.type == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if spec.type == "terms" and isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(fold(v.strip()) for v in value)
    if spec.type == "regex":
        return compile_pattern(value, name)
    if spec.type == "regexes" and isinstance(value, list) and value:
        return tuple(compile_pattern(v, f"{name}[{i}]") for i, v in enumerate(value))
    expected = {"terms": "a list of non-empty strings", "regexes": "a non-empty list of regular expressions"}
    raise ParameterError(f"'{name}' must be {expected.get(spec.type, spec.type)}")


class RuleKind(ABC):
    """A kind of rule: reads parameters from YAML and reports `Hit`s on a `Document`.

    Kinds are registered in `lint.kinds.KINDS`; adding one needs no change to the engine.
    """

    name: ClassVar[str]
    parameters: ClassVar[Mapping[str, Parameter]] = {}
    document_level: ClassVar[bool] = False

    def __init__(self, params: Mapping[str, object]) -> None:
        self.params = self.validate(params)

    @classmethod
    def validate(cls, params: Mapping[str, object]) -> dict[str, object]:
        """Check `params` against `parameters`; return them with defaults filled in."""
        unknown = sorted(set(params) - set(cls.parameters))
        if unknown:
            raise ParameterError(f"unknown key(s) for kind '{cls.name}': {', '.join(unknown)}")
        values: dict[str, object] = {}
        for name, spec in cls.parameters.items():
            if name in params:
                values[name] = _coerce(name, spec, params[name])
            elif spec.required:
                raise ParameterError(f"kind '{cls.name}' requires '{name}'")
            else:
                values[name] = spec.default
        return values

    @classmethod  # noqa: B027 - an optional hook, empty by default
    def prepare(cls, instances: Sequence[RuleKind]) -> None:
        """Build state shared by all rules of this kind (for example one automaton for all lexicons)."""

    @abstractmethod
    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        """Yield the spans of `doc` this rule flags, before context scopes are applied."""


class CheckKind(RuleKind):
    """A kind whose rules each name one `check` from the kind's registry; the other parameters shape it.

    Subclasses set `checks` and `model` (the per-document model the checks read).
    """

    checks: ClassVar[Mapping[str, Callable[..., Iterator[Hit]]]] = {}

    def __init__(self, params: Mapping[str, object]) -> None:
        super().__init__(params)
        if self.params["check"] not in self.checks:
            choices = ", ".join(sorted(self.checks))
            raise ParameterError(f"unknown check {self.params['check']!r} (one of: {choices})")

    @abstractmethod
    def model(self, doc: Document) -> object:
        """The model of `doc` that the checks read."""

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        return self.checks[str(self.params["check"])](self, doc, self.model(doc))
