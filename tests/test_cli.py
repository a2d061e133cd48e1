"""The command line, run as a user runs it: `casecoach check-goal` and `casecoach validate`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casecoach.goals import CRITERIA


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casecoach.cli", *args], input=stdin,
                          capture_output=True, timeout=60)


def test_help_lists_the_commands():
    """`casecoach --help` names both commands."""
    out = run("--help").stdout.decode()
    assert "check-goal" in out and "validate" in out


def test_check_goal_json_follows_the_contract():
    """--json prints one object with every criterion, flags and the suggested rewrite."""
    result = run("check-goal", "--json", "Offender will avoid drinking.")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert list(data["criteria"]) == list(CRITERIA)
    assert [f["kind"] for f in data["flags"]] == ["stigmatizing_label", "negative_framing"]
    assert data["suggested_rewrite"] == "The client will maintain sobriety."


def test_check_goal_report_names_what_is_met_first():
    """Without --json the report lists met criteria before unmet ones, then one next step."""
    out = run("check-goal", "Get a job by June 1.").stdout.decode()
    assert out.index("(met)") < out.index("(not met)") < out.index("Next step")


def test_context_judges_achievable_and_relevant():
    """--context SCENARIO_ID fills in achievable and relevant from the case."""
    data = json.loads(run("check-goal", "--json", "--context", "marcus-art",
                          "Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with his "
                          "sister's help.").stdout)
    assert data["criteria"]["relevant"]["met"] is True
    assert data["criteria"]["achievable"]["met"] is True


def test_file_gives_one_object_per_line_in_order_and_an_error_object_for_bad_lines(tmp_path):
    """Good lines are reviewed in order; an empty or overlong line gets an error object in place."""
    goals = tmp_path / "goals.txt"
    goals.write_text("Get a job by June 1.\n\nAvoid drinking.\n" + "x " * 2600 + "\n",
                     encoding="utf-8")
    result = run("check-goal", "--json", "--file", str(goals))
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [line.get("text") or line["error"][:6] for line in lines] == [
        "Get a job by June 1.", "line 2", "Avoid drinking.", "line 4"]
    assert lines[1] == {"line": 2, "error": "line 2: is empty: write the goal as one sentence"}
    assert "5199 characters" in lines[3]["error"]
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1


@pytest.mark.parametrize("args,message", [
    (["check-goal", ""], "empty"),
    (["check-goal", "--file", "/no/such/file.txt"], "cannot read /no/such/file.txt"),
    (["check-goal", "--context", "no-such-case", "Get a job."], "no scenario 'no-such-case'"),
])
def test_bad_input_exits_2_with_one_line(args, message):
    """Bad input exits 2 with a one-line message that says what is wrong."""
    result = run(*args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert message in err and err.count("\n") == 1 and result.stdout == b""


def test_binary_file_exits_2(tmp_path):
    """A binary file is refused as a whole, with one line saying so."""
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    result = run("check-goal", "--file", str(blob))
    assert result.returncode == 2 and "binary" in result.stderr.decode()


def test_goals_from_standard_input():
    """--file - reads goals from standard input."""
    result = run("check-goal", "--json", "--file", "-", stdin=b"Get a job.\nStay sober.\n")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2


def test_validate_passes_on_the_shipped_files():
    """`casecoach validate` with no path checks the lexicon and every shipped scenario."""
    result = run("validate")
    assert result.returncode == 0, result.stdout.decode()
    assert "lexicon.yaml" in result.stdout.decode()


def test_validate_reports_every_problem_and_exits_1(tmp_path):
    """A broken scenario gets each problem listed as file:line: field: message, exit 1."""
    source = (Path(__file__).parents[1] / "scenarios" / "marcus-art.yaml").read_text()
    broken = tmp_path / "marcus-art.yaml"
    broken.write_text(source.replace("tag: strength", "tag: talent", 1)
                      .replace("age: 38", "age: thirty-eight"), encoding="utf-8")
    result = run("validate", str(broken))
    out = result.stdout.decode()
    assert result.returncode == 1
    line = source[: source.index("age: 38")].count("\n") + 1
    assert f"{broken}:{line}: client.age: 'thirty-eight' is not of type 'integer'" in out
    assert "facts[0].tag: 'talent' is not one of: strength, support, barrier, aspiration" in out
