"""Harness shared by the browser tests and bench/: a real Voila as `make serve` runs it, and Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
_POOL_FILLED = re.compile(r"Kernel pool of (.+?) is filled with")

# Debian's headless shell loads pages 0.7-0.9 s faster than full chromium (VOILA_NOTES pitfall 3).
CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium(playwright) -> str | None:
    """The first Chromium present: Debian's headless shell, Debian's chromium, Playwright's own."""
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    own = playwright.chromium.executable_path
    return own if own and os.path.exists(own) else None


def voila_env() -> dict[str, str]:
    """The environment `make serve` gives Voila: our template on the Jupyter data path."""
    env = dict(os.environ)
    share = str(REPO / "share" / "jupyter")
    paths = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != share]
    env["JUPYTER_PATH"] = os.pathsep.join([share, *paths])
    return env


def voila_executable() -> str:
    """The `voila` script of the running interpreter's environment, else the one on PATH."""
    beside = Path(sys.executable).parent / "voila"
    if beside.exists():
        return str(beside)
    found = shutil.which("voila")
    if found is None:
        raise RuntimeError("no 'voila' executable: run `make test` (it installs the project)")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """All descendants of pid (kernels included), read from /proc; empty where there is none."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


class VoilaServer:
    """One `voila ROOT` subprocess run from the repository root on a free loopback port.

    The settings come from voila.json in the repository root (Voila reads it from its working
    directory); `extra_args` are added to the command line, which takes precedence.
    """

    def __init__(
        self,
        root: str = "notebooks/",
        extra_args: tuple[str, ...] = (),
        log_name: str = "voila",
        port: int | None = None,
        program: tuple[str, ...] | None = None,
    ) -> None:
        self.root = root
        # what runs Voila: the voila command, or e.g. (python, room/voila_room.py)
        self.program = tuple(program) if program else (voila_executable(),)
        self.extra_args = tuple(extra_args)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"{log_name}.log"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 120.0) -> str:
        """Start Voila and wait until it answers; raise with Voila's log if it does not."""
        cmd = [*self.program, self.root, f"--port={self.port}", "--no-browser", *self.extra_args]
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self._log.write("$ " + " ".join(cmd) + "\n")
        self._log.flush()
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=voila_env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(
                    f"Voila exited with code {self.proc.returncode} before answering.\n"
                    f"--- {self.log_path} ---\n{self.log_text()}"
                )
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"Voila did not answer at {self.url} within {timeout:.0f} s.\n"
                    f"--- {self.log_path} ---\n{self.log_text()}"
                )
            time.sleep(0.1)

    def log_text(self) -> str:
        """Everything Voila has logged so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def filled_pools(self) -> list[str]:
        """Notebook paths (relative to the served root) whose kernel pool Voila reported filled."""
        return _POOL_FILLED.findall(self.log_text())

    def wait_for_pools(self, notebooks: list[str], timeout: float = 120.0, since: int = 0) -> bool:
        """Wait until each notebook's pool has been (re)filled `since` + 1 times; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            filled = self.filled_pools()
            if all(filled.count(nb) > since for nb in notebooks):
                return True
            time.sleep(0.1)
        return False

    def wait_until_quiet(self, timeout: float = 30.0, window: float = 0.5, busy: float = 0.05) -> bool:
        """Wait until Voila and its kernels use under `busy` of one core over `window` seconds."""
        assert self.proc is not None
        hz = os.sysconf("SC_CLK_TCK")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = [self.proc.pid, *_children(self.proc.pid)]
            before = _cpu_ticks(pids)
            time.sleep(window)
            if (_cpu_ticks(pids) - before) / hz < busy * window:
                return True
        return False

    def stop(self, timeout: float = 20.0) -> None:
        """Stop Voila (it shuts its kernels down on SIGTERM); kill whatever is left after timeout."""
        if self.proc is None:
            return
        _terminate(self.proc, timeout, group=False)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> VoilaServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def project_files(repo: Path = REPO) -> list[str]:
    """The files a clone of the working tree would have: tracked ones and new ones not ignored."""
    listed = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True, capture_output=True,
    ).stdout.decode().split("\0")
    return [name for name in listed if name and (repo / name).is_file()]


def user_env() -> dict[str, str]:
    """The environment of a user's shell: nothing of the running venv, no inherited Jupyter path."""
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "MAKEFLAGS", "MAKELEVEL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    own_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != own_bin)
    return env


class MakeServe:
    """`make serve PORT=...` run in a folder (a copy or clone of the project), as a user runs it."""

    def __init__(self, folder: Path, log_path: Path, port: int | None = None) -> None:
        self.folder, self.log_path = Path(folder), Path(log_path)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.started = time.monotonic()
        self.printed_at: float | None = None  # seconds until it printed its address (.venv ready)
        self.proc = subprocess.Popen(
            ["make", "serve", f"PORT={self.port}"], cwd=self.folder, env=user_env(),
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def log(self) -> str:
        """Everything `make serve` (pip, then Voila) has printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until_answering(self, timeout: float) -> float:
        """Wait until the printed address answers 200; seconds since start. Raises with the log."""
        deadline = self.started + timeout
        while True:
            if self.printed_at is None and "casecoach is at http" in self.log():
                self.printed_at = time.monotonic() - self.started
            if self.proc.poll() is not None:
                raise RuntimeError(f"`make serve` exited with {self.proc.returncode}:\n{self.log()[-6000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return time.monotonic() - self.started
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"`make serve` did not answer within {timeout:.0f} s:\n{self.log()[-6000:]}")
            time.sleep(0.2)

    def wait_for_pools(self, notebooks: list[str], timeout: float) -> bool:
        """Wait until Voila reports each notebook's kernel pool filled; False on timeout."""
        deadline = time.monotonic() + timeout
        while not set(notebooks) <= set(_POOL_FILLED.findall(self.log())):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        return True

    def kernel_processes(self) -> int:
        """How many kernel processes run under this server now (pooled ones and open pages')."""
        return count_kernels(self.proc.pid)

    def stop(self) -> None:
        """Stop make and Voila (which shuts its kernels down on SIGTERM); kill what is left."""
        _terminate(self.proc, 30, group=True)
        self._log.close()


def count_kernels(server_pid: int) -> int:
    """How many Jupyter kernel processes run under the server process `server_pid`."""
    count = 0
    for pid in _children(server_pid):
        try:
            count += b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
    return count


def kernel_connections(server_pid: int) -> list[tuple[Path, dict]]:
    """Each kernel under the server process `server_pid`: its connection file (the `-f` argument
    of its command line) and what the file says (transport, address, ports)."""
    found = []
    for pid in _children(server_pid):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if not any("ipykernel_launcher" in arg for arg in argv) or "-f" not in argv:
            continue
        path = Path(argv[argv.index("-f") + 1])
        try:
            found.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue  # a kernel shut down as we read
    return found


def assert_kernels_on_private_sockets(server_pid: int) -> None:
    """Every kernel of the server talks over Unix sockets (transport ipc) in a folder only its
    owner can enter, and the sockets exist: no loopback TCP port to race for or to be reached."""
    connections = kernel_connections(server_pid)
    assert connections, "no kernel is running under the server"
    for path, info in connections:
        assert info["transport"] == "ipc", (path, info)
        assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0, path.parent
        for channel in ("shell", "iopub", "stdin", "control", "hb"):
            socket_path = Path(f"{info['ip']}-{info[channel + '_port']}")
            assert socket_path.parent == path.parent, (socket_path, path)
            assert stat.S_ISSOCK(socket_path.stat().st_mode), socket_path
            assert len(str(socket_path).encode()) < 108, socket_path  # sun_path on Linux


def _terminate(proc: subprocess.Popen, timeout: float, group: bool) -> None:
    """SIGTERM the server (its process group for make), SIGKILL it after timeout, then kill any
    kernel it left behind."""
    kernels = _children(proc.pid)
    if proc.poll() is None:
        if group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for pid in kernels:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def largest_plan():
    """A plan with every field and list at settings.yaml's limits (limits.fields and
    max_goal_chars), and no space in its steps: the hardest plan an export is allowed to get.
    Shared by the tests and bench/hostile_inputs.py."""
    from datetime import date, timedelta

    from casecoach._data import load_yaml
    from casecoach.plan import Plan, PlanGoal, Step

    limits = load_yaml("settings.yaml")["limits"]
    fields, chars = limits["fields"], limits["max_goal_chars"]
    name, line = fields["name"], fields["line"]
    goal = ("steady " * (chars // 7 + 1))[:chars]
    return Plan("N" * name, date(2026, 3, 1), tuple(
        PlanGoal(goal, "housing", "w" * line, tuple(
            Step("y" * line, "support person", "S" * name, date(2026, 3, 2) + timedelta(days=i),
                 strength="z" * line) for i in range(fields["steps"])), active=g < 3)
        for g in range(fields["goals"])), "C" * name, tuple("s" * line for _ in range(5)),
        tuple("d" * line for _ in range(5)), True)
