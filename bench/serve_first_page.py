"""How long a new user waits for the first page from `make serve` on a fresh clone, and whether closed pages leave kernels."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from harness import ARTIFACTS, CHROMIUM_ARGS, MakeServe, find_chromium  # noqa: E402

START_WIDGET = ".cc-modules"  # the start page is usable once its module list shows
# Pages opened and closed one after another, as a trainee moving through the course would.
PAGES = {
    "00-start-here.ipynb": ".cc-modules",
    "01-smart-goals.ipynb": ".cc-goal-input textarea",
    "02-assessment.ipynb": ".cc-assessment textarea:visible",
    "03-priorities.ipynb": ".cc-rank-1 select",
    "04-action-plan.ipynb": ".cc-plan-goal textarea",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10, help="pages to open and close (default 10)")
    parser.add_argument("--after", type=float, default=60.0, help="seconds to wait before counting kernels")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="casecoach-bench-clone-"))
    # A fresh clone of the committed project: what a new user gets, no .venv, nothing uncommitted.
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(folder)], check=True)
    print(f"fresh clone of {subprocess.check_output(['git', '-C', str(folder), 'rev-parse', '--short', 'HEAD'], text=True).strip()} in {folder}")
    server = MakeServe(folder, ARTIFACTS / "bench-serve-first-page.log")
    try:
        with sync_playwright() as playwright:
            executable = find_chromium(playwright)
            if executable is None:
                print("error: no Chromium (`make test` installs one)", file=sys.stderr)
                return 1
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            answered = server.wait_until_answering(timeout=1200)
            built = server.printed_at
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto(server.url, wait_until="commit", timeout=300_000)
            page.wait_for_selector(START_WIDGET, state="visible", timeout=300_000)
            usable = time.monotonic() - server.started
            _close(page)
            context.close()
            if built is not None:
                print(f"make serve on a fresh clone -> .venv built, address printed: {built:.1f} s")
            print(f"make serve on a fresh clone -> the address answers: {answered:.1f} s")
            print(f"make serve on a fresh clone -> start page usable (module list shown): {usable:.1f} s")

            notebooks = sorted(p.name for p in (folder / "notebooks").glob("*.ipynb"))
            server.wait_for_pools(notebooks, timeout=300)
            time.sleep(10)  # the start page's kernel shuts down and its pool refills
            pooled = len(notebooks)  # one preheated kernel per notebook (voila.json)
            print(f"kernels with no page open: {server.kernel_processes()} (the preheated pools: {pooled})")
            names = list(PAGES)
            # One browser profile, a tab per page, as a trainee's browser: closing a whole profile
            # (a Playwright context) right after a tab can cancel the tab's last request in flight,
            # which no real browser does, so the profile closes only once the kernels are counted.
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            for i in range(args.pages):
                name = names[i % len(names)]
                page = context.new_page()
                page.goto(f"{server.url}voila/render/{name}", wait_until="commit", timeout=180_000)
                page.wait_for_selector(PAGES[name], state="visible", timeout=180_000)
                page.wait_for_timeout(500)
                _close(page)
            closed_at = time.monotonic()
            print(f"opened and closed {args.pages} pages; kernels right after: {server.kernel_processes()}")
            time.sleep(max(0.0, args.after - (time.monotonic() - closed_at)))
            context.close()
            alive = server.kernel_processes()
            print(f"kernels alive {args.after:.0f} s after the last page closed: {alive} "
                  f"({alive - pooled} beyond the {pooled} pooled ones)")
            browser.close()
        shutdowns = server.log().count("Kernel shutdown:")
        refused = server.log().count("'_xsrf' argument missing")
        print(f"server log: {shutdowns} kernel shutdowns, {refused} shutdown requests refused for a missing _xsrf")
    finally:
        server.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _close(page) -> None:
    """Close the tab as a user does: its unload handlers run, and the tab is gone before we go on."""
    with page.expect_event("close", timeout=30_000):
        page.close(run_before_unload=True)


if __name__ == "__main__":
    sys.exit(main())
