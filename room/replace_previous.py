"""Stop the room's previous server (or idle culler) that a killed Hub left running; record this one.

A Hub that crashes (or is killed with SIGKILL) cannot stop its managed services: the room's server
(room/service: native_proxy.py, its Voila, the pages' kernels) runs on in its own session and
keeps CASECOACH_ROOM_SERVICE_PORT. The restarted Hub's new server then cannot listen there and
exits, the Hub starts it again every 30 s, and the old one serves on with a login (the Hub's OAuth
secret) the new Hub no longer knows. room/service runs this first: the server recorded in the
pid file is stopped, only if it is really the room's (the same process, by its start time, still
running native_proxy.py; or what is left of its process group), and this one is recorded. The idle
culler, left running the same way, would go on calling the new Hub with its old token:
room/idle-culler does the same with the culler's own pid file.

    replace_previous.py PIDFILE PID [MARKER]
        PID: the caller's own ($$), which then execs the program; MARKER: what the recorded
        process's command line must contain (default: the path of room/native_proxy.py)

Linux only (/proc); elsewhere it records nothing and stops nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

GRACE = 5.0  # seconds the previous server has to stop (Voila ends its kernels) before SIGKILL
PROXY = Path(__file__).resolve().with_name("native_proxy.py")


def _stat(pid: int) -> tuple[int, int] | None:
    """(process group, start time in clock ticks since boot) of a running pid, or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] == "Z":  # a zombie has stopped; only its parent's wait is missing
        return None
    return int(fields[2]), int(fields[19])


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _group(pgid: int) -> list[int]:
    """The running processes of process group pgid."""
    members = []
    for entry in Path("/proc").glob("[0-9]*"):
        found = _stat(int(entry.name))
        if found is not None and found[0] == pgid:
            members.append(int(entry.name))
    return members


def previous(pid: int, start: int, marker: bytes = str(PROXY).encode()) -> tuple[list[int], bool]:
    """The processes of the server recorded as (pid, start) still running, and whether they are
    its whole process group. The recorded process counts only if it is the same one (its start
    time) and still runs the program (marker); a pid reused by another program is left alone. When the
    recorded process is gone, what is left of its group (a Voila whose proxy was killed) is
    returned: Linux does not give a living group's id to a new process, so nothing else is in it."""
    found = _stat(pid)
    if found is not None:
        pgid, started = found
        if started != start or marker not in _cmdline(pid):
            return [], False
        return ([pid, *[p for p in _group(pgid) if p != pid]], True) if pgid == pid else \
            ([pid], False)
    return _group(pid), True


def stop(pid: int, whole_group: bool) -> bool:
    """SIGTERM the previous server (its group), SIGKILL what is left after GRACE; True when
    nothing of it runs any more."""
    def send(sig: int) -> None:
        try:
            os.killpg(pid, sig) if whole_group else os.kill(pid, sig)
        except ProcessLookupError:
            pass

    def gone() -> bool:
        return not _group(pid) if whole_group else _stat(pid) is None

    send(signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline:
        if gone():
            return True
        time.sleep(0.1)
    send(signal.SIGKILL)
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline:
        if gone():
            return True
        time.sleep(0.1)
    return False


def _record(pidfile: Path, pid: int) -> None:
    found = _stat(pid)
    if found is None:
        return
    temporary = pidfile.with_name(pidfile.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(f"{pid} {found[1]}\n")
    os.replace(temporary, pidfile)


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4) or not argv[2].isdigit():
        print("usage: replace_previous.py PIDFILE PID [MARKER]", file=sys.stderr)
        return 2
    pidfile, me = Path(argv[1]), int(argv[2])
    marker = argv[3].encode() if len(argv) == 4 else str(PROXY).encode()
    if not Path("/proc/self/stat").exists():
        return 0
    try:
        old, start = (int(part) for part in pidfile.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        old, start = 0, 0   # no record (a first start), or not one of ours: nothing to stop
    if old and old != me:
        left, whole_group = previous(old, start, marker)
        what = "server" if len(argv) == 3 else marker.decode(errors="replace")
        if left:
            print(f"casecoach room: the room's previous {what} (pid {old}) still runs, left by a "
                  f"Hub that stopped without stopping it; stopping it", file=sys.stderr)
            if not stop(old, whole_group):
                print(f"casecoach room: the previous {what} (pid {old}) did not stop; stop it "
                      f"(kill -9 {old}) and start the room again", file=sys.stderr)
                return 1
    _record(pidfile, me)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
