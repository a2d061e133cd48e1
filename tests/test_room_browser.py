"""Room mode in a real JupyterHub: a supervisor and two trainees log in in Chromium and run an exercise."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest

from conftest import _no_browser
from hub_harness import RoomHub, hub_missing, log_in, sign_up

pytestmark = pytest.mark.browser

SUPERVISOR, ANA, BEN = "sup", "ana", "ben"
GOAL = "Marcus: Parolee must find suitable housing."
# Ana's rewrite starts like a spreadsheet formula: the export must neutralise it.
ANA_TEXT = ("=HYPERLINK(\"http://attacker.example\",\"x\") Within 4 weeks, Marcus will apply to 3 "
            "fair-chance housing programs with his sister Denise.")
BEN_TEXT = "Within 3 weeks, Marcus will view 2 rooms with help from his sister Denise."
BEN_DRAFT = "Ben's private draft: Marcus will call 2 landlords by Friday."
PAGE_TIMEOUT = 180_000  # ms: the room's server starts with the Hub; two busy cores
ROOM_SERVER = "services/casecoach/"  # everyone's pages: the Hub's service (room/service)


@pytest.fixture(scope="module")
def room():
    """A running room: room/jupyterhub_config.py on free loopback ports, supervisor 'sup'."""
    missing = hub_missing()
    if missing:
        _no_browser(missing)
    hub = RoomHub(supervisors=(SUPERVISOR,), log_name="room-hub-test")
    hub.start()
    yield hub
    hub.stop()


def _voila(hub: RoomHub, page: str, query: str = "") -> str:
    return f"{hub.url}{ROOM_SERVER}voila/render/{page}.ipynb" + (f"?{query}" if query else "")


def _wait_for_log(hub: RoomHub, text: str, count: int = 1, timeout: float = 180.0) -> None:
    """Until the room's log (the Hub's, with its server's) has `text` `count` times."""
    import time

    deadline = time.monotonic() + timeout
    while hub.log_path.read_text(errors="replace").count(text) < count:
        assert time.monotonic() < deadline, f"{text!r} not {count} times in {hub.log_path}"
        time.sleep(0.5)


def test_room_logins_exercise_wall_and_privacy(browser, room, artifacts):
    """Three people sign up and log in; the supervisor approves the trainees, runs an exercise and
    sees both answers on the wall under their logins; a trainee is refused the supervisor's page
    and the workspace, cannot reach the other's drafts by changing the address or forging the
    login header, nor another's personal server; the CSV
    export neutralises a formula."""
    from playwright.sync_api import expect

    # The room's server started with the Hub and readied its pools before anyone came.
    _wait_for_log(room, "Kernel pool of 07-join-exercise.ipynb is filled")
    contexts = {name: browser.new_context(viewport={"width": 1280, "height": 800})
                for name in (SUPERVISOR, ANA, BEN)}
    try:
        pages = {name: context.new_page() for name, context in contexts.items()}
        sup, ana, ben = pages[SUPERVISOR], pages[ANA], pages[BEN]

        # Accounts: everyone signs up; only the supervisor may log in before approval.
        for name, page in pages.items():
            sign_up(page, room.url, name)
        ana.screenshot(path=artifacts / "room-signup.png")
        log_in(ana, room.url, ANA)
        expect(ana.locator("body")).to_contain_text("has not been authorized",
                                                    timeout=15_000)
        ana.screenshot(path=artifacts / "room-login-refused.png")

        log_in(sup, room.url, SUPERVISOR)
        sup.wait_for_url(re.compile(re.escape(ROOM_SERVER)), timeout=PAGE_TIMEOUT)
        sup.goto(f"{room.url}hub/authorize")
        for name in (ANA, BEN):
            sup.locator(f"a[href$='authorize/{name}']").click()
            sup.wait_for_load_state()
        sup.screenshot(path=artifacts / "room-authorize.png")

        for name in (ANA, BEN):
            log_in(pages[name], room.url, name)
        for name in (ANA, BEN):
            page = pages[name]
            page.wait_for_selector(".cc-start-modules", timeout=PAGE_TIMEOUT)
            expect(page.locator(".cc-nav-name")).to_have_attribute("data-trainee", name)
            expect(page.locator(".cc-start-name input")).to_be_disabled()
        ana.screenshot(path=artifacts / "room-start-page.png")

        # Ben keeps a draft in the SMART goals module; it is his alone.
        ben.goto(_voila(room, "01-smart-goals"))
        box = ben.locator(".cc-goal-input textarea").first
        box.wait_for(timeout=PAGE_TIMEOUT)
        box.fill(BEN_DRAFT)
        box.press("Tab")

        # The supervisor starts an exercise.
        sup.goto(_voila(room, "06-group-exercise"))
        sup.wait_for_selector(".cc-start-exercise", timeout=PAGE_TIMEOUT)
        sup.locator(".cc-exercise-item select").select_option(label=GOAL)
        sup.locator(".cc-start-exercise").click()
        code_box = sup.locator(".cc-code")
        expect(code_box).to_have_attribute("data-state", "open", timeout=30_000)
        code = code_box.get_attribute("data-code")

        # Ana tries to join as Ben by the address; she is Ana all the same.
        for name, text, query in ((ANA, ANA_TEXT, f"trainee={BEN}&code={code}"),
                                  (BEN, BEN_TEXT, f"code={code}")):
            page = pages[name]
            page.goto(_voila(room, "07-join-exercise", query))
            page.wait_for_selector(".cc-goal-input textarea", timeout=PAGE_TIMEOUT)
            expect(page.locator(".cc-trainee-name input")).to_have_value(name)
            page.locator(".cc-goal-input textarea").fill(text)
            page.locator(".cc-submit").click()
            expect(page.locator(".cc-exercise-message")).to_contain_text("Submitted",
                                                                         timeout=30_000)
        ana.screenshot(path=artifacts / "room-trainee-submitted.png")
        # Both join pages were ready ones, each serving the login of the request that took it.
        _wait_for_log(room, "for 07-join-exercise.ipynb", count=2)

        wall = sup.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "2", timeout=30_000)
        expect(wall).not_to_contain_text(ANA)
        sup.locator(".cc-show-names").click()
        expect(wall.locator(f'.cc-card[data-trainee="{ANA}"]')).to_have_count(1, timeout=15_000)
        expect(wall.locator(f'.cc-card[data-trainee="{BEN}"]')).to_have_count(1)
        sup.screenshot(path=artifacts / "room-wall.png")

        sup.locator(".cc-export-csv").click()
        link = sup.locator(".cc-download a")
        expect(link).to_have_count(1, timeout=15_000)
        data = link.get_attribute("href").split("base64,", 1)[1]
        rows = list(csv.DictReader(io.StringIO(base64.b64decode(data).decode("utf-8"))))
        by_name = {row["trainee"]: row for row in rows}
        assert set(by_name) == {ANA, BEN}
        assert by_name[ANA]["rewrite"] == "'" + ANA_TEXT
        assert by_name[BEN]["rewrite"] == BEN_TEXT
        assert {row["exercise"] for row in rows} == {code}

        # A trainee on the supervisor's page and the workspace: refused, nothing shown.
        ana.goto(_voila(room, "06-group-exercise"))
        expect(ana.locator(".cc-room-refused")).to_contain_text("for supervisors",
                                                                timeout=PAGE_TIMEOUT)
        expect(ana.locator(".cc-start-exercise")).to_have_count(0)
        expect(ana.locator(".cc-progress-table")).to_have_count(0)
        ana.screenshot(path=artifacts / "room-trainee-refused.png")
        ana.goto(_voila(room, "05-workspace"))
        expect(ana.locator(".cc-room-refused")).to_contain_text("workspace is off",
                                                                timeout=PAGE_TIMEOUT)
        expect(ana.locator(".cc-ws-saved")).to_have_count(0)

        # Ben's draft, by the address: the room's server still serves Ana as Ana.
        ana.goto(_voila(room, "01-smart-goals", f"trainee={BEN}"))
        ana.locator(".cc-goal-input textarea").first.wait_for(timeout=PAGE_TIMEOUT)
        expect(ana.locator(".cc-nav-name")).to_have_attribute("data-trainee", ANA)
        expect(ana.locator(".cc-goal-input textarea").first).not_to_have_value(BEN_DRAFT)
        assert BEN_DRAFT not in ana.content()
        ana.screenshot(path=artifacts / "room-other-draft-refused.png")
        # ... nor by sending the header the room's proxy puts the login in, claiming Ben's
        # login and the supervisors' group: the proxy drops it and passes on her own.
        forged = ('{"kind": "user", "name": "%s", "admin": true, "groups": ["supervisors"]}'
                  % BEN)
        ana.set_extra_http_headers({"X-CDSDASHBOARDS-JH-USER": forged})
        ana.goto(_voila(room, "01-smart-goals"))
        ana.locator(".cc-goal-input textarea").first.wait_for(timeout=PAGE_TIMEOUT)
        expect(ana.locator(".cc-nav-name")).to_have_attribute("data-trainee", ANA)
        expect(ana.locator(".cc-goal-input textarea").first).not_to_have_value(BEN_DRAFT)
        ana.goto(_voila(room, "06-group-exercise"))
        expect(ana.locator(".cc-room-refused")).to_contain_text("for supervisors",
                                                                timeout=PAGE_TIMEOUT)
        ana.set_extra_http_headers({})
        # Personal servers of others (the Hub's /user/NAME/) refuse her.
        for path in (f"user/{BEN}/voila/render/05-workspace.ipynb", f"user/{SUPERVISOR}/",
                     f"user/{SUPERVISOR}/voila/render/06-group-exercise.ipynb"):
            answer = ana.goto(f"{room.url}{path}")
            ana.wait_for_load_state()
            assert answer.status in (403, 404) or "403" in ana.content(), path
            expect(ana.locator(".cc-start-exercise, .cc-ws-saved")).to_have_count(0)
        # Someone not logged in gets the login page, not a page of the room's server.
        stranger = browser.new_context()
        try:
            lost = stranger.new_page()
            lost.goto(_voila(room, "06-group-exercise"))
            lost.wait_for_load_state()
            assert "/hub/login" in lost.url
            expect(lost.locator(".cc-start-exercise")).to_have_count(0)
        finally:
            stranger.close()

        # Ben's draft is still his.
        ben.goto(_voila(room, "01-smart-goals"))
        expect(ben.locator(".cc-goal-input textarea").first).to_have_value(
            BEN_DRAFT, timeout=PAGE_TIMEOUT)
    finally:
        for context in contexts.values():
            context.close()
