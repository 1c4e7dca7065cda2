"""Compiled artefacts kept on disk between runs, in the user cache directory.

What is kept is named by a hash of what it is made from and of the code and versions that make it, so that two
installs of one release share it, two releases keep their own, and nothing of another install is ever
overwritten or removed while in use. Kept here, each as one table file:

* the analyses of regular expressions (`lint.core.prefilter`: their anchors, read from their syntax trees at
  about a millisecond a pattern), which let a run gate and compile only the patterns its texts may match;
* the parsed pack files (`lint.io.yamlpack`), by the hash of their bytes;
* the validated entries of each language folder (`lint.io.language`), by the hashes of its files;
* what each character folds to (`lint.core.normalize`), so that OpenCC is loaded only for new characters;

the segmenter's table is kept by `lint.io.segmenter`; `lint.io.kept`, the mechanism of every kept file, keeps the
two tables importing the package reads: the methods of record classes and the compiled forms of regular expressions
(which a run builds patterns from without parsing them again: the language pack's take over a second to parse). A
table file starts with the SHA-256 of the rest, so a damaged one is never read; a file that cannot be read is
ignored and one that cannot be written is only a slower next run. Each table is read once per process and what the
run added is merged into it, under the cache folder's lock, when the process (or a forked worker) exits.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from lint.core import normalize, prefilter
from lint.io.kept import KeptTable, regex_version


def library_stamp(name: str) -> str:
    """Which install of the library `name` this is: its module's path, size and modification time (importing it to
    ask its version costs more), or that it is missing."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name} missing"
    status = os.stat(spec.origin)
    return f"{name} {spec.origin}|{status.st_size}|{status.st_mtime_ns}"


def _opencc_version() -> str:
    return library_stamp("opencc")


def _entries_versions() -> str:
    """What a language folder's entries are made by besides its files: the modules that parse, fold and check
    them, and the regex and OpenCC versions (a user's patterns are compiled to be checked)."""
    import lint.analysis.entries
    import lint.core.examples
    import lint.core.language

    modules = (lint.analysis.entries, lint.core.examples, lint.core.language, normalize)
    sources = hashlib.sha256(Path(__file__).with_name("yamlpack.py").read_bytes())
    for module in modules:
        sources.update(Path(module.__file__ or "").read_bytes())
    return f"{sources.hexdigest()}|{regex_version()}|{_opencc_version()}"


def _step_bound_version() -> str:
    """The code of the regex step bound, whose safe widths the analyses keep (`lint.core.regex_safety`)."""
    from lint.core import regex_safety

    return hashlib.sha256(Path(regex_safety.__file__ or "").read_bytes()).hexdigest()


# a run asks for some of the kept analyses and compiled forms (a one-file run 70 % and 35 % of them): each is kept
# marshalled on its own, decoded by `prefilter.analysis` and `compiled.compile_regex` when first asked for
ANALYSES = KeptTable(
    "prefilter",
    prefilter.ANALYSES,
    prefilter.ANALYSES_ADDED,
    Path(prefilter.__file__),
    _step_bound_version,
    lazy=True,
)
# parsed pack files by the hash of their bytes (`lint.io.yamlpack`); past `limit` files, only this run's are kept
PARSED_PACKS = KeptTable("packs", {}, set(), Path(__file__).with_name("yamlpack.py"), limit=2048, lazy=True)
# the validated entries of a language folder (`lint.io.language`), by its files' paths and hashes: they are made by
# the loader from parsed files (yamlpack), folded words (normalize), the entry registry and the entry type
LANGUAGE_ENTRIES = KeptTable("entries", {}, set(), Path(__file__).with_name("language.py"), _entries_versions, limit=64)
# what each character folds to (`lint.core.normalize`: Traditional to Simplified needs OpenCC, loaded only for
# characters no earlier run met)
FOLDS = KeptTable(
    "folds",
    normalize.FOLDS,
    normalize.FOLDS_ADDED,
    Path(normalize.__file__),
    _opencc_version,
    65_536,
    normalize.adopt_folds,
)


def use_pattern_caches() -> None:
    """Read the kept analyses of regular expressions and the kept folds (once per process; their kept compiled forms
    are read as the package is imported, `lint.io.kept.use_import_caches`)."""
    ANALYSES.use()
    FOLDS.use()
