import pytest

from lint.io.htmltext import MarkupError, html_to_text
from tests.scaling import assert_linear


def test_scripts_styles_and_navigation_outside_article_are_dropped() -> None:
    page = (
        "<html><body><nav>根治</nav><article><p>甲</p><script>根治()</script><p>乙&amp;丙</p></article></body></html>"
    )
    assert html_to_text(page) == "甲\n乙&丙"


def test_body_is_used_without_article_and_br_breaks_lines() -> None:
    assert html_to_text("<body><div>第一行<br>第二行</div></body>") == "第一行\n第二行"


def test_malformed_markup_does_not_raise() -> None:
    assert html_to_text("<p>未闭合<b>加粗<p>下一段") == "未闭合加粗\n下一段"


WECHAT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>关节养护新方法</title>
<script>var msg_title = "根治关节炎";</script></head>
<body id="activity-detail" class="zh_CN">
<div class="rich_media_wrp"><div class="rich_media_area_primary">
<h1 class="rich_media_title" id="activity-name">
  关节养护新方法
</h1>
<div id="meta_content" class="rich_media_meta_list">
  <span class="rich_media_meta rich_media_meta_text">健康小编</span>
  <a id="js_name">某某健康号</a><em id="publish_time">2024-03-05 08:00</em>
</div>
<div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
  <section><p>膝盖疼痛困扰着很多中老年人。</p>
  <p><span>我们的凝胶可以<strong>根治</strong>关节炎，</span><span>无副作用。</span></p>
  <!-- healthlint-disable-next-line fear_appeal -->
  <p>再不处理就会瘫痪。</p></section>
</div>
<div id="js_tags" class="article-tag__list">#关节 #养生</div>
<div class="rich_media_tool" id="js_toobar3"><div id="js_read_area3">阅读 <span id="readNum3">10万+</span></div>
<a id="like3">在看</a><span>分享</span></div>
<div id="js_pc_qr_code"><p>微信扫一扫<br>关注该公众号</p></div>
</div></div>
<div class="weui-dialog"><p>继续滑动看下一个</p><button>轻触阅读原文</button></div>
</body></html>"""


def test_wechat_article_body_and_title_without_page_chrome() -> None:
    assert html_to_text(WECHAT_PAGE) == (
        "关节养护新方法\n"
        "膝盖疼痛困扰着很多中老年人。\n"
        "我们的凝胶可以根治关节炎，无副作用。\n"
        "<!-- healthlint-disable-next-line fear_appeal -->\n"
        "再不处理就会瘫痪。"
    )


def test_wechat_findings_point_into_the_extracted_body() -> None:
    from lint import lint
    from lint.io.sources import source_from_bytes

    source = source_from_bytes("page.html", WECHAT_PAGE.encode(), "html")
    findings = lint(source.text)
    assert findings
    for finding in findings:
        assert source.text[finding.start : finding.end] == finding.text
        line = source.text.split("\n")[finding.line - 1]
        assert (
            line[finding.column - 1 : finding.column - 1 + len(finding.text)] == finding.text
            or finding.end_line > finding.line
        )
    cure = next(f for f in findings if f.rule == "cure_or_guarantee.cure-term")
    assert (cure.text, cure.line, cure.column) == ("根治", 3, 8)
    assert not any(word in source.text for word in ("微信扫一扫", "阅读", "10万+", "在看", "健康小编", "轻触"))
    assert not any(f.rule.startswith("fear_appeal") for f in findings)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '<body><header><a>网站首页</a><a>热门专题：根治秘方</a></header><article class="post">'
            '<header class="entry-header"><h1 class="entry-title">护肝片测评</h1><span>作者 小李</span></header>'
            '<div class="entry-content"><p>坚持服用，肝功能一定恢复正常。</p></div>'
            '<footer class="entry-footer">标签：保健</footer></article>'
            '<aside class="widget">最新文章：包治百病的偏方</aside></body>',
            "护肝片测评\n坚持服用，肝功能一定恢复正常。",
        ),
        (
            '<body><div class="sidebar">排行榜第一名</div><div itemscope>'
            '<h1 itemprop="headline">助眠喷雾上市</h1><div itemprop="articleBody"><p>一喷入睡。</p></div></div></body>',
            "助眠喷雾上市\n一喷入睡。",
        ),
        (
            '<body><div id="nav">首页 | 政务公开</div><div class="TRS_Editor"><p>关于查处违法广告的通报。</p>'
            "</div><div>主办单位：某某局</div></body>",
            "关于查处违法广告的通报。",
        ),
        (
            '<body><div class="post-content"></div><main><p>正文在这里。</p></main><footer>版权所有</footer></body>',
            "正文在这里。",
        ),
        (
            "<body><article><p>甲</p><article><p>乙</p></article></article><article><p>丙</p></article></body>",
            "甲\n乙\n丙",
        ),
    ],
    ids=["wordpress", "schema-org", "government-cms", "empty-body-falls-back", "nested-articles-once"],
)
def test_common_cms_layouts(page: str, expected: str) -> None:
    assert html_to_text(page) == expected


def test_forms_buttons_and_navigation_are_not_text() -> None:
    page = "<body><nav>菜单</nav><p>正文。</p><form><label>姓名</label><button>提交</button></form></body>"
    assert html_to_text(page) == "正文。"


@pytest.mark.parametrize(
    "unit", ["<!--", "<div>", "<", "<a ", '<p a="', "&#", "<table><tr><td>", "<b><i>", "<script>", "<ul><li>"]
)
def test_hostile_markup_is_linear(unit: str) -> None:
    def extract(markup: str) -> str:
        try:
            return html_to_text(markup)
        except MarkupError as error:
            return str(error)

    assert_linear(lambda n: lambda: extract(unit * n + "正文"), 20_000)


def test_nesting_past_the_parser_limit_is_a_clear_error() -> None:
    from lint.io.sources import SourceError, source_from_bytes

    with pytest.raises(SourceError, match="HTML nested deeper than 2048 elements"):
        source_from_bytes("deep.html", ("<div>" * 3000 + "正文").encode(), "html")
    assert html_to_text("<div>" * 2000 + "正文") == "正文"


def test_unclosed_comments_hide_the_rest_as_a_browser_does() -> None:
    assert html_to_text("<p>正文。</p><!--" * 3) == "正文。"
    assert html_to_text("<!--" * 10_000) == ""
