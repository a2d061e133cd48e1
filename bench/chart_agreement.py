"""Chart review against a labelled set of trainee chart rows: key facts found, labels, own words.

Figures only: the blind set (tests/data/chart_rows_blind.jsonl) was written and labelled apart
from the rules; no rule is tuned on it. Run: .venv/bin/python bench/chart_agreement.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from casecoach.assessment import Chart, review_row
from casecoach.scenarios import get_scenario

REPO = Path(__file__).resolve().parents[1]


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default=str(REPO / "tests/data/chart_rows_blind.jsonl"))
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in Path(args.path).read_text().splitlines() if line.strip()]
    tp = fp = fn = 0
    labels = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    own = {"style": 0, "style_n": 0, "words": 0}
    for item in rows:
        case = get_scenario(item["case"])
        chart = Chart.blank(case.id)
        for column, value in item["row"].items():
            chart = chart.with_cell(item["domain"], column, value)
        review = review_row(case, chart.row(item["domain"]))
        got, want = {f.id for f in review.found}, set(item["facts_found"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        flagged, labelled = bool(review.labels), bool(item["labels"])
        labels[{(True, True): "tp", (True, False): "fp", (False, True): "fn",
                (False, False): "tn"}[(flagged, labelled)]] += 1
        if review.own_words is not None:
            own["style_n"] += 1
            own["style"] += review.own_words == item["own_words"]
        own["words"] += bool(review.words_found) == item["own_words"]
    print(f"{Path(args.path).name}: {len(rows)} rows")
    print(f"key facts found: precision {_ratio(tp, tp + fp)}, recall {_ratio(tp, tp + fn)} "
          f"({tp} found, {fp} wrongly, {fn} missed)")
    print(f"rows with a label or trait: flagged {labels['tp']} of {labels['tp'] + labels['fn']}, "
          f"wrongly {labels['fp']} of {labels['fp'] + labels['tn']}")
    print(f"own words, first person or quoted (the wants-column tip): agrees on "
          f"{own['style']} of {own['style_n']} rows with a wants entry")
    print(f"own words, the client's own goal found in the wants column: agrees on "
          f"{own['words']} of {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
