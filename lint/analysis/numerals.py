"""Numbers as articles write them: Arabic (12, 3.5) or written out with the pack's digits and units (九, 十二, 一百零五)."""

from __future__ import annotations

from lint.core.compiled import compile_regex
from lint.core.language import LanguagePack

_ARABIC = compile_regex(r"\d+(?:\.\d+)?")


def parse_number(language: LanguagePack, text: str) -> float:
    """The value of `text`: an Arabic number, or digits and units of `language` (`numerals.digits`,
    `numerals.units`) read left to right — a unit multiplies the digit before it (or one), digits after the
    last unit add on; characters that are neither are skipped."""
    if _ARABIC.fullmatch(text):
        return float(text)
    digits, units = language.table("numerals.digits"), language.table("numerals.units")
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = int(digits[ch])
        elif ch in units:
            total += (current or 1) * int(units[ch])
            current = 0
    return float(total + current)
