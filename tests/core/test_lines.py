from lint.core.lines import line_starts, split_lines


def test_every_line_terminator_counts_once() -> None:
    text = "a\r\nb\rc\nd"
    assert line_starts(text) == [0, 3, 5, 7]
    assert split_lines(text) == ["a", "b", "c", "d"]


def test_empty_and_trailing_lines() -> None:
    assert line_starts("") == [0] and split_lines("") == [""]
    assert line_starts("x\n") == [0, 2] and split_lines("x\n") == ["x", ""]
    assert len(line_starts("\r\r\n\n")) == len(split_lines("\r\r\n\n")) == 4
