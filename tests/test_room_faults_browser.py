"""Faults in a real room: the Hub or the room's casecoach server is killed mid-exercise (issue 10, item 5).

A real JupyterHub (room/jupyterhub_config.py), real Chromium: nothing stored is lost, open pages
keep their text and say what happened, and the room comes back the way a supervisor restarts it.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from conftest import _no_browser
from harness import _children
from hub_harness import RoomHub, hub_missing, log_in, sign_up

pytestmark = pytest.mark.browser

SUPERVISOR, ANA = "sup", "ana"
GOAL = "Marcus: Parolee must find suitable housing."
FIRST = "Within 4 weeks, Marcus will apply to 3 fair-chance housing programs with Denise."
PAGE_TIMEOUT = 180_000  # ms: a page's kernel on two busy cores
BACK_TIMEOUT = 180_000  # ms: the Hub notices a dead service within ~33 s, then it starts
ROOM_SERVER = "services/casecoach/"
INPUT = ".cc-goal-input textarea"


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a running process, or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else (int(fields[1]), int(fields[19]))


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class FaultyRoom(RoomHub):
    """A RoomHub that can be killed as a crash would (SIGKILL, the Hub only) and started again
    the way `make serve-room` starts it (same room folder, ports and store); at the end every
    process it ever started is stopped, the orphans of a killed Hub included."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seen: dict[int, int] = {}  # pid -> start time of everything the room ran

    @property
    def room_dir(self) -> Path:
        return Path(self.env["CASECOACH_ROOM_DIR"])

    def remember(self) -> None:
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            found = _stat(pid)
            if found:
                self.seen[pid] = found[1]

    def server(self) -> list[int]:
        """The room's casecoach server now: its proxy (room/service), Voila, the pages' kernels."""
        for pid in _children(self.proc.pid):
            if b"native_proxy.py" in _cmdline(pid) and b"--forward-user-info" in _cmdline(pid):
                return [pid, *_children(pid)]
        return []

    def wait_for_server(self, timeout: float = 120.0) -> list[int]:
        """The room's server once its proxy runs (room/service execs it after replace_previous)."""
        deadline = time.monotonic() + timeout
        while not (found := self.server()):
            assert time.monotonic() < deadline, "the Hub runs no room server"
            time.sleep(0.5)
        return found

    def culler(self) -> int:
        """The pid of the idle culler the Hub runs now (room/idle-culler)."""
        found = [pid for pid in _children(self.proc.pid)
                 if b"jupyterhub_idle_culler" in _cmdline(pid)]
        assert len(found) == 1, found
        return found[0]

    def proxy_pid(self) -> int:
        return int((self.room_dir / "jupyterhub-proxy.pid").read_text())

    def kill_hub(self) -> None:
        self.remember()
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)

    def start_again(self, timeout: float = 120.0) -> str:
        """`make serve-room` once more; the killed Hub's log is kept beside the new one."""
        self._log.close()
        self.log_path.replace(self.log_path.with_name(self.log_path.stem + "-killed.log"))
        return self.start(timeout)

    def running(self, pid: int) -> bool:
        found = _stat(pid)
        return found is not None and found[1] == self.seen.get(pid, found[1])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.remember()
        super().stop()
        for pid in self.seen:
            if self.running(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


@pytest.fixture(scope="module")
def room(browser):
    """A running room with a supervisor and an approved trainee, each logged in in their own
    browser context: (hub, {name: page})."""
    missing = hub_missing()
    if missing:
        _no_browser(missing)
    hub = FaultyRoom(supervisors=(SUPERVISOR,), log_name="room-faults-hub")
    hub.start()
    contexts = {name: browser.new_context(viewport={"width": 1280, "height": 800})
                for name in (SUPERVISOR, ANA)}
    try:
        pages = {name: context.new_page() for name, context in contexts.items()}
        for name, page in pages.items():
            sign_up(page, hub.url, name)
        sup, ana = pages[SUPERVISOR], pages[ANA]
        log_in(sup, hub.url, SUPERVISOR)
        sup.wait_for_url(re.compile(re.escape(ROOM_SERVER)), timeout=PAGE_TIMEOUT)
        sup.goto(f"{hub.url}hub/authorize")
        sup.locator(f"a[href$='authorize/{ANA}']").click()
        sup.wait_for_load_state()
        log_in(ana, hub.url, ANA)
        ana.wait_for_selector(".cc-start-modules", timeout=PAGE_TIMEOUT)
        yield hub, pages
    finally:
        for context in contexts.values():
            context.close()
        hub.stop()


def _store(hub: RoomHub):
    from casecoach.store import Store

    return Store.open(f"sqlite:///{hub.env['CASECOACH_DATA']}/casecoach.sqlite")


def _voila(hub: RoomHub, page: str, query: str = "") -> str:
    return f"{hub.url}{ROOM_SERVER}voila/render/{page}.ipynb" + (f"?{query}" if query else "")


def _stored(store, exercise) -> list[tuple[str, int, str]]:
    return [(r["trainee"], r["revision"], r["text"]) for r in store.submissions_for(exercise.id)]


def _versions(store, exercise) -> list[tuple[str, int, str]]:
    return [(r["trainee"], r["revision"], r["text"]) for r in store.versions_for(exercise.id)]


def _wait_for_log(hub: RoomHub, text: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in hub.log_text():
        assert time.monotonic() < deadline, f"not in the Hub's log: {text}"
        time.sleep(0.5)


def _gone(pids: list[int], hub: FaultyRoom, timeout: float = 60.0) -> list[int]:
    """Those of pids still running (the same processes) after waiting up to timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = [pid for pid in pids if hub.running(pid)]
        if not left:
            return []
        time.sleep(0.5)
    return left


def _join(page, hub: RoomHub, code: str, text: str):
    from playwright.sync_api import expect

    page.goto(_voila(hub, "07-join-exercise", f"code={code}"), wait_until="commit",
              timeout=PAGE_TIMEOUT)
    box = page.locator(INPUT).first
    expect(box).to_be_visible(timeout=PAGE_TIMEOUT)
    box.fill(text)
    page.locator(".cc-submit").click()
    expect(page.locator(".cc-exercise-message")).to_contain_text("Submitted.", timeout=60_000)
    return box


# The room's Voila: room/service runs it as `python room/voila_room.py notebooks/ ...`.
ROOM_VOILA = b"/room/voila_room.py\x00"


def test_the_rooms_server_killed_under_open_pages_says_so_and_comes_back_with_the_text(
        room, artifacts):
    """SIGKILL the room's Voila: its proxy starts a new one at once, and the trainee's page says
    its session ended, keeps the revision typed, and reloads with it. Then SIGKILL the proxy
    (room/service) itself: the page says the connection was lost and keeps the text; the Hub
    starts the service again (it polls its process every 30 s), the new one stops the Voila the
    dead proxy left behind, the banner says to reload, the reload puts the text back, and each
    submit is stored as the next revision with every earlier one kept."""
    from playwright.sync_api import expect

    from casecoach import exercises

    hub, pages = room
    ana = pages[ANA]
    store = _store(hub)
    try:
        exercise = exercises.create(store, "marcus-art", "rg-housing", SUPERVISOR)
        box = _join(ana, hub, exercise.code, FIRST)
        banner = ana.locator("#cc-connection")
        message = ana.locator(".cc-exercise-message")

        # 1. Voila killed; the proxy (simpervisor) starts it again on the same port.
        proxy, *rest = hub.server()
        voila = [pid for pid in rest if ROOM_VOILA in _cmdline(pid)]
        assert len(voila) == 1, [(p, _cmdline(p)[:80]) for p in rest]
        hub.remember()
        os.kill(voila[0], signal.SIGKILL)
        second = FIRST + " He brings his ID."
        killed = time.monotonic()
        expect(banner).to_be_visible(timeout=60_000)
        box.fill(second)
        expect(banner).to_have_attribute("data-state", re.compile("back|kernel"),
                                         timeout=BACK_TIMEOUT)
        print(f"\nVoila killed: the page's banner offered the reload after "
              f"{time.monotonic() - killed:.1f} s")
        expect(box).to_have_value(second)
        assert hub.server()[0] == proxy        # the same proxy, a new Voila
        ana.locator(".cc-connection-reload").click()
        box = ana.locator(INPUT).first
        expect(box).to_have_value(second, timeout=PAGE_TIMEOUT)
        expect(banner).to_have_count(0)
        ana.locator(".cc-submit").click()
        expect(message).to_contain_text("Revision 2 submitted.", timeout=60_000)
        assert _stored(store, exercise) == [(ANA, 2, second)]

        # 2. The proxy (the managed service's own process) killed; its Voila is left running.
        old = hub.server()
        hub.remember()
        os.kill(old[0], signal.SIGKILL)
        killed = time.monotonic()
        expect(banner).to_have_attribute("data-state", "lost", timeout=60_000)
        expect(banner).to_have_attribute("role", "alert")
        expect(banner).to_contain_text("connection to the casecoach server was lost")
        third = second + " Denise drives him on Tuesday."
        box.fill(third)
        expect(box).to_have_value(third)
        ana.screenshot(path=artifacts / "room-server-lost.png")
        left_voila = [pid for pid in old[1:] if ROOM_VOILA in _cmdline(pid)]
        assert left_voila and all(hub.running(pid) for pid in left_voila)  # orphaned, still up

        expect(banner).to_have_attribute("data-state", "back", timeout=BACK_TIMEOUT)
        print(f"room/service killed: the Hub had it back and the banner offered the reload "
              f"after {time.monotonic() - killed:.1f} s")
        expect(banner).to_contain_text("Reload it to go on")
        ana.screenshot(path=artifacts / "room-server-back.png")
        assert "Service casecoach exited" in hub.log_text()
        new = hub.wait_for_server()
        assert new[0] != old[0]
        assert _gone(old, hub) == []      # the dead proxy's Voila and kernels were stopped
        expect(box).to_have_value(third)
        ana.locator(".cc-connection-reload").click()
        box = ana.locator(INPUT).first
        expect(box).to_have_value(third, timeout=PAGE_TIMEOUT)
        expect(banner).to_have_count(0)
        expect(message).to_contain_text("Joined exercise")
        ana.locator(".cc-submit").click()
        expect(message).to_contain_text("Revision 3 submitted.", timeout=60_000)
        assert _stored(store, exercise) == [(ANA, 3, third)]
        assert _versions(store, exercise) == [(ANA, 1, FIRST), (ANA, 2, second), (ANA, 3, third)]
    finally:
        store.engine.dispose()


def test_a_killed_hub_loses_nothing_and_a_restart_over_its_orphans_comes_up_clean(
        room, artifacts):
    """SIGKILL the Hub (only it, as a crash would) after a trainee joined and submitted: the
    proxy and the room's server run on, so her page keeps working and a revision she submits
    is stored; nothing says it is lost. The supervisor starts the Hub again in the same room
    folder: it stops the old proxy (its pid file) and the new room server stops the old one
    (room/replace_previous.py), the service is not started over and over, and no old process is
    left. Her page says its session ended and reloads with her draft; the supervisor's wall,
    reloaded and resumed, shows her answer; her next revision reaches the wall."""
    from playwright.sync_api import expect

    from casecoach import exercises

    hub, pages = room
    sup, ana = pages[SUPERVISOR], pages[ANA]
    store = _store(hub)
    try:
        sup.goto(_voila(hub, "06-group-exercise"), wait_until="commit", timeout=PAGE_TIMEOUT)
        sup.wait_for_selector(".cc-start-exercise", timeout=PAGE_TIMEOUT)
        sup.locator(".cc-exercise-item select").select_option(label=GOAL)
        sup.locator(".cc-start-exercise").click()
        code_box = sup.locator(".cc-code")
        expect(code_box).to_have_attribute("data-state", "open", timeout=60_000)
        code = code_box.get_attribute("data-code")
        exercise = exercises.join(store, code)
        box = _join(ana, hub, code, FIRST)
        wall = sup.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "1", timeout=60_000)

        old_proxy = hub.proxy_pid()
        old_server = hub.server()
        old_culler = hub.culler()
        recorded = (hub.room_dir / "casecoach-service.pid").read_text().split()
        assert int(recorded[0]) == old_server[0]
        hub.kill_hub()

        # The Hub is gone; the proxy and the room's server are not, and the page works on.
        assert hub.running(old_proxy) and all(hub.running(pid) for pid in old_server[:2])
        assert hub.running(old_culler)
        banner = ana.locator("#cc-connection")
        message = ana.locator(".cc-exercise-message")
        second = FIRST + " He brings his ID."
        box.fill(second)
        ana.locator(".cc-submit").click()
        expect(message).to_contain_text("Revision 2 submitted.", timeout=60_000)
        expect(wall.locator('.cc-card[data-revision="2"]')).to_have_count(1, timeout=60_000)
        assert _stored(store, exercise) == [(ANA, 2, second)]
        draft = second + " Denise drives him on Tuesday."
        box.fill(draft)
        expect(banner).to_have_count(0)
        ana.screenshot(path=artifacts / "room-hub-down-page-works.png")

        # The supervisor restarts the room: `make serve-room` in the same room folder.
        hub.start_again()
        assert "Proxy still running" in hub.log_text()  # the old proxy was found and stopped
        # The Hub answers before its services have started: their words come a moment later.
        _wait_for_log(hub, f"previous server (pid {old_server[0]}) still runs")
        _wait_for_log(hub, f"previous jupyterhub_idle_culler (pid {old_culler}) still runs")
        assert _gone([old_proxy, old_culler], hub) == []
        assert _gone(old_server, hub) == []            # the old server, Voila and kernels
        new_server = hub.wait_for_server()
        assert new_server[0] not in old_server
        recorded = (hub.room_dir / "casecoach-service.pid").read_text().split()
        assert int(recorded[0]) == new_server[0]
        assert int((hub.room_dir / "idle-culler.pid").read_text().split()[0]) == hub.culler()

        expect(banner).to_have_attribute("data-state", re.compile("back|kernel"),
                                         timeout=BACK_TIMEOUT)
        expect(box).to_have_value(draft)
        ana.screenshot(path=artifacts / "room-hub-restarted.png")
        ana.locator(".cc-connection-reload").click()
        box = ana.locator(INPUT).first
        expect(box).to_have_value(draft, timeout=PAGE_TIMEOUT)
        assert ROOM_SERVER in ana.url   # still logged in: the Hub keeps its cookie secret

        sup.reload(wait_until="commit", timeout=PAGE_TIMEOUT)
        sup.wait_for_selector(".cc-start-exercise", timeout=PAGE_TIMEOUT)
        sup.locator(".cc-supervisor input[placeholder='Code of a running exercise']").fill(code)
        sup.get_by_role("button", name="Resume").click()
        wall = sup.locator(".cc-wallgrid")
        expect(wall.locator('.cc-card[data-revision="2"]')).to_have_count(1, timeout=60_000)
        ana.locator(".cc-submit").click()
        expect(ana.locator(".cc-exercise-message")).to_contain_text("Revision 3 submitted.",
                                                                    timeout=60_000)
        expect(wall.locator('.cc-card[data-revision="3"]')).to_have_count(1, timeout=60_000)
        expect(wall).to_contain_text("Denise drives him on Tuesday")
        assert _stored(store, exercise) == [(ANA, 3, draft)]
        assert _versions(store, exercise) == [(ANA, 1, FIRST), (ANA, 2, second), (ANA, 3, draft)]
        wall.scroll_into_view_if_needed()
        sup.screenshot(path=artifacts / "room-hub-restarted-wall.png")

        # Started once: the new service did not exit and get started again and again.
        time.sleep(35)   # one poll of the Hub
        assert "Service casecoach exited" not in hub.log_text()
        assert hub.server()[0] == new_server[0]
    finally:
        store.engine.dispose()
