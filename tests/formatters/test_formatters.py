import json

from lint import lint
from lint.formatters.json import SCHEMA_VERSION, format_json
from lint.formatters.report import FileReport
from lint.formatters.text import format_text

TEXT = "干细胞可以根治狼疮。"


def _report() -> FileReport:
    return FileReport("a.txt", tuple(lint(TEXT)), None, TEXT)


def test_json_schema() -> None:
    data = json.loads(format_json([_report(), FileReport("b.bin", error="binary file")]))
    assert data["version"] == SCHEMA_VERSION
    first, second = data["files"]
    assert second == {"path": "b.bin", "error": "binary file", "note": None, "problems": [], "findings": []}
    assert first["error"] is None
    finding = next(f for f in first["findings"] if f["rule"] == "cure_or_guarantee.cure-term")
    assert set(finding) == {
        "rule",
        "category",
        "severity",
        "start",
        "end",
        "line",
        "column",
        "end_line",
        "end_column",
        "text",
        "message",
        "suggestion",
        "basis",
        "fix",
        "related",
    }
    assert (finding["start"], finding["end"], finding["text"], finding["severity"]) == (5, 7, "根治", "error")


def test_text_output_marks_the_span_under_wide_characters() -> None:
    output = format_text([_report()])
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if "cure_or_guarantee.cure-term" in line)
    assert lines[header].startswith("a.txt:1:6: error cure_or_guarantee.cure-term [cure_or_guarantee] “根治”")
    assert lines[header + 2] == "1 | 干细胞可以根治狼疮。"
    assert lines[header + 3] == "  |           ^^^^"
    assert output.rstrip().endswith("in 1 file")


def test_text_output_lists_unreadable_files() -> None:
    output = format_text([FileReport("x.txt", error="binary file (contains NUL bytes)")])
    assert "x.txt: error: binary file (contains NUL bytes)" in output
    assert "1 file could not be read" in output
