import json
import os
import zipfile
from pathlib import Path

from lint.io.archive import count_articles, iter_articles, iter_jsonl, iter_zip


def test_jsonl_records_text_field_and_malformed_lines(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text(
        json.dumps({"id": "a1", "title": "标题", "body": "干细胞可以根治狼疮。"}, ensure_ascii=False)
        + "\n{broken\n\n"
        + json.dumps({"id": "a3", "text": "x"})
        + "\n[1, 2]\n",
        encoding="utf-8",
    )
    articles = list(iter_jsonl(export, text_field="body"))
    assert [(a.id.split("#")[1], a.title, a.text, a.error is not None) for a in articles] == [
        ("a1", "标题", "干细胞可以根治狼疮。", False),
        ("2", "", None, True),
        ("a3", "", None, True),
        ("5", "", None, True),
    ]
    assert "malformed JSON on line 2" in (articles[1].error or "")
    assert "no string field 'body'" in (articles[2].error or "")


def test_zip_is_read_in_memory_and_traversal_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("docs/one.txt", "甲")
        archive.writestr("../../etc/evil.txt", "乙")
        archive.writestr("/abs.md", "丙")
        archive.writestr("image.png", b"\x89PNG")
        archive.writestr("drafts/two.md", "丁")
    found = {a.id.split("!")[1]: a for a in iter_zip(path, exclude=("drafts/*",))}
    assert sorted(found) == ["../../etc/evil.txt", "/abs.md", "docs/one.txt"]
    assert found["docs/one.txt"].data == "甲".encode()
    assert "unsafe path" in (found["../../etc/evil.txt"].error or "")
    assert "unsafe path" in (found["/abs.md"].error or "")
    assert not (tmp_path / "etc").exists()


def test_broken_zip_and_oversized_files_are_error_entries(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK not a zip")
    (tmp_path / "big.txt").write_text("字" * 100, encoding="utf-8")
    (tmp_path / "ok.txt").write_text("短", encoding="utf-8")
    articles = {Path(a.id).name: a for a in iter_articles([tmp_path], max_bytes=50)}
    assert "not a readable zip" in (articles["bad.zip"].error or "")
    assert "too large" in (articles["big.txt"].error or "")
    assert articles["ok.txt"].error is None


def test_directory_include_exclude_and_stable_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "skip/c.txt", ".hidden/d.txt", "e.png"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x", encoding="utf-8")
    ids = [Path(a.id).relative_to(tmp_path).as_posix() for a in iter_articles([tmp_path], exclude=("skip/*",))]
    assert ids == ["a.md", "b.txt"]


def test_count_matches_the_stream_without_reading_articles(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "news" / "a.md").write_text("干细胞", encoding="utf-8")
    (site / "b.txt").write_text("干细胞", encoding="utf-8")
    (site / "logo.png").write_bytes(b"\x89PNG")
    (site / ".hidden.txt").write_text("x", encoding="utf-8")
    (site / "export.jsonl").write_text('{"id": 1, "text": "a"}\n\n{broken\n{"id": 3, "text": "c"}\n', encoding="utf-8")
    with zipfile.ZipFile(site / "bundle.zip", "w") as bundle:
        bundle.writestr("ok.txt", "干细胞")
        bundle.writestr("../escape.txt", "x")
        bundle.writestr("image.png", b"x")
        bundle.writestr("folder/", b"")
    (site / "broken.zip").write_bytes(b"not a zip")
    loose = tmp_path / "loose.bin"
    loose.write_bytes(b"\x00\x01")
    inputs = [site, loose]
    assert count_articles(inputs) == len(list(iter_articles(inputs))) == 9
    assert count_articles(inputs, exclude=("*.jsonl",)) == len(list(iter_articles(inputs, exclude=("*.jsonl",)))) == 6


def test_hostile_zip_members_are_each_an_entry_with_its_own_error(tmp_path: Path) -> None:
    from tests.hostile import hostile_zip_members

    path = tmp_path / "hostile.zip"
    path.write_bytes(hostile_zip_members())
    entries = [(a.id.split("!", 1)[1], a) for a in iter_zip(path)]
    ids = [name for name, _ in entries]
    assert len(ids) == len(set(ids)) == count_articles([path])
    found = dict(entries)
    assert found["ok.txt"].data == "该疗法可以根治。".encode()
    assert found["word.docx"].kind == "docx" and found["word.docx"].error is None
    assert (found["corrupt.txt"].error or "").startswith("cannot read zip member: zlib.error: Error -3")
    assert found["nul"].error == "skipped: member name contains a NUL byte ('nul\\\\0name.txt')"
    assert "unsafe path" in (found["../escape.txt"].error or "")
    assert "unsupported compression method 9" in (found["deflate64.txt"].error or "")
    assert found["encrypted.txt"].error == "encrypted zip member: cannot be read"
    assert "a zip bomb" in (found["bomb.txt"].error or "")
    first, second = found["dup.txt"], next(a for name, a in entries if name.startswith("dup.txt ("))
    assert (first.data, second.data) == ("第一份。".encode(), "第二份。".encode())
    assert [name for name in ids if name.startswith("dup.txt")] == ["dup.txt", "dup.txt (entry 11)"]


def test_hostile_jsonl_lines_are_each_an_entry(tmp_path: Path) -> None:
    from tests.hostile import hostile_jsonl

    path = tmp_path / "export.jsonl"
    path.write_bytes(hostile_jsonl())
    articles = list(iter_jsonl(path))
    ids = [a.id.split("#", 1)[1] for a in articles]
    assert len(ids) == len(set(ids)) == count_articles([path]) == 14
    by_id = dict(zip(ids, articles, strict=True))
    assert by_id["first"].text == "可以根治。"
    assert (by_id["dup"].title, by_id["dup (line 3)"].title) == ("一", "二")
    surrogate = by_id["surrogate"]
    assert (surrogate.title, surrogate.text) == ("\ufffd", "lone \ufffd surrogate 根治")
    surrogate.text.encode("utf-8")
    assert by_id["5"].error == "line 5 nests JSON deeper than 64 levels"
    assert by_id["6"].text == "id 是对象。"
    assert by_id["7"].error == "line 7 has no string field 'text'"
    assert by_id["8"].error == "line 8 is not a JSON object"
    assert "malformed JSON on line 9" in (by_id["9"].error or "")
    assert by_id["crlf"].text == "行一\r\n行二"
    assert by_id["nul"].text == "a\x00b"
    assert "malformed JSON on line 14" in (by_id["14"].error or "")


def test_json_depth_check_is_linear() -> None:
    from lint.io.archive import _json_depth_exceeds
    from tests.scaling import assert_linear

    assert_linear(
        lambda n: lambda: _json_depth_exceeds(b'{"a": "[[[", "b": ' + b"[" * n + b"]" * n + b"}", 10**9), 50_000
    )
    assert _json_depth_exceeds(b'{"a": ' + b"[" * 64 + b"]" * 64 + b"}", 64)
    assert not _json_depth_exceeds(b'{"a": "' + b"[" * 500 + b'"}', 64)


def test_bad_links_in_a_directory_are_listed_as_skipped(tmp_path: Path) -> None:
    from tests.hostile import bad_links

    (tmp_path / "ok.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "real").mkdir()
    os.symlink("ok.txt", tmp_path / "alias.txt")
    os.symlink("missing.png", tmp_path / "picture.png")
    expected = bad_links(tmp_path)
    entries = {Path(a.id).name: a for a in iter_articles([tmp_path])}
    assert sorted(entries) == sorted(["ok.txt", "alias.txt", *expected])
    assert entries["alias.txt"].data == "正文".encode()
    assert entries["loop-a.txt"].error == "skipped: symbolic link loop"
    assert (entries["dangling.md"].error or "").startswith("skipped: dangling symbolic link")
    assert entries["self-dir"].error == "skipped: symbolic link to a directory (not followed)"
    assert count_articles([tmp_path]) == len(entries)


def test_an_id_that_names_an_earlier_error_line_gets_its_own_line_number(tmp_path: Path) -> None:
    """An error entry is named by its line (`export.jsonl#2`); a later record whose id is that line's number is
    told apart by its own, so that every entry of the output names one line."""
    path = tmp_path / "export.jsonl"
    path.write_text('{"id": "a", "text": "一"}\n{"id": "b"}\n{"id": 2, "text": "二"}\n{"id": 3, "text": "三"}\n')
    ids = [article.id.removeprefix(f"{path}#") for article in iter_jsonl(path)]
    assert ids == ["a", "b", "2", "3"]
    path.write_text('{"id": "a", "text": "一"}\nnot json\n{"id": 2, "text": "二"}\n')
    ids = [article.id.removeprefix(f"{path}#") for article in iter_jsonl(path)]
    assert ids == ["a", "2", "2 (line 3)"]
