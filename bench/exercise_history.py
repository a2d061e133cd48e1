"""Time a room's answers with every version kept: submit, the wall (latest only), the history and its CSV."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casecoach import exercises as ex  # noqa: E402
from casecoach import identity  # noqa: E402
from casecoach.store import Store  # noqa: E402

REWRITES = ["Marcus will find housing.",
            "Within 4 weeks, Marcus will apply to 3 housing programs.",
            "Within 4 weeks, Marcus will apply to 3 fair-chance housing programs with Denise.",
            "Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs "
            "with support from his sister Denise.",
            "Within 30 days, Marcus will view 2 rooms with his sister Denise's help."]


def median_ms(action, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="a store URL on an empty database of its own (default: a new "
                                      "SQLite file in a temp folder); the run leaves its rows there")
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--versions", type=int, default=5, help="versions per trainee")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="casecoach-bench-history-")
    store = Store.open(args.url or f"sqlite:///{folder}/store.sqlite")
    exercise = ex.create(store, "marcus-art", "rg-housing", "sup")
    # Half the room types the same name in their own browser: the case the ids are for.
    people = [identity.person("Ana" if n % 2 else f"Trainee{n}", f"{n:032x}", {})
              for n in range(args.trainees)]
    sends = []
    for version in range(args.versions):
        for person in people:
            start = time.perf_counter()
            ex.submit(store, exercise, person, REWRITES[version % len(REWRITES)])
            sends.append((time.perf_counter() - start) * 1000)
    wall = median_ms(lambda: ex.wall(store, exercise), args.rounds)
    history = median_ms(lambda: ex.history(store, exercise), args.rounds)
    entries = ex.history(store, exercise)
    csv = median_ms(lambda: ex.export_csv(entries, True, exercise), args.rounds)
    rows = ex.export_csv(entries, True, exercise).count("\n") - 1
    print(f"store: {store.location()}  trainees: {args.trainees}  versions each: {args.versions}")
    print(f"submit (with its version):   median {statistics.median(sends):7.1f} ms  "
          f"max {max(sends):7.1f} ms  ({len(sends)} sends)")
    print(f"wall (latest, reviewed):     median {wall[0]:7.1f} ms  max {wall[1]:7.1f} ms")
    print(f"history (every version):     median {history[0]:7.1f} ms  max {history[1]:7.1f} ms")
    print(f"CSV of the history:          median {csv[0]:7.1f} ms  max {csv[1]:7.1f} ms  "
          f"({rows} rows)")
    store.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
