"""Patterns built from their kept compiled form behave exactly as `regex.compile` makes them."""

from __future__ import annotations

import marshal

import pytest
import regex

from lint.core import compiled
from lint.core.compiled import compile_regex

PATTERNS = [
    (r"(?P<span>不再?复发|根治)(?!的可能)", 0),
    (r"(?<![不未])(?:保证|确保)[^。]{0,6}?(?:有效|见效)", 0),
    (r"\p{Han}{2,4}(?:胶囊|口服液)", 0),
    (r"(?i)\bfda\s+approved\b", 0),
    (r"n\s*=\s*(?P<n>\d+)", regex.IGNORECASE),
    (r"(?P<a>\d+(?:\.\d+)?)\s*%(?:\s*vs\.?\s*(?P<b>\d+(?:\.\d+)?)\s*%)?", 0),
    (r"^(?:#+\s*)?结论[:：]", regex.MULTILINE),
]
TEXTS = [
    "服用三个月后不复发，根治的可能很小；保证一周见效！",
    "这款灵芝胶囊和人参口服液都说 FDA approved，n = 12 的小样本。",
    "缓解率 75% vs 83%，差异无统计学意义。\n## 结论：仍需研究\n结论:有效",
    "",
]


def _observed(pattern: regex.Pattern[str]) -> list[object]:
    return [
        (match.span(), match.groups(), match.groupdict(), match.span("span") if "span" in pattern.groupindex else None)
        for text in TEXTS
        for match in pattern.finditer(text)
    ]


@pytest.fixture(autouse=True)
def _fresh_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "CODES", {})
    monkeypatch.setattr(compiled, "CODES_ADDED", set())


@pytest.mark.parametrize(("source", "flags"), PATTERNS)
def test_built_from_the_kept_form_as_regex_compiles_it(
    source: str, flags: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = regex.compile(source, flags)
    first = compile_regex(source, flags)
    assert (source, flags) in compiled.CODES_ADDED
    monkeypatch.setattr(compiled, "_compile_recording", _must_not_parse)
    rebuilt = compile_regex(source, flags)
    assert rebuilt is not first
    for pattern in (first, rebuilt):
        assert (pattern.pattern, pattern.flags, pattern.groups) == (fresh.pattern, fresh.flags, fresh.groups)
        assert dict(pattern.groupindex) == dict(fresh.groupindex)
        assert _observed(pattern) == _observed(fresh)


def _must_not_parse(source: str, flags: int) -> object:
    raise AssertionError(f"{source!r} was parsed again instead of rebuilt from its kept form")


def test_a_kept_form_that_does_not_fit_is_dropped_and_the_pattern_compiled() -> None:
    source = r"根治|痊愈"
    compiled.CODES[(source, 0)] = ("another source", 0, [], {}, {}, {}, [], 0, None, 0, 0)
    pattern = compile_regex(source)
    assert pattern.findall("已痊愈，可根治") == ["痊愈", "根治"]
    assert compiled.CODES[(source, 0)][0] == source
    compiled.CODES[(source, 0)] = (source, "not a flag")
    assert compile_regex(source).findall("根治") == ["根治"]


def test_a_form_kept_marshalled_on_its_own_is_decoded_when_first_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """The IO layer keeps each form marshalled on its own (a run asks for a third of them): `compile_regex`
    decodes the one it is asked for, and a damaged one is compiled again."""
    source = r"(?:延缓|逆转)衰老"
    compile_regex(source)
    compiled.CODES[(source, 0)] = marshal.dumps(compiled.CODES[(source, 0)])
    with monkeypatch.context() as patched:
        patched.setattr(compiled, "_compile_recording", _must_not_parse)
        assert compile_regex(source).findall("号称逆转衰老") == ["逆转衰老"]
    assert isinstance(compiled.CODES[(source, 0)], tuple)
    compiled.CODES[(source, 0)] = b"\xff damaged"
    assert compile_regex(source).findall("延缓衰老") == ["延缓衰老"]
    assert isinstance(compiled.CODES[(source, 0)], tuple)


def test_invalid_patterns_raise_as_regex_does() -> None:
    with pytest.raises(regex.error):
        compile_regex(r"(未闭合")
    assert not compiled.CODES


def test_other_threads_compile_normally_while_a_form_is_recorded() -> None:
    import threading

    results: list[list[str]] = []

    def other() -> None:
        results.append(regex.compile(r"\d+", cache_pattern=False).findall("a1b22"))

    threads = [threading.Thread(target=other) for _ in range(4)]
    for thread in threads:
        thread.start()
    for index in range(20):
        compile_regex(rf"词{index}|短语{index}")
    for thread in threads:
        thread.join()
    assert results == [["1", "22"]] * 4
    assert all(kept[0] == source for (source, _), kept in compiled.CODES.items())
