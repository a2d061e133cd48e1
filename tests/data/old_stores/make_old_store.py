"""Write a store with the casecoach found on PYTHONPATH (an old commit's worktree), for upgrade tests.

    PYTHONPATH=/tmp/old-v3 .venv/bin/python tests/data/old_stores/make_old_store.py URL

Uses only the Store API each old version had (README.md beside this file names the commits).
The same rows are saved at every version that can hold them; tests/test_store_migrations.py
checks that each one is still there after the upgrade.
"""

from __future__ import annotations

import json
import sys

import casecoach.store as old


def main(url: str) -> None:
    version = old.SCHEMA_VERSION
    print(f"casecoach from {old.__file__}, schema version {version}", file=sys.stderr)
    store = old.Store.open(url)
    # Drafts (every version): one replaced by a second save, non-ASCII and markup kept as typed.
    store.save_draft("ana", "chart", "marcus-art", {"now": "first try", "v": 1})
    store.save_draft("ana", "chart", "marcus-art",
                     {"now": "Sleeps on his sister Denise’s couch <b>for now</b>", "v": 2})
    store.save_draft("ben", "goal", "rg-housing",
                     {"text": "Within 4 weeks, Marcus will apply to 3 programs."})
    if version >= 3:   # no casecoach ever had schema version 2 (1 went to 3 in one commit)
        _plans(store, version)
        store.record_progress("ana", "01-goals", cohort="spring", attempts=2, score=3,
                              completed=True)
        store.record_progress("ben", "02-language", attempts=1)
        goal = store.create_exercise("OLD23", "marcus-art", "rg-housing", "sup")
        store.submit(goal, "Ana", "Marcus will look for housing.")
        store.submit(goal, "Ana", "Within 4 weeks, Marcus will apply to 3 housing programs.")
        store.submit(goal, "Ben", "Within 2 weeks, Marcus will call the housing office.")
        store.update_exercise(goal, names_shown=1, spotlight="Ana")
    if version >= 4:
        row = store.create_exercise("ROW42", "marcus-art", "housing", "sup", kind="chart_row")
        store.submit(row, "Cy", json.dumps({"now": "Sleeps on his sister's couch"}))
    store.engine.dispose()


def _plans(store, version: int) -> None:
    dana = store.save_plan("cw", {"client_name": "Dana Price", "note": "first"})
    if version >= 5:
        store.save_plan("cw", {"client_name": "Dana Price", "note": "edited"}, dana, version=1)
    else:
        store.save_plan("cw", {"client_name": "Dana Price", "note": "edited"}, dana)
    store.save_plan("cw2", {"client_name": "Luis Ortega", "goals": [{"text": "Ámbito: empleo"}]})
    gone = store.save_plan("cw", {"client_name": "Deleted Person"})
    store.delete_plan("cw", gone)   # removed for good before 5; from 5 on, marked deleted


if __name__ == "__main__":
    main(sys.argv[1])
