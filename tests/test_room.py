"""Room mode without a browser: who a page serves under the Hub, what it refuses, and safe exports."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from casecoach import exercises as ex
from casecoach import room
from casecoach.store import Store
from harness import REPO, VoilaServer, assert_kernels_on_private_sockets


@pytest.fixture
def as_hub_user(monkeypatch):
    """Run the widgets as a Hub user's server would: JUPYTERHUB_USER and the role the Hub set."""
    def _become(user: str, role: str = "trainee") -> None:
        monkeypatch.setenv("JUPYTERHUB_USER", user)
        monkeypatch.setenv("CASECOACH_ROOM_ROLE", role)
    return _become


def test_visitor_is_the_hub_login_and_a_server_without_a_role_is_a_trainee():
    """Under the Hub the visitor is JUPYTERHUB_USER; an unknown or missing role is a trainee's."""
    assert room.visitor({}) is None
    assert room.visitor({"JUPYTERHUB_USER": "ana", "CASECOACH_ROOM_ROLE": "supervisor"}) == \
        room.Visitor("ana", "supervisor")
    assert room.visitor({"JUPYTERHUB_USER": "ana", "CASECOACH_ROOM_ROLE": "admin"}).role == \
        "trainee"
    trainee = room.visitor({"JUPYTERHUB_USER": "ben"})
    assert not trainee.may_open("06-group-exercise") and not trainee.may_open("05-workspace")
    assert trainee.may_open("07-join-exercise") and trainee.may_open("01-smart-goals")
    assert room.role_for(["trainees", "supervisors"]) == "supervisor"
    assert room.role_for(["trainees"]) == "trainee"


def _login(name, groups, kind="user"):
    return json.dumps({"kind": kind, "name": name, "admin": False, "groups": groups})


def test_on_the_rooms_server_the_visitor_is_the_login_the_proxy_passed_on():
    """The room's shared server (room/service): each page's kernel has its request's login in
    HTTP_X_CDSDASHBOARDS_JH_USER; the role follows the groups; JUPYTERHUB_USER does not count."""
    shared = {"CASECOACH_ROOM_SHARED": "1", "JUPYTERHUB_USER": "sup",
              "CASECOACH_ROOM_ROLE": "supervisor"}
    ana = room.visitor({**shared, room.LOGIN_HEADER_ENV: _login("ana", ["trainees"])})
    assert ana == room.Visitor("ana", "trainee") and not ana.may_open("06-group-exercise")
    alex = room.visitor({**shared, room.LOGIN_HEADER_ENV: _login("alex", ["supervisors"])})
    assert alex == room.Visitor("alex", "supervisor") and alex.may_open("05-workspace")
    for header in ("", "not json", "[]", _login("", ["supervisors"]),
                   _login("idle-culler", ["supervisors"], kind="service"),
                   json.dumps({"groups": ["supervisors"]})):
        with pytest.raises(room.NoLogin, match="without your room login"):
            room.visitor({**shared, room.LOGIN_HEADER_ENV: header})


def test_a_shared_page_without_a_login_serves_no_one(monkeypatch):
    """No login on the room's server: the page says so and stops; refused pages show the notice."""
    from widgets import page_visit
    from widgets.page import room_refusal

    monkeypatch.setenv("CASECOACH_ROOM_SHARED", "1")
    monkeypatch.delenv(room.LOGIN_HEADER_ENV, raising=False)
    monkeypatch.setenv("QUERY_STRING", "trainee=ben")
    with pytest.raises(room.NoLogin):
        page_visit()
    notice = room_refusal("07-join-exercise")
    assert notice is not None and "without your room login" in notice.value


def test_under_the_hub_the_address_cannot_name_another_trainee(as_hub_user, monkeypatch):
    """?trainee= is ignored under the Hub: the page works as the login, and its name box is fixed."""
    from widgets import TraineeExercise, page_visit

    as_hub_user("ana")
    monkeypatch.setenv("QUERY_STRING", "trainee=ben&cohort=C1")
    assert page_visit() == ("ana", "C1")
    page = TraineeExercise(store=Store.open("sqlite://"))
    assert page._name.value == "ana" and page._name.disabled


def test_trainee_is_refused_the_supervisor_page_and_the_workspace(as_hub_user, tmp_path):
    """A trainee's wall, progress table and workspace show a refusal and read nothing."""
    from widgets import ProgressDashboard, SupervisorWall, Workspace

    store = Store.open(f"sqlite:///{tmp_path / 'room.db'}")
    store.save_plan("sup", {"client_name": "Real Client", "profile": {}, "plan": {}})
    store.record_progress("ben", "01-smart-goals")
    as_hub_user("ana")
    wall = SupervisorWall(store=store)
    assert len(wall.children) == 1 and "for supervisors" in wall.children[0].value
    assert "signed in as ana" in wall.children[0].value
    board = ProgressDashboard(store=store)
    assert board.children == () and board.table is None
    workspace = Workspace(store=store, owner=None)
    workspace.follow("sup")
    assert workspace.owner is None and len(workspace.children) == 1
    assert "workspace is off" in workspace.children[0].value
    assert "Real Client" not in workspace.children[0].value


def test_supervisor_gets_the_page(as_hub_user):
    """A supervisor's server builds the wall's controls and the progress table."""
    from widgets import ProgressDashboard, SupervisorWall

    as_hub_user("sup", "supervisor")
    store = Store.open("sqlite://")
    assert len(SupervisorWall(store=store).children) > 1
    assert ProgressDashboard(store=store).table is not None


def test_joining_a_closed_exercise_says_so_at_once():
    """A trainee who joins a closed exercise is told at once, with no answer box to fill in."""
    from widgets import TraineeExercise

    store = Store.open("sqlite://")
    exercise = ex.create(store, "marcus-art", ex.chart_rows(ex.get_scenario("marcus-art"))[0],
                         "sup", kind=ex.CHART_ROW)
    ex.set_state(store, exercise, closed=True)
    page = TraineeExercise(store=store, trainee="ana")
    page.join(exercise.code)
    assert page.exercise is None and page._slot.children == ()
    assert "is closed" in page._message.value


def test_export_neutralises_formulas_and_keeps_what_and_when(tmp_path):
    """Cells starting = + - @ tab or CR get a leading quote; the CSV names exercise, case and
    item, and times carry their zone; labels stay put after a revision."""
    store = Store.open(f"sqlite:///{tmp_path / 'wall.db'}")
    scenario = ex.get_scenario("marcus-art")
    goal = scenario.referral_goals[0]
    exercise = ex.create(store, "marcus-art", goal.id, "sup")
    ex.submit(store, exercise, "=HYPERLINK(\"http://x\")", "@SUM(A1) Marcus will call Denise "
              "within 2 weeks.")
    ex.submit(store, exercise, "-Ben", "+Within 4 weeks, Marcus will apply to 3 housing "
                                       "programs with his sister Denise.")
    ex.submit(store, exercise, "=HYPERLINK(\"http://x\")", "=1+2 Revised: Marcus will call Denise "
              "within 2 weeks.")
    entries = ex.wall(store, exercise)
    assert [e.trainee for e in entries] == ["=HYPERLINK(\"http://x\")", "-Ben"]  # first-come order
    rows = list(csv.DictReader(io.StringIO(ex.export_csv(entries, True, exercise))))
    assert [r["trainee"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'-Ben"]
    assert rows[0]["rewrite"].startswith("'=1+2 Revised") and rows[1]["rewrite"].startswith("'+")
    assert {(r["exercise"], r["case"], r["item"]) for r in rows} == \
        {(exercise.code, "marcus-art", goal.id)}
    assert all(r["submitted_at"].endswith("+00:00") for r in rows)
    assert rows[0]["revisions"] == "2"
    for cell in (c for r in rows for c in r.values()):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_make_serve_refuses_a_non_loopback_address():
    """`make serve HOST=0.0.0.0` stops before serving and names make serve-room."""
    result = subprocess.run(["make", "--no-print-directory", "serve", "HOST=0.0.0.0",
                             "PORT=1"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "make serve-room" in result.stderr and "loopback" in result.stderr


def test_voila_refuses_a_foreign_host_header():
    """Plain `make serve` Voila answers its own loopback names and refuses any other Host (DNS
    rebinding), on pages and on the kernel API alike."""
    with VoilaServer(extra_args=("--VoilaConfiguration.preheat_kernel=False",),
                     log_name="voila-host-check") as server:
        def status(path: str, host: str) -> int:
            request = urllib.request.Request(f"{server.url}{path}", headers={"Host": host})
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    return answer.status
            except urllib.error.HTTPError as error:
                return error.code

        page = "voila/render/03-priorities.ipynb"
        assert status(page, f"127.0.0.1:{server.port}") == 200
        assert status(page, f"localhost:{server.port}") == 200
        for foreign in (f"attacker.example:{server.port}", f"192.168.1.20:{server.port}"):
            assert status(page, foreign) == 403
            assert status("api/kernels/0b0e8a1c-0000-0000-0000-000000000000", foreign) == 403
        assert "Blocking request with non-local 'Host' attacker.example" in server.log_text()



def test_download_link_follows_show_names():
    """A CSV link made with names hidden is rebuilt with names once they are shown, and back."""
    import base64
    import re

    from widgets import SupervisorWall

    store = Store.open("sqlite://")
    wall = SupervisorWall(store=store)
    goal = ex.get_scenario("marcus-art").referral_goals[0]
    wall.start("marcus-art", goal.id)
    ex.submit(store, wall.exercise, "Ana Real", "Marcus will call Denise within 2 weeks.")
    wall.refresh()
    wall.export()

    def linked() -> str:
        data = re.search(r'base64,([^"]+)"', wall._download.value).group(1)
        return base64.b64decode(data).decode("utf-8")

    assert "Trainee 1" in linked() and "Ana Real" not in linked()
    wall._names.value = True
    assert "Ana Real" in linked()
    wall._names.value = False
    assert "Ana Real" not in linked()


def test_supervisor_lists_resumes_and_reopens_their_exercises():
    """The supervisor's list holds their exercises, open first; Resume puts the item picker on the
    exercise's item; a closed exercise can be reopened and takes answers again."""
    from widgets import SupervisorWall

    store = Store.open("sqlite://")
    scenario = ex.get_scenario("marcus-art")
    goal = scenario.referral_goals[-1]
    row = ex.chart_rows(scenario)[0]
    first = ex.create(store, "marcus-art", goal.id, "sup")
    second = ex.create(store, "marcus-art", row, "sup", kind=ex.CHART_ROW)
    ex.create(store, "marcus-art", goal.id, "someone-else")
    ex.set_state(store, second, closed=True)

    wall = SupervisorWall(store=store, supervisor="sup")
    assert [code for _label, code in wall._mine.options] == [first.code, second.code]
    assert "closed" in wall._mine.options[1][0] and "open" in wall._mine.options[0][0]
    wall._mine.value = second.code
    assert wall.exercise.code == second.code
    assert wall._kind.value == ex.CHART_ROW and wall._item.value == f"marcus-art/{row}"
    assert wall._reopen.layout.display == "" and wall._close.layout.display == "none"
    with pytest.raises(Exception, match="closed"):
        ex.submit(store, wall.exercise, "ana", {"now": "Sleeping at his sister's."})
    wall.reopen()
    assert not wall.exercise.closed and wall._reopen.layout.display == "none"
    assert ex.submit(store, wall.exercise, "ana", {"now": "Sleeping at his sister's."}) == 1
    wall.resume(first.code)
    assert wall._kind.value == ex.GOAL and wall._item.value == f"marcus-art/{goal.id}"


def test_a_kernel_started_for_its_page_never_imports_voilas_server(tmp_path):
    """A page's kernel started for it (no pool) imports none of Voila's server (voila.utils
    would cost ~50 MB per kernel)."""
    probe = ("import os, sys\n"
             "from widgets import page_visit\n"
             "print(page_visit())\n"
             "print(sorted(m for m in ('voila', 'nbconvert', 'jupyter_server', 'lxml')"
             " if m in sys.modules))\n")
    env = {"PATH": "/usr/bin:/bin", "QUERY_STRING": "trainee=Ana&cohort=c1",
           "CASECOACH_DATA": str(tmp_path), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert out == ["('Ana', 'c1')", "[]"]


VOILA_SERVER = ('voila', 'nbconvert', 'jupyter_server', 'lxml')


def _request_socket(kernel_id: str, details: dict, after: float = 0.0, busy: float = 0.0):
    """Voila's own request socket (voila.request_info_handler, as Voila routes it at
    /voila/query/KERNEL_ID) in a tornado server on a free loopback port, with the details of the
    request that took this kernel already sent, as Voila's page handler sends them; listening
    only `after` seconds from now. With `busy`, the server is stuck that long (a room arriving
    on two cores) from a second after it starts, and the request comes after that."""
    import asyncio
    import threading

    from tornado.web import Application

    from harness import free_port
    from voila.request_info_handler import RequestInfoSocketHandler

    port, ready = free_port(), threading.Event()
    holder = {}

    def serve() -> None:
        time.sleep(after)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = Application([(r"/voila/query/(.*)", RequestInfoSocketHandler)]).listen(
            port, "127.0.0.1")
        send = lambda: RequestInfoSocketHandler.send_updates(  # noqa: E731
            {"kernel_id": kernel_id, "payload": details})
        if busy:
            loop.call_later(1, time.sleep, busy)
            loop.call_later(1.5, send)
        else:
            send()
        holder.update(loop=loop, server=server)
        ready.set()
        loop.run_forever()
        server.stop()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    if not after:
        ready.wait(10)
    return port, lambda: holder["loop"].call_soon_threadsafe(holder["loop"].stop)


def _preheated_probe(tmp_path, port: int, kernel_id: str,
                     connect_seconds: str = "600") -> subprocess.CompletedProcess:
    probe = ("import sys\n"
             "from widgets import page_visit\n"
             "print(page_visit())\n"
             f"print(sorted(m for m in {VOILA_SERVER!r} if m in sys.modules))\n")
    env = {"PATH": "/usr/bin:/bin", "CASECOACH_DATA": str(tmp_path), "HOME": str(tmp_path),
           "CASECOACH_ROOM_SHARED": "1", "VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": kernel_id,
           "VOILA_APP_PORT": str(port), "VOILA_SERVER_URL": "/",
           "CASECOACH_PREHEAT_CONNECT_SECONDS": connect_seconds}
    return subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=150)


def test_a_preheated_room_page_takes_its_login_from_the_request_that_took_it(tmp_path):
    """A preheated kernel ran its page before anyone opened it; page_visit waits for the request
    (from Voila's own request socket) and the page serves the login that request carried. It
    does so without importing Voila's server (voila.utils: ~50 MB in every kernel)."""
    done = _visit_through_request_socket(tmp_path, "ana", query="trainee=ben&cohort=C1")
    assert done.stdout.splitlines() == ["('ana', 'C1')", "[]"]


def test_a_preheated_page_reaches_a_request_socket_that_answers_late(tmp_path):
    """A server filling its pools can take longer than Voila's 5 s to answer the kernel's
    connection; the kernel tries again, and still serves the login of the request that took it
    (a kernel that gave up served someone later without their login)."""
    done = _visit_through_request_socket(tmp_path, "ben", after=7.0)
    assert done.stdout.splitlines()[0] == "('ben', '')"


def test_a_preheated_page_waits_through_a_server_too_busy_to_answer(tmp_path):
    """The server stuck for 45 s while the kernel waits (a room arriving at once): the kernel
    does not give up on it (websockets' keepalive pings, which Voila's wait keeps, would have
    closed the socket after 40 s) and serves the login of the request that then comes."""
    done = _visit_through_request_socket(tmp_path, "ana", busy=45.0)
    assert done.stdout.splitlines()[0] == "('ana', '')"


def _visit_through_request_socket(tmp_path, login: str, query: str = "",
                                  **socket) -> subprocess.CompletedProcess:
    """A preheated page (the probe) whose request carries `login` in the room's header and
    `query`, sent through Voila's request socket (see _request_socket for `socket`)."""
    kernel_id = str(uuid.uuid4())
    header = json.dumps({"kind": "user", "name": login, "admin": False, "groups": ["trainees"]})
    details = {room.LOGIN_HEADER_ENV: header, **({"QUERY_STRING": query} if query else {})}
    port, stop = _request_socket(kernel_id, details, **socket)
    try:
        done = _preheated_probe(tmp_path, port, kernel_id)
    finally:
        stop()
    assert done.returncode == 0, done.stderr
    return done


def test_page_kernels_keep_no_ipython_history(monkeypatch):
    """The pages' kernelspec (share/jupyter/kernels/python3, first on JUPYTER_PATH) turns IPython's
    history off: a room's hundred kernels locked its one SQLite file and IPython printed the
    error on trainees' pages."""
    from jupyter_client.manager import start_new_kernel

    monkeypatch.setenv("JUPYTER_PATH", str(REPO / "share" / "jupyter"))  # as Voila runs here
    outputs: list[dict] = []
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(REPO))
    try:
        assert "--HistoryManager.enabled=False" in manager.kernel_spec.argv
        reply = client.execute_interactive(
            "print(get_ipython().history_manager.enabled)", timeout=60,
            output_hook=outputs.append)
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    printed = "".join(m["content"].get("text", "") for m in outputs
                      if m["msg_type"] == "stream")
    assert printed.strip() == "False"



def test_a_preheated_room_page_whose_request_never_comes_serves_no_one(tmp_path):
    """No request details (nothing listens where Voila should, after trying again for the time
    allowed): no login, so the page refuses rather than guess who it is for."""
    from harness import free_port

    done = _preheated_probe(tmp_path, free_port(), "0b7f9d2e-1111-4c3a-9d2b-3e4f5a6b7c8d",
                            connect_seconds="3")
    assert done.returncode != 0
    assert "NoLogin" in done.stderr and "log in" in done.stderr.lower(), done.stderr


def test_the_rooms_voila_hands_out_only_ready_preheated_kernels(tmp_path):
    """room/voila_room.py: with the pool's one kernel taken and its replacement not due for ten
    minutes (fill_delay), the next page gets a kernel started for it, not a wait for the
    replacement (Voila 0.5.13 counts the pending one as in the pool and waits for it)."""
    page = tmp_path / "page.ipynb"
    page.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {},
                   "outputs": [], "source": ["print('served' + ' page')"]}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    pools = json.dumps({"default": {"pool_size": 0}, "page.ipynb": {"pool_size": 1}})
    server = VoilaServer(root=str(tmp_path), log_name="voila-room-pool",
                         program=(sys.executable, str(REPO / "room" / "voila_room.py")),
                         extra_args=("--VoilaConfiguration.preheat_kernel=True",
                                     f"--VoilaKernelManager.kernel_pools_config={pools}",
                                     "--VoilaKernelManager.fill_delay=600"))
    with server:
        deadline = time.monotonic() + 120
        while "is filled with 1 kernel" not in server.log_text():
            assert time.monotonic() < deadline, server.log_text()
            time.sleep(0.5)
        for _ in range(2):
            with urllib.request.urlopen(f"{server.url}voila/render/page.ipynb",
                                        timeout=120) as answer:
                assert answer.status == 200
                assert "served page" in answer.read().decode("utf-8")
        assert server.log_text().count("Using pre-heated kernel") == 1, server.log_text()
        # voila.json's transport ipc reaches the room's Voila too (it is started from the
        # repository root, as room/service and the Deployment start it).
        assert_kernels_on_private_sockets(server.proc.pid)


def test_the_rooms_request_socket_closing_forgets_only_itself():
    """room/voila_room.py: a kernel's old socket closing after it connected again leaves every
    other kernel's waiting socket in place (Voila 0.5.13 removed the table's last one), and a
    request whose socket just closed is kept for the kernel's next one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("voila_room", REPO / "room" / "voila_room.py")
    voila_room = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(voila_room)
    handler = voila_room.RequestInfoSocketHandler

    class Closed:
        def write_message(self, payload):
            raise RuntimeError("closed")

    old, new, other = object(), Closed(), object()
    saved = dict(handler._waiters), dict(handler._cache)
    try:
        handler._waiters.clear()
        handler._waiters.update({"k1": new, "k2": other})
        voila_room._on_close(old)  # k1's old socket, replaced by its new one
        assert handler._waiters == {"k1": new, "k2": other}
        handler.send_updates({"kernel_id": "k1", "payload": {"QUERY_STRING": "x"}})
        assert handler._cache["k1"] == {"QUERY_STRING": "x"}
    finally:
        handler._waiters.clear()
        handler._waiters.update(saved[0])
        handler._cache.clear()
        handler._cache.update(saved[1])


def _replace_previous():
    """room/replace_previous.py as a module (room/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("replace_previous",
                                                  REPO / "room" / "replace_previous.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _started(pid: int) -> int:
    from pathlib import Path

    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])


def _running(proc: subprocess.Popen) -> bool:
    return proc.poll() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_previous_room_server_left_by_a_killed_hub_is_stopped_and_only_ours(tmp_path):
    """room/replace_previous.py stops the recorded server (its process group, Voila included)
    when it is the same process still running native_proxy.py, and what is left of its group
    when only the proxy was killed; a pid file naming another program (a reused pid) or a
    process that has ended stops nothing; each time the new server is recorded. The idle culler's
    record is checked against its own program."""
    module = _replace_previous()
    pidfile = tmp_path / "casecoach-service.pid"
    me = os.getpid()
    # A stand-in for room/service after its exec: a process running native_proxy.py (as its
    # argument) leading its own group, with a child in that group (its Voila).
    server = ("import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
              "'import time; time.sleep(120)']); time.sleep(120)")
    spawned = []

    def start_server():
        proc = subprocess.Popen([sys.executable, "-c", server, str(module.PROXY)],
                                start_new_session=True)
        spawned.append(proc)
        deadline = time.monotonic() + 30
        while len(module._group(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(module._group(proc.pid)) == 2
        return proc

    try:
        old = start_server()
        voila = [p for p in module._group(old.pid) if p != old.pid]
        pidfile.write_text(f"{old.pid} {_started(old.pid)}\n")
        assert module.main(["replace_previous.py", str(pidfile), str(me)]) == 0
        old.wait(10)
        assert module._group(old.pid) == [] and module._stat(voila[0]) is None
        assert pidfile.read_text() == f"{me} {_started(me)}\n"
        assert oct(pidfile.stat().st_mode & 0o777) == "0o600"

        # Only the proxy was killed: its Voila, left in the group, is stopped.
        old = start_server()
        voila = [p for p in module._group(old.pid) if p != old.pid]
        pidfile.write_text(f"{old.pid} {_started(old.pid)}\n")
        os.kill(old.pid, signal.SIGKILL)
        old.wait(10)
        assert module._stat(voila[0]) is not None
        assert module.main(["replace_previous.py", str(pidfile), str(me)]) == 0
        assert module._group(old.pid) == []

        # Not ours: another program at the recorded pid, or the right pid with another start
        # time (the pid reused), is left running; an ended process stops nothing.
        other = subprocess.Popen(["sleep", "120"], start_new_session=True)
        spawned.append(other)
        for record in (f"{other.pid} {_started(other.pid)}", f"{other.pid} 1",
                       f"{old.pid} {_started(me)}", "not a pid"):
            pidfile.write_text(record + "\n")
            assert module.main(["replace_previous.py", str(pidfile), str(me)]) == 0
            assert _running(other), record
            assert pidfile.read_text() == f"{me} {_started(me)}\n"
        impostor = start_server()   # runs native_proxy.py, but is not the recorded process
        pidfile.write_text(f"{impostor.pid} {_started(impostor.pid) + 1}\n")
        assert module.main(["replace_previous.py", str(pidfile), str(me)]) == 0
        assert _running(impostor)
        # The idle culler's pid file (room/idle-culler) names its program: a recorded process
        # running something else is not the culler.
        pidfile.write_text(f"{impostor.pid} {_started(impostor.pid)}\n")
        assert module.main(["replace_previous.py", str(pidfile), str(me),
                            "jupyterhub_idle_culler"]) == 0
        assert _running(impostor)
        culler = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)",
                                   "jupyterhub_idle_culler"], start_new_session=True)
        spawned.append(culler)
        deadline = time.monotonic() + 30   # until it runs its command (after the fork's exec)
        while b"jupyterhub_idle_culler" not in module._cmdline(culler.pid) and \
                time.monotonic() < deadline:
            time.sleep(0.05)
        pidfile.write_text(f"{culler.pid} {_started(culler.pid)}\n")
        assert module.main(["replace_previous.py", str(pidfile), str(me),
                            "jupyterhub_idle_culler"]) == 0
        culler.wait(10)
    finally:
        for proc in spawned:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
