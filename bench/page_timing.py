"""Time a module page against the bare comparison page in headless Chromium, on one Voila."""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from harness import CHROMIUM_ARGS, VoilaServer, find_chromium  # noqa: E402

BARE = "bench/bare.ipynb"
DEFAULT_TARGET = "notebooks/01-smart-goals.ipynb"
DEFAULT_GOAL = (
    "Maria will apply for 3 warehouse jobs a week for 6 weeks, "
    "using her forklift licence, with help from her sister."
)
INPUT = ".cc-goal-input textarea"

# Installed before any page script runs. Times are the page's own clock (performance.now(): ms
# since navigation start): when the goal input is first visible and enabled, and the last input
# event (the last keystroke that changed the text).
READY_PROBE = """
(() => {
  const cc = (window.__cc = { ready: null, lastInput: null, feedback: null });
  const inputReady = () => {
    const el = document.querySelector(%s);
    return el !== null && !el.disabled && el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== "hidden";
  };
  const observer = new MutationObserver(() => {
    if (cc.ready === null && inputReady()) {
      cc.ready = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener("input", () => { cc.lastInput = performance.now(); }, true);
})();
"""

# Installed once the input is ready, before typing: the first moment the feedback shows a review
# of the whole text. The bare page shows `<span data-bare="1">N</span>`, N the length; the goal
# coach marks its feedback root with data-review-len="N".
FEEDBACK_PROBE = """
([bare, length]) => {
  const cc = window.__cc;
  const seen = bare
    ? () => {
        const span = document.querySelector('.cc-feedback span[data-bare="1"]');
        return span !== null && span.textContent.trim() === String(length);
      }
    : () => document.querySelector(
        `.cc-feedback [data-review-len="${length}"], .cc-feedback[data-review-len="${length}"]`
      ) !== null;
  const observer = new MutationObserver(() => {
    if (cc.feedback === null && seen()) {
      cc.feedback = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, {
    childList: true, subtree: true, attributes: true, characterData: true,
  });
}
"""


def _shown(page) -> str:
    try:
        return page.evaluate("() => document.body ? document.body.innerText.slice(-1500) : ''")
    except Exception:
        return "(page gone)"


def measure(browser, url: str, notebook: str, goal: str, timeout_ms: float,
            selector: str = INPUT, typing: bool = True) -> tuple[float, float | None]:
    """Open one page in a fresh context: (ms to its input ready, ms from last key to feedback)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.add_init_script(READY_PROBE % repr(selector))
        page = context.new_page()
        page.goto(f"{url}voila/render/{notebook}", wait_until="commit", timeout=timeout_ms)
        try:
            page.wait_for_function("() => window.__cc.ready !== null", timeout=timeout_ms)
        except Exception as error:
            raise RuntimeError(f"{notebook}: {selector} never ready; the page shows:\n{_shown(page)}") from error
        ready = page.evaluate("() => window.__cc.ready")
        if not typing:
            return ready, None

        page.evaluate(FEEDBACK_PROBE, [notebook == BARE, len(goal)])
        page.click(INPUT)
        page.keyboard.type(goal, delay=40)
        try:
            page.wait_for_function("() => window.__cc.feedback !== null", timeout=timeout_ms)
        except Exception as error:
            raise RuntimeError(
                f"{notebook}: no feedback on the whole text ({len(goal)} characters) within "
                f"{timeout_ms / 1000:.0f} s; the page shows:\n{_shown(page)}"
            ) from error
        last_input, feedback = page.evaluate("() => [window.__cc.lastInput, window.__cc.feedback]")
        return ready, feedback - last_input
    finally:
        context.close()


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (with 5 rounds, the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def report(results: dict, target: str, rounds: int, chromium: str) -> str:
    """A small table: median and p95 of each measure on each page, and target/bare."""
    lines = [
        f"{rounds} rounds, a fresh browser context per page, preheated kernels, {Path(chromium).name}",
        f"bare = {BARE}, target = {target}",
        "",
        f"{'':<28}{'bare':>19}{'target':>19}{'target/bare':>17}",
        f"{'':<28}{'median':>10}{'p95':>9}{'median':>10}{'p95':>9}{'median':>9}{'p95':>8}",
    ]
    for label, key in (("open -> input ready", "open"), ("last keystroke -> feedback", "feedback")):
        b, t = results["bare"][key], results["target"][key]
        if not t:
            continue
        bm, bp, tm, tp = statistics.median(b), p95(b), statistics.median(t), p95(t)
        lines.append(
            f"{label:<28}{bm:>8.0f}ms{bp:>7.0f}ms{tm:>8.0f}ms{tp:>7.0f}ms"
            f"{tm / bm:>8.2f}x{tp / bp:>7.2f}x"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument(
        "--target", default=DEFAULT_TARGET, help=f"page to compare, from the repository root (default {DEFAULT_TARGET})"
    )
    parser.add_argument("--goal", default=DEFAULT_GOAL, help="the goal typed into each page (ASCII)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each step (default 60)")
    parser.add_argument("--input", default=INPUT,
                        help=f"the target page's input that marks it usable (default {INPUT})")
    parser.add_argument("--open-only", action="store_true",
                        help="time only page open -> input ready (for pages without the goal coach)")
    args = parser.parse_args(argv)
    target = Path(args.target).as_posix()
    if not (REPO / target).is_file():
        parser.error(f"{target} does not exist (paths are relative to the repository root)")
    if not args.goal.isascii():
        parser.error("--goal must be ASCII: the page counts UTF-16 units, Python code points")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    from playwright.sync_api import sync_playwright

    # One Voila over the repository root serves the module page and bench/ side by side. Only these
    # two pages get a preheated kernel; Voila matches its denylist against absolute paths.
    keep = "|".join(re.escape(str(REPO / p)) for p in sorted({BARE, target}))
    server = VoilaServer(
        root=".",
        extra_args=(f"--VoilaKernelManager.preheat_denylist=^(?!({keep})$)",),
        log_name="voila-bench",
    )
    results = {kind: {"open": [], "feedback": []} for kind in ("bare", "target")}
    used: Counter[str] = Counter()
    timeout_ms = args.timeout * 1000
    server.start()
    try:
        with sync_playwright() as playwright:
            chromium = find_chromium(playwright)
            if chromium is None:
                print("error: no Chromium; `make test` installs one", file=sys.stderr)
                return 2
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            for round_ in range(args.rounds + 1):  # round 0 warms Chromium and Voila, not counted
                for kind, notebook in (("bare", BARE), ("target", target)):
                    # Each page starts as a trainee's would: its preheated kernel waiting, nothing
                    # else busy (the refill of the previous page's pool has finished).
                    if not server.wait_for_pools([notebook], timeout=args.timeout, since=used[notebook]):
                        print(f"warning: no preheated kernel for {notebook}", file=sys.stderr)
                    server.wait_until_quiet(timeout=args.timeout)
                    is_target = kind == "target"
                    opened, feedback = measure(
                        browser, server.url, notebook, args.goal, timeout_ms,
                        selector=args.input if is_target else INPUT,
                        typing=not (args.open_only and is_target))
                    used[notebook] += 1
                    label = f"round {round_}" if round_ else "warm-up"
                    shown = "-" if feedback is None else f"{feedback:5.0f} ms"
                    print(f"{label:<8} {kind:<6} open {opened:6.0f} ms  feedback {shown}", file=sys.stderr)
                    if round_:
                        results[kind]["open"].append(opened)
                        if feedback is not None:
                            results[kind]["feedback"].append(feedback)
            browser.close()
    except RuntimeError as error:
        print(f"error: {error}\nVoila's log: {server.log_path}", file=sys.stderr)
        return 1
    finally:
        server.stop()
    print(report(results, target, args.rounds, chromium))
    return 0


if __name__ == "__main__":
    sys.exit(main())
