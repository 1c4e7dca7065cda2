import gc
import json
from pathlib import Path

from click.testing import CliRunner

from lint.app.cli import GC_THRESHOLD, main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_seeds_json_lists_every_file(tmp_path: Path) -> None:
    code, out, _ = _run("check", "--format", "json", str(SEEDS))
    data = json.loads(out)
    assert code == 1
    assert [Path(f["path"]).name for f in data["files"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert all(f["error"] is None for f in data["files"])
    for file in data["files"]:
        starts = [x["start"] for x in file["findings"]]
        assert starts == sorted(starts)


def test_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("今天天气很好。", encoding="utf-8")
    warn = tmp_path / "warn.txt"
    warn.write_text("这是患者的福音。请遵医嘱。", encoding="utf-8")
    assert _run("check", str(clean))[0] == 0
    assert _run("check", str(warn))[0] == 0
    assert _run("check", "--fail-on", "warning", str(warn))[0] == 1
    assert _run("check", "--fail-on", "never", str(warn))[0] == 0
    assert _run("check", str(tmp_path / "missing.txt"))[0] == 2
    assert _run("check", "--select", "no-such-rule", str(clean))[0] == 2


def test_bad_files_do_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(bytes(range(256)))
    (tmp_path / "b.txt").write_text("干细胞可以根治狼疮。请遵医嘱。", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes("幹細胞可以根治狼瘡。請遵醫囑。".encode("big5"))
    (tmp_path / "d.txt").write_bytes(b"")
    code, out, _ = _run("check", "--format", "json", str(tmp_path))
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert code == 1
    assert "binary" in files["a.txt"]["error"]
    assert [x["text"] for x in files["b.txt"]["findings"]] == ["根治"]
    assert [x["text"] for x in files["c.txt"]["findings"]] == ["根治"]
    assert files["d.txt"] == {
        "path": str(tmp_path / "d.txt"),
        "error": None,
        "note": None,
        "problems": [],
        "findings": [],
    }


def test_broken_rule_pack_exits_2_with_a_clear_message(fixtures: Path) -> None:
    code, _, err = _run("check", "--rules", str(fixtures / "packs"), str(SEEDS))
    assert code == 2
    assert "rule pack error" in err and ".yaml:" in err


def test_a_precedence_cycle_in_user_rules_exits_2_naming_the_rule(tmp_path: Path) -> None:
    rules = tmp_path / "house"
    rules.mkdir()
    rule = (
        "  - {{id: house.{0}, category: {1}, severity: warning, message: m, suggestion: s, basis: b, kind: lexicon,\n"
    )
    rule += "     terms: [{2}], yields_to: [{3}], examples: {{flag: [{2}]}}}}\n"
    text = (
        "pack: house\nrules:\n"
        + rule.format("a", "overclaim", "甲", "house.b")
        + rule.format("b", "spin", "乙", "house.a")
    )
    (rules / "house.yaml").write_text(text, encoding="utf-8")
    code, _, err = _run("check", "--rules", str(rules), str(SEEDS))
    assert code == 2
    assert "rule pack error" in err and "house.yaml:3: rule house.a: rules yield to each other in a cycle" in err


def test_extra_rules_and_rules_listing(fixtures: Path, tmp_path: Path) -> None:
    article = tmp_path / "x.txt"
    article.write_text("这是神仙细胞。请遵医嘱。", encoding="utf-8")
    code, out, _ = _run("check", "--rules", str(fixtures / "extra"), "--format", "json", str(article))
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["files"][0]["findings"]] == ["house.miracle-cell"]
    code, out, _ = _run("rules")
    assert code == 0
    assert "cure_or_guarantee.cure-term" in out and "《广告法》" in out


def test_glob_and_text_format(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("# 标题\n\n干细胞是革命性的。请遵医嘱。\n", encoding="utf-8")
    code, out, _ = _run("check", str(tmp_path / "*.md"))
    assert code == 0
    assert "one.md:3:5: warning overclaim.hype-term" in out


def test_html_report_option(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("干细胞可以根治狼疮。请遵医嘱。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(bytes(range(256)))
    out = tmp_path / "report"
    code, _, err = _run("check", "--html", str(out), "--lang", "en", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["index.html", f"{str(article).strip('/').replace('/', '_')}.html"]
    )
    assert "Archive compliance dashboard" in (out / "index.html").read_text(encoding="utf-8")
    assert "HTML report:" in err


def test_explain_and_unknown_rule() -> None:
    code, out, _ = _run("explain", "cure_or_guarantee.cure-term")
    assert code == 0
    assert (
        "《广告法》第十六条" in out and "✗ 干细胞可【根治】红斑狼疮。" in out and "--fix replaces: 根治 → 改善" in out
    )
    assert _run("explain", "no.such-rule")[0] == 2


def test_init_writes_a_config_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _run("init")[0] == 0
    assert (tmp_path / ".healthlint.toml").read_text(encoding="utf-8").startswith("# healthlint configuration")
    assert _run("init")[0] == 2
    assert _run("init", "--force")[0] == 0


def test_config_controls_rules_severity_and_exclusions(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".healthlint.toml").write_text(
        'ignore = ["missing_disclaimer", "uncited_efficacy"]\n[severity]\n"overclaim.hype-term" = "error"\n"cure_or_guarantee" = "off"\n'
        '[files]\nexclude = ["drafts/**"]\n[output]\nformat = "json"\n',
        encoding="utf-8",
    )
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.txt").write_text("这是福音。", encoding="utf-8")
    (tmp_path / "a.txt").write_text("干细胞可以根治狼疮，是患者的福音。", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("check", ".")
    data = json.loads(out)
    assert [Path(f["path"]).name for f in data["files"]] == ["a.txt"]
    assert [(x["rule"], x["severity"]) for x in data["files"][0]["findings"]] == [("overclaim.hype-term", "error")]
    assert code == 1


def test_unknown_config_key_exits_2(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".healthlint.toml").write_text("colour = true\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("今天天气很好。", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = _run("check", "a.txt")
    assert code == 2 and "unknown key 'colour'" in err and ".healthlint.toml" in err


def test_fix_and_diff(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("# 标题\n\n干细胞可以根治狼疮。请遵医嘱。\n\n`根治` 在代码里不改。\n", encoding="utf-8")
    code, out, _ = _run("check", "--diff", "--format", "json", str(article))
    assert "-干细胞可以根治狼疮。请遵医嘱。" in out and "+干细胞可以改善狼疮。请遵医嘱。" in out
    assert "根治狼疮" in article.read_text(encoding="utf-8")
    code, out, err = _run("check", "--fix", str(article))
    assert article.read_text(encoding="utf-8") == "# 标题\n\n干细胞可以改善狼疮。请遵医嘱。\n\n`根治` 在代码里不改。\n"
    assert "Fixed 1 finding." in err and code == 0


def test_fix_keeps_the_file_encoding(tmp_path: Path) -> None:
    article = tmp_path / "gbk.txt"
    article.write_bytes("干细胞可以根治狼疮，本文不构成诊断建议。".encode("gb18030"))
    _run("check", "--fix", str(article))
    assert article.read_bytes().decode("gb18030") == "干细胞可以改善狼疮，本文不构成诊断建议。"


def test_docx_is_read_by_paragraph_and_never_fixed(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("干细胞治疗新进展")
    document.add_paragraph("干细胞可以根治红斑狼疮。请遵医嘱。")
    path = tmp_path / "a.docx"
    document.save(str(path))
    before = path.read_bytes()
    code, out, err = _run("check", "--fix", "--format", "json", str(path))
    [file] = json.loads(out)["files"]
    assert [(x["text"], x["line"], x["column"]) for x in file["findings"]] == [("根治", 2, 6)]
    assert "paragraph" in file["note"]
    assert "--fix only writes .txt and .md files" in err
    assert path.read_bytes() == before
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    code, out, _ = _run("check", "--format", "json", str(tmp_path / "broken.docx"))
    assert code == 1 and "not a readable .docx" in json.loads(out)["files"][0]["error"]


def test_html_comment_suppression(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(
        "<article><p>干细胞可以根治狼疮。</p><!-- healthlint-disable-next-line --><p>干细胞可以根治狼疮。</p>"
        "<p>请遵医嘱。</p></article>",
        encoding="utf-8",
    )
    code, out, _ = _run("check", "--format", "json", str(page))
    assert code == 1 and [x["line"] for x in json.loads(out)["files"][0]["findings"]] == [1]


def test_scan_command_with_zip_and_dashboard(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("news/a.md", "# 标题\n\n干细胞可以根治狼疮。\n")
        bundle.writestr("../escape.txt", "干细胞可以根治狼疮。")
    out = tmp_path / "out"
    code, _, err = _run("scan", str(archive), "--out", str(out), "--html", "--jobs", "1", "--fail-on", "error")
    assert code == 1
    assert "2 articles (0 from cache, 1 with errors)" in err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [a["id"].split("!")[1] for a in summary["articles"]] == ["../escape.txt", "news/a.md"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "news/a.md" in index and "unsafe path in zip" in index
    assert _run("scan", str(archive), "--out", str(out), "--engine", "dask")[0] == 2


def test_bad_option_values_and_cache_file_are_clear_errors(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("今天天气很好。", encoding="utf-8")
    assert _run("check", "--regex-timeout", "-1", str(article))[0] == 2
    assert _run("scan", str(article), "--out", str(tmp_path / "o"), "--jobs", "0")[0] == 2
    assert _run("scan", str(article), "--out", str(tmp_path / "o"), "--regex-timeout", "0")[0] == 2
    unusable = article / "cache.sqlite"
    code, _, err = _run("scan", str(article), "--out", str(tmp_path / "o"), "--cache", str(unusable))
    assert code == 2 and "cannot use" in err and "result cache" in err
    not_a_database = tmp_path / "cache.sqlite"
    not_a_database.write_text("plain text", encoding="utf-8")
    code, _, err = _run("scan", str(article), "--out", str(tmp_path / "o"), "--cache", str(not_a_database))
    assert code == 0 and "warning: the result cache" in err and "moved to cache.sqlite.corrupt-" in err
    assert [p.read_text(encoding="utf-8") for p in tmp_path.glob("cache.sqlite.corrupt-*")] == ["plain text"]


def test_an_empty_input_says_so_and_fails_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    code, out, err = _run("check", str(tmp_path))
    assert code == 2 and out == ""
    assert f"no article files found in {tmp_path}" in err and ".docx" in err and "--allow-empty" in err
    code, out, err = _run("check", str(tmp_path), "--allow-empty")
    assert code == 0 and "warning: no article files found" in err and "0 files" in out


def test_serve_is_a_command_bound_to_loopback_by_default() -> None:
    code, out, _ = _run("serve", "--help")
    assert code == 0 and "[default: 127.0.0.1]" in out and "--max-bytes" in out


def test_scan_html_links_every_article_to_its_page(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    rows = [
        {"id": "clinic/one", "text": "针灸可以根治偏头痛，无副作用。"},
        {"id": "clinic/<two>", "text": "今天天气很好。"},
        {"id": "broken", "text": 5},
    ]
    archive.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = _run("scan", str(archive), "--out", str(out), "--html", "--jobs", "1")
    assert code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    data = json.loads(index.split('id="rows-data">', 1)[1].split("</script>", 1)[0])
    assert [row[0].split("#", 1)[1] for row in data] == ["clinic/one", "clinic/<two>"]
    assert all(row[2] and (out / row[2]).is_file() for row in data)
    page = (out / data[0][2]).read_text(encoding="utf-8")
    assert '<script src="../assets/view.js">' in page and "script-src 'self'" in page.replace("&#39;", "'")
    assert '<a href="../index.html">' in page and "根治" in page
    assert sorted(p.name for p in (out / "assets").iterdir()) == ["healthlint.css", "view.js"]
    code, _, _ = _run("scan", str(archive), "--out", str(out), "--html", "--jobs", "1")
    again = json.loads(
        (out / "index.html").read_text(encoding="utf-8").split('id="rows-data">', 1)[1].split("</script>", 1)[0]
    )
    assert again == data


def test_a_run_collects_the_youngest_generation_less_often(tmp_path: Path) -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        article = tmp_path / "a.txt"
        article.write_text("今天天气很好。", encoding="utf-8")
        assert _run("check", str(article))[0] == 0
        assert gc.get_threshold() == (GC_THRESHOLD, 10, 10)
    finally:
        gc.set_threshold(*saved)


def test_check_in_workers_prints_what_one_process_prints() -> None:
    articles = str(Path(__file__).resolve().parents[1] / "fixtures" / "articles")
    alone = _run("check", "--jobs", "1", "--fail-on", "never", articles)
    shared = _run("check", "--jobs", "2", "--fail-on", "never", articles)
    assert shared == alone and alone[0] == 0 and "findings" in alone[1]
    assert _run("check", "--jobs", "0", articles)[0] == 2
