"""The store under real faults: a damaged, empty or cut-short file, a read-only folder, a full disk,
a stopped PostgreSQL; and the pages' views while it fails (issue 11).

Faults are real: files written with other bytes, a read-only bind mount (chmod when not root), a
small tmpfs filled to the last byte, and a PostgreSQL server of the test's own stopped and started
again with pg_ctl (never the shared one).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from casecoach import exercises as ex
from casecoach.errors import CasecoachError
from casecoach.store import Store, StoreUnavailable, damaged_notice

REPO = Path(__file__).resolve().parent.parent


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _store_with_work(path: Path) -> Store:
    store = Store.open(_url(path))
    store.save_draft("ana", "chart", "marcus-art", {"v": 1})
    store.save_plan("cw", {"client_name": "Dana Price"})
    return store


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def small_disk(tmp_path):
    """A real 256 KB tmpfs mounted for the test (root only); unmounted after it."""
    if not _can_mount():
        pytest.skip("a real full disk needs root to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(disk)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> None:
    """Fill the disk to its last byte with one file (written unbuffered, so each write counts)."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)


@pytest.fixture
def read_only(tmp_path):
    """make(folder): make a folder truly read-only for this process (a read-only bind mount as
    root, who ignores modes; chmod 0500 otherwise); undone after the test."""
    undo = []

    def make(folder: Path):
        if _can_mount():
            subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
            undo.append(["umount", "-l", str(folder)])
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        else:
            folder.chmod(0o500)
            undo.append(folder)
        return lambda: _undo(undo.pop())

    def _undo(step) -> None:
        if isinstance(step, list):
            subprocess.run(step, check=False)
        else:
            step.chmod(0o700)

    yield make
    for step in reversed(undo):
        _undo(step)


# --- a damaged file is moved aside, named and reported; nothing is written over it -----------

@pytest.mark.parametrize("damage", ["garbage", "empty", "cut_short"])
def test_a_damaged_store_file_is_moved_aside_named_and_reported(tmp_path, damage):
    """A file of other bytes, an empty file or one cut to half its length is not opened as a
    store nor written over: it is renamed casecoach.sqlite.damaged-<time> with its bytes intact,
    a new store opens, and its notice names the moved file and what to do."""
    path = tmp_path / "casecoach.sqlite"
    if damage == "garbage":
        path.write_bytes(b"these are not the bytes of a database\n" * 200)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        store = _store_with_work(path)
        for n in range(200):
            store.save_draft("ana", "chart", f"case-{n}", {"text": "x" * 500})
        store.engine.dispose()
        whole = path.read_bytes()
        assert not path.with_name(path.name + "-wal").exists()   # all in the main file
        path.write_bytes(whole[: len(whole) // 2])
    before = path.read_bytes()

    store = Store.open(_url(path))

    aside = [p for p in tmp_path.glob("casecoach.sqlite.damaged-*") if p.suffix != ".txt"]
    assert len(aside) == 1 and aside[0].read_bytes() == before
    assert store.load_draft("ana", "chart", "marcus-art") is None   # a new, empty store
    store.save_draft("ana", "chart", "marcus-art", {"v": 2})
    notice = damaged_notice(store)
    assert notice is not None and str(aside[0]) in str(notice) and str(path) in str(notice)
    assert "README.md (A damaged store)" in str(notice)
    # Opening again finds the new file sound: nothing more is moved, the notice stays...
    store.engine.dispose()
    again = Store.open(_url(path))
    assert len([p for p in tmp_path.glob("casecoach.sqlite.damaged-*") if p.suffix != ".txt"]) == 1
    assert again.load_draft("ana", "chart", "marcus-art") == {"v": 2}
    assert damaged_notice(again) is not None
    # ...until the trainer takes the moved file away.
    aside[0].rename(tmp_path.parent / f"recovered-{uuid.uuid4().hex}")
    assert damaged_notice(again) is None


def test_a_sound_store_is_never_moved_aside(tmp_path):
    """A store with work in it, opened again and again, stays where it is with its work."""
    path = tmp_path / "casecoach.sqlite"
    _store_with_work(path).engine.dispose()
    for _ in range(3):
        store = Store.open(_url(path))
        assert store.load_draft("ana", "chart", "marcus-art") == {"v": 1}
        assert damaged_notice(store) is None
        store.engine.dispose()
    assert not list(tmp_path.glob("*.damaged-*"))


def test_a_store_damaged_while_in_use_says_so_and_a_new_opening_moves_it_aside(tmp_path):
    """A file overwritten under a running store: the next call raises StoreUnavailable (kind
    damaged) naming the file and saying to reload; the next opening moves the file aside."""
    path = tmp_path / "casecoach.sqlite"
    store = _store_with_work(path)
    store.engine.dispose()
    with open(path, "r+b") as f:    # the header and first pages overwritten
        f.write(b"\xff" * 8192)
    with pytest.raises(StoreUnavailable) as caught:
        store.load_draft("ana", "chart", "marcus-art")
    assert caught.value.kind == "damaged" and str(path) in str(caught.value)
    assert "Reload the page" in str(caught.value) and store.problem is caught.value
    Store.open(_url(path))
    assert len([p for p in tmp_path.glob("casecoach.sqlite.damaged-*") if p.suffix != ".txt"]) == 1


# --- a read-only folder and a full disk: reported, nothing lost --------------------------------

def test_a_read_only_data_folder_is_reported_with_the_folder_and_what_to_do(tmp_path, read_only):
    """A store in a folder that cannot be written is refused with the folder's name and what to
    do; the file in it is left exactly as it was (not moved, not recreated)."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "casecoach.sqlite"
    _store_with_work(path).engine.dispose()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    read_only(folder)
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(_url(path)).save_draft("ana", "chart", "marcus-art", {"v": 2})
    assert caught.value.kind == "read_only"
    assert str(folder) in str(caught.value) and "writable" in str(caught.value)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_full_disk_refuses_a_save_clearly_and_keeps_what_was_saved(small_disk):
    """On a real full disk a save raises StoreUnavailable (kind full) naming the file and saying
    to free space; the draft saved before is unchanged, and saving works once space is freed."""
    path = small_disk / "casecoach.sqlite"
    store = Store.open(_url(path))
    store.save_draft("ana", "chart", "marcus-art", {"v": 1})
    _fill(small_disk)
    with pytest.raises(StoreUnavailable) as caught:
        for n in range(200):   # the WAL may have room for a page or two before the disk says no
            store.save_draft("ana", "chart", f"big-{n}", {"text": "x" * 20000})
    assert caught.value.kind == "full" and str(path) in str(caught.value)
    assert "Free some space" in str(caught.value)
    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 1}
    # record_progress fails the same way: a CasecoachError, never a database error.
    with pytest.raises(StoreUnavailable):
        for n in range(200):
            store.record_progress(f"trainee-{n}-" + "x" * 150, "01-smart-goals", attempts=1)
    (small_disk / "filler").unlink()
    store.save_draft("ana", "chart", "marcus-art", {"v": 2})
    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 2} and store.problem is None


def test_a_new_store_on_a_full_disk_is_refused_and_leaves_no_empty_file(small_disk):
    """Opening a new store where there is no room says the disk is full, and leaves no empty
    file behind that a later opening would take for a damaged one."""
    _fill(small_disk)
    path = small_disk / "casecoach.sqlite"
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(_url(path))
    assert caught.value.kind == "full"
    assert not path.exists() or path.stat().st_size > 0


def test_record_progress_lets_no_database_error_escape(tmp_path):
    """A database that fails under record_progress raises the store's own error, never
    SQLAlchemy's."""
    path = tmp_path / "casecoach.sqlite"
    store = Store.open(_url(path))
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TRIGGER boom BEFORE INSERT ON progress "
                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with pytest.raises(CasecoachError) as caught:
        store.record_progress("ana", "01-smart-goals", attempts=1)
    assert not isinstance(caught.value, SQLAlchemyError) and caught.value.kind == "full"


def test_the_progress_table_shows_modules_nobody_has_started_without_a_pandas_error(tmp_path):
    """A module no trainee has opened is an empty column, not a fill error that pandas turns
    into an exception (the progress table vanished)."""
    import warnings

    store = Store.open(_url(tmp_path / "casecoach.sqlite"))
    store.record_progress("ana", "01-smart-goals", attempts=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = ex.progress_table(store, ["01-smart-goals", "02-assessment"])
    assert table.to_dict("records") == [{"cohort": "", "trainee": "ana",
                                         "01-smart-goals": "started (2 attempts)",
                                         "02-assessment": ""}]


# --- owner-only files --------------------------------------------------------------------------

def test_the_data_folder_and_database_files_are_readable_by_their_owner_only(tmp_path,
                                                                              monkeypatch):
    """With a permissive umask, the default data folder is made 0700 and the database with its
    -wal and -shm 0600; a file left 0644 by an older casecoach is made 0600 on opening."""
    from casecoach import store as store_module

    monkeypatch.setenv("CASECOACH_DATA", str(tmp_path / "new" / "data"))
    monkeypatch.delenv("CASECOACH_DB_URL", raising=False)
    old_umask = os.umask(0o022)
    try:
        store = Store.open(store_module.database_url())
        store.save_draft("ana", "chart", "marcus-art", {"v": 1})
        folder = tmp_path / "new" / "data"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
        assert {"casecoach.sqlite", "casecoach.sqlite-wal", "casecoach.sqlite-shm"} <= set(files)
        assert set(files.values()) == {0o600}, files
        store.engine.dispose()

        old = tmp_path / "old.sqlite"
        sqlite3.connect(old).execute("CREATE TABLE t (x)").connection.close()
        old.chmod(0o644)
        Store.open(_url(old)).engine.dispose()
        assert stat.S_IMODE(old.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


# --- a PostgreSQL server of the test's own, stopped and started again --------------------------

class OwnPostgres:
    """A PostgreSQL cluster started by scripts/postgres-test-server in its own folder; stop() and
    start() run pg_ctl on it (as the cluster's owner), keeping its port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="cc-pg-", dir="/tmp"))
        self.dir.rmdir()
        done = subprocess.run([str(REPO / "scripts" / "postgres-test-server"), "start",
                               str(self.dir)], capture_output=True, text=True, timeout=180)
        if done.returncode:
            raise RuntimeError(f"postgres-test-server failed: {done.stderr[-2000:]}")
        self.url = done.stdout.strip().splitlines()[-1]
        self.port = self.url.rsplit(":", 1)[1].split("/")[0]
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1].parent \
            if Path("/usr/lib/postgresql").exists() else Path(shutil.which("pg_ctl")).parent

    def _pg_ctl(self, *args: str) -> None:
        cmd = [str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        self._pg_ctl("-l", str(self.dir / "server.log"), "-w", "-t", "60", "-o",
                     f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir / 'socket'}",
                     "start")

    def remove(self) -> None:
        subprocess.run([str(REPO / "scripts" / "postgres-test-server"), "stop", str(self.dir)],
                       capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def own_pg():
    """A PostgreSQL of this module's own (never the shared one), removed after it."""
    try:
        server = OwnPostgres()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        if _under_ci():
            pytest.fail(f"cannot start a PostgreSQL for the stop/start tests: {exc}")
        pytest.skip(f"cannot start a PostgreSQL for the stop/start tests: {exc}")
    yield server
    server.remove()


@pytest.fixture
def pg_store(own_pg):
    """A store on the module's PostgreSQL, with the server running at the start and the end."""
    store = Store.open(own_pg.url)
    yield store
    try:
        own_pg.start()
    except subprocess.CalledProcessError:
        pass  # already running
    store.engine.dispose()


def test_a_stopped_postgresql_is_reported_and_the_first_call_after_its_restart_works(own_pg,
                                                                                     pg_store):
    """With the server stopped, a submit raises StoreUnavailable (unreachable) naming the server
    and keeps nothing half done; watchers hear of it. Once it runs again, the very first call
    works (stale pooled connections are replaced) and the watchers hear it is back."""
    heard = []
    pg_store.watch(heard.append)
    exercise = pg_store.create_exercise(ex.new_code(), "marcus-art", "rg-housing", "sup")
    assert pg_store.submit(exercise, "ana", "Marcus will view 2 rooms within 30 days.") == 1
    own_pg.stop()
    with pytest.raises(StoreUnavailable) as caught:
        pg_store.submit(exercise, "ana", "Marcus will view 3 rooms within 30 days.")
    assert caught.value.kind == "unreachable" and f"127.0.0.1" in str(caught.value)
    assert "does not answer" in str(caught.value) and "postgres@" not in str(caught.value)
    with pytest.raises(StoreUnavailable):
        pg_store.record_progress("ana", "07-join-exercise", attempts=1)
    assert [p.kind for p in heard] == ["unreachable"]
    own_pg.start()
    assert pg_store.submit(exercise, "ana", "Marcus will view 3 rooms within 30 days.") == 2
    assert heard[-1] is None and pg_store.problem is None
    assert [r["revision"] for r in pg_store.submissions_for(exercise)] == [2]


def test_a_draft_that_could_not_be_saved_while_postgresql_was_down_is_saved_once_it_is_back(
        own_pg, pg_store):
    """A draft typed while the server is stopped is refused; once the server runs again, the
    next call that works (here the pages' retry, a ping) saves it by itself, and a draft saved
    again meanwhile is not overwritten by the older one."""
    pg_store.save_draft("ana", "chart", "marcus-art", {"v": 1})
    own_pg.stop()
    with pytest.raises(StoreUnavailable):
        pg_store.save_draft("ana", "chart", "marcus-art", {"v": 2})
    with pytest.raises(StoreUnavailable):
        pg_store.save_draft("ana", "chart", "jade-diploma", {"v": "old"})
    with pytest.raises(StoreUnavailable):
        pg_store.ping()
    own_pg.start()
    pg_store.save_draft("ana", "chart", "jade-diploma", {"v": "new"})   # the first call back
    assert pg_store.load_draft("ana", "chart", "marcus-art") == {"v": 2}
    assert pg_store.load_draft("ana", "chart", "jade-diploma") == {"v": "new"}


# --- the pages' views while the store fails ---------------------------------------------------

def test_a_trainee_submission_waits_while_postgresql_is_down_and_is_sent_when_it_is_back(
        own_pg, pg_store):
    """The join page says "Submitted" only once the store has the text: with the server down it
    says the text is kept and will be sent, and the next try after the restart stores it."""
    from widgets.group import SupervisorWall, TraineeExercise

    wall = SupervisorWall(store=pg_store, supervisor="sup")
    wall.start("marcus-art", "rg-housing")
    page = TraineeExercise(store=pg_store, trainee="ana")
    page.join(wall.exercise.code)
    page.coach.value = "Within 30 days, Marcus will view 2 rooms with support from Denise."
    assert page.submit() == 1 and "Submitted." in page._message.value
    page.coach.value = "Within 30 days, Marcus will view 3 rooms with support from Denise."
    assert "Changed since revision 1" in page._message.value   # no stale "Submitted."

    own_pg.stop()
    assert page.submit() is None and page.pending
    assert "Not sent yet" in page._message.value and "Submitted" not in page._message.value
    assert page.coach.value.startswith("Within 30 days, Marcus will view 3 rooms")
    assert wall.poll() is False and "Last up to date at" in wall._message.value

    own_pg.start()
    page._send_again()   # what the page's timer does every few seconds
    assert not page.pending and page.revision == 2
    assert "Sent once the store answered again" in page._message.value
    assert wall.poll() is True and "up to date again" in wall._message.value
    assert [e.text for e in wall.entries] == [page.coach.value]


def test_every_page_says_so_when_its_store_cannot_be_opened(tmp_path, monkeypatch, read_only):
    """With a data folder that cannot be written, each page says so in its own place and raises
    nothing: the header's notice names the folder and what to do, the start page does not claim
    "not started", the progress table is a notice, Start and Join say why they did nothing, and
    the workspace says its plans cannot be listed."""
    from casecoach import store as store_module
    from widgets import _services
    from widgets.group import ProgressDashboard, StartPage, SupervisorWall, TraineeExercise
    from widgets.page import CourseHeader
    from widgets.plan_builder import Workspace

    folder = tmp_path / "data"
    folder.mkdir()
    read_only(folder)
    monkeypatch.setenv("CASECOACH_DATA", str(folder))
    monkeypatch.delenv("CASECOACH_DB_URL", raising=False)
    monkeypatch.setattr(_services, "_RETRY_SECONDS", 0.0)
    store_module.default_store.cache_clear()
    try:
        header = CourseHeader("00-start-here")
        shown = header.store_notice.value
        assert 'role="alert"' in shown and str(folder) in shown and "writable" in shown
        start = StartPage("ana")
        assert "not started" not in start._cards.value
        assert "progress not shown" in start._cards.value
        board = ProgressDashboard()
        assert board.table is None and "cannot be shown" in board._table.value
        assert board.export() == ""
        wall = SupervisorWall(supervisor="sup")
        wall.start("marcus-art", "rg-housing")
        assert "Could not start the exercise" in wall._message.value
        page = TraineeExercise(trainee="ana")
        page.join("ABCDE")
        assert "Could not join" in page._message.value
        workspace = Workspace(owner="cw")
        assert "cannot be listed" in workspace.status
    finally:
        store_module.default_store.cache_clear()


def test_a_page_whose_store_becomes_usable_says_so_and_its_views_catch_up(tmp_path, monkeypatch,
                                                                          read_only):
    """The header's notice tries the store again by itself: once the data folder can be written,
    it says the store works again, the workspace lists its plans and the start page its progress."""
    from casecoach import store as store_module
    from widgets import _services
    from widgets.group import StartPage
    from widgets.page import CourseHeader
    from widgets.plan_builder import Workspace

    folder = tmp_path / "data"
    folder.mkdir()
    store = Store.open(_url(folder / "casecoach.sqlite"))
    store.save_plan("cw", {"client_name": "Dana Price"})
    store.record_progress("ana", "01-smart-goals", attempts=2)
    store.engine.dispose()
    writable_again = read_only(folder)
    monkeypatch.setenv("CASECOACH_DATA", str(folder))
    monkeypatch.delenv("CASECOACH_DB_URL", raising=False)
    monkeypatch.setattr(_services, "_RETRY_SECONDS", 0.0)
    store_module.default_store.cache_clear()
    try:
        header = CourseHeader("05-workspace")
        workspace = Workspace(owner="cw")
        start = StartPage("ana")
        assert "cc-store-problem" in header.store_notice.value
        assert workspace._saved.options == () and "progress not shown" in start._cards.value
        writable_again()
        header.store_notice._retry()   # what its timer does every few seconds
        assert "cc-store-problem" not in header.store_notice.value
        assert "works again" in header.store_notice.value
        assert [label for label, _id in workspace._saved.options][0].startswith("Dana Price")
        assert "cannot be listed" not in workspace.status
        assert "progress not shown" not in start._cards.value
        assert "2 attempt" in start._cards.value
    finally:
        store_module.default_store.cache_clear()


def test_the_readme_says_where_client_data_lives_and_how_to_protect_and_recover_it():
    """The README names the store's file and modes, disk encryption and PostgreSQL access
    control, and has the section "A damaged store" that the store's notices point to."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where client data lives", 1)[1].split("\n## ", 1)[0]
    for words in ("data/casecoach.sqlite", "CASECOACH_DATA", "0700", "0600", "encrypted disk",
                  "pg_hba.conf", "scram-sha-256", "### A damaged store", ".recover"):
        assert words in section, words
    from casecoach._data import section as data_section

    wording = data_section("messages.yaml", "store")
    assert "README.md (A damaged store)" in wording["damaged_do"] + wording["set_aside_do"]
