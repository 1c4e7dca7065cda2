import pytest

from lint.analysis.evidence import evidence
from lint.analysis.numerals import parse_number
from lint.io.language import default_language
from tests.helpers import document


@pytest.mark.parametrize(
    ("text", "value"),
    [("9", 9), ("12.5", 12.5), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("两百", 200), ("一百零五", 105)],
)
def test_numbers_arabic_and_written_out(text: str, value: float) -> None:
    assert parse_number(default_language(), text) == value


def test_one_parser_reads_study_sizes_and_arm_figures() -> None:
    """The evidence model reads a written-out participant count with the same parser as the arm figures: a study
    of 一百二十名 patients is not small (it was once read as 12)."""
    doc = document("一项纳入一百二十名失眠患者的随机试验发现，睡眠时间延长。")
    [block] = evidence(doc).blocks
    assert block.size == 120
