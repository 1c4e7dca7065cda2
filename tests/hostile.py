"""A generated hostile corpus for the reliability tests and the `bench/stress.py` run.

Every case comes from a seed and its index, so a failing case is rebuilt from its name alone. The
generators cover what a hostile or careless user feeds a linter: random bytes and code points, articles
with control characters, stray carriage returns, byte-order marks and damaged encodings, mutated HTML and
Markdown, the pathological inputs of the reliability issue (scaled by `size`), broken Word files, and
archives (zip, JSON Lines, directories with bad links). The prose is written for this module.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROSE = (
    "本中心引进的膝关节软骨再生注射，三次疗程即可让关节焕然一新。",
    "我们的生发精华采用专利配方，坚持使用脱发问题一去不复返。",
    "一项纳入48名受试者的开放标签研究显示，护眼滴剂组视疲劳评分较基线下降。",
    "对照组与治疗组的有效率分别为61%和64%，差异无统计学意义(P=0.52)。",
    "专家提醒：宣称“永不复发”的广告多为夸大宣传，消费者应理性看待。",
    "如果再拖下去，轻微的腰椎间盘突出也可能发展到需要手术的地步。",
    "王先生使用三个月后，血糖指标明显改善，他说这是他用过最好的产品。",
    "本文仅供科普参考，不构成诊断或治疗建议，具体方案请遵医嘱。",
    "研究团队在小鼠模型中观察到神经纤维再生，相关结果尚待临床验证。",
    "该口服液经过权威机构认证，零添加、无副作用，老人孩子都能放心喝。",
    "名额有限，前50名预约的顾客可享受首次体验免费。",
    "据统计，超过八成的中老年人存在不同程度的骨量流失。",
)
MARKDOWN_BITS = (
    "# 标题\n",
    "## 小标题\r",
    "```\r代码 根治\r```\r",
    "`行内代码 根治`",
    "[链接](http://example.invalid/根治)",
    "<!-- healthlint-disable -->\n",
    "<!-- healthlint-enable -->\n",
    "> 引用的内容\n",
    "- 列表项\n",
    "1. 编号项\n",
    "<div>原始 HTML</div>\n",
    "|表|格|\n|---|---|\n|一|二|\n",
    "![图片](a.png)",
    "\\*转义\\*",
)
HTML_BITS = (
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<article>",
    "</article>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>p{}</style>",
    "<br>",
    "&nbsp;",
    "&#x4e2d;",
    "&#99999999;",
    "&amp",
    "<![CDATA[",
    "]]>",
    "<?xml version='1.0' encoding='gbk'?>",
    '<div id="js_content">',
    '<div class="entry-content">',
    "<nav>首页</nav>",
    "<table><tr><td>",
    "<a href='javascript:alert(1)'>",
    "<img src=x onerror=alert(1)>",
    "<",
    ">",
    '"',
    "<!-- healthlint-disable -->",
)
CONTROL = (
    "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f\u200b\u200d\u202e\u2028\u2029\ufeff\ufffe"
)


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile input: a file name (its suffix picks the reader) and its bytes."""

    name: str
    data: bytes


def prose(rng: random.Random, size: int) -> str:
    """Paragraphs of the module's sentences in random order, about `size` characters."""
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(PROSE)
        parts.append(sentence + ("\n" if rng.random() < 0.3 else ""))
        length += len(sentence)
    return "".join(parts)


def _random_bytes(rng: random.Random, size: int) -> tuple[str, bytes]:
    return rng.choice([".txt", ".md", ".html"]), rng.randbytes(rng.randrange(0, size + 1))


def _random_code_points(rng: random.Random, size: int) -> tuple[str, bytes]:
    planes = [(0, 0x7F), (0x80, 0x7FF), (0x3000, 0x9FFF), (0xE000, 0xFFFF), (0x10000, 0x10FFFF), (0xD800, 0xDFFF)]
    chars = []
    for _ in range(rng.randrange(0, size + 1)):
        low, high = rng.choice(planes)
        chars.append(chr(rng.randrange(low, high + 1)))
    text = "".join(chars)
    return rng.choice([".txt", ".md", ".html"]), text.encode("utf-8", "surrogatepass")


def _controls(rng: random.Random, size: int) -> tuple[str, bytes]:
    chars = list(prose(rng, size))
    for _ in range(rng.randrange(1, 1 + len(chars) // 20)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(CONTROL + "\r\r\n"))
    return rng.choice([".txt", ".md", ".html"]), "".join(chars).encode("utf-8")


def _damaged_encoding(rng: random.Random, size: int) -> tuple[str, bytes]:
    text = prose(rng, size)
    encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be"])
    data = bytearray(text.encode(encoding, "replace"))
    action = rng.choice(["truncate", "flip", "delete", "insert-bom", "none"])
    if data and action == "truncate":
        del data[rng.randrange(len(data)) :]
    elif data and action == "flip":
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif data and action == "delete":
        del data[rng.randrange(len(data))]
    elif action == "insert-bom":
        at = rng.randrange(len(data) + 1)
        data[at:at] = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
    return rng.choice([".txt", ".md"]), bytes(data)


def _markdown(rng: random.Random, size: int) -> tuple[str, bytes]:
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(rng.choice(MARKDOWN_BITS) if rng.random() < 0.5 else rng.choice(PROSE))
    return ".md", "".join(parts).encode("utf-8")


def _html(rng: random.Random, size: int) -> tuple[str, bytes]:
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(rng.choice(HTML_BITS) if rng.random() < 0.6 else rng.choice(PROSE))
    return rng.choice([".html", ".htm"]), "".join(parts).encode("utf-8")


def _runs(rng: random.Random, size: int) -> tuple[str, bytes]:
    """A long run of one unit: the shapes that make backtracking regexes and per-hit scans blow up."""
    unit = rng.choice(
        ["根治", "](", "`", "``a", "0", "z", "x ", "《", "“", "。", "、", "[1]", "(", "*", "<!--", "<div>"]
    )
    tail = rng.choice(["", "治疗后不良反应少，安全性良好。", "可以根治。", "\n"])
    return rng.choice([".txt", ".md", ".html"]), (unit * (size // len(unit)) + tail).encode("utf-8")


GENERATORS: tuple[Callable[[random.Random, int], tuple[str, bytes]], ...] = (
    _random_bytes,
    _random_code_points,
    _controls,
    _damaged_encoding,
    _markdown,
    _html,
    _runs,
)


def hostile_cases(count: int, seed: int = 0, size: int = 2000) -> Iterator[Case]:
    """`count` generated cases of at most about `size` characters each, cycling through the generators."""
    for index in range(count):
        generator = GENERATORS[index % len(GENERATORS)]
        suffix, data = generator(random.Random(f"{seed}:{index}"), size)
        yield Case(f"{index:05d}{generator.__name__.replace('_', '-')}{suffix}", data)


def special_cases(size: int) -> list[Case]:
    """The pathological inputs of the reliability issue, `size` characters long (the issue used 16k-100k)."""
    pairs = "".join("<!-- healthlint-disable -->\n可以根治。\n<!-- healthlint-enable -->\n" for _ in range(size // 40))
    cases = {
        "lone-cr.md": "a\r\rb",
        "cr-fence.md": "```\rcode\r```\r可以根治。\n\n可以根治。\n",
        "cure-run.txt": "根治" * (size // 2),
        "link-run.md": "](" * (size // 2),
        "zeros-before-safety.txt": "0" * size + "治疗后不良反应少，安全性良好。",
        "z-run.txt": "z" * size,
        "x-run.txt": "x" * size,
        "disable-pairs.md": pairs,
        "open-comments.html": "<!--" * (size // 4),
        "deep-divs.html": "<div>" * (size // 5) + "可以根治",
        "empty.txt": "",
        "only-newlines.md": "\n" * size,
        "bom-only.txt": "\ufeff",
    }
    return [Case(name, text.encode("utf-8")) for name, text in cases.items()]


def _docx_parts(document_xml: bytes) -> dict[str, bytes]:
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        b'+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    return {"[Content_Types].xml": content_types, "_rels/.rels": rels, "word/document.xml": document_xml}


def document_xml(paragraphs: list[str]) -> bytes:
    """A WordprocessingML body with one run per paragraph."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    ).encode()


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of `members` in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_zip(data: bytes, name: str, *, method: int | None = None, flags: int | None = None) -> bytes:
    """Rewrite the compression method or flag bits of member `name` in its local and central headers."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        position = out.find(signature)
        while position >= 0:
            length_at = position + (26 if signature == b"PK\x03\x04" else 28)
            (length,) = struct.unpack_from("<H", out, length_at)
            if bytes(out[position + name_at : position + name_at + length]) == encoded:
                if flags is not None:
                    struct.pack_into("<H", out, position + flags_at, flags)
                if method is not None:
                    struct.pack_into("<H", out, position + flags_at + 2, method)
            position = out.find(signature, position + 4)
    return bytes(out)


def rename_zip_member(data: bytes, old: str, new: bytes) -> bytes:
    """Replace a member's name bytes (same length) everywhere, e.g. to put a NUL byte into it."""
    assert len(old.encode()) == len(new)
    return data.replace(old.encode(), new)


def hostile_docx(size: int = 2000) -> list[Case]:
    """Broken and hostile Word files, and one good one."""
    good = _docx_parts(document_xml(["该疗法可以根治关节炎。", "本文不构成医疗建议。"]))
    bomb = zipfile.ZipInfo("word/document.xml")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    bomb_buffer = io.BytesIO()
    with zipfile.ZipFile(bomb_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in good.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open(bomb, "w") as member:
            chunk = b"<!-- padding -->" * 65536
            for _ in range(max(2, size // 250)):
                member.write(chunk)
    corrupt = bytearray(make_zip(good))
    middle = corrupt.find(b"word/document.xml") + 40
    corrupt[middle : middle + 16] = b"\xff" * 16
    deep = "<w:p>" * 5000
    cases = {
        "good.docx": make_zip(good),
        "bad-xml.docx": make_zip({**good, "word/document.xml": b"<w:document><w:body><w:p>unclosed"}),
        "deflate64.docx": patch_zip(make_zip(good, zipfile.ZIP_STORED), "word/document.xml", method=9),
        "encrypted.docx": patch_zip(make_zip(good), "word/document.xml", flags=0x1),
        "no-document-part.docx": make_zip({k: v for k, v in good.items() if k != "word/document.xml"}),
        "no-content-types.docx": make_zip({k: v for k, v in good.items() if k != "[Content_Types].xml"}),
        "zip-bomb.docx": bomb_buffer.getvalue(),
        "corrupt-deflate.docx": bytes(corrupt),
        "deep-xml.docx": make_zip({**good, "word/document.xml": document_xml([]).replace(b"<w:body>", deep.encode())}),
        "not-a-zip.docx": b"PK\x03\x04 not really a zip",
        "empty.docx": b"",
        "entities.docx": make_zip(
            {
                **good,
                "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
                b'&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="http://'
                b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&c;&c;&c;</w:t>'
                b"</w:r></w:p></w:body></w:document>",
            }
        ),
    }
    return [Case(name, data) for name, data in cases.items()]


def hostile_zip_members(size: int = 2000) -> bytes:
    """A zip archive whose members are broken in every way the zip reader must survive."""
    members = {
        "ok.txt": "该疗法可以根治。".encode(),
        "corrupt.txt": prose(random.Random(1), size).encode(),
        "nulXname.txt": "名字里有空字节。".encode(),
        "dup.txt": "第一份。".encode(),
        "../escape.txt": b"x",
        "deflate64.txt": b"x" * 100,
        "encrypted.txt": b"secret",
        "bomb.txt": b"0" * (2 * 1024 * 1024),
        "word.docx": make_zip(_docx_parts(document_xml(["可以根治。"]))),
        "dir/": b"",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            archive.writestr("dup.txt", "第二份。".encode())
    data = bytearray(buffer.getvalue())
    local = data.find(b"corrupt.txt") + len(b"corrupt.txt")
    data[local + 20 : local + 60] = b"\x00\xff" * 20
    out = rename_zip_member(bytes(data), "nulXname.txt", b"nul\x00name.txt")
    out = patch_zip(out, "deflate64.txt", method=9)
    return patch_zip(out, "encrypted.txt", flags=0x1)


def hostile_jsonl(size: int = 2000) -> bytes:
    """A JSON Lines export with a byte-order mark and every kind of bad line."""
    text = prose(random.Random(2), size)
    lines = [
        "\ufeff" + json.dumps({"id": "first", "text": "可以根治。"}, ensure_ascii=False),
        json.dumps({"id": "dup", "title": "一", "text": "第一份，可以根治。"}, ensure_ascii=False),
        json.dumps({"id": "dup", "title": "二", "text": "第二份，无副作用。"}, ensure_ascii=False),
        '{"id": "surrogate", "title": "\\udc00", "text": "lone \\ud800 surrogate 根治"}',
        '{"id": "deep", "text": "x", "extra": ' + "[" * 50000 + "]" * 50000 + "}",
        '{"id": {"nested": [1, 2]}, "text": "id 是对象。"}',
        '{"id": null, "text": 42}',
        "[1, 2, 3]",
        "{broken",
        '"just a string"',
        json.dumps({"id": "long", "text": text}, ensure_ascii=False),
        '{"id": "crlf", "text": "行一\\r\\n行二"}\r',
        '{"id": "nul", "text": "a\\u0000b"}',
    ]
    body = "\n".join(lines).encode("utf-8") + b"\n" + b'{"id": "bad-utf8", "text": "\xff\xfe"}\n'
    return body


def bad_links(directory: Path) -> list[str]:
    """Links that a directory scan must list as skipped: a loop, a dangling link, a link to a directory."""
    directory.mkdir(parents=True, exist_ok=True)
    os.symlink("loop-b.txt", directory / "loop-a.txt")
    os.symlink("loop-a.txt", directory / "loop-b.txt")
    os.symlink("missing.txt", directory / "dangling.md")
    os.symlink(".", directory / "self-dir")
    return ["dangling.md", "loop-a.txt", "loop-b.txt", "self-dir"]


def write_corpus(directory: Path, count: int, seed: int = 0, size: int = 2000) -> list[Path]:
    """Write generated, special and Word cases into `directory`; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for case in (*hostile_cases(count, seed, size), *special_cases(size), *hostile_docx(size)):
        path = directory / case.name
        path.write_bytes(case.data)
        written.append(path)
    return written
