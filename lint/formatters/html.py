"""Annotated HTML reports: one self-contained page per article and an archive dashboard (`index.html`).

Article text is untrusted: templates autoescape everything and nothing from the article is marked safe. The
output is deterministic (no timestamps, stable order), so the same input gives byte-identical files.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from lint.core.finding import CATEGORIES, Finding, Severity
from lint.formatters.report import FileReport

RISK_WEIGHTS = {Severity.ERROR: 10, Severity.WARNING: 3, Severity.INFO: 1}
CATEGORY_COLOURS = {
    "overclaim": "#d9822b",
    "absolute_term": "#8e44ad",
    "cure_or_guarantee": "#c0392b",
    "safety_overclaim": "#e0115f",
    "fear_appeal": "#6d4c41",
    "testimonial": "#16a085",
    "uncited_efficacy": "#2471a3",
    "spin": "#b03a2e",
    "weak_evidence": "#1e8449",
    "missing_disclaimer": "#34495e",
}
UI = {
    "zh": {
        "report": "合规检查报告",
        "dashboard": "文章合规检查汇总",
        "summary": "概要",
        "risk": "风险分",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "findings": "问题",
        "categories": "问题类别",
        "severities": "严重程度",
        "filters": "筛选",
        "no_findings": "未发现问题。",
        "document_level": "全文问题",
        "rule": "规则",
        "message": "说明",
        "suggestion": "建议改写",
        "basis": "法规依据",
        "evidence": "相关证据",
        "show": "定位",
        "close": "关闭",
        "note": "说明",
        "path": "文件",
        "title": "标题",
        "articles": "文章",
        "per_rule": "各规则问题数",
        "per_category": "各类别问题数",
        "unreadable": "无法读取的文件",
        "total": "合计",
        "risk_formula": "风险分 = 10 × 错误 + 3 × 警告 + 1 × 提示",
        "click_hint": "点击高亮文字查看说明、建议改写和法规依据。",
        "open": "查看",
        "category_names": {
            "overclaim": "夸大宣传",
            "absolute_term": "绝对化用语",
            "cure_or_guarantee": "治愈与保证",
            "safety_overclaim": "安全性断言",
            "fear_appeal": "恐吓营销",
            "testimonial": "证言背书",
            "uncited_efficacy": "无出处疗效",
            "spin": "结果粉饰",
            "weak_evidence": "证据拔高",
            "missing_disclaimer": "缺少免责声明",
        },
    },
    "en": {
        "report": "Compliance report",
        "dashboard": "Archive compliance dashboard",
        "summary": "Summary",
        "risk": "Risk score",
        "error": "error",
        "warning": "warning",
        "info": "info",
        "findings": "Findings",
        "categories": "Categories",
        "severities": "Severities",
        "filters": "Filters",
        "no_findings": "No findings.",
        "document_level": "Whole-document findings",
        "rule": "Rule",
        "message": "Message",
        "suggestion": "Suggested rewrite",
        "basis": "Legal basis",
        "evidence": "Related evidence",
        "show": "Show",
        "close": "Close",
        "note": "Note",
        "path": "File",
        "title": "Title",
        "articles": "Articles",
        "per_rule": "Findings per rule",
        "per_category": "Findings per category",
        "unreadable": "Files that could not be read",
        "total": "Total",
        "risk_formula": "risk = 10 × errors + 3 × warnings + 1 × info",
        "click_hint": "Click a highlight to see the message, the suggested rewrite and the legal basis.",
        "open": "open",
        "category_names": {category: category.replace("_", " ") for category in CATEGORIES},
    },
}


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text covered by the same findings and related-evidence spans."""

    text: str
    findings: tuple[int, ...]
    related: tuple[str, ...]
    anchors: tuple[int, ...]
    severity: str
    categories: tuple[str, ...]


def risk_score(findings: Sequence[Finding]) -> int:
    """10 per error, 3 per warning, 1 per info."""
    return sum(RISK_WEIGHTS[f.severity] for f in findings)


def pieces(text: str, findings: Sequence[Finding]) -> list[Piece]:
    """Cut `text` at every finding and related-evidence boundary; each piece knows what covers it."""
    spans = [(i, f.start, f.end) for i, f in enumerate(findings) if f.end > f.start]
    related = [
        (f"f{i}r{k}", r.start, r.end)
        for i, f in enumerate(findings)
        for k, r in enumerate(f.related)
        if r.end > r.start and r.end <= len(text)
    ]
    starts: dict[int, list[int | str]] = {}
    ends: dict[int, list[int | str]] = {}
    for item, start, end in [*spans, *related]:
        starts.setdefault(start, []).append(item)
        ends.setdefault(end, []).append(item)
    active: set[int | str] = set()
    anchored: set[int] = set()
    out: list[Piece] = []
    for a, b in itertools.pairwise(sorted({0, len(text), *starts, *ends})):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        covering = tuple(sorted(i for i in active if isinstance(i, int)))
        anchors = tuple(i for i in covering if i not in anchored)
        anchored.update(anchors)
        worst = max((findings[i].severity for i in covering), default=None)
        out.append(
            Piece(
                text[a:b],
                covering,
                tuple(sorted(k for k in active if isinstance(k, str))),
                anchors,
                worst.label if worst else "",
                tuple(sorted({findings[i].category for i in covering})),
            )
        )
    return out


def _title(report: FileReport) -> str:
    for line in report.text.splitlines():
        line = line.strip(" \t#*•-")
        if line:
            return line[:80]
    return Path(report.path).name


def _page_name(path: str, taken: set[str]) -> str:
    base = regex.sub(r"[^\w.\-]+", "_", path).strip("._") or "article"
    name = f"{base}.html"
    counter = 2
    while name in taken:
        name = f"{base}-{counter}.html"
        counter += 1
    taken.add(name)
    return name


@functools.lru_cache(maxsize=1)
def _environment():  # type: ignore[no-untyped-def]
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("lint.formatters", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _finding_view(index: int, finding: Finding) -> dict[str, object]:
    return {
        "id": index,
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity.label,
        "text": finding.text,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "basis": finding.basis,
        "related": [
            {"key": f"f{index}r{k}", "role": r.role, "text": r.text[:160]} for k, r in enumerate(finding.related)
        ],
        "document_level": finding.end <= finding.start,
    }


def render_article(report: FileReport, lang: str = "zh", index_href: str | None = None) -> str:
    """The annotated page of one article."""
    ui = UI[lang]
    findings = list(report.findings)
    counts = Counter(f.severity.label for f in findings)
    by_category = Counter(f.category for f in findings)
    return (
        _environment()
        .get_template("article.html.j2")
        .render(
            lang=lang,
            ui=ui,
            path=report.path,
            title=_title(report),
            note=report.note,
            problems=list(report.problems),
            pieces=pieces(report.text, findings),
            findings=[_finding_view(i, f) for i, f in enumerate(findings)],
            counts={s.label: counts.get(s.label, 0) for s in Severity},
            risk=risk_score(findings),
            categories=[(c, by_category[c]) for c in CATEGORIES if by_category[c]],
            colours=CATEGORY_COLOURS,
            index_href=index_href,
        )
    )


def render_index(reports: Sequence[FileReport], pages: Sequence[str | None], lang: str = "zh") -> str:
    """The archive dashboard for a list of file reports."""
    rows = []
    per_rule: Counter[str] = Counter()
    per_category: Counter[str] = Counter()
    for report, page in zip(reports, pages, strict=True):
        if report.error:
            continue
        counts = Counter(f.severity.label for f in report.findings)
        per_rule.update(f.rule for f in report.findings)
        per_category.update(f.category for f in report.findings)
        rows.append(
            {
                "path": report.path,
                "title": _title(report),
                "page": page,
                "error": counts.get("error", 0),
                "warning": counts.get("warning", 0),
                "info": counts.get("info", 0),
                "risk": risk_score(report.findings),
            }
        )
    unreadable = [(r.path, r.error or "") for r in reports if r.error]
    return render_dashboard(rows, per_rule, per_category, unreadable, lang)


def render_dashboard(
    rows: Sequence[dict[str, object]],
    per_rule: Counter[str],
    per_category: Counter[str],
    unreadable: Sequence[tuple[str, str]],
    lang: str = "zh",
) -> str:
    """The archive dashboard: a sortable table of articles, totals per rule and category, a chart, errors.

    Each row has `path`, `title`, `page` (a link, or None), `error`, `warning`, `info` and `risk`.
    """
    top = max(per_category.values(), default=0)
    chart = [
        {"category": c, "count": per_category[c], "width": round(300 * per_category[c] / top) if top else 0}
        for c in CATEGORIES
    ]
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            ui=UI[lang],
            rows=rows,
            per_rule=sorted(per_rule.items(), key=lambda item: (-item[1], item[0])),
            per_category=[(c, per_category[c]) for c in CATEGORIES],
            chart=chart,
            colours=CATEGORY_COLOURS,
            unreadable=unreadable,
            totals={s: sum(int(row[s]) for row in rows) for s in ("error", "warning", "info", "risk")},  # type: ignore[call-overload]
        )
    )


def write_html_report(reports: Sequence[FileReport], out_dir: Path, lang: str = "zh") -> list[Path]:
    """Write one page per readable article and `index.html` into `out_dir`; return the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = {"index.html"}
    pages: list[str | None] = []
    written: list[Path] = []
    for report in reports:
        if report.error:
            pages.append(None)
            continue
        name = _page_name(report.path, taken)
        pages.append(name)
        target = out_dir / name
        target.write_text(render_article(report, lang, "index.html"), encoding="utf-8")
        written.append(target)
    index = out_dir / "index.html"
    index.write_text(render_index(reports, pages, lang), encoding="utf-8")
    written.append(index)
    return written
