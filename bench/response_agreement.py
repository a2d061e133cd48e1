"""Agreement of the response judge with labelled utterance sets (accuracy, macro-F1, Cohen's kappa
for behaviour, open vs closed and simple vs complex), and judging latency per response."""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from casecoach.conversation import judge_response

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
# The development set was written beside the rules; the blind set by someone who never read them.
DEFAULT_SETS = {"dev": DATA / "utterances_dev.csv", "blind": DATA / "utterances_blind.csv"}


def cohen_kappa(truth: list[str], predicted: list[str]) -> float:
    """Cohen's kappa for two raters over any labels; 1.0 when they agree perfectly."""
    n = len(truth)
    if not n:
        return float("nan")
    observed = sum(t == p for t, p in zip(truth, predicted)) / n
    a, b = Counter(truth), Counter(predicted)
    expected = sum(a[label] * b[label] for label in set(a) | set(b)) / (n * n)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    """The mean over the true labels of each label's F1."""
    scores = []
    for label in sorted(set(truth)):
        tp = sum(t == p == label for t, p in zip(truth, predicted))
        fp = sum(p == label != t for t, p in zip(truth, predicted))
        fn = sum(t == label != p for t, p in zip(truth, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else float("nan")


def read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(name: str, rows: list[dict[str, str]], show: int) -> tuple[list[float], list[float]]:
    """Print the agreement on one set; return each response's latency and CPU time (ms)."""
    judged, times, cpu = [], [], []
    for row in rows:
        started, started_cpu = time.perf_counter(), time.thread_time()
        judged.append(judge_response(row["text"], row.get("client") or None))
        cpu.append((time.thread_time() - started_cpu) * 1000)
        times.append((time.perf_counter() - started) * 1000)
    print(f"-- {name}: {len(rows)} responses")
    print(f"   {'code':<18}{'n':>5}{'accuracy':>10}{'macro-F1':>10}{'kappa':>8}")
    tasks = [("behaviour", "behaviour", lambda r: True),
             ("open vs closed", "question_type", lambda r: r["behaviour"] == "question"),
             ("simple vs complex", "reflection_type", lambda r: r["behaviour"] == "reflection")]
    for title, key, keep in tasks:
        pairs = [(row[key], (getattr(j, key) or "")) for row, j in zip(rows, judged) if keep(row)]
        # Within a class, a response the judge put in another class counts as a miss ("").
        truth = [t for t, _ in pairs]
        predicted = [p for _, p in pairs]
        accuracy = sum(t == p for t, p in pairs) / len(pairs) if pairs else float("nan")
        print(f"   {title:<18}{len(pairs):>5}{accuracy:>10.3f}{macro_f1(truth, predicted):>10.3f}"
              f"{cohen_kappa(truth, predicted):>8.3f}")
    labels = ["question", "reflection", "input", "other"]
    confusion = Counter((row["behaviour"], j.behaviour) for row, j in zip(rows, judged))
    print("   confusion (rows: label, columns: judge): " + " ".join(f"{c[:5]:>6}" for c in labels))
    for label in labels:
        print(f"   {label:<40} " + " ".join(f"{confusion[label, c]:>6}" for c in labels))
    misses = [(row, j) for row, j in zip(rows, judged)
              if (row["behaviour"], row["question_type"] or None, row["reflection_type"] or None)
              != (j.behaviour, j.question_type, j.reflection_type)]
    for row, j in misses[:show]:
        wanted = "/".join(x for x in (row["behaviour"], row["question_type"],
                                      row["reflection_type"]) if x)
        got = "/".join(x for x in (j.behaviour, j.question_type, j.reflection_type) if x)
        print(f"   miss {row['id']}: {wanted} judged {got}: {row['text']!r}")
    return times, cpu


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"p50 {statistics.median(values):.3f} ms, p95 {p95:.3f} ms, max {values[-1]:.3f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path,
                        help="labelled CSV files (default: the dev and blind sets present)")
    parser.add_argument("--show", type=int, default=0, help="list this many disagreements per set")
    args = parser.parse_args(argv)
    sets = {p.stem: p for p in args.paths} or {k: p for k, p in DEFAULT_SETS.items() if p.exists()}
    if not sets:
        print("no labelled sets found", file=sys.stderr)
        return 1
    judge_response("Warm-up: the rules are read once.")
    times: list[float] = []
    cpu: list[float] = []
    for name, path in sets.items():
        wall, used = report(f"{name} ({path.name})", read(path), args.show)
        times += wall
        cpu += used
    # Wall time includes waiting for a core on a shared machine; CPU time is the judge's own work.
    print(f"-- latency per response (wall): {percentiles(times)} over {len(times)} responses")
    print(f"-- CPU time per response:       {percentiles(cpu)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
