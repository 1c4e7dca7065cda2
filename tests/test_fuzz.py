"""Property-based fuzzing (hypothesis) of the kernel and the readers: whatever the input, the kernel returns
sorted, in-bounds, deterministic findings, and a reader either returns text or raises its own error type.
Example counts are small so the suite stays fast; `bench/stress.py` is the long run."""

import io
import json
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint import LintConfig, lint
from lint.core.lines import split_lines
from lint.core.markup import markdown_layout
from lint.io.archive import iter_jsonl, iter_zip
from lint.io.htmltext import MarkupError, html_to_text
from lint.io.sources import SourceError, decode, source_from_bytes
from lint.kernel.suppress import directives
from tests.hostile import PROSE

FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
# the characters hostile text is made of: prose, punctuation the segmenters split on, markup, controls
ALPHABET = st.one_of(
    st.sampled_from(list("根治无副作用安全有效研究显示。，；：？！“”《》（）、\n\r\t ")),
    st.sampled_from(list("#*`[]()<>!-_|>&;\\/:")),
    st.characters(codec="utf-8"),
)
TEXT = st.one_of(
    st.text(ALPHABET, max_size=300),
    st.lists(st.sampled_from(PROSE) | st.text(ALPHABET, max_size=20), max_size=12).map("".join),
)


def _check_findings(text: str, syntax: str) -> None:
    findings = lint(text, LintConfig(), syntax)  # type: ignore[arg-type]
    assert findings == sorted(findings, key=lambda f: f.sort_key)
    lines = split_lines(text)
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.text == text[finding.start : finding.end]
        assert 1 <= finding.line <= len(lines) and finding.line <= finding.end_line
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1
    assert lint(text, LintConfig(), syntax) == findings  # type: ignore[arg-type]


@FUZZ
@given(TEXT)
def test_kernel_on_any_plain_text(text: str) -> None:
    _check_findings(text, "text")


@FUZZ
@given(TEXT)
def test_kernel_on_any_markdown(text: str) -> None:
    assert len(markdown_layout(text).masked) == len(text)
    _check_findings(text, "markdown")


@FUZZ
@given(st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_decoding_returns_text_or_a_source_error(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except SourceError:
        return
    assert isinstance(text, str) and encoding
    text.encode("utf-8")


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["text", "markdown", "html", "docx"]))
def test_every_reader_returns_a_source_or_a_source_error(data: bytes, kind: str) -> None:
    try:
        source = source_from_bytes("fuzz", data, kind)
    except SourceError:
        return
    assert isinstance(source.text, str) and source.text.encode("utf-8").decode("utf-8") == source.text


MARKUP = st.lists(
    st.sampled_from(["<p>", "</p>", "<div>", "<!--", "-->", "<article>", "<script>", "&amp", "<br>", "<", ">", '"'])
    | st.sampled_from(PROSE)
    | st.text(ALPHABET, max_size=10),
    max_size=40,
).map("".join)


@FUZZ
@given(MARKUP)
def test_html_extraction_never_raises_but_its_own_error(markup: str) -> None:
    try:
        text = html_to_text(markup)
    except MarkupError:
        return
    assert "\n\n" not in text and text == text.strip()


@FUZZ
@given(
    st.lists(
        st.binary(max_size=80)
        | st.builds(
            json.dumps,
            st.dictionaries(st.sampled_from(["id", "title", "text"]), st.text(max_size=20) | st.integers() | st.none()),
        ).map(str.encode),
        max_size=10,
    )
)
def test_every_json_line_is_one_entry(tmp_path_factory, lines: list[bytes]) -> None:
    path = Path(tmp_path_factory.mktemp("jsonl")) / "export.jsonl"
    cleaned = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    path.write_bytes(b"\n".join(cleaned))
    articles = list(iter_jsonl(path))
    if cleaned and cleaned[0].startswith(b"\xef\xbb\xbf"):  # a byte-order mark before the first record is no text
        cleaned[0] = cleaned[0][3:]
    assert len(articles) == sum(1 for line in cleaned if line.strip())
    assert len({a.id for a in articles}) == len(articles)
    for article in articles:
        article.id.encode("utf-8")
        (article.text or "").encode("utf-8")


@FUZZ
@given(
    st.binary(max_size=600),
    st.dictionaries(st.text("ab/.\\:文章", min_size=1, max_size=12), st.binary(max_size=60), max_size=5),
)
def test_zip_reading_never_raises(tmp_path_factory, noise: bytes, members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name + ".txt", data)
    data = bytearray(buffer.getvalue())
    for index, byte in enumerate(noise[:20]):
        if data:
            data[(index * 7919 + byte) % len(data)] = byte
    path = Path(tmp_path_factory.mktemp("zip")) / "fuzz.zip"
    path.write_bytes(bytes(data) if noise else bytes(data) + noise)
    for article in iter_zip(path):
        assert article.error or article.data is not None


@FUZZ
@given(TEXT)
def test_suppression_directives_parse_any_text(text: str) -> None:
    for directive in directives(text):
        assert directive.action in ("disable", "enable", "disable-next-line")
        assert 1 <= directive.line <= text.count("\n") + 1
