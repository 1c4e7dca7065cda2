from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from lint.analysis.segment import Segmenter
from lint.io import segmenter as segmenter_module
from lint.io.language import default_language
from lint.io.segmenter import TableSegmenter, cache_dir


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
    fresh_cache.mkdir()
    (fresh_cache / "segmenter-from-older-sources.marshal").write_bytes(b"stale")
    first = fresh_segmenter()
    [table] = fresh_cache.glob("segmenter-*.marshal")
    again = fresh_segmenter()
    assert again is not first and again.frequencies == first.frequencies and again.total == first.total
    table.write_bytes(b"not a marshal table")
    assert fresh_segmenter().frequencies == first.frequencies
    assert table.read_bytes() != b"not a marshal table"


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
    frequencies, total = segmenter_module._compile(source, user, {"改善"})
    words = {word: frequency for word, frequency in frequencies.items() if frequency}
    table = Segmenter(frequencies, total)
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
