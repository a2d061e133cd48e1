"""`casecoach judge-response`, run as a user runs it: one response, a file of them, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from casecoach.conversation import judge_response


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casecoach.cli", *args], input=stdin,
                          capture_output=True, timeout=60)


def test_help_lists_judge_response():
    """`casecoach --help` names judge-response beside check-goal."""
    out = run("--help").stdout.decode()
    assert "judge-response" in out and "check-goal" in out


def test_json_follows_the_contract():
    """--json prints one object with the contract's keys; --client is used for the coding."""
    result = run("judge-response", "--json", "--client", "I'm so tired of the shelter.",
                 "So you're tired of the shelter, right?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == judge_response("So you're tired of the shelter, right?",
                                  "I'm so tired of the shelter.").to_dict()
    assert (data["behaviour"], data["reflection_type"], data["question_type"]) == (
        "reflection", "simple", None)


def test_report_says_what_worked_then_findings_then_the_next_step():
    """Without --json the report gives the code, what worked, each finding with a better line,
    and one next step, in that order."""
    out = run("judge-response", "As an addict, you should go to meetings.").stdout.decode()
    assert out.index("Code: input") < out.index("Worked:") < out.index("! label") \
        < out.index("Better:") < out.index("Next step:")


def test_file_gives_one_object_per_line_in_order_with_errors_in_place(tmp_path):
    """Plain lines and JSON lines are judged in order; an empty line, bad JSON and an object
    without text get an error object in their place; exit 2 with one line on stderr."""
    lines = tmp_path / "said.txt"
    lines.write_text('Tell me about your week.\n'
                     '\n'
                     '{"text": "You\'re tired of it.", "client": "I\'m so tired of the shelter."}\n'
                     '{not json\n'
                     '{"client": "hello"}\n'
                     'Did you go? Did you call?\n', encoding="utf-8")
    result = run("judge-response", "--json", "--file", str(lines))
    assert result.returncode == 2
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o.get("behaviour") or o["error"][:6] for o in out] == [
        "question", "line 2", "reflection", "line 4", "line 5", "question"]
    assert out[1] == {"line": 2, "error": "line 2: is empty: write what you would say to the "
                                          "client"}
    assert out[2]["reflection_type"] == "simple"
    assert [f["kind"] for f in out[5]["findings"]] == ["stacked_closed_questions"]
    assert result.stderr.decode().strip().splitlines() == [
        f"casecoach: {lines}: 3 line(s) could not be judged; the others were"]


def test_client_option_applies_to_lines_without_their_own(tmp_path):
    """--client is what the client said before every plain line of the file."""
    lines = tmp_path / "said.txt"
    lines.write_text("Eleven days out.\n", encoding="utf-8")
    result = run("judge-response", "--json", "--client", "I've been out eleven days.",
                 "--file", str(lines))
    assert json.loads(result.stdout)["reflection_type"] == "simple"


def test_standard_input_is_read_with_dash():
    """--file - reads the responses from standard input."""
    result = run("judge-response", "--json", "--file", "-", stdin=b"Mm-hm.\n")
    assert result.returncode == 0 and json.loads(result.stdout)["behaviour"] == "other"


def test_empty_text_exits_2_with_one_line():
    """An empty TEXT exits 2 with one line saying what is wrong, no traceback."""
    result = run("judge-response", "   ")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "casecoach: TEXT: is empty: write what you would say to the client")


def test_binary_file_is_refused(tmp_path):
    """A file with NUL bytes in its first chunk is refused whole, in one line."""
    binary = tmp_path / "said.bin"
    binary.write_bytes(b"\x00\x01\x02 hello")
    result = run("judge-response", "--file", str(binary))
    assert result.returncode == 2
    assert "binary file" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_overlong_line_is_an_error_in_place(tmp_path):
    """A line longer than a response may be is skipped with an error in its place."""
    lines = tmp_path / "said.txt"
    lines.write_text("x " * 2100 + "\nOkay.\n", encoding="utf-8")
    result = run("judge-response", "--json", "--file", str(lines))
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert out[0]["line"] == 1 and "2000" in out[0]["error"]
    assert out[1]["behaviour"] == "other"


def test_missing_file_is_one_line():
    """A file that does not exist exits 2 with one line naming it."""
    result = run("judge-response", "--file", "/nonexistent/said.txt")
    assert result.returncode == 2
    assert "cannot read /nonexistent/said.txt" in result.stderr.decode()


def test_validate_checks_the_rules_file():
    """`casecoach validate` with no path checks conversation.yaml too."""
    out = run("validate").stdout.decode()
    assert "conversation.yaml" in out
