"""Browser harness: a real Voila over notebooks/, headless Chromium through Playwright."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

# Drafts saved by tests (and by the Voila and nbval kernels they start, which inherit this) go to a
# throwaway folder, never to the project's data/.
os.environ.setdefault("CASECOACH_DATA", tempfile.mkdtemp(prefix="casecoach-test-data-"))

from harness import ARTIFACTS, CHROMIUM_ARGS, CHROMIUM_CANDIDATES, REPO, VoilaServer, find_chromium

BROWSER_FIXTURES = {"browser", "page", "open_notebook"}


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _no_browser(reason: str):
    """Skip a browser test on a developer's machine; fail it under CI, where a skip would hide it."""
    if _under_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run; `make test` installs Chromium)")
    pytest.skip(f"{reason}; browser tests skipped (`make test` installs Chromium)")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items):
    """Tests that use the browser fixtures are `browser` tests even if their author forgot the marker."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The artifacts/ folder at the repository root (gitignored), for screenshots and logs."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def voila_server():
    """A running `voila notebooks/` with the settings of `make serve`; stopped with its kernels."""
    # CASECOACH_TEST_VOILA_PORT pins the port (e.g. a range set aside on a shared machine).
    port = int(os.environ["CASECOACH_TEST_VOILA_PORT"]) if os.environ.get(
        "CASECOACH_TEST_VOILA_PORT") else None
    server = VoilaServer(root="notebooks/", log_name="voila-tests", port=port)
    server.start()
    # Let the preheated pools start before the first page, so the first test does not race
    # a kernel start per notebook on two cores.
    notebooks = [
        str(p.relative_to(REPO / "notebooks"))
        for p in sorted((REPO / "notebooks").rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in p.parts
    ]
    server.wait_for_pools(notebooks, timeout=60)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_url(voila_server) -> str:
    """Base URL of the session's Voila, e.g. http://127.0.0.1:PORT/ (serves notebooks/)."""
    return voila_server.url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright's sync API, shared by the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("Playwright is not installed")
    playwright = sync_playwright().start()
    try:
        executable = find_chromium(playwright)
        if executable is None:
            _no_browser(
                "no Chromium found (looked for "
                + ", ".join(CHROMIUM_CANDIDATES)
                + " and Playwright's own)"
            )
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser):
    """A page in a fresh browser context with a 1280x800 viewport."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def notebook_url(voila_url: str, name: str) -> str:
    """The render URL of a notebook under notebooks/, with or without its .ipynb suffix."""
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    return f"{voila_url}voila/render/{name}"


def _open_notebook(page, voila_url: str, name: str, wait_for: str | None, timeout: float):
    """Open notebooks/<name> and wait until Voila has rendered it and `wait_for` is visible.

    Rendered means Voila's spinner is gone and its cells are shown; widgets appear a moment later,
    once the page has connected to its kernel, so pass a selector for what the test needs (for
    example ".cc-goal-input textarea"). Returns the page. On timeout, the error carries the text
    the page was showing (Voila's progress line or an error message).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ms = timeout * 1000
    page.goto(notebook_url(voila_url, name), wait_until="commit", timeout=ms)
    try:
        page.wait_for_selector("#rendered_cells", state="visible", timeout=ms)
        page.wait_for_selector("#loading", state="detached", timeout=ms)
        if wait_for:
            page.wait_for_selector(wait_for, state="visible", timeout=ms)
    except PlaywrightTimeout as error:
        shown = page.evaluate("() => document.body ? document.body.innerText.slice(-2000) : ''")
        raise AssertionError(
            f"{name}: not ready within {timeout:.0f} s"
            + (f" (waiting for {wait_for!r})" if wait_for else "")
            + f"; the page shows:\n{shown}"
        ) from error
    return page


@pytest.fixture
def open_notebook(voila_url):
    """open_notebook(page, name, wait_for=None, timeout=60): open a notebook once it is rendered.

    Example: `open_notebook(page, "01-smart-goals", wait_for=".cc-goal-input textarea")`.
    """

    def _open(page, name: str, wait_for: str | None = None, timeout: float = 60.0):
        return _open_notebook(page, voila_url, name, wait_for, timeout)

    return _open


@pytest.fixture(autouse=True)
def _forget_the_page_visit():
    """A page's visit (widgets.page) is per kernel; in one test process it must not leak from a
    test that read one (as a Hub user's server, or with a query) into the next."""
    yield
    page = sys.modules.get("widgets.page")
    if page is not None:
        page._VISIT.clear()
        page._QUERY.clear()
