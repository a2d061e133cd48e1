"""Time to export a three-goal plan to PDF and to DOCX: median and max over N runs, to a temp folder."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from casecoach.export import export_docx, export_pdf
from casecoach.plan import Plan, PlanGoal, Step
from casecoach.resources import cached_directory


def three_goal_plan() -> Plan:
    """Marcus Reid's plan (scenarios/marcus-art.yaml): housing, art work and health, 8 steps."""
    day = date(2026, 11, 17)
    return Plan(
        client_name="Marcus Reid", plan_date=day, caseworker="Renée Okafor",
        right_to_decline_explained=True, declined=("Weekly group budgeting class",),
        strengths=("You draw portraits and hand lettering", "You keep careful accounts",
                   "Denise, your sister, backs you up"),
        goals=(
            PlanGoal("Within 4 weeks, Marcus will apply to at least 3 fair-chance housing "
                     "programs, with support from his sister Denise.", "housing",
                     "I want my own place, even just a room, where Kiara can come on a Saturday.",
                     (Step("Ask the Housing Hub for fair-chance landlord referrals", "client", "",
                           date(2026, 11, 24), "harrow-housing-hub", "Denise receives your mail"),
                      Step("Call Foundry Lane House about a room", "caseworker", "",
                           date(2026, 11, 27), "foundry-lane-house", "your reporting record"),
                      Step("Pass on landlords’ replies", "support person", "Denise Reid",
                           date(2026, 12, 4), "", "Denise receives your mail"))),
            PlanGoal("By his eighth week home, Marcus will send a portfolio of 10 pieces to 4 "
                     "sign or mural businesses, using his sign-shop lettering skills.",
                     "vocational", "I want to get paid for art.",
                     (Step("Photograph 10 pieces for a portfolio", "client", "",
                           date(2026, 12, 11), "", "your lettering skills"),
                      Step("Pick 4 businesses with the employment adviser", "agency",
                           "Harrow Fair Chance Employment Services", date(2026, 12, 18),
                           "harrow-fair-chance-employment", "your sign-shop years"),
                      Step("Take your portfolio to Harrow Sign & Mural Works", "client", "",
                           date(2027, 1, 8), "harrow-sign-and-mural-works",
                           "your lettering skills"))),
            PlanGoal("Within 2 weeks, Marcus will see a doctor and collect a 30-day supply of "
                     "his blood pressure medication.", "health",
                     "I need my pills before they run out.",
                     (Step("Book a reentry clinic visit", "caseworker", "", date(2026, 11, 19),
                           "harrow-community-health-centre", "you asked early"),
                      Step("Collect the bridge supply", "client", "", date(2026, 11, 26),
                           "harrow-medication-access", "you asked early"))),
        ))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--runs", type=int, default=20)
    args = parser.parse_args(argv)

    plan, directory = three_goal_plan(), cached_directory()
    with tempfile.TemporaryDirectory(prefix="casecoach-export-bench-") as folder:
        for label, export, suffix in (("PDF ", export_pdf, ".pdf"), ("DOCX", export_docx, ".docx")):
            target = Path(folder) / f"plan{suffix}"
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                export(plan, target, directory)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{label} {args.runs} runs: median {statistics.median(times):7.1f} ms   "
                  f"max {max(times):7.1f} ms   (first {times[0]:.1f} ms, "
                  f"{target.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
