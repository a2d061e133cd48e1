"""The browser harness itself: Voila serves notebooks/ on loopback and Chromium drives it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from harness import REPO

pytestmark = pytest.mark.browser

START_PAGE = "00-start-here"
LOCAL_SCHEMES = {"data", "blob", "about"}  # resolved inside the browser, never on a network


def _outside_loopback(urls: list[str]) -> list[str]:
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in LOCAL_SCHEMES
        and urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}
    ]


def _record_requests(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda socket: urls.append(socket.url))
    return urls


def _served_notebooks() -> list[str]:
    return sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def test_tree_page_lists_notebooks(page, voila_url, artifacts):
    """Voila's file list (at /voila/tree; "/" opens the start page) lists every notebook and asks nothing of the internet."""
    from playwright.sync_api import expect

    urls = _record_requests(page)
    page.goto(f"{voila_url}voila/tree")
    page.wait_for_selector(".jp-DirListing-content", state="attached")
    names = _served_notebooks()
    for name in names:
        expect(page.locator(".jp-DirListing-itemText", has_text=name)).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / "tree.png")
    assert names, "notebooks/ has no notebook"
    assert _outside_loopback(urls) == []


def test_start_page_makes_no_request_outside_loopback(page, open_notebook):
    """Loading the start page requests nothing outside 127.0.0.1: no CDN, no font, no telemetry."""
    urls = _record_requests(page)
    open_notebook(page, START_PAGE)
    page.wait_for_load_state("networkidle")
    assert urls, "the page made no request at all: the recorder is broken"
    assert _outside_loopback(urls) == []
