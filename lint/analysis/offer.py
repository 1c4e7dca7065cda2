"""The document's genre and its promoted offer: what kind of text it is, and what the page sells or promotes.

`offer(doc)` is worked out once per document (kept in a slot) from the language pack's `genre.*` and `offer.*`
entries. The result, an `Offer`, has:

* `genre`: one of `GENRES` or ``"other"``. A genre needs `genre.min_markers` distinct markers, a marker in the
  title (the first line) counting twice; commercial markers (prices, booking, contact) make it ``"marketing"``
  when they outweigh the others.
* `promotional`: the page sells or promotes a health product, service, clinic or therapy: a sales page or a
  company's press release, or a page with commercial markers, the provider's own voice (本院, 本品) or a
  trademarked brand that is not a notice, a recruitment or a debunk.
* `discusses_health`: the text is about a health product or treatment at all (what a medical disclaimer is
  owed for, whether or not it sells).
* `subjects`: folded terms naming the offer, most salient first: trademarked brands, methods the page introduces
  as its own (独创“…”), the provider's voice (本院, 本品), the product and treatment nouns of the title, then the
  most frequent ones. `names(text)` says whether a stretch of folded text mentions the offer.

Genres imply what the guidelines say: in a regulator's notice, a consumer warning or a debunk (`critical`) a
quoted claim is reported in order to criticise it; a notice or a recruitment promotes nothing (`promotional` is
False); in a doctor's Q&A the question is the reader's voice.
"""

from __future__ import annotations

from collections import Counter

from lint.analysis.hits import TermLists
from lint.core.document import Document
from lint.core.language import Slot
from lint.core.records import record

GENRES: tuple[str, ...] = (
    "regulator",
    "consumer_warning",
    "debunk",
    "recruitment",
    "doctor_qa",
    "patient_education",
    "news",
    "press_release",
    "marketing",
)
"""Document genres, in the order a tie between their scores is broken."""

CRITICAL_GENRES = frozenset({"regulator", "consumer_warning", "debunk"})
"""Genres that quote claims in order to criticise them."""

NOTICE_GENRES = frozenset({"regulator", "consumer_warning", "recruitment"})
"""Genres that promote nothing and give no medical advice (no disclaimer is owed)."""

_SELLING = frozenset({"marketing", "press_release"})
_TITLE_WEIGHT = 2
_MOST_FREQUENT = 3
# the word lists scanned over the whole document: their words are found in one pass
_WORD_LISTS = TermLists(
    "offer", (*(f"genre.{genre}_body" for genre in GENRES), "offer.provider", "offer.products", "offer.health_topic")
)


@record(frozen=True, slots=True)
class Offer:
    """What a document is and what it promotes (see the module docstring)."""

    genre: str
    promotional: bool
    discusses_health: bool
    subjects: tuple[str, ...]
    primary: tuple[str, ...] = ()
    scores: tuple[tuple[str, int], ...] = ()

    @property
    def critical(self) -> bool:
        """The document quotes claims in order to criticise them (a notice, a warning, a debunk)."""
        return self.genre in CRITICAL_GENRES

    @property
    def notice(self) -> bool:
        """The document is a notice or a recruitment: it promotes nothing and gives no medical advice."""
        return self.genre in NOTICE_GENRES

    def names(self, text: str) -> bool:
        """Whether `text` (folded) mentions the offer."""
        return any(subject in text for subject in self.subjects)


_OFFER: Slot[Offer] = Slot("promoted offer")


def offer(doc: Document) -> Offer:
    """The genre and promoted offer of `doc`, worked out once."""
    return _OFFER.get(doc, lambda: _read(doc))


def _read(doc: Document) -> Offer:
    language = doc.language
    text = doc.folded
    title = text[doc.blocks[0].start : doc.blocks[0].end] if doc.blocks else ""
    minimum = language.table("genre.min_markers")
    scores: dict[str, int] = {}
    for genre in GENRES:
        markers = set(_WORD_LISTS.found(doc, f"genre.{genre}_body"))
        score = len(markers)
        if genre != "marketing" and language.pattern(f"genre.{genre}_title").search(title):
            score += _TITLE_WEIGHT
        scores[genre] = score
    provider = Counter(_WORD_LISTS.found(doc, "offer.provider"))
    brands = Counter(m.group() for m in language.pattern("offer.brand").finditer(text))
    scores["marketing"] += len(provider) + (1 if brands else 0)
    ranked = sorted(
        (genre for genre in GENRES if scores[genre] >= int(minimum.get(genre, 1))),
        key=lambda genre: (-scores[genre], GENRES.index(genre)),
    )
    genre = ranked[0] if ranked else "other"
    commercial = scores["marketing"] >= int(minimum.get("marketing", 1)) or bool(provider) or bool(brands)
    promotional = genre in _SELLING or (commercial and genre not in NOTICE_GENRES | CRITICAL_GENRES)
    primary, subjects = _subjects(doc, title, provider, brands)
    discusses = bool(subjects) or bool(_WORD_LISTS.found(doc, "offer.health_topic"))
    return Offer(genre, promotional, discusses, subjects, primary, tuple(sorted(scores.items())))


def _subjects(
    doc: Document, title: str, provider: Counter[str], brands: Counter[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    language = doc.language
    text = doc.folded
    named = Counter(
        m.group("name") if "name" in m.re.groupindex else m.group()
        for m in language.pattern("offer.named_method").finditer(text)
    )
    products = Counter(_WORD_LISTS.found(doc, "offer.products"))
    in_title = [p for p in products if p in title]
    frequent = [p for p, _ in products.most_common(_MOST_FREQUENT)]
    primary = _unique([*brands, *named, *in_title, *frequent[:1]])
    return primary, _unique([*brands, *named, *provider, *in_title, *frequent])


def _unique(terms: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(term.strip() for term in terms if term.strip()))
