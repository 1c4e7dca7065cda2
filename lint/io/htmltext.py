"""Article text from HTML: the visible prose of `<article>` (or `<main>`, or `<body>`), one block a line."""

from __future__ import annotations

from html.parser import HTMLParser

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
        "nav",
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
_HIDDEN_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"])
_VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


class _TextCollector(HTMLParser):
    def __init__(self, container: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.container = container
        self.depth_in_container = 0 if container else 1
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and self.depth_in_container and not self.hidden:
                self.parts.append("\n")
            return
        if tag == self.container:
            self.depth_in_container += 1
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS and self.depth_in_container and not self.hidden:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS and self.depth_in_container and not self.hidden:
            self.parts.append("\n")
        if tag == self.container and self.depth_in_container:
            self.depth_in_container -= 1

    def handle_comment(self, data: str) -> None:
        if self.depth_in_container and not self.hidden and data.strip().startswith("healthlint-"):
            self.parts.append(f"\n<!-- {data.strip()} -->\n")

    def handle_data(self, data: str) -> None:
        if self.depth_in_container and not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Extract the article text of an HTML page: blocks become lines, whitespace inside a line collapses."""
    lowered = markup.lower()
    container = next((tag for tag in ("article", "main", "body") if f"<{tag}" in lowered), None)
    collector = _TextCollector(container)
    collector.feed(markup)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
