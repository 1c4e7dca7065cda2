from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jieba
import pytest

from lint.analysis.segment import Segmenter
from lint.core import matcher
from lint.io import kept
from lint.io import segmenter as segmenter_module
from lint.io.language import default_language
from lint.io.segmenter import TableSegmenter, cache_dir
from lint.io.sources import read_source
from tests.helpers import FIXTURES, ROOT, document


def fresh_segmenter() -> Segmenter:
    shipped = default_language().segmenter
    assert isinstance(shipped, TableSegmenter)
    return TableSegmenter(shipped.dictionary, shipped.keep).load()


def test_the_table_is_pruned_but_keeps_the_user_dictionary() -> None:
    table = default_language().segmenter.load()
    words = [word for word, frequency in table.frequencies.items() if frequency]
    assert segmenter_module.KEEP_WORDS < len(words) < 100_000
    assert table.frequencies["ipsc"] == 20000


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_compiled_table_is_cached_on_disk(fresh_cache: Path) -> None:
    assert cache_dir() == fresh_cache
    first = fresh_segmenter()
    [table] = fresh_cache.glob("segmenter-*.marshal")
    again = fresh_segmenter()
    assert again is not first and again.frequencies == first.frequencies and again.total == first.total
    table.write_bytes(b"not a marshal table")
    assert fresh_segmenter().frequencies == first.frequencies
    assert table.read_bytes() != b"not a marshal table"


def test_a_kept_table_decodes_only_the_groups_its_texts_start_words_with(fresh_cache: Path) -> None:
    first = fresh_segmenter()
    again = fresh_segmenter()
    text = "她的干细胞治疗有所改善,ipsc 与 car-t 另说。"
    assert list(again.cut(text)) == list(first.cut(text))
    decoded = set(dict.keys(again._buckets))
    assert decoded <= set(text) and {"干", "治", "有"} <= decoded
    assert again.frequency("干细胞") == first.frequency("干细胞") > 1 and again.frequency("干细") == 0
    assert again.frequencies == first.frequencies


def test_installs_share_a_table_and_never_evict_each_other(
    fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segmenter_module, "_compile", lambda *sources: ({"干细胞": 5, "干": 0, "干细": 0}, 5))
    fresh_cache.mkdir()
    other_install = fresh_cache / "segmenter-0123456789abcdef01234567.marshal"
    other_install.write_bytes(b"another release's table")
    forgotten = fresh_cache / "segmenter-fedcba9876543210fedcba98.marshal"
    forgotten.write_bytes(b"a table nobody has read for months")
    old = time.time() - (kept.STALE_DAYS + 1) * 86_400
    os.utime(forgotten, (old, old))
    fresh_segmenter()
    [table] = [p for p in fresh_cache.glob("segmenter-*.marshal") if p not in (other_install, forgotten)]
    assert other_install.read_bytes() == b"another release's table" and not forgotten.exists()
    # a copy of the same sources elsewhere (a second environment) finds the same table by their content
    shipped = default_language().segmenter
    assert isinstance(shipped, TableSegmenter)
    copy = tmp_path / "install-b" / "dictionary.txt"
    copy.parent.mkdir()
    copy.write_bytes(shipped.dictionary.read_bytes())
    TableSegmenter(copy, shipped.keep).load()
    assert [p for p in fresh_cache.glob("segmenter-*.marshal") if p not in (other_install, table)] == []
    assert len(list(fresh_cache.glob("segmenter-sources-*.txt"))) == 2
    copy.write_text("干细胞疗法 30000\n", encoding="utf-8")
    TableSegmenter(copy, shipped.keep).load()
    assert len(list(fresh_cache.glob("segmenter-*.marshal"))) == 3 and table.exists()


def _routes() -> tuple[Segmenter, Segmenter]:
    table = default_language().segmenter.load()
    compiled = Segmenter(table.frequencies, table.total, 0)
    if not compiled.compile():
        pytest.skip("rjieba is not installed")
    return Segmenter(table.frequencies, table.total), compiled


def _texts() -> list[str]:
    """The seed and fixture articles, and those of the folders in `HEALTHLINT_TOKEN_TEXTS` (os.pathsep-separated)."""
    folders = [ROOT / "seeds", FIXTURES / "articles"]
    folders += [Path(p) for p in os.environ.get("HEALTHLINT_TOKEN_TEXTS", "").split(os.pathsep) if p]
    return [read_source(path).text for folder in folders for path in sorted(folder.iterdir()) if path.is_file()]


def test_the_compiled_route_gives_the_same_words_on_every_sentence() -> None:
    python, compiled = _routes()
    sentences = 0
    for text in _texts():
        doc = document(text)
        for sentence in doc.sentences:
            piece = doc.folded[sentence.start : sentence.end]
            assert list(compiled.cut(piece)) == list(python.cut(piece)), piece
            sentences += 1
    assert sentences > 500
    assert compiled.compiled and not python.compiled


def test_the_compiled_route_on_hostile_and_mixed_text() -> None:
    python, compiled = _routes()
    for text in (
        "car-t细胞 治疗ipsc123例\r\n患者,疗效显著。",
        "干细胞" * 2000,
        "a" * 500 + "1.5%" + "-" * 40 + "#&_%",
        "㐀䶵\U00020000鿕鿖龥 ﬁ\u3000\t\n干细胞",
        "\U0010fffd干细胞\U0010fffd",
    ):
        assert list(compiled.cut(text)) == list(python.cut(text)), text


def test_the_compiled_route_is_loaded_after_enough_text(monkeypatch: pytest.MonkeyPatch) -> None:
    table = default_language().segmenter.load()
    lazy = Segmenter(table.frequencies, table.total, 6)
    assert list(lazy.cut("干细胞治疗")) == ["干细胞治疗"] and not lazy.compiled
    assert list(lazy.cut("干细胞治疗")) == ["干细胞治疗"]
    assert lazy.compiled or pytest.importorskip("rjieba") is None
    never = Segmenter(table.frequencies, table.total)
    assert not never.compile() and list(never.cut("干细胞治疗" * 5000))[:1] == ["干细胞治疗"]


def test_pure_python_is_kept_when_asked(monkeypatch: pytest.MonkeyPatch, fresh_cache: Path) -> None:
    monkeypatch.setenv(matcher.PURE_PYTHON, "1")
    segmenter = fresh_segmenter()
    assert not segmenter.compile() and not segmenter.compiled
    monkeypatch.delenv(matcher.PURE_PYTHON)
    assert fresh_segmenter().compile() or pytest.importorskip("rjieba") is None


def test_without_rjieba_the_python_route_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rjieba", None)
    table = default_language().segmenter.load()
    segmenter = Segmenter(table.frequencies, table.total, 0)
    assert not segmenter.compile()
    assert list(segmenter.cut("干细胞治疗ipsc")) == ["干细胞治疗", "ipsc"]


def test_an_unwritable_cache_directory_still_segments(fresh_cache: Path) -> None:
    fresh_cache.parent.mkdir(exist_ok=True)
    fresh_cache.write_text("a file where the directory should be")
    segmenter = fresh_segmenter()
    assert isinstance(segmenter, Segmenter)
    assert list(segmenter.cut("干细胞治疗")) == ["干细胞治疗"]


def test_the_table_is_loaded_on_first_use_only(fresh_cache: Path) -> None:
    shipped = default_language().segmenter
    assert isinstance(shipped, TableSegmenter)
    lazy = TableSegmenter(shipped.dictionary, shipped.keep)
    assert not fresh_cache.exists()
    assert list(lazy.cut("干细胞治疗")) == ["干细胞治疗"]
    assert len(list(fresh_cache.glob("segmenter-*.marshal"))) == 1
    assert lazy.load() is lazy.load()


def test_compile_prunes_and_adds_user_words_as_jieba_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segmenter_module, "KEEP_WORDS", 2)
    source = tmp_path / "dict.txt"
    source.write_text("治疗 500 v\n干细胞 300 n\n细胞 200 n\n有所改善 3 l\n罕见词 1 n\n", encoding="utf-8")
    user = tmp_path / "user.txt"
    user.write_text("ipsc 20000\n干细胞治疗\n", encoding="utf-8")
    buckets, total = segmenter_module._compile(source, user, {"改善"})
    table = Segmenter(buckets, total)
    frequencies = table.frequencies
    words = {word: frequency for word, frequency in frequencies.items() if frequency}
    assert all(word.startswith(first) for first, group in buckets.items() for word in group)
    assert set(words) == {"治疗", "干细胞", "有所改善", "ipsc", "干细胞治疗"}
    assert frequencies["有所"] == 0 and "罕见词" not in frequencies
    assert total == sum(words.values())
    reference = jieba.Tokenizer()
    reference.FREQ, reference.total, reference.initialized = {"治疗": 500, "干细胞": 300, "有所改善": 3}, 803, True
    reference.FREQ.update({"治": 0, "干": 0, "干细": 0, "有": 0, "有所": 0, "有所改": 0})
    reference.add_word("ipsc", 20000)
    reference.add_word("干细胞治疗")
    assert words["干细胞治疗"] == reference.FREQ["干细胞治疗"]
    assert list(table.cut("干细胞治疗")) == ["干细胞治疗"]


def test_cache_directory_without_configuration_or_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HEALTHLINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "healthlint"
    monkeypatch.delenv("XDG_CACHE_HOME")

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache_dir().name == "healthlint-cache"


def test_the_kept_entries_are_the_most_frequent_and_those_holding_a_kept_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segmenter_module, "KEEP_WORDS", 4)
    lines = ["甲 9 n", "乙 5 n", "丙丁 5 n", "戊 5 n", "己 5 n", "庚改善 1 v", "辛 2 n", "乙 5 n", "壬 7"]
    kept = segmenter_module._kept_entries("\n".join(lines) + "\n", {"改善"})
    ranked = sorted(((int(line.split()[1]), line.split()[0]) for line in lines), key=lambda e: (-e[0], e[1]))
    naive = [entry for rank, entry in enumerate(ranked) if rank < 4 or "改善" in entry[1]]
    assert kept == naive == [(9, "甲"), (7, "壬"), (5, "丙丁"), (5, "乙"), (1, "庚改善")]
