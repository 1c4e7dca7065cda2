from lint.io.htmltext import html_to_text


def test_scripts_styles_and_navigation_outside_article_are_dropped() -> None:
    page = (
        "<html><body><nav>根治</nav><article><p>甲</p><script>根治()</script><p>乙&amp;丙</p></article></body></html>"
    )
    assert html_to_text(page) == "甲\n乙&丙"


def test_body_is_used_without_article_and_br_breaks_lines() -> None:
    assert html_to_text("<body><div>第一行<br>第二行</div></body>") == "第一行\n第二行"


def test_malformed_markup_does_not_raise() -> None:
    assert html_to_text("<p>未闭合<b>加粗<p>下一段") == "未闭合加粗\n下一段"
