"""The zh pack's person-headed story constructions (testimonial.story, story_use, checkup, measured, speech): exact
spans of each way a story's person is named, look-alikes that stay clean, and bounded searches: every match lies
within a known reach of selective anchors, so that the prefilter searches only stretches around a named person
and the cost grows with the text, never with how often 了 or 不 occur."""

import pytest

from lint import LintConfig, lint
from lint.core.document import Document
from lint.core.prefilter import GAP, AnchorIndex, Prefilter
from lint.io.language import default_language

STORY = "testimonial.patient-story"
CONSTRUCTIONS = (
    "testimonial.story",
    "testimonial.story_use",
    "testimonial.checkup",
    "testimonial.measured",
    "testimonial.speech",
)


def _stories(text: str) -> list[str]:
    return [f.text for f in lint(text, LintConfig(select=frozenset({STORY})))]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # a familiar name (老/小 and a surname), a use and the "now" clause
        ("老赵做了半年理疗，现在爬五楼都不喘了。", "老赵做了半年理疗，现在爬五楼都不喘了"),
        # a name given as a pseudonym
        ("小芸(化名)在本中心调理了两个月，痛经消失了。", "小芸(化名)在本中心调理了两个月，痛经消失了"),
        # a masked name
        ("刘xx敷了一周面膜，脸上的红血丝淡了。", "刘xx敷了一周面膜，脸上的红血丝淡了"),
        # the story starts at the named person, not at an age that does not name them
        ("58岁的退休教师宋先生贴了三个疗程，膝盖不疼了。", "宋先生贴了三个疗程，膝盖不疼了"),
        ("63岁的男子连喝了两周，夜里不起夜了。", "63岁的男子连喝了两周，夜里不起夜了"),
        ("那位宝妈抹了五天，宝宝的湿疹全消了。", "那位宝妈抹了五天，宝宝的湿疹全消了"),
        # a count of doses and the outcome, no use verb
        ("冯阿姨的湿疹两盒就好了。", "冯阿姨的湿疹两盒就好了"),
        # a check-up that came back good
        ("这位大姐复诊时，尿酸已经恢复正常。", "这位大姐复诊时，尿酸已经恢复正常"),
        # a measured change with decimals, from the customer label on
        ("老顾客严叔喝了一个季度，血糖从9.8降到了6.2。", "老顾客严叔喝了一个季度，血糖从9.8降到了6.2"),
        # quoted speech, a line break between the colon and the quotation
        ("钟先生感慨地说：\n “早点来就好了。”", "钟先生感慨地说：\n “早点来就好了。”"),
    ],
)
def test_a_story_is_one_finding_from_the_person_to_the_outcome(text: str, span: str) -> None:
    assert _stories(text) == [span]


@pytest.mark.parametrize(
    "text",
    [
        "老陈皮泡水喝了半个月，咽喉不痛了。",  # 老陈皮 is a herb, not a person
        "老周的父亲是退休教师，平时喜欢下棋。",  # a person, no use and no outcome
        "孩子用了三天眼药水，医生说要按时复诊。",
        "老年人吃了降压药后，血压不稳定时要及时复查。",
    ],
)
def test_look_alikes_without_a_told_story_stay_clean(text: str) -> None:
    assert _stories(text) == []


@pytest.mark.parametrize("name", CONSTRUCTIONS)
def test_each_construction_has_a_bounded_reach_and_needs_a_person_or_speaker_nearby(name: str) -> None:
    """An unbounded part (`\\d+`, `\\s*`) makes every anchor mean a scan of the whole text; a part without anchors
    (a person of no known literal) leaves only the anchors 了 and 不, which occur everywhere."""
    found = Prefilter.of(default_language().pattern(name))
    assert found.reach is not None and found.reach <= 200
    assert found.conjunctions and all(len(terms) >= 2 for terms in found.conjunctions)


def _filler(paragraphs: int, every: int = 20) -> str:
    """Marketing prose full of 了, 不, 在, 后 and outcomes, with a named person's story once every `every` paragraphs
    (never, for 0)."""
    plain = "很多人在饭后不注意休息，时间久了肠胃就不舒服了，喝了热水也不见好转。"
    story = "邵女士在门店做了八次艾灸后，手脚不麻了。"
    return "\n".join(story if every and index % every == 0 else plain for index in range(paragraphs))


def _searched(text: str) -> dict[str, int]:
    """Per construction, the characters of `text` the prefilter leaves to search."""
    language = default_language()
    searchable = Document(text, language=language).match.text
    windows = AnchorIndex([language.pattern(name) for name in CONSTRUCTIONS]).windows(searchable)
    pairs = zip(CONSTRUCTIONS, windows, strict=True)
    return {name: sum(end - start for start, end in stretches) for name, stretches in pairs}


def test_prose_without_a_named_person_is_not_searched() -> None:
    assert _searched(_filler(300, every=0)) == dict.fromkeys(CONSTRUCTIONS, 0)


@pytest.mark.parametrize("paragraphs", [40, 400])
def test_the_stretches_searched_grow_with_the_stories_told(paragraphs: int) -> None:
    """At most one stretch of twice a construction's reach around each story (counted in characters, not time)."""
    stories = (paragraphs + 19) // 20
    for name, searched in _searched(_filler(paragraphs)).items():
        reach = Prefilter.of(default_language().pattern(name)).reach
        assert reach is not None
        assert searched <= stories * (2 * reach + 2 + GAP), name


def test_a_story_construction_is_tried_at_few_places_around_each_person() -> None:
    """Inside the stretches, a construction whose person may follow an age or a label is tried only up to that
    lead before each occurrence of its head, a few dozen places a story (counted, not timed)."""
    language = default_language()
    text = Document(_filler(400), language=language).match.text
    for name in CONSTRUCTIONS:
        pattern = language.pattern(name)
        head = Prefilter.of(pattern).head
        assert head is not None and head.lead > 0, name
        (stretches,) = AnchorIndex([pattern]).windows(text)
        starts = head.starts(text, stretches)
        assert starts is not None and len(starts) <= 20 * 40, name


def test_the_story_rule_finds_each_story_of_a_long_text_once() -> None:
    text = _filler(200)
    assert _stories(text) == ["邵女士在门店做了八次艾灸后，手脚不麻了"] * 10
