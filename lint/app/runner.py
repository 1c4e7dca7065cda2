"""The shell around the kernel: finding files, building each file's configuration, linting, applying fixes."""

from __future__ import annotations

import functools
import glob
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from lint.app.guard import Fault, WorkerLost, isolate
from lint.core.document import Document
from lint.core.examples import unmark
from lint.core.finding import Finding, Severity
from lint.core.language import LanguagePack, choose_language
from lint.core.records import record
from lint.formatters.report import FileReport
from lint.io.config import ProjectConfig, find_config
from lint.io.files import replace_text
from lint.io.language import default_language, load_languages
from lint.io.paths import default_rules_dir, skipped_link
from lint.io.rulepack import RulePackError, default_packs, load_packs
from lint.io.sources import TEXT_SUFFIXES, SourceError, read_source
from lint.kernel.engine import LintConfig, check_document
from lint.kernel.fix import apply_fixes
from lint.kernel.ruleset import PrecedenceError, RuleSet

FIXABLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})


class PathNotFound(Exception):
    """A path given on the command line that matches no file or directory."""


@record(frozen=True)
class Options:
    """What the command line chose, before each file's project configuration is applied."""

    rule_dirs: tuple[Path, ...] = ()
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    min_severity: str | None = None
    regex_timeout: float = 1.0
    report_unused_disables: bool = False


def split_names(values: Iterable[str]) -> frozenset[str]:
    """Rule ids, packs or categories from repeated, comma-separated options."""
    return frozenset(part.strip() for value in values for part in value.split(",") if part.strip())


def rule_set(extra: Sequence[Path]) -> RuleSet:
    """The shipped rule packs plus those in the `extra` directories, loaded once per process (`check --rules`
    reads them for the examples and for the configuration)."""
    return _rule_set(added_dirs(extra))


@functools.lru_cache(maxsize=16)
def _rule_set(extra: tuple[Path, ...]) -> RuleSet:
    packs = default_packs() if not extra else load_packs([default_rules_dir(), *extra])
    try:
        return RuleSet(packs)
    except PrecedenceError as error:
        raise RulePackError(error.rule.path, error.reason, error.rule.id, error.rule.line) from None


def known_names(rules: RuleSet) -> set[str]:
    """Every rule id, pack name and category `--select`/`--ignore` may name."""
    return {name for rule in rules for name in (rule.id, rule.pack, rule.category)}


def lint_config(project: ProjectConfig, options: Options) -> LintConfig:
    """The kernel configuration for files under `project`; raise `ValueError` for names no rule has."""
    loaded = rule_set((*project.rules, *options.rule_dirs))
    chosen = LintConfig(
        rules=loaded.with_severities(project.severity),
        select=options.select or project.select,
        ignore=options.ignore | project.ignore,
        min_severity=Severity.parse(options.min_severity or project.min_severity or "info"),
        regex_timeout=options.regex_timeout,
        report_unused_disables=options.report_unused_disables,
    )
    unknown = sorted((chosen.select | chosen.ignore | set(project.severity)) - known_names(loaded))
    if unknown:
        raise ValueError(f"unknown rule, pack or category: {', '.join(unknown)}")
    return chosen


@record(frozen=True)
class Setup:
    """What files under one project are linted with: the kernel configuration and the language packs (the
    shipped `zh` first, then those of the project's and the command line's rule directories)."""

    config: LintConfig
    languages: tuple[LanguagePack, ...]
    rule_dirs: tuple[Path, ...] = ()

    def language_of(self, text: str) -> tuple[LanguagePack, str | None]:
        """The pack `text` is checked with, and a note when no pack covers its language."""
        return choose_language(self.languages, text)


def languages(rule_dirs: Sequence[Path]) -> tuple[LanguagePack, ...]:
    """The shipped language packs, extended or joined by those in `rule_dirs` (`DIR/lang/<code>/`); `zh` first."""
    return _languages(added_dirs(rule_dirs))


def added_dirs(rule_dirs: Sequence[Path]) -> tuple[Path, ...]:
    """`rule_dirs` without the shipped directory and without repeats (naming `rules/` itself adds nothing)."""
    seen = {default_rules_dir().resolve()}
    added: list[Path] = []
    for directory in rule_dirs:
        resolved = directory.resolve()
        if resolved not in seen:
            seen.add(resolved)
            added.append(directory)
    return tuple(added)


@functools.lru_cache(maxsize=16)
def _languages(rule_dirs: tuple[Path, ...]) -> tuple[LanguagePack, ...]:
    if not rule_dirs:
        return (default_language(),)
    packs = load_languages([default_rules_dir(), *rule_dirs])
    return (packs["zh"], *(pack for code, pack in packs.items() if code != "zh"))


def setup(project: ProjectConfig, options: Options) -> Setup:
    """The configuration and language packs for files under `project`."""
    rule_dirs = (*project.rules, *options.rule_dirs)
    return Setup(lint_config(project, options), languages(rule_dirs), rule_dirs)


def plan(files: Sequence[Path], options: Options) -> list[tuple[Setup, list[Path]]]:
    """Group `files` by the set-up that applies to each (files their project excludes are dropped)."""
    groups: dict[ProjectConfig, list[Path]] = defaultdict(list)
    for file in files:
        project = find_config(file.parent.resolve())
        if not project.excludes(file):
            groups[project].append(file)
    return [(setup(project, options), group) for project, group in groups.items()]


def collect_paths(arguments: Iterable[str]) -> list[Path]:
    """Expand files, directories (recursively, by known suffix) and globs into a sorted, unique list."""
    found: dict[Path, None] = {}
    for argument in arguments:
        if any(ch in argument for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True))
            if not matches:
                raise PathNotFound(argument)
            candidates: Iterable[Path] = matches
        else:
            path = Path(argument)
            if not path.exists():
                raise PathNotFound(argument)
            candidates = [path]
        for candidate in candidates:
            for file in _expand(candidate):
                found.setdefault(file, None)
    return list(found)


def _expand(path: Path) -> Iterator[Path]:
    """The article files under a directory (hidden ones left out), and the links there that cannot be read
    (dangling, loops, linked directories: `check_file` reports them as skipped)."""
    if path.is_dir():
        yield from sorted(
            p
            for p in path.rglob("*")
            if not any(part.startswith(".") for part in p.relative_to(path).parts)
            and (
                (p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
                or (skipped_link(p) is not None and (p.is_dir() or p.suffix.lower() in TEXT_SUFFIXES))
            )
        )
    else:
        yield path


def check_file(path: Path, setup: Setup, on_fault: Callable[[Path, Fault], None] | None = None) -> FileReport:
    """Lint one file; an unreadable or undecodable file becomes a report with `error` set, and so does any
    exception while reading or linting it (`on_fault` hears of those), so the other files go on."""

    def work() -> FileReport:
        skipped = skipped_link(path)
        if skipped:
            return FileReport(str(path), error=skipped)
        try:
            source = read_source(path)
        except SourceError as error:
            return FileReport(str(path), error=str(error))
        language, uncovered = setup.language_of(source.text)
        doc = Document(source.text, source.syntax, language=language)
        result = check_document(doc, setup.config)
        return FileReport(
            str(path),
            tuple(result.findings),
            None,
            source.text,
            source.note,
            (uncovered, *result.problems) if uncovered else tuple(result.problems),
            source.encoding,
            heading_spans(doc),
        )

    outcome = isolate(work)
    if isinstance(outcome, Fault):
        if on_fault is not None:
            on_fault(path, outcome)
        return FileReport(str(path), error=outcome.describe())
    return outcome


# fewer files than this are checked in the main process: starting workers costs more than they would save
PARALLEL_AFTER = 8
# files submitted to the workers per worker at a time (what a dead worker puts in doubt)
_IN_FLIGHT = 4

Lean = Callable[[FileReport], FileReport]


@record(frozen=True)
class _Job:
    """The parallel check under way: its files and what is kept of each report; inherited by the forked workers,
    which are sent only a file's index."""

    planned: Sequence[tuple[Setup, Path]]
    lean: Lean


_JOB: list[_Job] = []


def check_files(
    planned: Sequence[tuple[Setup, Path]],
    jobs: int | None = None,
    on_fault: Callable[[Path, Fault], None] | None = None,
    lean: Lean = lambda report: report,
) -> Iterator[FileReport]:
    """`lean(check_file(...))` of every (set-up, file) of `planned`, in order. With at least `PARALLEL_AFTER` files,
    `jobs` other than 1 (None: one per core) and a platform that forks, the files are checked by worker processes
    (`lint.app.workers`) that inherit the loaded packs and rules and what a warm-up check made (`_warm_up`); a file
    whose worker dies gets an error entry and the others go on. `on_fault` hears of each file's internal error in
    the main process, in order, either way."""
    workers = 1
    if len(planned) >= PARALLEL_AFTER and jobs != 1:
        from lint.app.workers import can_fork, default_jobs  # multiprocessing: not for a short check

        workers = (jobs or default_jobs()) if can_fork() else 1
    if workers <= 1:
        yield from (lean(check_file(path, setup, on_fault)) for setup, path in planned)
        return
    for setup in {id(setup): setup for setup, _ in planned}.values():
        _warm_up(setup)
    for (_, path), (report, fault) in zip(planned, _in_workers(_Job(planned, lean), workers), strict=True):
        if fault is not None and on_fault is not None:
            on_fault(path, fault)
        yield report


# the warm-up text is the flag example of one entry in this many: 0.17 s here with warm caches (all of them: 0.32 s),
# which is about what each worker would spend on its first document
WARM_UP_EVERY = 8


def _warm_up(setup: Setup) -> None:
    """Make, before the workers fork, what a first document makes once per process — the segmenter's table and
    compiled route, anchor indexes, automata, and the analyses and compiled forms of the patterns it meets — so that
    it is made once for every worker (on a first run, analysed and kept once): check a text of the flag example of
    one entry in `WARM_UP_EVERY` of each language pack. No article is read here, so none can take the main process
    down."""
    for language in setup.languages:
        isolate(functools.partial(_check_examples, language, setup.config))


def _check_examples(language: LanguagePack, config: LintConfig) -> None:
    language.prepare()
    examples = [unmark(entry.examples.flag[0])[0] for entry in language.entries.values() if entry.examples.flag]
    check_document(Document("\n".join(examples[::WARM_UP_EVERY]), "text", language=language), config)


def _in_workers(job: _Job, workers: int) -> list[tuple[FileReport, Fault | None]]:
    from lint.app.workers import WorkerPool

    _JOB[:] = [job]
    pool: WorkerPool[int, tuple[FileReport, Fault | None]] = WorkerPool(_check_planned, workers, None, _lost_file)
    outcomes: dict[int, tuple[FileReport, Fault | None]] = {}
    in_flight: dict[Any, int] = {}

    def collect() -> None:
        for future in pool.wait_first(list(in_flight)):
            outcomes[in_flight.pop(future)] = future.result()

    finished = False
    try:
        for index in range(len(job.planned)):
            in_flight[pool.submit(index)] = index
            while len(in_flight) >= workers * _IN_FLIGHT:
                collect()
        while in_flight:
            collect()
        finished = True
    finally:
        pool.close(cancel=not finished)
        _JOB.clear()
    return [outcomes[index] for index in range(len(job.planned))]


def _check_planned(index: int) -> tuple[FileReport, Fault | None]:
    """In a worker: the (lean) report of planned file `index`, and its internal error if it had one."""
    job = _JOB[0]
    setup, path = job.planned[index]
    faults: list[Fault] = []
    report = check_file(path, setup, lambda _path, fault: faults.append(fault))
    return job.lean(report), faults[0] if faults else None


def _lost_file(index: int, reason: str) -> tuple[FileReport, Fault | None]:
    """The error entry of a planned file whose worker died or failed: `reason`."""
    fault = Fault.of(WorkerLost(reason))
    return FileReport(str(_JOB[0].planned[index][1]), error=fault.describe()), fault


def heading_spans(doc: Document) -> tuple[tuple[int, int], ...]:
    """The spans of the document's heading lines, for the report pages."""
    return tuple((block.start, block.end) for block in doc.blocks if block.kind == "heading")


@record(frozen=True)
class FixOutcome:
    """One report after `--fix`/`--diff`: the report to format, the fixes made, and why a file was left alone."""

    report: FileReport
    fixed: tuple[Finding, ...] = ()
    new_text: str | None = None
    skipped: str | None = None


def fix_report(report: FileReport, setup: Setup, write: bool) -> FixOutcome:
    """Apply the safe replacements of one report; with `write`, rewrite the file and drop the fixed findings."""
    suffix = Path(report.path).suffix.lower()
    if report.error or not any(f.fix for f in report.findings):
        return FixOutcome(report)
    if suffix not in FIXABLE_SUFFIXES:
        return FixOutcome(report, skipped=f"--fix only writes .txt and .md files; {suffix} is left unchanged")
    language, _ = setup.language_of(report.text)
    doc = Document(report.text, "markdown" if suffix in (".md", ".markdown") else "text", language=language)
    new_text, fixed = apply_fixes(doc, report.findings)
    if not fixed:
        return FixOutcome(report)
    if not write:
        return FixOutcome(report, tuple(fixed), new_text)
    replace_text(Path(report.path), new_text, report.encoding or "utf-8")
    remaining = tuple(f for f in report.findings if f not in fixed)
    updated = FileReport(report.path, remaining, None, new_text, report.note, report.problems, report.encoding)
    return FixOutcome(updated, tuple(fixed), new_text)
