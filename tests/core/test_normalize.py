import pytest

from lint.core.normalize import MatchText, fold


def test_fold_keeps_length_and_folds_width_script_and_case() -> None:
    text = "幹細胞ＭＳＣ療法，１００％有效！"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "干细胞msc疗法,100%有效!"


def test_fold_leaves_simplified_and_ideographic_punctuation() -> None:
    assert fold("干细胞。“根治”、《柳叶刀》") == "干细胞。“根治”、《柳叶刀》"


def test_match_text_removes_evasion_gaps_and_maps_back() -> None:
    original = "可以根 治，也能根-治，还能根·治。"
    match = MatchText.build(fold(original))
    assert match.text == "可以根治,也能根治,还能根治。"
    first = match.text.index("根治")
    assert match.original_span(first, first + 2) == (2, 5)
    second = match.text.index("根治", first + 1)
    assert original[slice(*match.original_span(second, second + 2))] == "根-治"
    third = match.text.rindex("根治")
    assert original[slice(*match.original_span(third, third + 2))] == "根·治"


def test_gaps_between_latin_or_digits_are_kept() -> None:
    assert MatchText.build("stem cell 2 - 3").text == "stem cell 2 - 3"


def test_match_text_without_gaps_is_identity() -> None:
    match = MatchText.build("干细胞疗法")
    assert match.original(3) == 3
    assert match.original_span(0, 5) == (0, 5)


def test_kept_folds_are_used_without_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    from lint.core import normalize

    monkeypatch.setattr(normalize, "_SEEN", set())
    monkeypatch.setattr(normalize, "_TABLE", {})
    monkeypatch.setattr(normalize, "FOLDS", {})
    monkeypatch.setattr(normalize, "FOLDS_ADDED", set())
    learned = normalize.fold("臟器療效Ａ")
    assert learned == "脏器疗效a"
    kept = dict(normalize.FOLDS)
    assert set("臟器療效Ａ") == normalize.FOLDS_ADDED
    monkeypatch.setattr(normalize, "_SEEN", set())
    monkeypatch.setattr(normalize, "_TABLE", {})

    def no_opencc() -> object:
        raise AssertionError("OpenCC was loaded for characters whose folds were kept")

    monkeypatch.setattr(normalize, "_t2s", no_opencc)
    normalize.adopt_folds(kept)
    assert normalize.fold("療效臟器ａ") == "疗效脏器a"
