"""Time and peak memory of `casecoach validate` and `check-goal` on hostile inputs, and of exporting the largest allowed plan."""

# Each case runs in a child process of its own; os.wait4 gives that child's own peak resident
# memory (ru_maxrss), so one case's figure is not another's. Figures only: nothing is asserted
# (the limits themselves are tested in tests/test_yaml_limits.py, test_cli_limits.py and
# test_hostile_fields.py).

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "casecoach.cli"]
sys.path.insert(0, str(ROOT / "tests"))

from harness import largest_plan  # noqa: E402  (the tests' plan at every limit)


def bomb(levels: int = 9) -> str:
    """The billion laughs: nine levels of nine aliases, 9**9 strings once expanded."""
    names = "abcdefghijklmnop"[:levels]
    text = f"{names[0]}: &{names[0]} [{', '.join(['lol'] * 9)}]\n"
    for before, name in zip(names, names[1:]):
        text += f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    return text


def inputs(folder: Path) -> list[tuple[str, list[str], bytes | None]]:
    """(what, command, standard input) for every hostile case."""
    files = {
        "bomb.yaml": bomb(),
        "deep-600.yaml": "a: " + "[" * 600 + "]" * 600 + "\n",
        "deep-400k.yaml": "a: " + "[" * 400_000 + "]" * 400_000 + "\n",
        "deep-block.yaml": "".join(" " * i + f"k{i}:\n" for i in range(1400)) + " " * 1400 + "x: 1\n",
        "aliases-101.yaml": "a: &a [x]\n" + "".join(f"k{i}: *a\n" for i in range(101)),
        "huge.yaml": "# padding\n" * 150_000,
        "one-line.txt": "a" * 3_000_000,
        "goals-1mb.txt": ("Within 4 weeks, Dana will apply to 3 fair-chance housing programs "
                          "with her sister.\n") * (1_000_000 // 87),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    f = lambda name: str(folder / name)  # noqa: E731
    return [
        ("validate: a good case (the baseline: start-up, directory, schema)",
         CLI + ["validate", str(ROOT / "scenarios" / "marcus-art.yaml")], None),
        ("check-goal: one goal (the baseline)", CLI + ["check-goal", "Get a job by June 1."],
         None),
        (f"validate: alias bomb ({len(files['bomb.yaml'])} bytes, 9**9 values)",
         CLI + ["validate", f("bomb.yaml")], None),
        ("validate: 600 levels of [", CLI + ["validate", f("deep-600.yaml")], None),
        ("validate: 400,000 levels of [ (800 KB)", CLI + ["validate", f("deep-400k.yaml")], None),
        ("validate: 1,400 levels of indentation (1 MB)",
         CLI + ["validate", f("deep-block.yaml")], None),
        ("validate: 101 aliases", CLI + ["validate", f("aliases-101.yaml")], None),
        ("validate: 1.5 MB file", CLI + ["validate", f("huge.yaml")], None),
        ("validate: /dev/zero", CLI + ["validate", "/dev/zero"], None),
        ("check-goal --file /dev/zero", CLI + ["check-goal", "--file", "/dev/zero"], None),
        ("check-goal --file -: one 3 MB line", CLI + ["check-goal", "--file", "-"],
         (folder / "one-line.txt").read_bytes()),
        ("check-goal --file: one 3 MB line", CLI + ["check-goal", "--file", f("one-line.txt")],
         None),
        ("check-goal --json --file: 1 MB of goals (the limit)",
         CLI + ["check-goal", "--json", "--file", f("goals-1mb.txt")], None),
        ("export PDF: largest allowed plan", [sys.executable, __file__, "--export", "pdf"], None),
        ("export DOCX: largest allowed plan", [sys.executable, __file__, "--export", "docx"],
         None),
    ]


def run(command: list[str], stdin: bytes | None) -> tuple[float, float, float, int, str]:
    """Wall and CPU seconds, peak MB, exit code and the last line on standard error of one
    child (CPU time is the figure to compare on a busy machine)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as given:
        if stdin is not None:
            given.write(stdin)
            given.seek(0)
        child = subprocess.Popen(command, stdin=given, stdout=out, stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode(errors="replace").strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, child.returncode, lines[-1] if lines else ""


def export_once(kind: str) -> None:
    from casecoach.export import export_docx, export_pdf

    with tempfile.TemporaryDirectory() as folder:
        (export_pdf if kind == "pdf" else export_docx)(largest_plan(), Path(folder) / f"p.{kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--export", choices=("pdf", "docx"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        export_once(args.export)
        return
    with tempfile.TemporaryDirectory() as folder:
        cases = inputs(Path(folder))
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
        print("| input | wall s | CPU s | peak MB | exit | message |\n"
              "| --- | ---: | ---: | ---: | ---: | --- |")
        for what, command, stdin in cases:
            seconds, cpu, peak, code, message = run(command, stdin)
            message = message.replace(folder + "/", "").replace("|", "\\|")
            if len(message) > 90:
                message = message[:89] + "…"
            print(f"| {what} | {seconds:.2f} | {cpu:.2f} | {peak:.0f} | {code} | {message} |",
                  flush=True)


if __name__ == "__main__":
    main()
