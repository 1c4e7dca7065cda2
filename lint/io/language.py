"""Loading language packs: the vocabulary and tables of one language, and its segmenter."""

from __future__ import annotations

import functools

import yaml

from lint.core.language import LanguagePack
from lint.io.paths import data_file, default_rules_dir, load_data, safe_loader
from lint.io.segmenter import TableSegmenter


def load_language() -> LanguagePack:
    """The `zh` language pack: the claim vocabulary, the journal aliases and the segmenter table's sources."""
    claims = load_data("claims.yaml")
    terms = {f"claims.{name}": tuple(str(v).lower() for v in values) for name, values in claims.items()}
    journals = load_data("journals.yaml")["journals"]
    fixes = yaml.load((default_rules_dir() / "lang" / "zh" / "fixes.yaml").read_text(encoding="utf-8"), safe_loader())
    keep = {word for name, words in terms.items() if name.startswith("claims.") for word in words}
    segmenter = TableSegmenter(data_file("medical_dict.txt"), keep)
    return LanguagePack("zh", terms, {"journals": journals, "fixes": fixes["entries"]}, segmenter, str(data_file("")))


@functools.lru_cache(maxsize=1)
def default_language() -> LanguagePack:
    """The shipped `zh` language pack, loaded once per process."""
    return load_language()
