"""The `healthlint` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lint import __version__
from lint.engine import LintConfig
from lint.finding import Severity
from lint.formatters import FORMATTERS
from lint.paths import default_rules_dir
from lint.report import FileReport
from lint.rulepack import RulePackError, RuleSet, default_packs, load_packs
from lint.runner import PathNotFound, check_file, collect_paths

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SEVERITIES = [s.label for s in Severity]


def _split(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(part.strip() for value in values for part in value.split(",") if part.strip())


def _rule_set(extra: tuple[Path, ...]) -> RuleSet:
    packs = default_packs() if not extra else load_packs([default_rules_dir(), *extra])
    return RuleSet(packs)


def _exit_code(reports: list[FileReport], fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity.parse(fail_on)
    failing = any(r.error for r in reports) or any(f.severity >= threshold for r in reports for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="healthlint")
def main() -> None:
    """healthlint: find overclaims, cure promises, unsafe safety claims, weak evidence and spin in health copy."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True)
@click.option("--select", multiple=True, help="Only these rule ids, packs or categories (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids, packs or categories (comma-separated).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default="info", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at or above this severity exists (or a file cannot be read).",
)
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
@click.option("--regex-timeout", type=float, default=1.0, show_default=True, help="Seconds per rule regex per file.")
@click.option(
    "--html",
    "html_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write annotated HTML pages and an index.html dashboard into this directory.",
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the HTML report."
)
def check(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str,
    fail_on: str,
    rule_dirs: tuple[Path, ...],
    regex_timeout: float,
    html_dir: Path | None,
    lang: str,
) -> None:
    """Lint article files, directories (recursively) and globs."""
    try:
        rules = _rule_set(rule_dirs)
        files = collect_paths(paths)
    except RulePackError as error:
        click.echo(f"healthlint: rule pack error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except PathNotFound as error:
        click.echo(f"healthlint: no such file or directory: {error}", err=True)
        sys.exit(EXIT_USAGE)
    config = LintConfig(
        rules=rules,
        select=_split(select),
        ignore=_split(ignore),
        min_severity=Severity.parse(min_severity),
        regex_timeout=regex_timeout,
    )
    unknown = sorted((config.select | config.ignore) - _known_names(rules))
    if unknown:
        click.echo(f"healthlint: unknown rule, pack or category: {', '.join(unknown)}", err=True)
        sys.exit(EXIT_USAGE)
    reports = [check_file(path, config) for path in files]
    click.echo(FORMATTERS[output_format](reports), nl=False)
    if html_dir is not None:
        from lint.formatters.html import write_html_report

        try:
            write_html_report(reports, html_dir, lang)
        except OSError as error:
            click.echo(f"healthlint: cannot write the HTML report to {html_dir}: {error.strerror or error}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(f"HTML report: {html_dir / 'index.html'}", err=True)
    sys.exit(_exit_code(reports, fail_on))


def _known_names(rules: RuleSet) -> set[str]:
    return {name for rule in rules for name in (rule.id, rule.pack, rule.category)}


@main.command(name="rules")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule-pack directory.")
def list_rules(rule_dirs: tuple[Path, ...]) -> None:
    """List every rule with its category, severity and legal basis."""
    try:
        rules = _rule_set(rule_dirs)
    except RulePackError as error:
        click.echo(f"healthlint: rule pack error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    for rule in rules:
        click.echo(f"{rule.id:42} {rule.category:20} {rule.severity.label:8} {rule.kind:9} {rule.basis}")


if __name__ == "__main__":
    main()
