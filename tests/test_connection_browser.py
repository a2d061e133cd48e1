"""A page whose Voila is killed under it says so, keeps the trainee's text, and after the server is
back reloads with that text put back into the new kernel (issue 11; the template's connection.js).
"""

from __future__ import annotations

import os
import signal
import uuid

import pytest

from casecoach.store import Store, default_store
from harness import VoilaServer

pytestmark = pytest.mark.browser

INPUT = ".cc-goal-input textarea"
TEXT = ("Within 4 weeks, Marcus will apply to 3 fair-chance housing programs with support from "
        "his sister Denise.")


def _kill(server: VoilaServer) -> None:
    """SIGKILL Voila and its kernels at once, as a crash or an `kill -9` would."""
    os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait(30)


def test_a_page_whose_voila_is_killed_says_so_keeps_the_text_and_puts_it_back_after_a_reload(
        page, artifacts):
    """Kill the real Voila under an open page: a banner says the connection is lost, the typed
    rewrite stays in its box; start Voila again on the same port: the banner says to reload, and
    its button reloads the page with the rewrite put back and saved by the new kernel."""
    from playwright.sync_api import expect

    trainee = f"killed-{uuid.uuid4().hex[:8]}"
    # Its own Voila (the session's stays up), without preheated pools: one page, one kernel.
    first = VoilaServer(root="notebooks/", log_name="voila-killed",
                        extra_args=("--VoilaConfiguration.preheat_kernel=False",))
    first.start()
    second = None
    try:
        url = f"{first.url}voila/render/01-smart-goals.ipynb?trainee={trainee}"
        page.goto(url, wait_until="commit", timeout=90_000)
        expect(page.locator(".cc-header")).to_contain_text(trainee, timeout=90_000)
        box = page.locator(INPUT).first
        box.fill(TEXT)
        page.wait_for_selector(f'.cc-feedback [data-review-len="{len(TEXT)}"]', timeout=30_000)

        _kill(first)
        banner = page.locator("#cc-connection")
        expect(banner).to_be_visible(timeout=30_000)
        expect(banner).to_have_attribute("role", "alert")
        expect(banner).to_contain_text("connection to the casecoach server was lost")
        expect(box).to_have_value(TEXT)
        box.fill(TEXT + " Revised while the server was down.")   # typing still works on screen
        page.screenshot(path=artifacts / "connection-lost.png", full_page=False)

        second = VoilaServer(root="notebooks/", log_name="voila-restarted", port=first.port,
                             extra_args=("--VoilaConfiguration.preheat_kernel=False",))
        second.start()
        expect(banner).to_have_attribute("data-state", "back", timeout=30_000)
        expect(banner).to_contain_text("Reload it to go on")
        page.locator(".cc-connection-reload").click()

        expect(page.locator(".cc-header")).to_contain_text(trainee, timeout=90_000)
        revised = TEXT + " Revised while the server was down."
        expect(page.locator(INPUT).first).to_have_value(revised, timeout=30_000)
        expect(page.locator("#cc-connection")).to_have_count(0)
        # The new kernel has it: the goal coach saved it as the trainee's draft.
        default_store.cache_clear()
        store = Store.open()
        try:
            import time

            deadline = time.monotonic() + 20
            while True:
                drafts = [store.load_draft(trainee, kind, item) for kind, item in
                          _draft_keys(store, trainee)]
                if any(revised in str(d) for d in drafts) or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert any(revised in str(d) for d in drafts), drafts
        finally:
            store.engine.dispose()
    finally:
        if first.proc is not None and first.proc.poll() is None:
            first.stop()
        if second is not None:
            second.stop()


def _draft_keys(store: Store, owner: str) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from casecoach.store import drafts

    with store.engine.connect() as conn:
        return [(r.kind, r.item) for r in conn.execute(
            select(drafts.c.kind, drafts.c.item).where(drafts.c.owner == owner))]
