"""The `healthlint` command line: argument parsing and output; `lint.app.runner` does the work."""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from lint.app.guard import Fault, isolate
from lint.app.runner import (
    PARALLEL_AFTER,
    Options,
    PathNotFound,
    Setup,
    check_files,
    collect_paths,
    fix_report,
    known_names,
    languages,
    plan,
    rule_set,
    split_names,
)
from lint.core.finding import Severity
from lint.core.version import __version__
from lint.formatters import FORMATTERS
from lint.formatters.report import FileReport
from lint.io.config import STARTER, ConfigError, find_config
from lint.io.sources import TEXT_SUFFIXES, display_name
from lint.io.yamlpack import PackError
from lint.kernel.ruleset import Rule, RuleSet

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SEVERITIES = [s.label for s in Severity]


def _exit_code(reports: list[FileReport], fail_on: str, faults: int = 0) -> int:
    if faults:
        return EXIT_FINDINGS
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity.parse(fail_on)
    failing = any(r.error for r in reports) or any(f.severity >= threshold for r in reports for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _fail(message: str) -> None:
    click.echo(f"healthlint: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _rules_or_fail(rule_dirs: tuple[Path, ...]) -> RuleSet:
    """The shipped rules and those of `rule_dirs`, whose language files load too; a broken pack is a usage error."""
    try:
        languages(rule_dirs)
        return rule_set(rule_dirs)
    except PackError as error:
        _fail(f"rule pack error: {error}")
        raise


def _examples_or_fail(rule_dirs: Sequence[Path]) -> None:
    """Run the examples of a user's rule directories (unless the same files passed before); any that fails is a
    usage error, as a broken pack is."""
    if not rule_dirs:
        return
    from lint.app.testrules import examples_pass

    result = examples_pass(rule_dirs)
    if result is not None and result.failures:
        _fail(f"rule pack error: examples that fail (healthlint test-rules DIR runs them):\n{result.describe()}")


# allocations between collections of the youngest generation (Python's default is 700)
GC_THRESHOLD = 50_000


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="healthlint")
def main() -> None:
    """healthlint: find overclaims, cure promises, unsafe safety claims, weak evidence and spin in health copy."""
    # a run allocates many objects that live as long as it does (language packs, rules, automata): collecting the
    # youngest generation after every GC_THRESHOLD allocations rather than 700 saves 2-4 % of a run's CPU time
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)), help="Output format [default: text].")
@click.option("--select", multiple=True, help="Only these rule ids, packs or categories (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids, packs or categories (comma-separated).")
@click.option(
    "--min-severity", type=click.Choice(SEVERITIES), help="Drop findings below this severity [default: info]."
)
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "never"]),
    help="Exit 1 when a finding at or above this severity exists, or a file cannot be read [default: error].",
)
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
@click.option(
    "--regex-timeout",
    type=click.FloatRange(min=0.001),
    default=1.0,
    show_default=True,
    help="Seconds per rule regex per file.",
)
@click.option(
    "--html", "html_dir", type=click.Path(file_okay=False, path_type=Path), help="Also write an HTML report here."
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the HTML report."
)
@click.option("--fix", "apply_fix", is_flag=True, help="Apply safe replacements in place (.txt and .md only).")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the safe replacements as a unified diff; change nothing."
)
@click.option("--report-unused-disables", is_flag=True, help="Report suppression comments that suppress nothing.")
@click.option(
    "--allow-empty", is_flag=True, help="Warn instead of failing (exit 2) when the paths hold no article file."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help=f"Worker processes for {PARALLEL_AFTER} files or more [default: one per core; 1: this process only].",
)
@click.option("--debug", is_flag=True, help="Print the traceback of an internal error on a file.")
def check(
    paths: tuple[str, ...],
    output_format: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str | None,
    fail_on: str | None,
    rule_dirs: tuple[Path, ...],
    regex_timeout: float,
    html_dir: Path | None,
    lang: str,
    apply_fix: bool,
    show_diff: bool,
    report_unused_disables: bool,
    allow_empty: bool,
    jobs: int | None,
    debug: bool,
) -> None:
    """Lint article files, directories (recursively) and globs.

    A file that cannot be read, or whose linting fails with an internal error, gets its own error entry and
    the other files go on; an internal error makes the exit status 1 whatever `--fail-on` says."""
    options = Options(
        rule_dirs=rule_dirs,
        select=split_names(select),
        ignore=split_names(ignore),
        min_severity=min_severity,
        regex_timeout=regex_timeout,
        report_unused_disables=report_unused_disables,
    )
    try:
        project = find_config(Path.cwd().resolve())
        if project.output_format and project.output_format not in FORMATTERS:
            raise ConfigError(f"{project.path}: 'format' must be one of {', '.join(sorted(FORMATTERS))}")
        files = collect_paths(paths)
        groups = plan(files, options)
        # what set-up made (packs, rules, kept tables) lives as long as the run: no collection of the oldest
        # generation (one in a one-file check, one at exit) need look at it again
        gc.freeze()
        _examples_or_fail(sorted({directory for setup, _ in groups for directory in setup.rule_dirs}))
    except (PackError, ConfigError) as error:
        _fail(f"configuration error: {error}" if isinstance(error, ConfigError) else f"rule pack error: {error}")
    except PathNotFound as error:
        _fail(f"no such file or directory: {error}")
    except ValueError as error:
        _fail(str(error))
    if not any(group for _config, group in groups):
        where = "excluded by the configuration" if files else "found"
        message = f"no article files {where} in {', '.join(paths)} (looked for {', '.join(sorted(TEXT_SUFFIXES))})"
        if not allow_empty:
            _fail(message + "; pass --allow-empty to accept an empty input")
        click.echo(f"healthlint: warning: {message}", err=True)
    order = {file: index for index, file in enumerate(files)}
    setups = {str(file): setup for setup, group in groups for file in group}
    faults: list[Fault] = []

    def on_fault(path: Path, fault: Fault) -> None:
        faults.append(fault)
        click.echo(f"healthlint: {display_name(str(path))}: {fault.describe()}", err=True)
        if debug:
            click.echo(fault.traceback, err=True, nl=False)

    chosen_format = output_format or project.output_format or "text"
    # a batch keeps every report until the output is written: the texts only when something will read them
    keep_text = chosen_format == "text" or html_dir is not None or apply_fix or show_diff
    planned = [(setup, file) for setup, group in groups for file in group]
    reports = sorted(
        check_files(planned, jobs, on_fault, functools.partial(_lean, keep_text=keep_text)),
        key=lambda report: order[Path(report.path)],
    )
    if apply_fix or show_diff:
        reports = _fix(reports, setups, write=apply_fix and not show_diff)
    reports = [replace(r, path=display_name(r.path)) for r in reports]
    if chosen_format == "json":
        from lint.formatters.json import json_chunks

        for chunk in json_chunks(reports):
            click.echo(chunk, nl=False)
    else:
        click.echo(FORMATTERS[chosen_format](reports), nl=False)
    if html_dir is not None:
        from lint.formatters.html import write_html_report

        try:
            write_html_report(reports, html_dir, lang)
        except OSError as error:
            _fail(f"cannot write the HTML report to {html_dir}: {error.strerror or error}")
        click.echo(f"HTML report: {html_dir / 'index.html'}", err=True)
    gc.freeze()  # nothing the run made needs collecting as the process exits
    sys.exit(_exit_code(reports, fail_on or project.fail_on or "error", len(faults)))


def _lean(report: FileReport, keep_text: bool) -> FileReport:
    return report if keep_text or not report.text else replace(report, text="")


def _fix(reports: list[FileReport], setups: dict[str, Setup], write: bool) -> list[FileReport]:
    from lint.kernel.fix import unified_diff

    out: list[FileReport] = []
    fixed_total = 0
    for report in reports:
        outcome = isolate(lambda report=report: fix_report(report, setups[report.path], write))  # type: ignore[misc]
        if isinstance(outcome, Fault):
            click.echo(f"{display_name(report.path)}: not fixed: {outcome.describe()}", err=True)
            out.append(report)
            continue
        if outcome.skipped:
            click.echo(f"{report.path}: {outcome.skipped}", err=True)
        if outcome.new_text is not None and not write:
            click.echo(unified_diff(report.path, report.text, outcome.new_text), nl=False)
        fixed_total += len(outcome.fixed)
        out.append(outcome.report)
    verb = "Fixed" if write else "Would fix"
    click.echo(f"{verb} {fixed_total} finding{'s' if fixed_total != 1 else ''}.", err=True)
    return out


@main.command()
@click.argument("archives", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for findings.jsonl, summary.json, findings.sarif (and index.html with --html).",
)
@click.option("--include", multiple=True, help="Glob of files to scan inside directories and zips (repeatable).")
@click.option("--exclude", multiple=True, help="Glob of files to skip (repeatable).")
@click.option("--text-field", default="text", show_default=True, help="Field holding the article text in JSON Lines.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes [default: one per core].")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="dask.distributed scheduler address (with --engine dask), e.g. tcp://10.0.0.5:8786.")
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Result cache [default: OUT/cache.sqlite].",
)
@click.option("--no-cache", is_flag=True, help="Scan everything again and keep no cache.")
@click.option("--html", "with_html", is_flag=True, help="Also write the dashboard, OUT/index.html.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--select", multiple=True, help="Only these rule ids, packs or categories (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids, packs or categories (comma-separated).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default="info", show_default=True)
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
@click.option("--max-bytes", type=int, default=20 * 1024 * 1024, show_default=True, help="Larger articles are errors.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default="never", show_default=True)
@click.option(
    "--regex-timeout",
    type=click.FloatRange(min=0.001),
    default=1.0,
    show_default=True,
    help="Seconds per rule regex per article.",
)
@click.option(
    "--article-timeout",
    type=click.FloatRange(min=0.0),
    default=30.0,
    show_default=True,
    help="Seconds per article; an article over it becomes an error entry (0: no limit).",
)
@click.option("--debug", is_flag=True, help="Print the traceback of an internal error on an article.")
def scan(
    archives: tuple[Path, ...],
    out_dir: Path,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    text_field: str,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    cache_path: Path | None,
    no_cache: bool,
    with_html: bool,
    lang: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str,
    rule_dirs: tuple[Path, ...],
    max_bytes: int,
    fail_on: str,
    regex_timeout: float,
    article_timeout: float,
    debug: bool,
) -> None:
    """Scan archives (directories, JSON Lines exports, zip files) in parallel, with an incremental cache.

    Exit 2 when the output directory is in use by another scan or the results cannot be written (the previous
    results are left as they were); exit 1 when an article failed with an internal error or ran over its
    time budget, whatever `--fail-on` says."""
    from lint.app import scan as scanning
    from lint.app.workers import default_jobs
    from lint.io.archive import count_articles, iter_articles

    rules = _rules_or_fail(rule_dirs)
    unknown = sorted((split_names(select) | split_names(ignore)) - known_names(rules))
    if unknown:
        _fail(f"unknown rule, pack or category: {', '.join(unknown)}")
    if engine == "dask" and not scheduler:
        _fail("--engine dask needs --scheduler ADDRESS")
    settings = scanning.ScanSettings(
        tuple(str(d.resolve()) for d in rule_dirs),
        tuple(sorted(split_names(select))),
        tuple(sorted(split_names(ignore))),
        min_severity,
        regex_timeout,
        pages=lang if with_html else None,
        article_timeout=article_timeout or None,
        debug=debug,
    )
    runner = (
        scanning.dask_runner(settings, scheduler or "")
        if engine == "dask"
        else scanning.local_runner(settings, jobs or default_jobs())
    )
    articles = iter_articles(archives, include, exclude, text_field, max_bytes)
    cache = None if no_cache else (cache_path or out_dir / "cache.sqlite")
    progress = _progress(lambda: count_articles(archives, include, exclude))

    def warn(message: str) -> None:
        progress.echo(f"healthlint: warning: {message}")

    try:
        with progress as tick:
            summary = scanning.scan(articles, settings, out_dir, runner, cache, tick, lang if with_html else None, warn)
    except (scanning.CacheError, scanning.OutputError) as error:
        _fail(str(error))
    totals = summary.counts()
    internal = f", {summary.faults} internal errors or over the time budget" if summary.faults else ""
    click.echo(
        f"{totals['articles_total']} articles ({totals['articles_from_cache']} from cache, "
        f"{totals['articles_with_errors']} with errors{internal}), {totals['findings_total']} findings; "
        f"results in {out_dir}",
        err=True,
    )
    failing = fail_on != "never" and any(
        Severity.parse(level) >= Severity.parse(fail_on) and count for level, count in summary.per_severity.items()
    )
    errored = fail_on != "never" and totals["articles_with_errors"]
    sys.exit(EXIT_FINDINGS if failing or errored or summary.faults else EXIT_CLEAN)


class _progress:
    """A rich progress bar with count, rate and time remaining on a terminal; silent in CI or when stderr is not
    a terminal. The total comes from `count` (a quick pass over the inputs), run only when the bar is shown."""

    def __init__(self, count: Callable[[], int]) -> None:
        self.count = count
        self.bar: Any = None

    def __enter__(self) -> Callable[[dict[str, object]], None]:
        import os

        if sys.stderr.isatty() and not os.environ.get("CI"):
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("scanning"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]:.1f} articles/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("scan", total=self.count(), rate=0.0)
        return self.tick

    def echo(self, message: str) -> None:
        """Print a message on stderr without breaking the bar."""
        if self.bar is not None:
            self.bar.console.print(message, markup=False, highlight=False)
        else:
            click.echo(message, err=True)

    def tick(self, result: dict[str, object]) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)
            elapsed = self.bar.tasks[0].elapsed or 1e-9
            self.bar.update(self.task, rate=self.bar.tasks[0].completed / elapsed)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command(name="rules")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
def list_rules(rule_dirs: tuple[Path, ...]) -> None:
    """List every rule with its category, severity and legal basis."""
    rules = _rules_or_fail(rule_dirs)
    for rule in rules:
        click.echo(f"{rule.id:42} {rule.category:20} {rule.severity.label:8} {rule.kind:9} {rule.basis}")


def _example(text: str) -> str:
    return text.replace("[[", "【").replace("]]", "】").replace("\n", "\n      ")


@main.command()
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
def explain(rule_id: str, rule_dirs: tuple[Path, ...]) -> None:
    """Explain a rule: message, why it matters, legal basis, examples and the suggested rewrite."""
    rules = _rules_or_fail(rule_dirs)
    rule: Rule | None = rules.get(rule_id)
    if rule is None:
        _fail(f"unknown rule {rule_id!r}; `healthlint rules` lists them")
    lines = [
        f"{rule.id}  [{rule.category}, {rule.severity.label}, kind {rule.kind}]",
        "",
        f"Message:    {rule.message}",
        f"Why:        {rule.description or '-'}",
        f"Basis:      {rule.basis}",
        f"Suggestion: {rule.suggestion}",
        "",
        "Flags (the flagged span in 【】):",
        *(f"  ✗ {_example(example)}" for example in rule.examples.flag),
        "Passes:",
        *(f"  ✓ {_example(example)}" for example in rule.examples.passing),
    ]
    if rule.fix:
        fixes = (
            str(rule.fix) if not isinstance(rule.fix, Mapping) else ", ".join(f"{k} → {v}" for k, v in rule.fix.items())
        )
        lines += ["", f"--fix replaces: {fixes}"]
    click.echo("\n".join(lines))


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback exposes the workbench to the network.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="UI language.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1024),
    default=2 * 1024 * 1024,
    show_default=True,
    help="Largest text a check accepts (UTF-8 bytes).",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True, help="Seconds a check may take."
)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Checks that run at once.")
@click.option("--open", "open_browser", is_flag=True, help="Open the workbench in the default browser.")
def serve(
    host: str,
    port: int,
    lang: str,
    rule_dirs: tuple[Path, ...],
    max_bytes: int,
    timeout: float,
    workers: int,
    open_browser: bool,
) -> None:
    """Run the editor's workbench: a local web app to paste or upload an article, read and fix its findings."""
    from lint.app.serve import LOOPBACK, ServeSettings
    from lint.app.serve import serve as run

    rules = _rules_or_fail(rule_dirs)
    hosts = LOOPBACK if host in LOOPBACK else ("*",) if host in ("0.0.0.0", "::") else (*LOOPBACK, host)
    if host not in LOOPBACK:
        click.echo(f"healthlint: warning: listening on {host}; anyone who can reach it can use the workbench", err=True)
    settings = ServeSettings(
        rules=rules, lang=lang, max_bytes=max_bytes, timeout=timeout, workers=workers, allowed_hosts=hosts
    )
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    click.echo(f"healthlint workbench: {url}  (Ctrl-C stops it)", err=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, [url]).start()
    run(settings, host, port)


@main.command(name="test-rules")
@click.argument("directories", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
def test_rules(directories: tuple[Path, ...]) -> None:
    """Validate rule directories (rule packs, and language files under lang/<code>/) and run all their examples.

    Exit 0 when every example holds, 1 when one fails (each failing example is listed with what was found), 2 when
    a file cannot be loaded (the message names the file, the item and the line)."""
    from lint.app.testrules import check_rule_dirs

    missing = [str(directory) for directory in directories if not directory.is_dir()]
    if missing:
        _fail(f"no such rule directory: {', '.join(missing)}")
    try:
        result = check_rule_dirs(directories)
    except PackError as error:
        _fail(f"rule pack error: {error}")
    click.echo(result.describe(), nl=False)
    sys.exit(EXIT_FINDINGS if result.failures else EXIT_CLEAN)


@main.group()
def cache() -> None:
    """The compiled artefacts checks keep between runs (segmenter tables, regex analyses and compiled forms,
    parsed packs), by content hash and library version, in $HEALTHLINT_CACHE_DIR, else $XDG_CACHE_HOME/healthlint
    or ~/.cache/healthlint."""


@cache.command(name="dir")
def cache_dir_command() -> None:
    """Print the directory the artefacts are kept in."""
    from lint.io.kept import cache_dir

    click.echo(str(cache_dir()))


@cache.command()
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
def warm(rule_dirs: tuple[Path, ...]) -> None:
    """Build every artefact now (in an image build or an install step), so that the first check starts warm."""
    import time

    from lint.app.warm import warm_caches
    from lint.io.kept import cache_dir

    started = time.perf_counter()
    _rules_or_fail(rule_dirs)
    try:
        warmed = warm_caches(rule_dirs)
    except (PackError, ValueError) as error:
        _fail(f"rule pack error: {error}")
    click.echo(
        f"prepared {warmed.languages} language pack(s), {warmed.patterns} regular expressions and "
        f"{warmed.examples} examples in {time.perf_counter() - started:.1f} s (kept in {cache_dir()})"
    )
    if warmed.failing:
        click.echo(f"{warmed.failing} example(s) fail: `healthlint test-rules` lists them", err=True)


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .healthlint.toml.")
def init(force: bool) -> None:
    """Write a commented starter configuration, .healthlint.toml, in the current directory."""
    target = Path.cwd() / ".healthlint.toml"
    if target.exists() and not force:
        _fail(f"{target} already exists (use --force to overwrite)")
    target.write_text(STARTER, encoding="utf-8")
    click.echo(f"wrote {target}")


if __name__ == "__main__":
    main()
