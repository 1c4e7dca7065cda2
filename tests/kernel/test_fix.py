from lint import LintConfig, lint
from lint.kernel.fix import apply_fixes, unified_diff
from tests.helpers import document


def _fixed(text: str) -> str:
    doc = document(text)
    new, _ = apply_fixes(doc, lint(text, LintConfig(select=frozenset({"overclaim", "cure_or_guarantee"}))))
    return new


def test_safe_replacements_are_applied() -> None:
    assert _fixed("干细胞是革命性的疗法，可以根治狼疮。") == "干细胞是新的的疗法，可以改善狼疮。"


def test_variants_map_to_the_same_replacement() -> None:
    assert _fixed("幹細胞可以根 治狼瘡。") == "幹細胞可以改善狼瘡。"


def test_cited_titles_and_unfixable_terms_are_left_alone() -> None:
    text = "2020年在《干细胞根治狼疮的研究》中提到，这是患者的救星。"
    assert _fixed(text) == text


def test_diff() -> None:
    diff = unified_diff("a.txt", "可以根治。\n", "可以改善。\n")
    assert diff.splitlines() == ["--- a/a.txt", "+++ b/a.txt", "@@ -1 +1 @@", "-可以根治。", "+可以改善。"]
