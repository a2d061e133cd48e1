"""Hostile authored YAML: the safe loader refuses alias bombs, deep nesting, huge files and duplicate keys."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from casecoach import _yaml
from casecoach._data import DATA_DIR
from casecoach.errors import CasecoachError

# Nine levels of nine: 9**9 (387 million) strings once expanded, from a file of 350 bytes.
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
DEEP = "a: " + "[" * 600 + "]" * 600 + "\n"
MARCUS = Path(__file__).parents[1] / "scenarios" / "marcus-art.yaml"


def _one_gigabyte() -> None:
    limit = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def validate(*paths: Path) -> subprocess.CompletedProcess:
    """`casecoach validate` as an author runs it, with at most 1 GB of memory (a bomb once took
    5.8 GB)."""
    return subprocess.run([sys.executable, "-m", "casecoach.cli", "validate", *map(str, paths)],
                          capture_output=True, timeout=120, preexec_fn=_one_gigabyte)


@pytest.mark.parametrize("text,line,message", [
    (BOMB, 6, "more than 100000 values once its aliases are expanded"),
    (DEEP, 1, "nested more than 30 levels deep"),
    ("\n".join(["  " * i + f"k{i}:" for i in range(40)]) + "\n", 30,
     "nested more than 30 levels deep"),
    ("a: &a [x]\n" + "".join(f"k{i}: *a\n" for i in range(101)), 102,
     "more than 100 aliases (*name); write the values out instead"),
])
def test_validate_refuses_a_hostile_scenario_with_one_line_and_exit_2(tmp_path, text, line,
                                                                      message):
    """An alias bomb, 600 or 40 levels of nesting, or too many aliases: exit 2, one line naming
    file, line and the limit, no traceback."""
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate(path)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert err == f"casecoach: {path}:{line}: {message}\n"
    assert "Traceback" not in result.stdout.decode() + err


def test_validate_refuses_a_file_over_the_size_limit_without_reading_it_all(tmp_path):
    """A file over settings.yaml's max_bytes is refused by its size, in one line."""
    path = tmp_path / "huge.yaml"
    path.write_text("# padding\n" * 150_000, encoding="utf-8")
    result = validate(path)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"casecoach: {path}: is larger than 1,000,000 bytes, the most an authored file may be "
        f"(settings.yaml, limits.yaml.max_bytes)\n")


def test_validate_reads_dev_zero_as_a_bounded_file():
    """/dev/zero given as a scenario is read up to the size limit, then refused."""
    result = validate(Path("/dev/zero"))
    assert result.returncode == 2 and "is larger than 1,000,000 bytes" in result.stderr.decode()


def test_other_files_are_still_checked_beside_a_refused_one(tmp_path):
    """One hostile file does not hide the problems or the passing of the others."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    good = tmp_path / "marcus-art.yaml"
    good.write_text(MARCUS.read_text(encoding="utf-8"), encoding="utf-8")
    result = validate(bomb, good)
    assert result.returncode == 2
    assert f"ok: {good}" in result.stdout.decode()
    assert result.stderr.decode().count("\n") == 1


def test_duplicate_key_in_a_scenario_is_a_problem_with_both_lines(tmp_path):
    """A key given twice is listed with its line and the line of the first, exit 1 (it was
    accepted silently, the last value winning)."""
    source = MARCUS.read_text(encoding="utf-8")
    broken = tmp_path / "marcus-art.yaml"
    broken.write_text(source.replace("age: 38", "age: 38\n  age: 83", 1), encoding="utf-8")
    line = source[: source.index("age: 38")].count("\n") + 1
    result = validate(broken)
    assert result.returncode == 1
    assert (f"{broken}:{line + 1}: (file): duplicate key 'age' (first on line {line}); give each "
            f"key once") in result.stdout.decode()


def test_duplicate_key_in_a_data_file_names_file_and_line(tmp_path):
    """The package's data files go through the same loader: a duplicate key is an error there."""
    path = tmp_path / "messages.yaml"
    path.write_text("coach:\n  saved: Saved.\n  saved: Kept.\n", encoding="utf-8")
    with pytest.raises(CasecoachError) as caught:
        _yaml.read(path)
    assert str(caught.value) == (f"{path}:3: duplicate key 'saved' (first on line 2); give each "
                                 f"key once")


def test_a_merge_may_override_and_aliases_within_limits_load(tmp_path):
    """Anchors, aliases and `<<` merges an author may really use still load, overrides included."""
    path = tmp_path / "ok.yaml"
    path.write_text("base: &base {a: 1, b: 2}\nmore:\n  <<: *base\n  b: 3\n", encoding="utf-8")
    data, _node = _yaml.read(path)
    assert data == {"base": {"a": 1, "b": 2}, "more": {"a": 1, "b": 3}}


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    """A value that contains itself (&a [*a]) is refused rather than walked for ever."""
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [1, *a]\n", encoding="utf-8")
    with pytest.raises(_yaml.Refused, match=r"loop.yaml:1: the alias \*a refers to a value that "
                                            r"contains it"):
        _yaml.read(path)


def test_every_data_file_and_scenario_loads_within_the_limits():
    """The shipped files stay inside the limits they are read with."""
    files = sorted(DATA_DIR.glob("*.yaml")) + sorted(MARCUS.parent.glob("*.yaml"))
    assert len(files) >= 14
    for path in files:
        _yaml.read(path)


def test_validate_with_no_path_checks_every_data_file():
    """`casecoach validate` reads messages, settings, domains and course too, not only the
    lexicon and synonyms."""
    result = validate()
    out = result.stdout.decode()
    assert result.returncode == 0, out
    for name in ("lexicon", "synonyms", "messages", "settings", "domains", "course"):
        assert f"ok: {DATA_DIR / name}.yaml" in out
