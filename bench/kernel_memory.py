"""Memory of one page's Voila kernel: each module page against the bare one-widget page."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from harness import CHROMIUM_ARGS, VoilaServer, _children, find_chromium  # noqa: E402

PAGES = {
    "bare page (one textarea)": ("bench/bare.ipynb", ".cc-goal-input textarea"),
    "07 join an exercise (trainee)": ("notebooks/07-join-exercise.ipynb", ".cc-join-input input"),
    "01 SMART(S) goals": ("notebooks/01-smart-goals.ipynb", ".cc-goal-input textarea"),
    "02 assessment chart": ("notebooks/02-assessment.ipynb", ".cc-cell-now textarea"),
    "06 supervisor wall": ("notebooks/06-group-exercise.ipynb", ".cc-start-exercise"),
}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def kernels(server: VoilaServer) -> set[int]:
    found = set()
    for pid in _children(server.proc.pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline:
            found.add(pid)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after the page is ready")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    server = VoilaServer(root=".", extra_args=("--VoilaConfiguration.preheat_kernel=False",),
                         log_name="voila-memory")
    server.start()
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(playwright),
                                                 args=CHROMIUM_ARGS)
            for label, (path, ready) in PAGES.items():
                before = kernels(server)
                page = browser.new_page()
                page.goto(f"{server.url}voila/render/{path}")
                page.wait_for_selector(ready, timeout=120_000)
                time.sleep(args.settle)
                new = kernels(server) - before
                results.append((label, sum(rss_mb(pid) for pid in new)))
                page.close()
            browser.close()
        voila_rss = rss_mb(server.proc.pid)
    finally:
        server.stop()
    bare = results[0][1]
    print(f"{'page':<34}{'kernel RSS':>12}{'vs bare':>10}")
    for label, mb in results:
        print(f"{label:<34}{mb:>9.0f} MB{mb / bare:>9.2f}x")
    print(f"Voila server process: {voila_rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
