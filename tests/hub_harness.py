"""Harness for room mode: a real JupyterHub with room/jupyterhub_config.py on loopback, and its logins."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from harness import ARTIFACTS, REPO, _terminate, free_port

PROXY = REPO / "room" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "room-test-pass-2931"  # long enough, and not on NativeAuthenticator's common list


def hub_missing() -> str | None:
    """Why a room cannot be started here, or None (`make test` installs both parts)."""
    if shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) is None:
        return "JupyterHub is not installed (the 'room' extra: make test installs it)"
    if not PROXY.exists():
        return "configurable-http-proxy is not installed in room/node_modules (make test runs npm ci)"
    return None


class RoomHub:
    """`jupyterhub -f room/jupyterhub_config.py` on free loopback ports, its state in a temporary
    folder; stopped with every user's server."""

    def __init__(self, supervisors: tuple[str, ...] = ("sup",), log_name: str = "room-hub",
                 data: str | None = None, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.folder = Path(tempfile.mkdtemp(prefix="casecoach-room-"))
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"{log_name}.log"
        self.env = dict(os.environ)
        self.env.update({
            "CASECOACH_ROOM_HOST": "127.0.0.1",
            "CASECOACH_ROOM_PORT": str(self.port),
            "CASECOACH_ROOM_HUB_PORT": str(free_port()),
            "CASECOACH_ROOM_PROXY_API_PORT": str(free_port()),
            # the room's casecoach server too: another room on this machine may hold 8002
            "CASECOACH_ROOM_SERVICE_PORT": str(free_port()),
            "CASECOACH_ROOM_DIR": str(self.folder / "hub"),
            "CASECOACH_ROOM_SUPERVISORS": ",".join(supervisors),
            "CASECOACH_DATA": data or str(self.folder / "data"),
            # two preheated pages each for the start and join pages (a room of 40 has 40): a
            # test room has two trainees, and a third page gets a kernel of its own
            "CASECOACH_ROOM_SIZE": "2",
        })
        self.env.pop("JUPYTERHUB_USER", None)
        self.env.update(env or {})
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 90.0) -> str:
        cmd = [str(Path(sys.executable).parent / "jupyterhub"), "-f",
               str(REPO / "room" / "jupyterhub_config.py")]
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(cmd, cwd=self.folder, env=self.env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.proc.returncode}:\n"
                                   + self.log_text()[-4000:])
            try:
                with urllib.request.urlopen(f"{self.url}hub/login", timeout=3) as answer:
                    if answer.status == 200:
                        return self.url
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError("JupyterHub did not answer:\n" + self.log_text()[-4000:])

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            _terminate(self.proc, timeout=30, group=True)
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> RoomHub:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def sign_up(page, hub_url: str, name: str, password: str = PASSWORD) -> str:
    """Sign up on the Hub's sign-up page as a person would; the page's message."""
    page.goto(f"{hub_url}hub/signup")
    page.fill("#username_input", name)
    if page.locator("#email_input").count():
        page.fill("#email_input", f"{name}@example.org")
    page.fill("#password_input", password)
    page.fill("#password_confirmation_input", password)
    page.click("#signup_submit")
    page.wait_for_load_state()
    return page.locator(".alert").first.inner_text() if page.locator(".alert").count() else ""


def log_in(page, hub_url: str, name: str, password: str = PASSWORD) -> None:
    """Log in on the Hub's login page; the Hub then starts the person's server."""
    page.goto(f"{hub_url}hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
