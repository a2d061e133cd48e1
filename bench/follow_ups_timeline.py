"""Time the follow-up module's kernel-side work: the timeline picture, a case view, a check."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_ms(action, rounds: int = 7) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    start = time.perf_counter()
    from casecoach.followups import Played, timeline
    from casecoach.scenarios import get_scenario
    from widgets._timeline import timeline_html
    from widgets.follow_ups import FollowUpCase
    imported = (time.perf_counter() - start) * 1000

    case = get_scenario("marcus-art")
    played = [Played("fu-curfew", True, "problem_solve", True, True),
              Played("fu-ride", True, "reinforce", True, True)]
    view = FollowUpCase(case)
    view.say("x")  # the judges' first use
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"import (matplotlib and the module)   {imported:8.0f} ms (once per kernel)")
    print(f"timeline picture, 3 events          {median_ms(lambda: timeline_html(timeline(case, played, 'fu-mural'))):8.0f} ms")
    print(f"a case view (first picture included) {median_ms(lambda: FollowUpCase(case)):8.0f} ms")
    print(f"check what is said                  {median_ms(lambda: view.say('Thank you for calling, Marcus. What happened?')):8.1f} ms")
    print(f"ladder pick                         {median_ms(lambda: view.pick('problem_solve')):8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
