"""The interface every rule kind implements: typed, validated parameters, and a time limit per rule and document.

A kind declares its parameters as a frozen dataclass (`Params`) whose fields are made with `parameter(…)`; the
YAML of a rule is checked against it and becomes an instance of it, so that a kind reads `self.params.terms`
with its real type. Every regular expression a rule brings runs under the rule's `Deadline`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import MISSING, Field, field, fields
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar, cast

import regex

from lint.core.compiled import compile_regex
from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.normalize import fold, pattern_problem
from lint.core.prefilter import GatedPattern, cpu_matches, cpu_search, safety, window_width
from lint.core.records import record

ParameterType = Literal["str", "int", "float", "bool", "terms", "regex", "regexes"]


class ParameterError(ValueError):
    """A kind parameter that is missing, of the wrong type, or an invalid regular expression."""


@record(frozen=True, slots=True)
class Parameter:
    """One parameter a rule kind accepts in YAML."""

    type: ParameterType
    required: bool = False
    default: object = None
    help: str = ""


def parameter(kind: ParameterType, *, help: str, default: Any = MISSING) -> Any:
    """A field of a kind's `Params` dataclass: its YAML type, its default (none: required) and what it is for."""
    spec = Parameter(kind, default is MISSING, None if default is MISSING else default, help)
    if default is MISSING:
        return field(metadata={"parameter": spec})
    return field(default=default, metadata={"parameter": spec})


Searchable = regex.Pattern[str] | GatedPattern


class RuleTimeout(Exception):
    """A rule's regular expression ran past its time limit on one document."""


class Deadline:
    """The regex time a rule has on one document, in CPU seconds of the thread (so that the machine's load does not
    change what the rule finds): every search of the rule's own patterns draws on it, and nothing else does (the
    document's models, computed on first use, are not the rule's time)."""

    __slots__ = ("seconds", "spent")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.spent = 0.0

    def left(self) -> float:
        """The seconds left, to pass as a search's `timeout`; raise `RuleTimeout` when none are."""
        remaining = self.seconds - self.spent
        if remaining <= 0:
            raise self._timeout()
        return remaining

    def finditer(self, pattern: Searchable, text: str, *window: int) -> Iterator[regex.Match[str]]:
        """`pattern.finditer` under the deadline (a timeout inside it becomes `RuleTimeout`); the time until the
        iteration ends is the rule's, as what a check does between matches is cheap. A compiled pattern proven
        safe over the window (`lint.core.prefilter.Safety`; a `GatedPattern` sees to its own) runs without a
        timeout once the deadline is found not passed."""
        started = time.thread_time()
        try:
            if not isinstance(pattern, GatedPattern) and safety(pattern).width(False) >= window_width(text, window):
                self.left()
                yield from pattern.finditer(text, *window)
            else:
                yield from cpu_matches(pattern.finditer, text, window, self.left(), started)
        except TimeoutError:
            raise self._timeout() from None
        finally:
            self.spent += time.thread_time() - started

    def matches_at(self, pattern: regex.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[regex.Match[str]]:
        """What `pattern.finditer(text)` gives, for a pattern that matches no empty string and whose every match
        starts at one of the sorted `starts`: the pattern tried at those alone, under the deadline. A match proven
        safe from a start runs without a timeout, and the CPU clock is read only once the wall-clock time since
        the first start (never less than the CPU time spent) could have used up the deadline."""
        started, wall = time.thread_time(), time.monotonic()
        proven = safety(pattern)
        try:
            reached = 0
            for start in starts:
                if start < reached:
                    continue
                if proven.width(True) >= len(text) - start:
                    left = self.seconds - self.spent
                    if left <= time.monotonic() - wall and left <= time.thread_time() - started:
                        raise self._timeout()
                    match = pattern.match(text, start)
                else:
                    now = time.thread_time()
                    left = self.seconds - self.spent - (now - started)
                    if left <= 0:
                        raise self._timeout()
                    match = cpu_search(pattern.match, text, (start,), left, now)
                if match is not None:
                    reached = match.end()
                    yield match
        except TimeoutError:
            raise self._timeout() from None
        finally:
            self.spent += time.thread_time() - started

    def search(self, pattern: Searchable, text: str) -> regex.Match[str] | None:
        """`pattern.search` under the deadline."""
        started = time.thread_time()
        try:
            return cpu_search(pattern.search, text, (), self.left(), started)
        except TimeoutError:
            raise self._timeout() from None
        finally:
            self.spent += time.thread_time() - started

    def _timeout(self) -> RuleTimeout:
        return RuleTimeout(f"regular expression timed out after {self.seconds:g}s")


_LAZY: ContextVar[bool] = ContextVar("healthlint_lazy_rule_patterns", default=False)


@contextmanager
def lazy_patterns() -> Iterator[None]:
    """Rules made inside the block compile their regexes when a text may first match them, not when loaded: for
    the shipped packs, whose patterns the test suite compiles, so that a one-file run compiles only those its
    text may match. A user's pack is compiled when loaded, so that its errors show before any article."""
    token = _LAZY.set(True)
    try:
        yield
    finally:
        _LAZY.reset(token)


def compile_pattern(source: object, name: str) -> GatedPattern:
    """A rule regex (ignoring case), rejecting patterns that could never match the folded text; compiled now,
    unless inside `lazy_patterns()`."""
    if not isinstance(source, str) or not source:
        raise ParameterError(f"'{name}' must be a non-empty string")
    problem = pattern_problem(source)
    if problem:
        raise ParameterError(f"'{name}': {problem}")
    if _LAZY.get():
        return GatedPattern(source, regex.IGNORECASE)
    try:
        return GatedPattern(compile_regex(source, regex.IGNORECASE))
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


P = TypeVar("P")


class RuleKind(ABC, Generic[P]):
    """A kind of rule: reads typed parameters from YAML and reports `Hit`s on a `Document`.

    Kinds are registered in `lint.kinds.KINDS`; adding one needs no change to the engine. `Params` is the
    kind's parameter dataclass; `self.params` is an instance of it.
    """

    name: ClassVar[str]
    Params: ClassVar[type[Any]]
    document_level: ClassVar[bool] = False

    def __init__(self, params: Mapping[str, object]) -> None:
        self.params: P = cast(P, self.validate(params))

    @classmethod
    def parameters(cls) -> dict[str, Parameter]:
        """The parameters this kind accepts, by name."""
        return {f.name: _spec(f) for f in fields(cls.Params)}

    @classmethod
    def validate(cls, params: Mapping[str, object]) -> object:
        """Check `params` against the kind's `Params`; return the instance, defaults filled in."""
        specs = cls.parameters()
        unknown = sorted(set(params) - set(specs))
        if unknown:
            raise ParameterError(f"unknown key(s) for kind '{cls.name}': {', '.join(unknown)}")
        values: dict[str, object] = {}
        for name, spec in specs.items():
            if name in params:
                values[name] = _coerce(name, spec, params[name])
            elif spec.required:
                raise ParameterError(f"kind '{cls.name}' requires '{name}'")
        return cls.Params(**values)

    @classmethod
    def prepare(cls, instances: Sequence[RuleKind[Any]]) -> None:
        """Build state shared by all rules of this kind (for example one automaton for all lexicons)."""

    def patterns(self) -> Iterator[GatedPattern]:
        """The regular expressions among the rule's parameters."""
        for spec in fields(self.params):
            value = getattr(self.params, spec.name)
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, GatedPattern):
                    yield item

    @abstractmethod
    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        """Yield the spans of `doc` this rule flags, before context scopes are applied; the rule's regexes share
        `timeout` seconds on the document."""


def _spec(item: Field[Any]) -> Parameter:
    return cast(Parameter, item.metadata["parameter"])


class CheckParams(Protocol):
    """What the parameters of every check kind have: the name of the check."""

    @property
    def check(self) -> str: ...


CP = TypeVar("CP", bound=CheckParams)
M = TypeVar("M")
Check = Callable[[Any, Document, Any, Deadline], Iterator[Hit]]


class CheckKind(RuleKind[CP], Generic[CP, M]):
    """A kind whose rules each name one `check` from the kind's registry; the other parameters shape it.

    Subclasses set `checks` and `model` (the per-document model the checks read); every check gets the rule's
    deadline, under which it runs the rule's own patterns.
    """

    checks: ClassVar[Mapping[str, Check]] = {}

    def __init__(self, params: Mapping[str, object]) -> None:
        super().__init__(params)
        if self.params.check not in self.checks:
            choices = ", ".join(sorted(self.checks))
            raise ParameterError(f"unknown check {self.params.check!r} (one of: {choices})")

    @abstractmethod
    def model(self, doc: Document) -> M:
        """The model of `doc` that the checks read."""

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        return self.checks[self.params.check](self, doc, self.model(doc), Deadline(timeout))
