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


def test_every_page_of_a_voila_whose_data_folder_is_read_only_says_so_once(page, tmp_path,
                                                                          monkeypatch):
    """A real Voila whose data folder cannot be written: the start page, the workspace, the
    supervisor's page and the join page each show one notice naming the folder and what to do;
    the start page does not claim "not started", the progress table says why it is missing, and
    Join says why it did nothing."""
    import subprocess

    from playwright.sync_api import expect

    folder = tmp_path / "data"
    folder.mkdir()
    if os.geteuid() == 0:   # root ignores modes: a read-only bind mount is the real thing
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
    else:
        folder.chmod(0o500)
    monkeypatch.setenv("CASECOACH_DATA", str(folder))
    monkeypatch.delenv("CASECOACH_DB_URL", raising=False)
    server = VoilaServer(root="notebooks/", log_name="voila-read-only",
                         extra_args=("--VoilaConfiguration.preheat_kernel=False",))
    server.start()
    try:
        for name, check in (("00-start-here", ".cc-start-modules"), ("05-workspace", ".cc-ws-message"),
                            ("06-group-exercise", ".cc-progress-table"),
                            ("07-join-exercise", ".cc-join")):
            page.goto(f"{server.url}voila/render/{name}.ipynb?trainee=ro-test", wait_until="commit",
                      timeout=90_000)
            notice = page.locator(".cc-store-problem")
            expect(notice).to_have_count(1, timeout=90_000)
            expect(notice).to_contain_text(str(folder))
            expect(notice).to_contain_text("writable")
            expect(page.locator(check).first).to_be_attached(timeout=30_000)
            if name == "00-start-here":
                expect(page.locator(".cc-start-modules")).to_contain_text("progress not shown")
                expect(page.locator(".cc-start-modules")).not_to_contain_text("not started")
            elif name == "05-workspace":
                expect(page.locator(".cc-ws-message")).to_contain_text("cannot be listed")
            elif name == "06-group-exercise":
                expect(page.locator(".cc-progress-table")).to_contain_text("cannot be shown")
            else:
                page.locator(".cc-join-input input").fill("ABCDE")
                page.locator(".cc-join").click()
                expect(page.locator(".cc-exercise-message")).to_contain_text("Could not join")
    finally:
        server.stop()
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o700)
