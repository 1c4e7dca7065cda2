"""Loading language packs: `rules/lang/<code>/` — `pack.yaml`, section files of entries, `labels.yaml`.

`pack.yaml` names the language, its script and its segmenter. Every other `*.yaml` file (in the folder or a
sub-folder, such as `outcomes/`, one file per body system) is one `section` of
`entries`, each a `pattern` (a regex, or a list of alternatives), `terms` (a word list) or a `table` (a
mapping), validated strictly against the entries the analysis reads (`lint.analysis.entries`), with file:line
errors as for rule packs. A pattern may include another entry as `{{section.entry}}` (or `{{entry}}` in the
same section). Patterns and word lists that decide a match carry `examples`, which the test suite and
`healthlint test-rules` run. `labels.yaml` (the UI labels of reports and the workbench) is read by
`lint.io.labels`, not here. A user's directory (`--rules DIR`, with `DIR/lang/<code>/`) adds to the shipped
pack of the same code: its words are added to the lists, its patterns become further alternatives.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import regex

from lint.analysis.entries import ENTRIES, VOCABULARY_SECTIONS, spec_of
from lint.core.compiled import compile_regex
from lint.core.examples import NO_EXAMPLES, Examples
from lint.core.language import Entry, EntryKind, LanguagePack
from lint.core.normalize import fold, pattern_problem
from lint.core.regex_safety import NESTED, backtracking_risk
from lint.io.artefacts import LANGUAGE_ENTRIES, use_pattern_caches
from lint.io.paths import default_rules_dir
from lint.io.segmenter import build_segmenter
from lint.io.yamlpack import LineMapping, PackError, frozen, parse_examples, read_yaml, str_list, thawed

PACK_FILE = "pack.yaml"
LABELS_FILE = "labels.yaml"
PACK_KEYS = frozenset({"language", "name", "description", "script", "segmenter"})
SECTION_KEYS = frozenset({"section", "description", "entries"})
ENTRY_KEYS = frozenset({"pattern", "terms", "table", "ignore_case", "description", "examples"})
_NAME = compile_regex(r"^[a-z][a-z0-9_]*$")
_INCLUDE = compile_regex(r"\{\{([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\}\}")


class LanguagePackError(PackError):
    """A language pack that cannot be used; the message names the file, the entry and the line."""

    item_label = "entry"


def language_dirs(rules_dir: Path) -> list[Path]:
    """The language folders of a rules directory (`DIR/lang/<code>/`), in a stable order."""
    root = rules_dir / "lang"
    return sorted(path for path in root.iterdir() if path.is_dir()) if root.is_dir() else []


def load_languages(rule_dirs: Sequence[Path]) -> dict[str, LanguagePack]:
    """Every language pack of `rule_dirs` (the first one is normally the shipped `rules/`); a later folder of a code
    already loaded adds to that pack.

    Every file is validated when loaded; the regular expressions of the shipped packs (which the test suite
    compiles and runs) are compiled on first use, those of a user's folders at once, so that their errors show
    before any article is linted."""
    use_pattern_caches()
    packs: dict[str, LanguagePack] = {}
    shipped = default_rules_dir().resolve()
    for rules_dir in rule_dirs:
        compile_now = rules_dir.resolve() != shipped
        for folder in language_dirs(rules_dir):
            pack = _load_folder(folder, packs.get(folder.name), compile_now)
            if pack is not None:
                packs[pack.code] = pack
    return packs


def load_language(folder: Path) -> LanguagePack:
    """Load one language folder on its own (it must have a `pack.yaml`)."""
    pack = _load_folder(folder, None, compile_now=True)
    if pack is None:
        raise LanguagePackError(folder / PACK_FILE, "a language folder needs a pack.yaml (language, script, segmenter)")
    return pack


@functools.lru_cache(maxsize=1)
def default_language() -> LanguagePack:
    """The shipped `zh` language pack, loaded once per process."""
    return load_languages([default_rules_dir()])["zh"]


def _load_folder(folder: Path, base: LanguagePack | None, compile_now: bool) -> LanguagePack | None:
    files = sorted(
        p for p in folder.rglob("*.yaml") if p.relative_to(folder).as_posix() not in (PACK_FILE, LABELS_FILE)
    )
    header = folder / PACK_FILE
    if base is None and not header.is_file():
        return None
    entries = _folder_entries(files, compile_now)
    if base is not None:
        if header.is_file():
            raise LanguagePackError(header, f"language {base.code!r} is already defined in {base.path}")
        return replace(
            base,
            entries=_extended(base.entries, entries),
            slots={},
            _compiled={},
            _sections={},
        )
    meta = read_yaml(header, LanguagePackError, "a pack.yaml")
    unknown = sorted(set(meta) - PACK_KEYS)
    if unknown:
        raise LanguagePackError(header, f"unknown key(s): {', '.join(unknown)}", None, meta.line)
    code = meta.get("language")
    if code != folder.name:
        raise LanguagePackError(header, f"'language' must be the folder's name, {folder.name!r}", None, meta.line)
    script = meta.get("script", "Han")
    if not isinstance(script, str) or not _is_script(script):
        raise LanguagePackError(header, f"'script' must be a Unicode script name (Han, Latin …), not {script!r}")
    spec = meta.get("segmenter")
    if not isinstance(spec, LineMapping) or not isinstance(spec.get("name"), str):
        raise LanguagePackError(header, "'segmenter' must be a mapping with a 'name'", None, meta.line)
    try:
        segmenter = build_segmenter(spec["name"], spec, folder, entries)
    except ValueError as error:
        raise LanguagePackError(header, str(error), None, spec.line) from None
    return LanguagePack(
        code, entries, segmenter, frozenset(ENTRIES), script, str(folder), open_sections=frozenset(VOCABULARY_SECTIONS)
    )


def _folder_entries(files: Sequence[Path], compile_now: bool) -> dict[str, Entry]:
    """The validated entries of a folder's section files: kept by the files' paths and hashes, so that a run over
    the same files rebuilds them without parsing or checking them again."""
    key = _files_key(files, compile_now)
    kept = LANGUAGE_ENTRIES.get(key) if key else None
    if kept is not None:
        return {entry[0]: _thawed_entry(entry) for entry in kept}
    raw: dict[str, tuple[LineMapping, Path]] = {}
    for path in files:
        for name, (data, line) in _section_entries(path).items():
            if name in raw:
                raise LanguagePackError(path, f"entry already defined in {raw[name][1]}", name, line)
            raw[name] = (data, path)
    entries = {name: _entry(name, data, path, raw, compile_now) for name, (data, path) in raw.items()}
    if key:
        with contextlib.suppress(TypeError):  # a table value marshal cannot keep: loaded again next time
            LANGUAGE_ENTRIES.put(key, tuple(_frozen_entry(entry) for entry in entries.values()))
    return entries


def _files_key(files: Sequence[Path], compile_now: bool) -> str | None:
    """The SHA-256 of the files' paths and bytes (and of whether patterns are compiled), or None when one cannot
    be read (the loader then reports it)."""
    digest = hashlib.sha256(b"compile" if compile_now else b"lazy")
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        digest.update(f"|{path}|{len(raw)}|".encode())
        digest.update(raw)
    return digest.hexdigest()


def _frozen_entry(entry: Entry) -> tuple[object, ...]:
    """An entry as plain values `marshal` keeps; TypeError when a table value cannot be kept."""
    table = {key: frozen(value) for key, value in entry.table.items()}
    return (
        entry.name,
        entry.kind,
        entry.pattern,
        entry.terms,
        table,
        entry.ignore_case,
        entry.examples.flag,
        entry.examples.passing,
        entry.description,
        entry.path,
        entry.line,
    )


def _thawed_entry(kept: tuple[Any, ...]) -> Entry:
    name, kind, pattern, terms, table, ignore_case, flag, passing, description, path, line = kept
    examples = Examples(flag, passing) if flag or passing else NO_EXAMPLES
    return Entry(
        name,
        kind,
        pattern,
        terms,
        {key: thawed(value) for key, value in table.items()},
        ignore_case,
        examples,
        description,
        path,
        line,
    )


def _is_script(name: str) -> bool:
    try:
        compile_regex(rf"\p{{Script={name}}}")
    except regex.error:
        return False
    return True


def _section_entries(path: Path) -> dict[str, tuple[LineMapping, int]]:
    data = read_yaml(path, LanguagePackError, "a language-pack file")
    unknown = sorted(set(data) - SECTION_KEYS)
    if unknown:
        raise LanguagePackError(path, f"unknown top-level key(s): {', '.join(unknown)}", None, data.line)
    section = data.get("section")
    if not isinstance(section, str) or not _NAME.match(section):
        raise LanguagePackError(path, "'section' must be a lower-case name", None, data.line)
    entries = data.get("entries")
    if not isinstance(entries, LineMapping) or not entries:
        raise LanguagePackError(path, "'entries' must be a non-empty mapping", None, data.line)
    found: dict[str, tuple[LineMapping, int]] = {}
    for short, value in entries.items():
        name = f"{section}.{short}"
        if not isinstance(short, str) or not _NAME.match(short):
            raise LanguagePackError(path, "entry names are lower-case words", str(short), entries.line)
        if not isinstance(value, LineMapping):
            raise LanguagePackError(path, "an entry must be a mapping", name, entries.line)
        if spec_of(name) is None:
            known = ", ".join(sorted(n.split(".", 1)[1] for n in ENTRIES if n.startswith(section + ".")))
            hint = f" (section {section!r} has: {known})" if known else f" (no section {section!r})"
            raise LanguagePackError(path, f"unknown entry{hint}", name, value.line)
        found[name] = (value, value.line)
    return found


def _entry(
    name: str, data: LineMapping, path: Path, raw: Mapping[str, tuple[LineMapping, Path]], compile_now: bool
) -> Entry:
    line = data.line
    unknown = sorted(set(data) - ENTRY_KEYS)
    if unknown:
        raise LanguagePackError(path, f"unknown key(s): {', '.join(unknown)}", name, line)
    given = [kind for kind in ("pattern", "terms", "table") if kind in data]
    wanted = spec_of(name).kind  # type: ignore[union-attr]
    allowed = ("pattern", "terms") if wanted == "pattern" else (wanted,)
    if len(given) != 1 or given[0] not in allowed:
        raise LanguagePackError(path, f"needs exactly one of: {', '.join(repr(a) for a in allowed)}", name, line)
    kind = given[0]
    ignore_case = data.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise LanguagePackError(path, "'ignore_case' must be true or false", name, line)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise LanguagePackError(path, "'description' must be a string", name, line)
    examples: Examples = NO_EXAMPLES
    if "examples" in data:
        examples = parse_examples(LanguagePackError, path, name, line, data["examples"])
    elif kind != "table":
        raise LanguagePackError(path, "needs 'examples' with at least one 'flag' sentence", name, line)
    entry = Entry(
        name,
        cast(EntryKind, kind),
        ignore_case=ignore_case,
        examples=examples,
        description=description.strip(),
        path=str(path),
        line=line,
    )
    if kind == "pattern":
        source = _expand(name, _pattern_source(name, data["pattern"], path, line), raw, path, line, ())
        problem = pattern_problem(source)
        if problem is None and compile_now:
            try:
                compile_regex(source, regex.IGNORECASE if ignore_case else 0)
            except regex.error as error:
                problem = f"invalid regular expression: {error}"
            if problem is None and backtracking_risk(source, leading=False) == NESTED:
                problem = (
                    "nested quantifier (an unbounded repeat inside another, like (a+)+), which can take "
                    "exponential time; rewrite it without the outer repeat"
                )
        if problem:
            raise LanguagePackError(path, problem, name, line)
        return replace(entry, pattern=source)
    if kind == "terms":
        return replace(entry, terms=_terms(name, data["terms"], path, line))
    table = data["table"]
    if not isinstance(table, Mapping) or not table or not all(isinstance(key, str) for key in table):
        raise LanguagePackError(path, "'table' must be a non-empty mapping with string keys", name, line)
    return replace(entry, table=dict(table))


def _terms(name: str, value: object, path: Path, line: int) -> tuple[str, ...]:
    """A word list, folded as the text it is matched against is, without repeats."""
    words = str_list(LanguagePackError, path, name, line, value, "terms")
    if not words or not all(word.strip() for word in words):
        raise LanguagePackError(path, "'terms' must be a non-empty list of non-empty strings", name, line)
    stripped = [word.strip() for word in words]
    if any("\n" in word for word in stripped):
        return tuple(dict.fromkeys(fold(word) for word in stripped))
    # folding maps code point to code point and keeps line breaks, so the whole list is folded in one call
    return tuple(dict.fromkeys(fold("\n".join(stripped)).split("\n")))


def _pattern_source(name: str, value: object, path: Path, line: int) -> str:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return "|".join(value)
    raise LanguagePackError(path, "'pattern' must be a regular expression or a list of alternatives", name, line)


def _expand(
    name: str, source: str, raw: Mapping[str, tuple[LineMapping, Path]], path: Path, line: int, seen: tuple[str, ...]
) -> str:
    """`source` with every `{{entry}}` replaced by that entry's pattern (or word list) in a non-capturing group."""

    def include(match: regex.Match[str]) -> str:
        target = match.group(1) if "." in match.group(1) else f"{name.split('.')[0]}.{match.group(1)}"
        if target in (name, *seen):
            raise LanguagePackError(path, f"{{{{{match.group(1)}}}}} includes itself", name, line)
        if target not in raw:
            raise LanguagePackError(path, f"{{{{{match.group(1)}}}}} names no entry of this pack", name, line)
        data, where = raw[target]
        if "pattern" in data:
            inner = _expand(
                target, _pattern_source(target, data["pattern"], where, data.line), raw, where, data.line, (*seen, name)
            )
        elif "terms" in data:
            inner = Entry(target, "terms", terms=_terms(target, data["terms"], where, data.line)).source
        else:
            raise LanguagePackError(
                path, f"{{{{{match.group(1)}}}}} is a table; only patterns and terms can be included", name, line
            )
        return f"(?:{inner})"

    return _INCLUDE.sub(include, source)


def _extended(base: Mapping[str, Entry], extra: Mapping[str, Entry]) -> dict[str, Entry]:
    """`base` with a user's entries added: words appended to lists, patterns as further alternatives, table rows
    added; the examples of both must hold, and the entry is the user's (its file and line)."""
    merged = dict(base)
    for name, entry in extra.items():
        old = merged.get(name)
        if old is None:
            merged[name] = entry
            continue
        examples = Examples(old.examples.flag + entry.examples.flag, old.examples.passing + entry.examples.passing)
        origin = {"examples": examples, "path": entry.path, "line": entry.line}
        if old.kind == entry.kind == "terms":
            merged[name] = replace(old, terms=tuple(dict.fromkeys((*old.terms, *entry.terms))), **origin)
        elif old.kind == "table":
            merged[name] = replace(old, table={**old.table, **entry.table}, **origin)
        else:
            source = f"(?:{old.source})|(?:{entry.source})"
            merged[name] = replace(old, kind="pattern", pattern=source, terms=(), **origin)
    return merged
