"""Article text from HTML: the article body, one block a line.

The page is parsed with lxml (libxml2's HTML parser: linear in the input, including hostile markup such as
runs of unclosed comments or tags). The text comes from the article body when the page marks one — WeChat's
`#js_content`, `itemprop="articleBody"`, the content containers of common CMS themes — with the article's
title put before it; else from every `<article>`, else `<main>`, else `<body>`. Scripts, styles, forms and
navigation are dropped, so page chrome (share prompts, read counts, menus) is not linted.
"""

from __future__ import annotations

from collections.abc import Iterator

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
_HIDDEN_TAGS = frozenset(
    [
        "button",
        "canvas",
        "form",
        "head",
        "iframe",
        "mp-common-profile",
        "mpprofile",
        "nav",
        "noscript",
        "object",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
    ]
)


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


# Article bodies, most specific first: WeChat, schema.org markup, then the content containers of common
# CMS themes (WordPress, Ghost, Drupal, news and government CMSs).
_BODY_XPATHS = (
    '//*[@id="js_content"]',
    '//*[@itemprop="articleBody"]',
    "//*["
    + " or ".join(
        _has_class(name)
        for name in (
            "rich_media_content",
            "entry-content",
            "post-content",
            "article-content",
            "article-body",
            "article__body",
            "post-body",
            "entry-body",
            "story-body",
            "content-article",
            "news-content",
            "TRS_Editor",
            "RichText",
        )
    )
    + "]",
    '//*[@id="article-content" or @id="article_content" or @id="artibody" or @id="endText" or @id="zoom"]',
)
_TITLE_XPATHS = (
    '//*[@id="activity-name"]',
    '//*[@itemprop="headline"]',
    "//*["
    + " or ".join(_has_class(n) for n in ("rich_media_title", "entry-title", "post-title", "article-title"))
    + "]",
)
_FALLBACK_XPATHS = ("//article", "//main", "//body")


_MAX_DEPTH = 2048  # libxml2's limit on element nesting with huge_tree


class MarkupError(ValueError):
    """HTML that cannot be read whole (nested deeper than the parser's limit)."""


def html_to_text(markup: str) -> str:
    """Extract the article text of an HTML page: blocks become lines, whitespace inside a line collapses."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except lxml.etree.ParserError:
        return ""
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            if "depth" in entry.message:
                raise MarkupError(f"HTML nested deeper than {_MAX_DEPTH} elements (line {entry.line}): not linted")
            raise MarkupError(f"HTML not readable: {entry.message.strip()} (line {entry.line})")
    parts: list[str] = []
    for element in _containers(root):
        parts.append("\n")
        _collect(element, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _Inside:
    """Whether elements lie inside any of a growing set of subtrees; each ancestor is looked at once, so a
    query costs amortised constant time however deep the tree (lxml proxies are kept alive, so ids stay valid).
    """

    def __init__(self) -> None:
        self.roots: set[int] = set()
        self.known: dict[int, tuple[object, bool]] = {}

    def add(self, element) -> None:  # type: ignore[no-untyped-def]
        self.roots.add(id(element))
        self.known.clear()

    def __call__(self, element) -> bool:  # type: ignore[no-untyped-def]
        walked = []
        answer = False
        node = element
        while node is not None:
            if id(node) in self.roots:
                answer = True
                break
            known = self.known.get(id(node))
            if known is not None:
                answer = known[1]
                break
            walked.append(node)
            node = node.getparent()
        for node in walked:
            self.known[id(node)] = (node, answer)
        return answer


def _outermost(found: list) -> list:  # type: ignore[type-arg]
    """The elements of `found` (in document order) that are not inside another one of them."""
    chosen: list = []  # type: ignore[type-arg]
    inside = _Inside()
    for element in found:
        if not inside(element):
            chosen.append(element)
            inside.add(element)
    return chosen


def _text_of(elements: list) -> str:  # type: ignore[type-arg]
    parts: list[str] = []
    for element in elements:
        _collect(element, parts)
    return "".join(parts).strip()


def _containers(root) -> list:  # type: ignore[no-untyped-def, type-arg]
    """The elements whose text is the article: a title and body, or the fallback containers."""
    for xpath in _BODY_XPATHS:
        bodies = _outermost(root.xpath(xpath))
        if bodies and _text_of(bodies):
            return [*_title(root, bodies), *bodies]
    for xpath in _FALLBACK_XPATHS:
        found = _outermost(root.xpath(xpath))
        if found:
            return found
    return [root]


def _title(root, bodies: list) -> list:  # type: ignore[no-untyped-def, type-arg]
    """The article's title when it stands outside its body: a marked title, else the first heading of the
    `<article>` around the body."""
    inside = _Inside()
    for body in bodies:
        inside.add(body)
    for xpath in _TITLE_XPATHS:
        title = next((t for t in root.xpath(xpath) if not inside(t)), None)
        if title is not None:
            return [title]
    article = next((a for a in bodies[0].iterancestors() if a.tag == "article"), None)
    if article is not None:
        heading = next((h for h in article.iter("h1", "h2") if not inside(h)), None)
        if heading is not None:
            return [heading]
    return []


def _collect(container, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Append the visible text under `container` to `parts`: block boundaries become line breaks, and
    healthlint suppression comments are kept as lines of their own."""
    for event, element in _walk(container):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if not tag:
                comment = (element.text or "").strip() if _is_comment(element) else ""
                if comment.startswith("healthlint-"):
                    parts.append(f"\n<!-- {comment} -->\n")
            elif tag in _BLOCK_TAGS:
                parts.append("\n")
            if tag and element.text:
                parts.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element is not container and element.tail:
                parts.append(element.tail)


def _is_comment(element) -> bool:  # type: ignore[no-untyped-def]
    import lxml.etree

    return element.tag is lxml.etree.Comment


def _walk(container) -> Iterator[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """Depth-first start/end events without recursion; hidden elements are entered and left at once."""
    stack = [(container, False)]
    while stack:
        element, leaving = stack.pop()
        if leaving:
            yield "end", element
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        hidden = tag.lower() in _HIDDEN_TAGS
        if hidden:
            yield "end", element
            continue
        yield "start", element
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
