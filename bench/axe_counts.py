"""axe-core violations per page and state, by impact (rules / elements), on a real Voila.

Figures only: prints one table row per page state (the states tests/a11y.py reaches) and, with
--rules, which rules fired where. `make bench` runs it; nothing here fails on a count.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from a11y import IMPACTS, counts, run_axe, states  # noqa: E402
from harness import CHROMIUM_ARGS, VoilaServer, find_chromium  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", action="store_true", help="also list each rule that fired")
    parser.add_argument("--width", type=int, default=1280, help="viewport width (default 1280)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    server = VoilaServer(root="notebooks/", log_name="voila-bench-axe")
    server.start()
    rows, fired = [], []
    try:
        with sync_playwright() as p:
            executable = find_chromium(p)
            if executable is None:
                print("no Chromium found", file=sys.stderr)
                return 2
            browser = p.chromium.launch(executable_path=executable, headless=True,
                                        args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": args.width, "height": 800})
            for state in states(context, server.url):
                violations = run_axe(state.page)
                rows.append((state.label, counts(violations)))
                fired += [(state.label, v["impact"], v["id"], len(v["nodes"]))
                          for v in violations]
            browser.close()
    finally:
        server.stop()

    head = ["page · state"] + list(IMPACTS)
    width = max(len(r[0]) for r in rows + [(head[0],)])
    print(f"axe-core violations at {args.width} px wide, rules/elements per impact")
    print(f"| {head[0]:<{width}} | " + " | ".join(f"{h:>9}" for h in head[1:]) + " |")
    print(f"| {'-' * width} | " + " | ".join("-" * 9 for _ in head[1:]) + " |")
    total = {i: [0, 0] for i in IMPACTS}
    for label, c in rows:
        cells = []
        for impact in IMPACTS:
            r, n = c[impact]
            total[impact][0] += r
            total[impact][1] += n
            cells.append(f"{r}/{n}".rjust(9))
        print(f"| {label:<{width}} | " + " | ".join(cells) + " |")
    print(f"| {'all states':<{width}} | "
          + " | ".join(f"{t[0]}/{t[1]}".rjust(9) for t in total.values()) + " |")
    if args.rules:
        print()
        for label, impact, rule, n in fired:
            print(f"{label}: [{impact}] {rule} ×{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
