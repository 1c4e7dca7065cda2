"""UI labels of the HTML pages and the workbench, read from `rules/lang/<lang>/labels.yaml` (key `labels`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from lint.core.records import record
from lint.io.paths import default_rules_dir
from lint.io.yamlpack import PackError, read_yaml

LANGUAGES = ("zh", "en")
SECTIONS = ("ui", "severity", "category", "role", "rule")


@record(frozen=True, slots=True)
class Labels:
    """The words of one UI language: interface strings, severities, categories, evidence roles, rule names."""

    lang: str
    ui: Mapping[str, str]
    severity: Mapping[str, str]
    category: Mapping[str, str]
    role: Mapping[str, str]
    rule: Mapping[str, str]

    def rule_name(self, rule_id: str) -> str:
        """The rule's name in this language; a rule of a user pack without one keeps its id."""
        return self.rule.get(rule_id, rule_id)

    def role_name(self, role: str) -> str:
        """What a related-evidence span is, in this language."""
        return self.role.get(role, role)

    def category_name(self, category: str) -> str:
        return self.category.get(category, category)

    def text(self, key: str, **values: object) -> str:
        """The interface string `key`, with `{name}` placeholders filled in."""
        return self.ui[key].format(**values) if values else self.ui[key]


@functools.lru_cache(maxsize=len(LANGUAGES))
def load_labels(lang: str = "zh") -> Labels:
    """The labels of `lang` (one of `LANGUAGES`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown UI language {lang!r} (choose from {', '.join(LANGUAGES)})")
    path = default_rules_dir() / "lang" / lang / "labels.yaml"
    data = read_yaml(path, PackError, "a labels file").get("labels")
    if not isinstance(data, dict):
        raise ValueError(f"{path}: 'labels' must be a mapping")
    missing = [section for section in SECTIONS if not isinstance(data.get(section), dict)]
    if missing:
        raise ValueError(f"{path}: missing label sections {', '.join(missing)}")
    return Labels(lang, **{section: {str(k): str(v) for k, v in data[section].items()} for section in SECTIONS})
