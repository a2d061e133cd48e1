"""The product as a user installs it: `make serve` in a clean copy, runtime dependencies only, every page in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness import ARTIFACTS, REPO, MakeServe, assert_kernels_on_private_sockets, project_files

pytestmark = pytest.mark.browser

# Each page's main widget: what a user must see before the page is of any use. A new notebook
# needs its entry here (the test fails on a page it does not know).
MAIN_WIDGETS = {
    "00-start-here.ipynb": ".cc-modules",
    "01-smart-goals.ipynb": ".cc-goal-input textarea",
    "02-assessment.ipynb": ".cc-assessment textarea:visible",  # rows fold: one is open
    "03-priorities.ipynb": ".cc-rank-1 select",
    "04-action-plan.ipynb": ".cc-plan-goal textarea",
    "05-workspace.ipynb": ".cc-ws-name input",
    "06-group-exercise.ipynb": ".cc-start-exercise",
    "07-join-exercise.ipynb": ".cc-join-input input",
    "08-first-meeting.ipynb": ".cc-say-input textarea",
    "09-follow-ups.ipynb": ".cc-fu-say textarea",
}
# Packages that only the test extras bring: the served product must not need them.
TEST_ONLY = ("pytest", "nbval", "playwright", "pypdf", "pypdfium2")
BUILD_TIMEOUT = 900.0  # a fresh .venv from the local package mirror: about a minute on 2 cores
PAGE_TIMEOUT = 90.0
CELL_ERROR = "There was an error when executing cell"  # Voila's text when a cell raises


@pytest.fixture(scope="module")
def served():
    """`make serve` on a fresh copy of the project (no .venv): built from the runtime dependencies alone."""
    copy = Path(tempfile.mkdtemp(prefix="casecoach-runtime-"))
    try:
        for name in project_files():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
        ARTIFACTS.mkdir(exist_ok=True)
        server = MakeServe(copy, ARTIFACTS / "runtime-smoke-serve.log")
        try:
            try:
                server.wait_until_answering(BUILD_TIMEOUT)
            except RuntimeError as error:
                pytest.fail(str(error))
            server.wait_for_pools(sorted(MAIN_WIDGETS), timeout=120)
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def test_runtime_environment_has_no_test_extras(served):
    """The .venv that `make serve` built holds none of the packages only the test extras bring."""
    python = served.folder / ".venv" / "bin" / "python"
    found = subprocess.run(
        [str(python), "-c", "import importlib.util as u, sys; print(' '.join(m for m in sys.argv[1:] if u.find_spec(m)))", *TEST_ONLY],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    assert found == []


def test_pages_talk_to_their_kernels_over_private_unix_sockets(served):
    """voila.json's transport ipc reaches `make serve`: each preheated kernel listens on Unix
    sockets in Voila's private folder, not on loopback TCP ports picked free beforehand (one taken
    by another process in between killed a kernel: "Address already in use")."""
    assert_kernels_on_private_sockets(served.proc.pid)


def test_every_page_opens_with_its_widget_and_no_traceback(served, browser, artifacts):
    """The printed address and every notebook answer 200 and show their main widget, and the server logs no traceback."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    notebooks = sorted(p.name for p in (served.folder / "notebooks").glob("*.ipynb"))
    assert sorted(MAIN_WIDGETS) == notebooks, "MAIN_WIDGETS must name every notebook's main widget"
    pages = [("/", served.url, MAIN_WIDGETS["00-start-here.ipynb"])]
    pages += [(name, f"{served.url}voila/render/{name}", MAIN_WIDGETS[name]) for name in notebooks]
    problems = []
    for name, url, widget in pages:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        documents = []  # every page load of this tab, the start page's own redirect included
        page.on("response", lambda r: documents.append(r) if r.request.resource_type == "document" else None)
        try:
            page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
            try:
                page.wait_for_selector(widget, state="visible", timeout=PAGE_TIMEOUT * 1000)
            except PlaywrightTimeout:
                shown = page.evaluate("() => document.body ? document.body.innerText.slice(-1500) : ''")
                problems.append(f"{name}: no {widget!r} within {PAGE_TIMEOUT:.0f} s; the page shows:\n{shown}")
                continue
            statuses = [(r.url.removeprefix(served.url), r.status) for r in documents]
            if not statuses or any(status != 200 for _, status in statuses):
                problems.append(f"{name}: HTTP {statuses}")
            text = page.evaluate("() => document.body.innerText")
            if CELL_ERROR in text:
                problems.append(f"{name}: a cell raised: {text[text.index(CELL_ERROR):][:500]}")
            shot = name.removesuffix(".ipynb").strip("/") or "root"
            page.screenshot(path=artifacts / f"runtime-smoke-{shot}.png")
        finally:
            context.close()
    log = served.log()
    tracebacks = [m.start() for m in re.finditer(r"Traceback \(most recent call last\)", log)]
    errors = re.findall(r"^.*\b(?:500|404) (?:GET|POST) .*$", log, re.M)
    for at in tracebacks[:3]:
        problems.append("server log: " + log[max(0, at - 300):at + 2500])
    problems += [f"server log: {line}" for line in errors]
    assert problems == [], "\n\n".join(problems)

