"""Assessment chart feedback latency in-process (review of one row), and `casecoach validate` time."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from casecoach.assessment import Chart, review_chart, review_row
from casecoach.resources import cached_directory, load_directory
from casecoach.scenarios import all_scenarios, scenario_dir

REPO = Path(__file__).resolve().parents[1]


def filled_chart(scenario) -> Chart:
    """A chart filled the way a trainee might: each key fact paraphrased into its column."""
    chart = Chart.blank(scenario.id)
    for key in scenario.raw["assessment_key"]:
        for fact in (scenario.fact(f) for f in key["facts"]):
            column = {"barrier": "barriers", "aspiration": "wants"}.get(fact.tag, "strengths")
            old = chart.row(key["domain"]).__getattribute__(column)
            chart = chart.with_cell(key["domain"], column, f"{old}\n{fact.text.lower()}")
        chart = chart.with_cell(key["domain"], "resources", key.get("resources", [])[:2])
    return chart


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)

    directory = cached_directory()
    scenarios = all_scenarios()
    charts = [(s, filled_chart(s)) for s in scenarios]
    row_ms, chart_ms = [], []
    for _ in range(args.repeat):
        for scenario, chart in charts:
            for row in chart.rows:
                start = time.perf_counter()
                review_row(scenario, row, directory)
                row_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            review_chart(scenario, chart, directory)
            chart_ms.append((time.perf_counter() - start) * 1000)
    print(f"{len(scenarios)} cases, {len(directory.resources)} resources, {args.repeat} passes")
    print(f"row feedback (one row edited):   p50 {statistics.median(row_ms):6.2f} ms   "
          f"p95 {pct(row_ms, 0.95):6.2f} ms")
    print(f"whole-chart feedback (8 rows):   p50 {statistics.median(chart_ms):6.2f} ms   "
          f"p95 {pct(chart_ms, 0.95):6.2f} ms")

    files = sorted(scenario_dir().glob("*.yaml"))
    start = time.perf_counter()
    ids = load_directory().ids
    from casecoach.scenarios import check_scenario
    for path in files:
        check_scenario(path, ids)
    in_process = (time.perf_counter() - start) * 1000
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "casecoach.cli", "validate"], check=True,
                       capture_output=True, cwd=REPO)
        runs.append(time.perf_counter() - start)
    print(f"validate {len(files)} scenarios + directory: in-process {in_process:.0f} ms; "
          f"`casecoach validate` command, median of 3: {statistics.median(runs):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
