"""Time Store.open on SQLite stores of growing size: the opening checks the file (quick_check) under
a lock before use, so that a damaged file is moved aside instead of written over (issue 11).

    .venv/bin/python bench/store_open.py        # prints size, rows and the median open time
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from casecoach.store import Store  # noqa: E402


def main() -> None:
    print(f"{'drafts':>8} {'file MB':>8} {'open ms (median of 5)':>22}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "casecoach.sqlite"
        store = Store.open(f"sqlite:///{path}")
        made = 0
        for target in (0, 1_000, 10_000, 50_000):
            with store.engine.begin() as conn:
                from casecoach.store import drafts
                from datetime import datetime, timezone

                now = datetime.now(timezone.utc)
                rows = [{"owner": f"trainee-{n % 40}", "kind": "chart", "item": f"case-{n}",
                         "body": '{"rows": "' + "x" * 1500 + '"}', "updated_at": now}
                        for n in range(made, target)]
                if rows:
                    conn.execute(drafts.insert(), rows)
            made = target
            store.engine.dispose()
            times = []
            for _ in range(5):
                start = time.perf_counter()
                opened = Store.open(f"sqlite:///{path}")
                times.append((time.perf_counter() - start) * 1000)
                opened.engine.dispose()
            size = sum(p.stat().st_size for p in Path(folder).glob("casecoach.sqlite*")) / 1e6
            print(f"{target:>8} {size:>8.1f} {statistics.median(times):>22.1f}")


if __name__ == "__main__":
    main()
