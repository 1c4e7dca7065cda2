import os
from pathlib import Path

import pytest

from lint.io.files import replace_text, write_text_atomic


def test_write_text_atomic_creates_the_folder_and_a_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "report" / "index.html"
    write_text_atomic(target, "<p>干细胞</p>")
    assert target.read_text(encoding="utf-8") == "<p>干细胞</p>"
    assert target.stat().st_mode & 0o777 == 0o644
    assert os.listdir(target.parent) == ["index.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    blocked = tmp_path / "page.html"
    blocked.mkdir()
    with pytest.raises(OSError):
        write_text_atomic(blocked, "new")
    assert os.listdir(tmp_path) == ["page.html"] and blocked.is_dir()


def test_replace_text_keeps_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "article.md"
    target.write_text("旧", encoding="utf-8")
    target.chmod(0o600)
    replace_text(target, "新", "gb18030")
    assert target.read_bytes() == "新".encode("gb18030") and target.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["article.md"]
