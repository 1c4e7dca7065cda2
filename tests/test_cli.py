import json
from pathlib import Path

from click.testing import CliRunner

from lint.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


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
