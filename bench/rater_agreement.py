"""How far two people reading the same rubric agree, beside how far the review agrees with each.

A second rater, briefed as the first (the rubric and the written conventions; the case files for
attempts), labelled the blind splits and a sample of the development sets without seeing the first
labels (`tests/data/second_rater_*.csv`). Their agreement is the ceiling a judge of this rubric can
be expected to reach; the review's agreement on the same goals is printed beside it.

    python bench/rater_agreement.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from goal_agreement import DATA, _review, cohen_kappa  # noqa: E402

PAIRS = [
    ("real goals", DATA / "second_rater_real_goals.csv",
     [DATA / "real_goals.csv", DATA / "real_goals_dev2.csv", DATA / "real_goals_dev3.csv",
      DATA / "real_goals_dev4.csv", DATA / "real_goals_dev5.csv"]),
    ("attempts", DATA / "second_rater_attempts.csv",
     [DATA / "attempts_blind.csv", DATA / "attempts_dev.csv", DATA / "attempts_dev2.csv",
      DATA / "attempts_dev3.csv", DATA / "attempts_dev4.csv", DATA / "attempts_dev5.csv",
      DATA / "attempts_dev6.csv"]),
]


def _first_labels(paths: list[Path]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each labelled goal by id, with the group it is reported in (blind or development)."""
    found = {}
    for path in paths:
        for row in csv.DictReader(path.open(encoding="utf-8")):
            blind = row.get("split") == "blind" or path.name == "attempts_blind.csv"
            found[row["id"]] = ("blind" if blind else "development", row)
    return found


def main() -> None:
    for title, second_path, first_paths in PAIRS:
        first = _first_labels(first_paths)
        second = list(csv.DictReader(second_path.open(encoding="utf-8")))
        criteria = [c for c in second[0] if c not in ("id", "note")]
        for group in ("blind", "development"):
            rows = [(first[r["id"]][1], r) for r in second if first[r["id"]][0] == group]
            if not rows:
                continue
            reviews = [_review(one) for one, _ in rows]
            print(f"-- {title}, {group}: {len(rows)} goals labelled by both raters")
            print(f"   {'criterion':<20}{'raters κ':>10}{'agree':>7}"
                  f"{'review vs 1st':>15}{'review vs 2nd':>15}")
            for name in criteria:
                one = [a[name].strip() == "1" for a, _ in rows]
                two = [b[name].strip() == "1" for _, b in rows]
                judged = [bool(r[name].met) for r in reviews]
                agree = sum(x == y for x, y in zip(one, two)) / len(rows)
                print(f"   {name:<20}{cohen_kappa(one, two):>10.3f}{agree:>7.0%}"
                      f"{cohen_kappa(one, judged):>15.3f}{cohen_kappa(two, judged):>15.3f}")


if __name__ == "__main__":
    main()
