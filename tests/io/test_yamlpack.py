"""Pack files: parsed strictly with line numbers, and rebuilt from the kept parse when their bytes are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.io import yamlpack
from lint.io.artefacts import PARSED_PACKS
from lint.io.yamlpack import LineMapping, PackError, read_yaml

TEXT = """pack: demo
rules:
  - id: demo.one
    terms: [包治百病, 永不复发]
    weight: 2
    ratio: 0.5
    enabled: true
    note: null
  - id: demo.two
    examples: {flag: ["[[根治]]"], pass: [可能有助于]}
"""


def _lines(value: object) -> list[object]:
    if isinstance(value, LineMapping):
        return [value.line, *(item for v in value.values() for item in _lines(v))]
    if isinstance(value, list):
        return [item for v in value for item in _lines(v)]
    return []


@pytest.fixture(autouse=True)
def _fresh_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PARSED_PACKS, "table", {})
    monkeypatch.setattr(PARSED_PACKS, "added", set())
    monkeypatch.setattr(PARSED_PACKS, "loaded", True)


def test_a_kept_parse_is_the_same_mappings_with_the_same_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(TEXT, encoding="utf-8")
    parsed = read_yaml(path, PackError, "a rule pack")
    monkeypatch.setattr(yamlpack, "_parse", _must_not_parse)
    kept = read_yaml(path, PackError, "a rule pack")
    assert kept == parsed
    assert kept is not parsed
    assert _lines(kept) == _lines(parsed) == [1, 3, 9, 10]
    assert kept["rules"][0]["terms"] == ["包治百病", "永不复发"]
    assert [type(kept["rules"][0][key]) for key in ("weight", "ratio", "enabled")] == [int, float, bool]


def _must_not_parse(*arguments: object) -> object:
    raise AssertionError("the unchanged file was parsed again")


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(TEXT, encoding="utf-8")
    read_yaml(path, PackError, "a rule pack")
    path.write_text(TEXT.replace("demo.two", "demo.three"), encoding="utf-8")
    assert read_yaml(path, PackError, "a rule pack")["rules"][1]["id"] == "demo.three"


def test_errors_still_name_the_file_and_line_on_every_read(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("pack: demo\nrules:\n  - id: a\n    id: b\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PackError, match=r"bad\.yaml:4: invalid YAML: .*duplicate key 'id'"):
            read_yaml(path, PackError, "a rule pack")
    assert not PARSED_PACKS.table


def test_values_marshal_cannot_keep_are_parsed_each_time(tmp_path: Path) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("pack: demo\nreviewed: 2026-01-31\n", encoding="utf-8")
    assert str(read_yaml(path, PackError, "a rule pack")["reviewed"]) == "2026-01-31"
    assert not PARSED_PACKS.table
