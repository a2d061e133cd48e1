"""Agreement of the goal review with the labelled set, per criterion, and review latency per goal."""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

from casecoach.goals import TEXT_CRITERIA, review_goal

DEFAULT_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "goals_labelled.csv"


def cohen_kappa(truth: list[bool], predicted: list[bool]) -> float:
    """Cohen's kappa for two binary raters; 1.0 when both agree perfectly, even on one class."""
    n = len(truth)
    observed = sum(t == p for t, p in zip(truth, predicted)) / n
    p_true = sum(truth) / n
    p_pred = sum(predicted) / n
    expected = p_true * p_pred + (1 - p_true) * (1 - p_pred)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labels", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over the set")
    parser.add_argument("--show", choices=TEXT_CRITERIA, help="print the disagreements of one")
    args = parser.parse_args(argv)

    with args.labels.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    reviews = [review_goal(row["text"]) for row in rows]

    print(f"{len(rows)} labelled goals from {args.labels.name}")
    print(f"{'criterion':<20}{'accuracy':>10}{'kappa':>8}{'FP':>5}{'FN':>5}")
    for name in TEXT_CRITERIA:
        truth = [row[name] == "1" for row in rows]
        predicted = [bool(r[name].met) for r in reviews]
        accuracy = sum(t == p for t, p in zip(truth, predicted)) / len(rows)
        fp = sum(p and not t for t, p in zip(truth, predicted))
        fn = sum(t and not p for t, p in zip(truth, predicted))
        print(f"{name:<20}{accuracy:>10.3f}{cohen_kappa(truth, predicted):>8.3f}{fp:>5}{fn:>5}")
        if args.show == name:
            for row, t, p in zip(rows, truth, predicted):
                if t != p:
                    print(f"   label={int(t)} got={int(p)}  {row['text']}   # {row['note']}")

    timings = []
    for _ in range(args.repeat):
        for row in rows:
            start = time.perf_counter()
            review_goal(row["text"])
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"latency per goal over {len(timings)} reviews: p50 {statistics.median(timings):.3f} ms, "
          f"p95 {p95:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
