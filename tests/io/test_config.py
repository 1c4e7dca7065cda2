from pathlib import Path

import pytest

from lint.io.config import STARTER, ConfigError, find_config, load_config


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_upward_from_the_file(tmp_path: Path) -> None:
    _write(tmp_path / ".healthlint.toml", 'ignore = ["fear_appeal"]\n[output]\nfail-on = "warning"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = find_config(nested)
    assert config.path == tmp_path / ".healthlint.toml"
    assert config.ignore == frozenset({"fear_appeal"}) and config.fail_on == "warning"


def test_pyproject_table(tmp_path: Path) -> None:
    _write(
        tmp_path / "pyproject.toml",
        '[tool.healthlint]\nselect = ["spin"]\n[tool.healthlint.severity]\n"spin" = "warning"\n',
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config is not None and config.select == frozenset({"spin"}) and config.severity == {"spin": "warning"}


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(tmp_path / "pyproject.toml") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selec = []\n", "unknown key 'selec'"),
        ("[files]\nincludes = []\n", "unknown key 'files.includes'"),
        ('[severity]\n"spin.arm-comparison" = "fatal"\n', "'severity.spin.arm-comparison' must be one of"),
        ("select = 'spin'\n", "'select' must be a list of strings"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path / ".healthlint.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_include_and_exclude(tmp_path: Path) -> None:
    path = _write(tmp_path / ".healthlint.toml", '[files]\ninclude = ["**/*.md"]\nexclude = ["drafts/**"]\n')
    config = load_config(path)
    assert config is not None
    assert not config.excludes(tmp_path / "a.md")
    assert config.excludes(tmp_path / "a.txt")
    assert config.excludes(tmp_path / "drafts" / "b.md")


def test_starter_config_is_valid(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path / ".healthlint.toml", STARTER))
    assert config is not None and config.fail_on == "error" and config.output_format == "text"
