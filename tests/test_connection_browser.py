"""A page whose Voila is killed under it says so, keeps the trainee's text, and after the server is
back reloads with that text put back into the new kernel (issue 11; the template's connection.js).
"""

from __future__ import annotations

import os
import signal
import uuid

import pytest

from casecoach import identity
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


def test_a_join_page_whose_voila_is_killed_says_so_keeps_the_revision_and_sends_it_after(
        page, artifacts):
    """The issue's case: a trainee submits, Voila is killed (SIGKILL, kernels and all), the
    trainee revises. The page says the connection is lost and keeps the revision in its box, with
    no stale "Submitted."; Voila is started again on the same port: the banner says to reload, its
    button reloads the page with the revision put back, and submitting stores it as revision 2."""
    from playwright.sync_api import expect

    from casecoach import exercises

    trainee = f"killed-{uuid.uuid4().hex[:8]}"
    default_store.cache_clear()
    store = Store.open()
    exercise = exercises.create(store, "marcus-art", "rg-housing", "sup")
    # Its own Voila (the session's stays up), without preheated pools: one page, one kernel.
    first = VoilaServer(root="notebooks/", log_name="voila-killed",
                        extra_args=("--VoilaConfiguration.preheat_kernel=False",))
    first.start()
    second = None
    try:
        url = (f"{first.url}voila/render/07-join-exercise.ipynb?trainee={trainee}"
               f"&code={exercise.code}")
        page.goto(url, wait_until="commit", timeout=90_000)
        box = page.locator(INPUT).first
        expect(box).to_be_visible(timeout=90_000)   # joined from the link's code
        box.fill(TEXT)
        page.locator(".cc-submit").click()
        message = page.locator(".cc-exercise-message")
        expect(message).to_contain_text("Submitted.", timeout=30_000)

        _kill(first)
        banner = page.locator("#cc-connection")
        expect(banner).to_be_visible(timeout=30_000)
        expect(banner).to_have_attribute("role", "alert")
        expect(banner).to_contain_text("connection to the casecoach server was lost")
        revised = TEXT + " She checks in with him each Friday."
        box.fill(revised)                  # typing still works on screen
        expect(box).to_have_value(revised)
        page.screenshot(path=artifacts / "connection-lost.png", full_page=False)

        second = VoilaServer(root="notebooks/", log_name="voila-restarted", port=first.port,
                             extra_args=("--VoilaConfiguration.preheat_kernel=False",))
        second.start()
        expect(banner).to_have_attribute("data-state", "back", timeout=30_000)
        expect(banner).to_contain_text("Reload it to go on")
        page.locator(".cc-connection-reload").click()

        box = page.locator(INPUT).first
        expect(box).to_have_value(revised, timeout=90_000)
        expect(page.locator("#cc-connection")).to_have_count(0)
        expect(message).to_contain_text("Joined exercise")   # not an old "Submitted."
        page.locator(".cc-submit").click()
        expect(message).to_contain_text("Revision 2 submitted.", timeout=30_000)
        rows = store.submissions_for(exercise.id)
        # One person (the name with this browser's id, kept across the reload), two revisions.
        assert [(identity.name_of(r["trainee"]), r["revision"], r["text"]) for r in rows] == [
            (trainee, 2, revised)]
        assert identity.is_browser_owner(rows[0]["trainee"])
    finally:
        store.engine.dispose()
        if first.proc is not None and first.proc.poll() is None:
            first.stop()
        if second is not None:
            second.stop()


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
        for name, check in (("00-start-here", ".cc-start-modules"),
                            ("05-workspace", ".cc-ws-message"),
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


def test_a_page_whose_kernel_dies_under_a_running_server_says_so_and_keeps_the_text(page):
    """SIGKILL the page's kernel while Voila runs on (the server starts an empty one in its
    place): the page says its session ended, the rewrite stays in its box, and the banner's
    reload brings the page back with the rewrite in it."""
    from pathlib import Path

    from playwright.sync_api import expect

    from harness import _children

    server = VoilaServer(root="notebooks/", log_name="voila-kernel-killed",
                         extra_args=("--VoilaConfiguration.preheat_kernel=False",))
    server.start()
    try:
        trainee = f"kernel-{uuid.uuid4().hex[:6]}"
        page.goto(f"{server.url}voila/render/01-smart-goals.ipynb?trainee={trainee}",
                  wait_until="commit", timeout=90_000)
        box = page.locator(INPUT).first
        expect(box).to_be_visible(timeout=90_000)
        box.fill(TEXT)
        page.wait_for_selector(f'.cc-feedback [data-review-len="{len(TEXT)}"]', timeout=30_000)
        kernels = [pid for pid in _children(server.proc.pid)
                   if b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(kernels) == 1, kernels
        os.kill(kernels[0], signal.SIGKILL)

        banner = page.locator("#cc-connection")
        expect(banner).to_have_attribute("data-state", "kernel", timeout=60_000)
        expect(banner).to_contain_text("session on the server has ended")
        expect(box).to_have_value(TEXT)
        page.locator(".cc-connection-reload").click()
        expect(page.locator(INPUT).first).to_have_value(TEXT, timeout=90_000)
        expect(page.locator("#cc-connection")).to_have_count(0)
    finally:
        server.stop()
