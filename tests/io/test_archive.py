import json
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
