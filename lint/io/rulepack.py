"""Rule packs: YAML files of rules, loaded and validated strictly (file, rule id and line on error)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path

import regex

from lint.analysis.scope import SCOPES
from lint.core.compiled import compile_regex
from lint.core.finding import ALL_CATEGORIES, Severity
from lint.core.normalize import match_key
from lint.core.prefilter import GatedPattern
from lint.io.artefacts import use_pattern_caches
from lint.io.paths import default_rules_dir
from lint.io.yamlpack import LineMapping, PackError, parse_examples, read_yaml, require_text, str_list
from lint.kernel.fix import FIX_CONTEXTS
from lint.kernel.ruleset import BLOCK_KINDS, DEFAULT_BLOCKS, FixChoice, Rule, RulePack, RuleSet
from lint.kinds import KINDS, ParameterError
from lint.kinds.base import lazy_patterns

FIX_KEYS = frozenset({"to", "when", "examples"})
RULE_KEYS = frozenset(
    [
        "id",
        "category",
        "severity",
        "message",
        "suggestion",
        "basis",
        "kind",
        "examples",
        "unless",
        "yields_to",
        "once",
        "blocks",
        "description",
        "fix",
    ]
)
REQUIRED_RULE_KEYS = ("id", "category", "severity", "message", "suggestion", "basis", "kind", "examples")
PACK_KEYS = frozenset({"pack", "description", "rules", "language"})
_RULE_ID = compile_regex(r"^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9_-]*$")


class RulePackError(PackError):
    """A rule pack that cannot be used; the message names the file, the rule and the line."""

    item_label = "rule"


def _require_text(path: Path, rule_id: str, line: int, data: Mapping[str, object], key: str) -> str:
    return require_text(RulePackError, path, rule_id, line, data, key)


def _str_list(path: Path, rule_id: str, line: int, value: object, key: str) -> tuple[str, ...]:
    return str_list(RulePackError, path, rule_id, line, value, key)


def _parse_rule(path: Path, pack: str, language: str, data: object, position: int) -> Rule:
    if not isinstance(data, LineMapping):
        raise RulePackError(path, f"rule #{position + 1} must be a mapping")
    line = data.line
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RulePackError(path, f"rule #{position + 1}: 'id' must look like 'pack.rule-name'", None, line)
    if rule_id.split(".", 1)[0] != pack:
        raise RulePackError(path, f"id must start with the pack name '{pack}.'", rule_id, line)
    missing = [key for key in REQUIRED_RULE_KEYS if key not in data]
    if missing:
        raise RulePackError(path, f"missing field(s): {', '.join(missing)}", rule_id, line)
    category = data["category"]
    if category not in ALL_CATEGORIES:
        raise RulePackError(path, f"unknown category {category!r} (one of: {', '.join(ALL_CATEGORIES)})", rule_id, line)
    try:
        severity = Severity.parse(str(data["severity"]))
    except ValueError as error:
        raise RulePackError(path, str(error), rule_id, line) from None
    kind_name = data["kind"]
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        raise RulePackError(path, f"unknown kind {kind_name!r} (one of: {', '.join(sorted(KINDS))})", rule_id, line)
    params = {key: value for key, value in data.items() if key not in RULE_KEYS}
    try:
        checker = kind(params)
    except ParameterError as error:
        raise RulePackError(path, str(error), rule_id, line) from None
    examples = parse_examples(RulePackError, path, rule_id, line, data["examples"])
    unless = _str_list(path, rule_id, line, data.get("unless", []), "unless")
    unknown_scopes = sorted(set(unless) - set(SCOPES))
    if unknown_scopes:
        raise RulePackError(
            path,
            f"unknown scope(s) in 'unless': {', '.join(unknown_scopes)} (one of: {', '.join(SCOPES)})",
            rule_id,
            line,
        )
    yields_to = _str_list(path, rule_id, line, data.get("yields_to", []), "yields_to")
    once = data.get("once", False)
    if not isinstance(once, bool):
        raise RulePackError(path, "'once' must be true or false", rule_id, line)
    blocks = frozenset(_str_list(path, rule_id, line, data.get("blocks", sorted(DEFAULT_BLOCKS)), "blocks"))
    if blocks - BLOCK_KINDS:
        raise RulePackError(path, f"unknown block kind(s): {', '.join(sorted(blocks - BLOCK_KINDS))}", rule_id, line)
    fix = _fix(path, rule_id, line, data.get("fix"))
    description = data.get("description", "")
    if not isinstance(description, str):
        raise RulePackError(path, "'description' must be a string", rule_id, line)
    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        message=_require_text(path, rule_id, line, data, "message"),
        suggestion=_require_text(path, rule_id, line, data, "suggestion"),
        basis=_require_text(path, rule_id, line, data, "basis"),
        kind=kind_name,
        checker=checker,
        examples=examples,
        unless=unless,
        yields_to=yields_to,
        once=once,
        blocks=blocks,
        description=description.strip(),
        fix=fix,
        path=str(path),
        line=line,
        language=language,
    )


def _fix_choice(path: Path, rule_id: str, line: int, value: object) -> FixChoice:
    if isinstance(value, str):
        return FixChoice(value)
    if not isinstance(value, Mapping) or not isinstance(value.get("to"), str) or set(value) - FIX_KEYS:
        raise RulePackError(
            path, "a fix is a replacement string or a mapping with 'to', 'when' and 'examples'", rule_id, line
        )
    when = value.get("when", [])
    when = [when] if isinstance(when, str) else when
    if not isinstance(when, list) or not all(isinstance(name, str) and name in FIX_CONTEXTS for name in when):
        raise RulePackError(path, f"a fix's 'when' names contexts among: {', '.join(FIX_CONTEXTS)}", rule_id, line)
    examples = value.get("examples", {})
    if not isinstance(examples, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in examples.items()
    ):
        raise RulePackError(path, "a fix's 'examples' map a text to the text after --fix", rule_id, line)
    return FixChoice(value["to"], tuple(when), dict(examples))


def _fix(path: Path, rule_id: str, line: int, fix: object) -> FixChoice | dict[str, FixChoice] | None:
    """A rule's `fix:` — one replacement for every match, or a mapping of matched term to replacement."""
    if fix is None or isinstance(fix, str):
        return None if fix is None else FixChoice(fix)
    if not isinstance(fix, Mapping) or not all(isinstance(k, str) for k in fix):
        raise RulePackError(
            path, "'fix' must be a replacement string or a mapping of term to replacement", rule_id, line
        )
    if set(fix) <= FIX_KEYS and "to" in fix:
        return _fix_choice(path, rule_id, line, fix)
    return {match_key(term): _fix_choice(path, rule_id, line, value) for term, value in fix.items()}


def load_pack(path: Path) -> RulePack:
    """Load and validate one rule-pack file; raise `RulePackError` on any problem."""
    data = read_yaml(path, RulePackError, "a rule pack")
    unknown = sorted(set(data) - PACK_KEYS)
    if unknown:
        raise RulePackError(path, f"unknown top-level key(s): {', '.join(unknown)}", None, data.line)
    name = data.get("pack")
    if not isinstance(name, str) or not regex.match(r"^[a-z][a-z0-9_]*$", name):
        raise RulePackError(path, "'pack' must be a lower-case name", None, data.line)
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        raise RulePackError(path, "'rules' must be a non-empty list", None, data.line)
    language = data.get("language", "zh")
    if not isinstance(language, str) or not regex.match(r"^[a-z]{2,3}(?:-[a-z0-9]+)?$", language):
        raise RulePackError(path, "'language' must be a language code such as zh or en", None, data.line)
    parsed = tuple(_parse_rule(path, name, language, rule, i) for i, rule in enumerate(rules))
    seen: set[str] = set()
    for rule in parsed:
        if rule.id in seen:
            raise RulePackError(path, "duplicate rule id", rule.id, rule.line)
        seen.add(rule.id)
    description = data.get("description", "")
    return RulePack(name, description.strip() if isinstance(description, str) else "", str(path), parsed, language)


def _parameters(params: object) -> list[tuple[str, object]]:
    """The (name, value) pairs of a kind's parameter dataclass."""
    import dataclasses

    return [(field.name, getattr(params, field.name)) for field in dataclasses.fields(params)]  # type: ignore[arg-type]


def _refuse_backtracking(pack: RulePack, path: Path) -> None:
    """Raise `RulePackError` for a regex of a user's pack with a nested quantifier (exponential time on a
    near-miss); the shipped packs are held to this by the test suite instead, to keep start-up fast."""
    from lint.core.regex_safety import NESTED, backtracking_risk

    for rule in pack.rules:
        for name, value in _parameters(rule.checker.params):
            for pattern in value if isinstance(value, tuple) else (value,):
                if isinstance(pattern, GatedPattern) and backtracking_risk(pattern.pattern, leading=False) == NESTED:
                    raise RulePackError(
                        path,
                        f"'{name}': {pattern.pattern!r} has a nested quantifier (an unbounded repeat inside another, "
                        "like (a+)+), which can take exponential time; rewrite it without the outer repeat",
                        rule.id,
                        rule.line,
                    )


def load_packs(directories: Iterable[Path]) -> tuple[RulePack, ...]:
    """Load every `*.yaml`/`*.yml` pack in `directories`, in a stable order; rule ids must be unique. Packs
    outside the shipped directory have their regexes compiled now and are refused nested quantifiers; the shipped
    ones (which the test suite holds to both) compile theirs when a text may first match them."""
    use_pattern_caches()
    packs: list[RulePack] = []
    owners: dict[str, str] = {}
    shipped = default_rules_dir().resolve()
    for directory in directories:
        if not directory.is_dir():
            raise RulePackError(directory, "rule directory not found")
        files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
        is_shipped = directory.resolve() == shipped
        for file in files:
            if is_shipped:
                with lazy_patterns():
                    pack = load_pack(file)
            else:
                pack = load_pack(file)
                _refuse_backtracking(pack, file)
            for rule in pack.rules:
                if rule.id in owners:
                    raise RulePackError(file, f"rule id already defined in {owners[rule.id]}", rule.id, rule.line)
                owners[rule.id] = str(file)
            packs.append(pack)
    return tuple(packs)


@functools.lru_cache(maxsize=1)
def default_packs() -> tuple[RulePack, ...]:
    """The shipped rule packs, loaded once per process."""
    return load_packs([default_rules_dir()])


@functools.lru_cache(maxsize=1)
def default_rule_set() -> RuleSet:
    """The shipped rule packs as a prepared `RuleSet`."""
    return RuleSet(default_packs())
