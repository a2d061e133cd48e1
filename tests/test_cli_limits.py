"""check-goal --file under hostile input: read in bounded chunks, with a file-size and line-length limit."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest


def _half_a_gigabyte() -> None:
    limit = 512 << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """`casecoach` as a user runs it, with at most 512 MB of memory (/dev/zero once took 11 GB)."""
    return subprocess.run([sys.executable, "-m", "casecoach.cli", *args], input=stdin,
                          capture_output=True, timeout=120, preexec_fn=_half_a_gigabyte)


def test_dev_zero_ends_at_once_with_one_line():
    """--file /dev/zero is refused from its first chunk as binary, not read for ever."""
    result = run("check-goal", "--file", "/dev/zero")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == ("casecoach: /dev/zero looks like a binary file (it has NUL "
                                      "bytes), not text\n")


@pytest.mark.parametrize("newline", [b"", b"\n"])
def test_input_past_the_size_limit_stops_there_after_the_good_lines(newline):
    """Three megabytes on standard input stop at settings.yaml's goal_file_bytes: the lines
    before are reviewed, then one line says the file is too large."""
    text = b"Get a job by June 1.\n" + (b"a" * 60 + newline) * 50_000
    result = run("check-goal", "--json", "--file", "-", stdin=text)
    assert result.returncode == 2
    first = json.loads(result.stdout.splitlines()[0])
    assert first["text"] == "Get a job by June 1."
    err = result.stderr.decode()
    assert err.startswith("casecoach: - is larger than 1,000,000 bytes (about 10,000 goals): "
                          "split it; lines 1-") and err.count("\n") == 1


def test_a_line_too_long_for_any_goal_is_skipped_unread_and_the_rest_reviewed(tmp_path):
    """A line of 100,000 bytes gets an error in its place and the lines after it are reviewed."""
    goals = tmp_path / "goals.txt"
    goals.write_bytes(b"Get a job by June 1.\n" + b"x" * 100_000 + b"\nAvoid drinking.\n")
    result = run("check-goal", "--json", "--file", str(goals))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[1] == {"line": 2, "error": "line 2: is longer than 5000 characters, the most a "
                                            "goal has"}
    assert [line.get("text") for line in lines] == ["Get a job by June 1.", None,
                                                    "Avoid drinking."]
    assert result.returncode == 2


def test_nul_bytes_after_good_lines_name_their_line(tmp_path):
    """A text file that turns binary further on stops there, naming the line."""
    goals = tmp_path / "goals.txt"
    goals.write_bytes(b"Get a job by June 1.\n" * 5000 + b"junk\x00junk\n")
    result = run("check-goal", "--json", "--file", str(goals))
    assert result.returncode == 2
    assert result.stderr.decode() == (f"casecoach: {goals} looks like a binary file (it has NUL "
                                      f"bytes), not text (line 5001; the lines before it were "
                                      f"reviewed)\n")
    assert len(result.stdout.splitlines()) == 5000


def test_a_line_that_is_not_utf8_is_an_error_in_its_place(tmp_path):
    """One line in another encoding does not stop the good lines around it from being reviewed."""
    goals = tmp_path / "goals.txt"
    goals.write_bytes("Get a job by June 1.\nCafé\nAvoid drinking.\r\n".encode("utf-8")
                      .replace("Café".encode(), "Café".encode("latin-1")))
    lines = [json.loads(line) for line in run("check-goal", "--json", "--file",
                                              str(goals)).stdout.splitlines()]
    assert lines[1] == {"line": 2, "error": "line 2: is not UTF-8 text (byte 4 of the line is "
                                            "invalid)"}
    assert lines[2]["text"] == "Avoid drinking."
