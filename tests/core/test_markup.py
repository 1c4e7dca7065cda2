import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from lint import LintConfig, lint
from lint.core.markup import _code_spans, _link_targets, markdown_layout
from tests.helpers import document
from tests.scaling import assert_linear

CURE = LintConfig(select=frozenset({"cure_or_guarantee.cure-term"}))


@pytest.mark.parametrize("text", ["a\r\rb", "\r", "\r\r\r", "# 标题\r\r正文\r", "- a\r- b\r\r> c\r"])
def test_lone_carriage_returns_do_not_crash(text: str) -> None:
    layout = markdown_layout(text)
    assert len(layout.masked) == len(text)
    lint(text, syntax="markdown")


def test_a_fence_closed_by_carriage_returns_masks_only_the_fence() -> None:
    text = "```\r根治代码\r```\r可以根治。\n\n又说可以根治。\n"
    masked = markdown_layout(text).masked
    assert "根治代码" not in masked and masked.count("根治") == 2
    assert [(f.text, f.line) for f in lint(text, CURE, "markdown")] == [("根治", 4), ("根治", 6)]


def test_heading_lines_are_document_lines_with_crlf_and_cr() -> None:
    text = "正文一\r\n# 标题\r\n正文二\r正文三\n## 小标题\n"
    headings = markdown_layout(text).heading_lines
    assert headings == {1, 3}
    assert [b.kind for b in document(text, "markdown").blocks][-1] == "heading"


_OLD_INLINE_CODE = regex.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_OLD_LINK_TARGET = regex.compile(r"\]\([^)\n]*\)|<(?:https?|mailto):[^>\n]*>")


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(alphabet="`a]()<>:\nhtpsmilo ", max_size=60))
def test_linear_scans_agree_with_the_regexes_they_replace(text: str) -> None:
    old_code = [m.span() for m in _OLD_INLINE_CODE.finditer(text)]
    new_code = [(start + offset, end + offset) for offset, line in _lines(text) for start, end in _code_spans(line)]
    assert new_code == old_code
    assert list(_link_targets(text)) == [m.span() for m in _OLD_LINK_TARGET.finditer(text)]


def _lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


@pytest.mark.parametrize("unit", ["](", "<http:", "<mailto:x", "`", "``a", "<!--", "[a](b"])
def test_masking_is_linear(unit: str) -> None:
    assert_linear(lambda n: lambda: markdown_layout(unit * n), 1_000)


def test_backtick_runs_of_growing_length_are_linear() -> None:
    def make(n: int):
        text = "".join("`" * k + "x" for k in range(1, n))
        return lambda: list(_code_spans(text))

    assert_linear(make, 150)
