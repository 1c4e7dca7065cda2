"""Kept tables: written atomically with a digest, read back once per process, never trusted when damaged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint.io import kept
from lint.io.kept import KeptTable


def _table(code: Path, limit: int | None = None) -> KeptTable:
    return KeptTable("test", {}, set(), code, lambda: "v1", limit=limit)


@pytest.fixture
def code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "filler.py"
    source.write_text("FILLS = 'the table'\n")
    return source


def test_what_a_run_adds_is_read_by_the_next(code: Path) -> None:
    first = _table(code)
    first.use()
    first.put(("词", 0), (1, [2, 3]))
    first.save()
    second = _table(code)
    assert second.get(("词", 0)) == (1, [2, 3])
    assert second.get("missing") is None


def test_a_damaged_file_is_ignored_and_replaced(code: Path) -> None:
    first = _table(code)
    first.put("key", "value")
    first.save()
    path = first.path()
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 0xFF
    path.write_bytes(bytes(damaged))
    second = _table(code)
    assert second.get("key") is None
    second.put("other", 1)
    second.save()
    assert _table(code).get("other") == 1
    path.write_bytes(b"short")
    assert _table(code).get("other") is None


def test_the_file_is_named_by_the_code_and_versions(code: Path) -> None:
    table = _table(code)
    before = table.path()
    assert KeptTable("test", {}, set(), code, lambda: "v2").path() != before
    code.write_text("FILLS = 'another table'\n")
    assert table.path() != before


def test_past_the_limit_only_this_runs_entries_are_kept(code: Path) -> None:
    first = _table(code, limit=3)
    for key in "abc":
        first.put(key, key)
    first.save()
    second = _table(code, limit=3)
    assert second.get("a") == "a"
    second.put("d", "d")
    second.save()
    third = _table(code, limit=3)
    assert [third.get(key) for key in "abcd"] == ["a", None, None, "d"]


def test_an_unwritable_cache_is_only_a_slower_run(code: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(blocker / "cache"))
    table = _table(code)
    table.put("key", "value")
    table.save()
    assert table.added == {"key"}
    assert kept.write_atomically(blocker / "cache" / "file", b"data") is False


def test_files_of_a_kind_no_install_read_for_a_month_are_removed(code: Path) -> None:
    import os
    import time

    table = _table(code)
    table.put("key", "value")
    table.save()
    folder = table.path().parent
    old, recent, other = folder / "test-old.marshal", folder / "test-recent.marshal", folder / "other-old.marshal"
    for path in (old, recent, other):
        path.write_bytes(b"")
    month = time.time() - (kept.STALE_DAYS + 1) * 86_400
    for path in (old, other):
        os.utime(path, (month, month))
    os.utime(table.path(), (month, month))
    assert _table(code).get("key") == "value"
    assert table.path().stat().st_mtime > month + 86_400
    second = _table(code)
    second.put("more", 1)
    second.save()
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [table.path().name, "test-recent.marshal", "other-old.marshal", ".kept.lock"]
    )


def test_a_lazy_table_decodes_a_value_only_when_it_is_asked_for(code: Path) -> None:
    first = KeptTable("test", {}, set(), code, lambda: "v1", lazy=True)
    first.put("wanted", (1, ("词", "句"), {"k": [2.5, None]}))
    first.put("other", [3])
    first.save()
    second = KeptTable("test", {}, set(), code, lambda: "v1", lazy=True)
    assert second.get("wanted") == (1, ("词", "句"), {"k": [2.5, None]})
    assert type(second.table["other"]) is bytes
    second.table["other"] = b"\xff not marshal"
    assert second.get("other") is None and "other" not in second.table
    assert KeptTable("test", {}, set(), code, lambda: "v1").path() != second.path()


def test_a_lazy_table_keeps_what_earlier_runs_kept_as_they_kept_it(code: Path) -> None:
    first = KeptTable("test", {}, set(), code, lambda: "v1", lazy=True)
    first.put("one", "first run")
    first.save()
    second = KeptTable("test", {}, set(), code, lambda: "v1", lazy=True)
    second.put("two", "second run")
    second.save()
    third = KeptTable("test", {}, set(), code, lambda: "v1", lazy=True)
    assert (third.get("one"), third.get("two")) == ("first run", "second run")


def test_what_a_run_made_before_reading_the_table_is_not_kept_again(code: Path) -> None:
    first = _table(code)
    first.put("key", "value")
    first.save()
    second = _table(code)
    second.put("key", "made again")  # before the table is read: the modules' own patterns as they load
    second.use()
    assert second.added == set() and second.get("key") == "made again"


def test_importing_compiles_no_method_and_no_pattern_a_first_run_kept(tmp_path: Path) -> None:
    """The package root reads the kept methods and compiled forms before any record class is made or any module's
    pattern compiled: a second process compiles none of either as it imports the package."""
    env = {**os.environ, "HEALTHLINT_CACHE_DIR": str(tmp_path / "cache")}
    script = (
        "import lint.app.runner; from lint.core import compiled, records; "
        "print(len(records.METHODS_ADDED), len(records.METHODS), len(compiled.CODES_ADDED))"
    )

    def compiled() -> list[int]:
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        return [int(number) for number in done.stdout.split()]

    first, second = compiled(), compiled()
    assert first[0] > 100 and first[0] == first[1] and first[2] > 20
    assert second == [0, first[1], 0]
    kinds = sorted(path.name.split("-")[0] for path in (tmp_path / "cache").glob("*.marshal"))
    assert kinds == ["methods", "regex"]


def test_save_kept_tables_saves_every_table_this_process_read(code: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept, "_READ", [])
    first, other = _table(code), KeptTable("other", {}, set(), code, lambda: "v1")
    first.use()
    other.use()
    first.put("a", 1)
    other.put("b", 2)
    kept.save_kept_tables()
    assert _table(code).get("a") == 1 and KeptTable("other", {}, set(), code, lambda: "v1").get("b") == 2
    assert not first.added and not other.added


def test_processes_saving_one_table_at_once_keep_what_each_added(code: Path) -> None:
    """Each of several processes adds its own keys to one table and saves at the same moment: the folder's lock
    makes each merge what the others wrote, so the table ends up holding every key."""
    script = (
        "import sys, time; from pathlib import Path; from lint.io.kept import KeptTable; "
        "table = KeptTable('test', {}, set(), Path(sys.argv[1]), lambda: 'v1'); table.use(); "
        "[table.put(f'{sys.argv[2]}-{i}', i) for i in range(200)]; "
        "time.sleep(max(0.0, float(sys.argv[3]) - time.time())); table.save()"
    )
    import time

    start = time.time() + 1.0
    workers = [
        subprocess.Popen([sys.executable, "-c", script, str(code), name, str(start)], env=os.environ.copy())
        for name in ("p", "q", "r", "s")
    ]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0, 0, 0]
    table = _table(code)
    assert all(table.get(f"{name}-{i}") == i for name in "pqrs" for i in range(200))
