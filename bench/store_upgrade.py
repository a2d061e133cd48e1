"""What the Alembic upgrade costs a page kernel: Store.open of a new SQLite store (every revision),
of one already at the head (every later kernel), and of each old store in tests/data/old_stores,
each in a fresh process; wall and CPU time of the opening, and the memory it adds.

    .venv/bin/python bench/store_upgrade.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OLD = REPO / "tests" / "data" / "old_stores"

# Run in a fresh interpreter: casecoach.store imported first (every kernel has it), then the
# opening measured, Alembic's import included, as a kernel pays it.
_CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from casecoach.store import Store
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu = time.perf_counter(), time.process_time()
Store.open(sys.argv[1]).engine.dispose()
print(json.dumps({"wall_ms": (time.perf_counter() - wall) * 1000,
                  "cpu_ms": (time.process_time() - cpu) * 1000,
                  "added_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024}))
"""


def _open(url: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, url, str(REPO)], capture_output=True,
                         text=True, check=True, cwd=tempfile.gettempdir())
    return json.loads(out.stdout)


def main() -> None:
    print(f"{'store':<28} {'wall ms':>8} {'CPU ms':>8} {'adds MB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        cases = [("new (all 5 revisions)", Path(folder) / "new.sqlite", None),
                 ("at head (reopened)", Path(folder) / "new.sqlite", None)]
        cases += [(f"version {v} file -> head", Path(folder) / f"v{v}.sqlite", v)
                  for v in (1, 3, 4, 5)]
        for label, path, version in cases:
            if version:
                shutil.copyfile(OLD / f"store-v{version}.sqlite", path)
            got = _open(f"sqlite:///{path}")
            print(f"{label:<28} {got['wall_ms']:>8.0f} {got['cpu_ms']:>8.0f} "
                  f"{got['added_mb']:>8.1f}")


if __name__ == "__main__":
    main()
