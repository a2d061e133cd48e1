"""The casecoach command line: check-goal, judge-response and validate."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator, Sequence, TextIO

from casecoach import __version__
from casecoach._data import DATA_DIR, load_yaml, section
from casecoach._yaml import Refused
from casecoach.errors import CasecoachError
from casecoach.conversation import RULES_FILE, Judgement, Rules, check_utterance, judge_response
from casecoach.goals import GoalReview, check_text, criterion_names, review_goal
from casecoach.language import LEXICON_FILE, SYNONYMS_FILE, Lexicon, load_concepts
from casecoach.errors import InvalidFile
from casecoach.resources import directory_path, load_directory
from casecoach.scenarios import check_scenario, get_scenario, scenario_dir

EXIT_BAD_INPUT = 2
EXIT_INVALID = 1
_MARK = {True: "met", False: "not met", None: "needs the client"}
_ICON = {True: "✓", False: "✗", None: "?"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except CasecoachError as exc:
        print(f"casecoach: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casecoach",
        description="Strengths-based case management training: review goals, check data files.")
    parser.add_argument("--version", action="version", version=f"casecoach {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check-goal", help="review goals against SMART(S)",
        description="Review one goal (TEXT) or a file of goals, one per line, against SMART(S): "
                    "specific, measurable, achievable, relevant, time-bound, strengths-based.")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", metavar="TEXT", help="the goal to review")
    source.add_argument("--file", type=Path, metavar="FILE",
                        help="a UTF-8 text file with one goal per line ('-' for standard input)")
    check.add_argument("--json", action="store_true",
                       help="print one JSON object per goal (the contract in DESIGN.md)")
    check.add_argument("--context", metavar="SCENARIO_ID",
                       help="judge achievable and relevant against this scenario's client")
    check.set_defaults(run=_check_goal)

    judge = commands.add_parser(
        "judge-response", help="code what a caseworker says and give feedback",
        description="Code one response (TEXT) or a file of them as question (open or closed), "
                    "reflection (simple or complex), input or other, with practice findings "
                    "and feedback: what worked, then one next step.")
    said = judge.add_mutually_exclusive_group(required=True)
    said.add_argument("text", nargs="?", metavar="TEXT", help="what the caseworker says")
    said.add_argument("--file", type=Path, metavar="FILE",
                      help="a UTF-8 file with one response per line, or JSON lines "
                           "{\"text\": ..., \"client\": ...} ('-' for standard input)")
    judge.add_argument("--client", metavar="TEXT",
                       help="what the client said just before (for TEXT, or for every line "
                            "of FILE that does not give its own)")
    judge.add_argument("--json", action="store_true",
                       help="print one JSON object per response (the contract in DESIGN.md)")
    judge.set_defaults(run=_judge_response)

    validate = commands.add_parser(
        "validate", help="check scenario files, resource directories and the lexicon",
        description="Check scenario files (YAML) and resource directories (CSV) and report every "
                    "problem as file:line: field: message; exit 1 if there is any. With no PATH, "
                    "checks the scenario folder, the resource directory in use and the lexicon.")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="scenario files, folders of them, or directory CSV files")
    validate.set_defaults(run=_validate)
    return parser


def _check_goal(args: argparse.Namespace) -> int:
    context = get_scenario(args.context).context() if args.context else None
    out = sys.stdout
    if args.file is None:
        review = review_goal(check_text(args.text, where="TEXT"), context)
        _emit(review, args.json, out)
        return 0
    return _each_line(args, _goal_lines(args.file), "reviewed", _emit,
                      lambda number, line: review_goal(check_text(line, where=f"line {number}"),
                                                       context))


def _each_line(args: argparse.Namespace, lines, verb: str, emit, work) -> int:
    """Run `work(number, line)` on each line of a --file and `emit` its result; a bad line gets
    its error in its place (a JSON object with --json) and the others still run; exit 2 when
    any line was bad."""
    out, bad = sys.stdout, 0
    for number, line in lines:
        try:
            if isinstance(line, CasecoachError):
                raise line
            result = work(number, line)
        except CasecoachError as exc:
            bad += 1
            error = {"line": number, "error": str(exc)}
            out.write(json.dumps(error, ensure_ascii=False) + "\n" if args.json
                      else f"{args.file}:{number}: {exc}\n\n")
            continue
        emit(result, args.json, out)
    if bad:
        print(f"casecoach: {args.file}: {bad} line(s) could not be {verb}; the others were",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _judge_response(args: argparse.Namespace) -> int:
    rules = Rules.load()
    out = sys.stdout
    client = check_utterance(args.client, where="--client", rules=rules) if args.client else None
    if args.file is None:
        _emit_judgement(judge_response(check_utterance(args.text, where="TEXT", rules=rules),
                                       client, rules), args.json, out)
        return 0
    limits = {"max_goal_chars": rules.max_chars, "goal_file_bytes": rules.max_file_bytes}

    def judge(number: int, line: str):
        text, said_before = _response_line(line, number, client)
        return judge_response(check_utterance(text, where=f"line {number}", rules=rules),
                              said_before, rules)

    return _each_line(args, _goal_lines(args.file, limits=limits, noun="response"), "judged",
                      _emit_judgement, judge)


def _response_line(line: str, number: int, client: str | None) -> tuple[object, str | None]:
    """A line of a responses file: plain text, or a JSON object with "text" and "client"."""
    where = f"line {number}"
    if not line.lstrip().startswith("{"):
        return line, client
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CasecoachError(f"is not valid JSON ({exc.msg} at column {exc.colno}); write "
                             f'{{"text": "...", "client": "..."}} or the response as plain text',
                             field=where) from exc
    if not isinstance(item, dict) or "text" not in item:
        raise CasecoachError('needs a "text" (and may give a "client")', field=where)
    said_before = item.get("client")
    if said_before is not None:
        said_before = check_utterance(said_before, where=f"{where}: client") or None
    return item["text"], said_before if "client" in item else client


def _emit_judgement(judgement: Judgement, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(judgement.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(judgement_report(judgement) + "\n\n")


def judgement_report(judgement: Judgement) -> str:
    """A readable judgement: the code, what worked, the findings, one next step."""
    kind = judgement.question_type or judgement.reflection_type
    lines = [f"Response: {judgement.text}",
             f"  Code: {judgement.behaviour}" + (f" ({kind})" if kind else ""),
             f"  ✓ Worked: {judgement.feedback.worked}"]
    for f in sorted(judgement.findings, key=lambda f: not f.positive):
        mark = "+" if f.positive else "!"
        lines.append(f"  {mark} {f.kind} at {f.start}-{f.end} ({f.text!r}): {f.why}")
        if not f.positive:
            lines.append(f"      Better: {f.better}")
    lines.append(f"  → Next step: {judgement.feedback.next_step}")
    return "\n".join(lines)


_CHUNK = 64 * 1024


def _goal_lines(path: Path, limits: dict | None = None,
                noun: str = "goal") -> Iterator[tuple[int, str | CasecoachError]]:
    """Each line of a goals file with its number, or the error in its place; read in chunks, so
    a file never costs more than a chunk and one line (settings.yaml `limits`: a line of more
    than 4 bytes per allowed character is not kept, and the file stops at goal_file_bytes).
    judge-response reads its responses file the same way, with its own `limits` and `noun`."""
    limits = limits or section("settings.yaml", "limits")
    max_line = 4 * limits["max_goal_chars"]  # UTF-8 has at most 4 bytes a character
    if str(path) == "-":
        handle = sys.stdin.buffer
    else:
        try:
            handle = open(path, "rb")
        except OSError as exc:
            raise CasecoachError(f"cannot read {path}: {exc.strerror}") from exc
    total, number, line, too_long, goals = 0, 0, bytearray(), False, False
    try:
        while True:
            try:
                chunk = handle.read(_CHUNK)
            except OSError as exc:
                raise CasecoachError(f"cannot read {path}: {exc.strerror}") from exc
            nul = chunk.find(b"\x00")
            binary = None
            if nul >= 0:
                at = number + 1 + chunk.count(b"\n", 0, nul)
                binary = CasecoachError(
                    f"{path} looks like a binary file (it has NUL bytes), not text"
                    + (f" (line {at}; the lines before it were reviewed)" if total else ""))
                if not total:  # in the first 64 KB: the whole file is refused
                    raise binary
                chunk = chunk[:chunk.rfind(b"\n", 0, nul) + 1]  # review the lines before it
            total += len(chunk)
            if total > limits["goal_file_bytes"]:
                done = f"; lines 1-{number} were reviewed" if number else ""
                about = " (about 10,000 goals)" if noun == "goal" else ""
                raise CasecoachError(f"{path} is larger than {limits['goal_file_bytes']:,} bytes"
                                     f"{about}: split it{done}")
            if not chunk:
                break
            start = 0
            while start <= len(chunk):
                end = chunk.find(b"\n", start)
                piece = chunk[start:end if end >= 0 else len(chunk)]
                if not too_long:
                    line += piece
                    if len(line) > max_line:
                        too_long, line = True, bytearray()
                if end < 0:
                    break
                number += 1
                found = _goal_line(number, bytes(line), too_long, limits, noun)
                goals = goals or not isinstance(found, str) or bool(found.strip())
                yield number, found
                line, too_long, start = bytearray(), False, end + 1
            if binary is not None:
                raise binary
        if line or too_long:
            number += 1
            goals = True
            yield number, _goal_line(number, bytes(line), too_long, limits, noun)
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    if not goals:
        raise CasecoachError(f"{path} has no {noun}s in it")


def _goal_line(number: int, raw: bytes, too_long: bool, limits: dict,
               noun: str = "goal") -> str | CasecoachError:
    where = f"line {number}"
    if too_long:
        return CasecoachError(f"is longer than {limits['max_goal_chars']} characters, the most a "
                              f"{noun} has", field=where)
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8").removesuffix("\r")
    except UnicodeDecodeError as exc:
        return CasecoachError(f"is not UTF-8 text (byte {exc.start + 1} of the line is invalid)",
                              field=where)


def _emit(review: GoalReview, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(review.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(report(review) + "\n\n")


def report(review: GoalReview) -> str:
    """A readable review: met first, then not met, flags, the next step."""
    names = criterion_names()
    lines = [f"Goal: {review.text}"]
    ordered = sorted(review.criteria, key=lambda c: {True: 0, False: 1, None: 2}[c.met])
    for c in ordered:
        info = names[c.name]
        lines.append(f"  {_ICON[c.met]} {info['letter']} {info['name']} ({_MARK[c.met]}): {c.why}")
    verdict = "yes" if review.strengths_based else "not yet"
    lines.append(f"  Strengths-based: {verdict}")
    for flag in review.flags:
        lines.append(f"  ! {flag.kind} at {flag.start}-{flag.end}: {flag.suggestion}")
    if review.suggested_rewrite:
        lines.append(f"  Suggested rewrite: {review.suggested_rewrite}")
    step = review.next_step()
    if step and step.tip:
        lines.append(f"  Next step: {step.tip}")
    return "\n".join(lines)


def _validate(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [scenario_dir(), directory_path()]
    scenarios: list[Path] = []
    directories: list[Path] = []
    for path in paths:
        if path.is_dir():
            scenarios.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.suffix.lower() == ".csv":
            directories.append(path)
        elif path.exists():
            scenarios.append(path)
        else:
            print(f"{path}: (file): no such file or folder")
            return EXIT_INVALID
    problems = 0
    refused = 0

    def refuse(exc: Refused) -> None:
        nonlocal refused
        refused += 1
        print(f"casecoach: {exc}", file=sys.stderr)

    def report_file(name: object, found: list) -> None:
        nonlocal problems
        errors = [p for p in found if not getattr(p, "warning", False)]
        problems += len(errors)
        for problem in found:
            print(problem)
        if not errors:
            print(f"ok: {name}")

    if not args.paths:
        checks = {LEXICON_FILE: lambda data: Lexicon.from_data(data, str(DATA_DIR / LEXICON_FILE)),
                  SYNONYMS_FILE: lambda data: load_concepts(data, str(DATA_DIR / SYNONYMS_FILE)),
                  RULES_FILE: lambda data: Rules.from_data(data, str(DATA_DIR / RULES_FILE))}
        for name in (LEXICON_FILE, SYNONYMS_FILE, RULES_FILE, "messages.yaml", "settings.yaml",
                     "domains.yaml", "course.yaml"):
            try:
                checks.get(name, lambda data: data)(load_yaml(name))
                report_file(DATA_DIR / name, [])
            except Refused as exc:
                refuse(exc)
            except CasecoachError as exc:
                print(exc)
                problems += 1
    # Scenarios name resources by id: check them against the directory given, else the shipped one.
    resource_ids: set[str] | None = None
    for directory in directories or ([directory_path()] if scenarios else []):
        try:
            loaded = load_directory(directory)
            resource_ids = loaded.ids
            if directory in directories:
                for warning in loaded.warnings:
                    print(warning)
                report_file(directory, [])
        except InvalidFile as exc:
            report_file(directory, exc.problems)
    for file in scenarios:
        try:
            report_file(file, check_scenario(file, resource_ids))
        except Refused as exc:
            refuse(exc)
    checked = len(scenarios) + len(directories)
    if refused:
        return EXIT_BAD_INPUT
    if problems:
        print(f"{problems} problem(s) in {checked} file(s)")
        return EXIT_INVALID
    print(f"{checked} file(s) valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
