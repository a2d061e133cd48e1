"""What `make serve` gives a user in the browser: the printed address opens the start page, and closed pages free their kernels."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from harness import count_kernels

pytestmark = pytest.mark.browser

START = "voila/render/00-start-here.ipynb"
PAGE = "03-priorities.ipynb"  # a light module page
PAGE_WIDGET = ".cc-rank-1 select"
GONE_WITHIN = 10.0  # seconds: a kernel shutdown takes about 3 s on 2 busy cores


def _kernel_alive(base_url: str, kernel_id: str) -> bool:
    """Whether Voila still has this kernel (its REST API answers 200, or 404 once it is gone)."""
    try:
        with urllib.request.urlopen(f"{base_url}api/kernels/{kernel_id}", timeout=5) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _kernel_of(page) -> str:
    """The id of the kernel the open Voila page is connected to."""
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def _fresh_page(browser):
    """A page in a new browser context: no cookie, as a bookmark opened in a fresh browser."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    return context, context.new_page()


def test_printed_address_opens_the_start_page_with_its_query(page, voila_url):
    """The root address shows 00-start-here (not Voila's file list) and keeps the query string
    (with this browser's id added once the page knows it, visit.js)."""
    from playwright.sync_api import expect

    page.goto(f"{voila_url}?trainee=Sam%20Lee&cohort=C1")
    page.wait_for_selector(".cc-modules", state="visible", timeout=90_000)
    browser_id = page.locator(".cc-nav").get_attribute("data-browser")
    expect(page).to_have_url(f"{voila_url}{START}?trainee=Sam+Lee&cohort=C1&browser={browser_id}")
    # Opened again in this browser, the root carries its id on to the start page: one load of
    # the start page, not a second one to add the id.
    documents = []
    page.on("response", lambda r: documents.append(r.url)
            if r.request.resource_type == "document" else None)
    page.goto(f"{voila_url}?trainee=Sam%20Lee")
    page.wait_for_selector(".cc-modules", state="visible", timeout=90_000)
    assert page.url == f"{voila_url}{START}?trainee=Sam+Lee&browser={browser_id}"
    assert [u for u in documents if START in u] == [page.url]
    assert page.locator(".jp-DirListing-content").count() == 0


def test_module_links_open_in_the_same_tab(page, open_notebook, voila_url):
    """Links to modules on the start page have no target, and following one stays in the same tab."""
    open_notebook(page, "00-start-here", wait_for=".cc-modules a", timeout=120)
    targets = page.evaluate(
        "() => [...document.querySelectorAll('#rendered_cells a[href*=\".ipynb\"]')]"
        ".map(a => [a.getAttribute('href'), a.getAttribute('target')])"
    )
    assert targets, "the start page links to no module"
    assert [href for href, target in targets if target not in (None, "", "_self")] == []
    pages_before = len(page.context.pages)
    first = page.locator(".cc-modules a").first
    module = first.get_attribute("href").split(".ipynb")[0].rsplit("/", 1)[-1]
    first.click()
    page.wait_for_url(f"{voila_url}voila/render/{module}.ipynb*", timeout=30_000)
    assert len(page.context.pages) == pages_before


def test_a_closed_page_frees_its_kernel_within_seconds(browser, voila_server):
    """A page opened straight from its address, then closed, has its kernel shut down within seconds; the pool refills."""
    url = voila_server.url
    voila_server.wait_for_pools([PAGE], timeout=60)
    pooled_fills = voila_server.filled_pools().count(PAGE)
    log_from = len(voila_server.log_text())
    context, page = _fresh_page(browser)
    try:
        page.goto(f"{url}voila/render/{PAGE}", wait_until="commit", timeout=90_000)
        page.wait_for_selector(PAGE_WIDGET, state="visible", timeout=90_000)
        kernel = _kernel_of(page)
        assert _kernel_alive(url, kernel)
        # The page took the pooled kernel; wait for the pool to start its replacement, so the count
        # after closing compares like with like.
        assert voila_server.wait_for_pools([PAGE], timeout=90, since=pooled_fills)
        voila_server.wait_until_quiet(timeout=30)
        with_page = count_kernels(voila_server.proc.pid)
        # Voila's own listener sends the shutdown; only the cookie it needs comes from our template.
        assert _wait(lambda: "_xsrf" in {c["name"] for c in context.cookies()}, 10)
        page.close(run_before_unload=True)
        assert _wait(lambda: not _kernel_alive(url, kernel), GONE_WITHIN), "the closed page's kernel is still running"
        # One kernel fewer than with the page open: the refilled pool's stays, the page's is gone. (At
        # most: other tests' closed contexts may leave kernels that the idle cull ends meanwhile.)
        assert _wait(lambda: count_kernels(voila_server.proc.pid) <= with_page - 1, GONE_WITHIN)
    finally:
        context.close()
    assert "'_xsrf' argument missing" not in voila_server.log_text()[log_from:]


def test_staying_on_a_page_that_asks_before_leaving_keeps_its_kernel(browser, voila_server):
    """When a page asks before it is left and the user stays, its kernel keeps running; leaving after all frees it."""
    url = voila_server.url
    context, page = _fresh_page(browser)
    try:
        page.goto(f"{url}voila/render/{PAGE}", wait_until="commit", timeout=90_000)
        page.wait_for_selector(PAGE_WIDGET, state="visible", timeout=90_000)
        kernel = _kernel_of(page)
        assert _wait(lambda: "_xsrf" in {c["name"] for c in context.cookies()}, 10)
        # What unsaved.js does while work is unsaved; Chromium asks only after a user gesture.
        page.evaluate("() => window.addEventListener('beforeunload', e => { if (window.__ccAsk) { e.preventDefault(); e.returnValue = ''; } })")
        page.evaluate("() => { window.__ccAsk = true; }")
        page.mouse.click(5, 5)
        with page.expect_event("dialog", timeout=10_000) as asked:
            page.close(run_before_unload=True)
        assert asked.value.type == "beforeunload"
        asked.value.dismiss()  # the user stays
        time.sleep(3)  # longer than a shutdown takes
        assert not page.is_closed()
        assert _kernel_alive(url, kernel), "staying on the page shut its kernel down"
        page.evaluate("() => { window.__ccAsk = false; }")
        page.close(run_before_unload=True)
        assert _wait(lambda: not _kernel_alive(url, kernel), GONE_WITHIN), "the page was left but its kernel runs"
    finally:
        context.close()
