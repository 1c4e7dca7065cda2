"""Annotated HTML: the article view and the archive dashboard (`index.html`).

One template family serves the static report pages and the `serve` workbench: the same article body, margin
comments, filters and legend. Article text, file names and rule-pack strings are untrusted: templates autoescape
everything, nothing from the data is marked safe, no markup carries a `style` or event-handler attribute, and a
Content-Security-Policy allows only the page's own script and style. The output is deterministic (no timestamps,
stable order), so the same input gives byte-identical files.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import itertools
import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import regex

from lint.core.compiled import compile_regex
from lint.core.finding import CATEGORIES, Finding, Severity
from lint.core.markup import front_matter_end
from lint.core.records import record
from lint.formatters.report import FileReport
from lint.io.files import write_text_atomic
from lint.io.labels import Labels, load_labels

RISK_WEIGHTS = {Severity.ERROR: 10, Severity.WARNING: 3, Severity.INFO: 1}
SEVERITY_ORDER = ("error", "warning", "info")
MARKDOWN_SUFFIXES = (".md", ".markdown")
ASSETS = ("healthlint.css", "view.js", "dashboard.js", "workbench.js")
SHARED_ASSETS_POLICY = (
    "default-src 'none'; img-src data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'"
)
TITLE_LENGTH = 60
_SENTENCE = compile_regex(r"^.+?\p{Sentence_Terminal}+")
_CLAUSE_BREAK = compile_regex(r"[\p{Po}](?<![\p{Sentence_Terminal}])")
_TITLE_MARKUP = compile_regex(r"^[\s#*•>\-]+|(?<![\s*#])[\s*#]+$")


@record(frozen=True, slots=True)
class Piece:
    """A run of article text covered by the same findings, related-evidence spans and heading."""

    text: str
    findings: tuple[int, ...]
    related: tuple[str, ...]
    anchors: tuple[int, ...]
    severity: str
    categories: tuple[str, ...]
    heading: bool = False


def risk_score(findings: Sequence[Finding]) -> int:
    """10 per error, 3 per warning, 1 per info."""
    return sum(RISK_WEIGHTS[f.severity] for f in findings)


def pieces(text: str, findings: Sequence[Finding], headings: Sequence[tuple[int, int]] = ()) -> list[Piece]:
    """Cut `text` at every finding, related-evidence and heading boundary; each piece knows what covers it."""
    spans = [(i, f.start, f.end) for i, f in enumerate(findings) if f.end > f.start]
    related = [
        (f"f{i}r{k}", r.start, r.end)
        for i, f in enumerate(findings)
        for k, r in enumerate(f.related)
        if r.end > r.start and r.end <= len(text)
    ]
    heads = [(f"h{k}", start, end) for k, (start, end) in enumerate(headings) if 0 <= start < end <= len(text)]
    starts: dict[int, list[int | str]] = {}
    ends: dict[int, list[int | str]] = {}
    for item, start, end in [*spans, *related, *heads]:
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
        keys = [k for k in active if isinstance(k, str)]
        out.append(
            Piece(
                text[a:b],
                covering,
                tuple(sorted(k for k in keys if k.startswith("f"))),
                anchors,
                worst.label if worst else "",
                tuple(sorted({findings[i].category for i in covering})),
                any(k.startswith("h") for k in keys),
            )
        )
    return out


def article_title(report: FileReport) -> str:
    """The article's first line: in full when it is a heading, else its first sentence, shortened at a clause break
    if it is long; the file name for an empty text."""
    skip = front_matter_end(report.text) if Path(report.path).suffix.lower() in MARKDOWN_SUFFIXES else 0
    line = regex.search(r"\S[^\n]*", report.text, pos=skip)
    if line is None:
        return Path(report.path).name
    title = _TITLE_MARKUP.sub("", line.group())
    if any(start <= line.start() < end for start, end in report.headings) or len(title) <= TITLE_LENGTH:
        return title or Path(report.path).name
    sentence = _SENTENCE.match(title)
    title = sentence.group() if sentence else title
    if len(title) <= TITLE_LENGTH:
        return title
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(title, 0, TITLE_LENGTH)]
    return title[: breaks[-1] - 1 if breaks else TITLE_LENGTH].rstrip() + "…"


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

    environment = Environment(
        loader=PackageLoader("lint.formatters", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["json_data"] = json_data
    return environment


def asset(name: str) -> str:
    """The text of a shared static asset (style sheet or script) of the article view and the dashboard."""
    if name not in ASSETS:
        raise KeyError(name)
    return _environment().loader.get_source(_environment(), name)[0]


def json_data(value: object) -> str:
    """JSON for a `<script type="application/json">` block: `<`, `>` and `&` escaped, so data cannot close it."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _digest(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_policy(styles: Sequence[str], scripts: Sequence[str]) -> str:
    """The Content-Security-Policy of a self-contained page: only its own inline style and script, by hash."""
    return (
        "default-src 'none'; img-src data:; "
        f"style-src {' '.join(_digest(s) for s in styles)}; script-src {' '.join(_digest(s) for s in scripts)}; "
        "base-uri 'none'; form-action 'none'"
    )


def finding_view(index: int, finding: Finding, labels: Labels) -> dict[str, object]:
    """What the page's script needs to show one finding, with every label in the UI language."""
    return {
        "id": index,
        "rule": finding.rule,
        "rule_name": labels.rule_name(finding.rule),
        "category": finding.category,
        "category_name": labels.category_name(finding.category),
        "severity": finding.severity.label,
        "severity_name": labels.severity[finding.severity.label],
        "text": finding.text,
        "start": finding.start,
        "end": finding.end,
        "line": finding.line,
        "line_label": labels.text("line", line=finding.line),
        "message": finding.message,
        "suggestion": finding.suggestion,
        "basis": finding.basis,
        "fix": finding.fix,
        "related": [
            {
                "key": f"f{index}r{k}",
                "role": labels.role_name(r.role),
                "text": r.text[:160],
                "verdict": labels.ui.get(f"verdict_{r.verdict}", r.verdict) if r.verdict else "",
                "figures": [figure[:80] for figure in r.figures[:6]],
            }
            for k, r in enumerate(finding.related)
        ],
        "document_level": finding.end <= finding.start,
    }


def _source_note(report: FileReport, labels: Labels) -> str | None:
    if report.note is None:
        return None
    kind = Path(report.path).suffix.lower().lstrip(".")
    return labels.ui.get(f"note_{kind}", report.note)


def article_context(report: FileReport, labels: Labels) -> dict[str, Any]:
    """The template variables of the article view of one report (static page or workbench fragment)."""
    findings = list(report.findings)
    counts = Counter(f.severity.label for f in findings)
    by_category = Counter(f.category for f in findings)
    return {
        "lang": labels.lang,
        "labels": labels,
        "ui": labels.ui,
        "path": report.path,
        "title": article_title(report),
        "note": _source_note(report, labels),
        "problems": list(report.problems),
        "pieces": pieces(report.text, findings, report.headings),
        "findings": [finding_view(i, f, labels) for i, f in enumerate(findings)],
        "counts": {s: counts.get(s, 0) for s in SEVERITY_ORDER},
        "risk": risk_score(findings),
        "categories": [(c, by_category[c]) for c in [*CATEGORIES, *sorted(set(by_category) - set(CATEGORIES))]],
        "present": {c for c in by_category},
    }


def client_labels(labels: Labels) -> dict[str, Mapping[str, str]]:
    """The labels the page scripts use."""
    return {"ui": labels.ui, "severity": labels.severity}


def render_fragments(report: FileReport, labels: Labels) -> dict[str, str]:
    """The parts of the article view that the workbench replaces after each check."""
    module = _environment().get_template("view.html.j2").make_module(article_context(report, labels))
    parts = {name: str(getattr(module, name)()).strip() for name in ("summary", "side", "banners")}
    return {**parts, "body": str(module.body())}


def render_article(
    report: FileReport, lang: str = "zh", index_href: str | None = None, assets: str | None = None
) -> str:
    """The annotated page of one article: self-contained, or (with `assets`, a relative URL prefix) linking the
    style sheet and script that the pages of a scan share."""
    labels = load_labels(lang)
    style, script = asset("healthlint.css"), asset("view.js")
    policy = inline_policy([style], [script]) if assets is None else SHARED_ASSETS_POLICY
    return (
        _environment()
        .get_template("article.html.j2")
        .render(
            **article_context(report, labels),
            index_href=index_href,
            assets=assets,
            style=style,
            script=script,
            client=client_labels(labels),
            policy=policy,
        )
    )


def article_page_name(article_id: str) -> str:
    """A stable, safe file name for the page of an article of an archive."""
    return hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:20] + ".html"


def write_assets(directory: Path) -> None:
    """Write the style sheet and script that article pages rendered with `assets` link to."""
    for name in ("healthlint.css", "view.js"):
        write_text_atomic(directory / name, asset(name))


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
                "title": article_title(report),
                "page": page,
                "error": counts.get("error", 0),
                "warning": counts.get("warning", 0),
                "info": counts.get("info", 0),
                "risk": risk_score(report.findings),
            }
        )
    unreadable = [(r.path, r.error or "") for r in reports if r.error]
    return render_dashboard(rows, per_rule, per_category, unreadable, lang)


def dashboard_row(row: Mapping[str, object]) -> list[object]:
    """A row as the compact array the dashboard's script reads: path, title, page, error, warning, info, risk."""
    return [row["path"], row["title"], row["page"], row["error"], row["warning"], row["info"], row["risk"]]


def dashboard_order(row: Sequence[object]) -> tuple[int, int, str]:
    """The sort key of a compact row: riskiest first, then most errors, then by path."""
    return (-int(row[6]), -int(row[3]), str(row[0]))  # type: ignore[call-overload]


def dashboard_rows(rows: Sequence[Mapping[str, object]]) -> list[list[object]]:
    """Rows as compact arrays (path, title, page, error, warning, info, risk), riskiest first."""
    return sorted((dashboard_row(row) for row in rows), key=dashboard_order)


def render_dashboard(
    rows: Sequence[Mapping[str, object]],
    per_rule: Mapping[str, int],
    per_category: Mapping[str, int],
    unreadable: Sequence[tuple[str, str]],
    lang: str = "zh",
) -> str:
    """The archive dashboard: a paged table of articles sorted by risk, totals per category (with a chart) and per
    rule, and the files that could not be read.

    Each row has `path`, `title`, `page` (a link to its article page, or None), `error`, `warning`, `info` and
    `risk`. The rows travel as JSON and the page's script renders one page of them at a time, so a dashboard of
    tens of thousands of articles opens as fast as one of a hundred.
    """
    out = io.StringIO()
    totals = {s: sum(int(row[s]) for row in rows) for s in ("error", "warning", "info", "risk")}  # type: ignore[call-overload]
    write_dashboard(out, dashboard_rows(rows), len(rows), totals, per_rule, per_category, unreadable, lang)
    return out.getvalue()


_ROWS_MARK = "\u0000rows\u0000"


def write_dashboard(
    out: IO[str],
    rows: Iterable[Sequence[object]],
    article_count: int,
    totals: Mapping[str, int],
    per_rule: Mapping[str, int],
    per_category: Mapping[str, int],
    unreadable: Collection[tuple[str, str]],
    lang: str = "zh",
) -> None:
    """Write the dashboard that `render_dashboard` renders to `out`, streaming `rows` (compact arrays, riskiest
    first, as `dashboard_rows` gives them) and `unreadable` into the page, so that a scan of any size holds
    neither in memory. `totals` are the sums of the rows' `error`, `warning`, `info` and `risk`."""
    labels = load_labels(lang)
    top = max(per_category.values(), default=0)
    chart = [
        {
            "category": c,
            "count": per_category.get(c, 0),
            "width": round(300 * per_category.get(c, 0) / top) if top else 0,
        }
        for c in CATEGORIES
    ]
    style, script = asset("healthlint.css"), asset("dashboard.js")
    chunks = (
        _environment()
        .get_template("index.html.j2")
        .generate(
            lang=lang,
            labels=labels,
            ui=labels.ui,
            rows=_ROWS_MARK,
            per_rule=sorted(per_rule.items(), key=lambda item: (-item[1], item[0])),
            chart=chart,
            unreadable=unreadable,
            totals=totals,
            article_count=article_count,
            style=style,
            script=script,
            client=client_labels(labels),
            policy=inline_policy([style], [script]),
        )
    )
    mark = json_data(_ROWS_MARK)
    for chunk in chunks:
        if mark not in chunk:
            out.write(chunk)
            continue
        before, after = chunk.split(mark, 1)
        out.write(before + "[")
        for index, row in enumerate(rows):
            out.write(("," if index else "") + json_data(row))
        out.write("]" + after)


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
        write_text_atomic(target, render_article(report, lang, "index.html"))
        written.append(target)
    index = out_dir / "index.html"
    write_text_atomic(index, render_index(reports, pages, lang))
    written.append(index)
    return written
