"""The store's Alembic upgrades, from databases that old casecoach versions really wrote.

tests/data/old_stores/ holds, per schema version 1, 3, 4 and 5 (no casecoach had version 2), a
SQLite file and a pg_dump of a PostgreSQL database, both written by that version's own code
(README.md there says how). Each is opened with today's Store: upgraded to the head revision,
every row still there, readable and writable by today's code. PostgreSQL runs restore the dump
into a new database on CASECOACH_TEST_PG_URL's server (marker `postgresql`).
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from casecoach import exercises as ex
from casecoach import migrations
from casecoach.migrations.__main__ import main as migrations_command
from casecoach.errors import CasecoachError
from casecoach.store import SCHEMA_VERSION, StoreUnavailable, Store, metadata
from harness import REPO
from test_store_databases import _open_at, pg_server_url  # noqa: F401 (a fixture)

OLD = REPO / "tests" / "data" / "old_stores"
VERSIONS = (1, 3, 4, 5)
TABLES = ("casecoach_meta", "drafts", "plans", "progress", "exercises", "submissions",
          "submission_versions")


def _restore_dump(dump: Path, url: str) -> None:
    """Run a plain pg_dump file on a database, as psql would: psql's own backslash lines
    (pg_dump writes \\restrict and \\unrestrict around the dump) are psql's, not SQL."""
    script = "\n".join(line for line in dump.read_text(encoding="utf-8").splitlines()
                       if not line.startswith("\\"))
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(script)
    finally:
        engine.dispose()


@pytest.fixture
def old_store_url(request, tmp_path):
    """old_store_url(kind, version): the URL of a copy of the old store, a SQLite file in
    tmp_path or a new PostgreSQL database restored from the dump (dropped after the test);
    version None: an empty database."""
    made: list[tuple[str, str]] = []

    def _make(kind: str, version: int | None) -> str:
        label = f"v{version}" if version else "new"
        if kind == "sqlite":
            path = tmp_path / f"store-{label}-{uuid.uuid4().hex[:6]}.sqlite"
            if version:
                shutil.copyfile(OLD / f"store-v{version}.sqlite", path)
            return f"sqlite:///{path}"
        server = request.getfixturevalue("pg_server_url")
        name = f"store_{label}_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        made.append((server, name))
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        if version:
            _restore_dump(OLD / f"store-v{version}.postgresql.sql", url)
        return url

    yield _make
    for server, name in made:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def open_store():
    """open_store(url): Store.open, its engine closed after the test."""
    opened: list[Store] = []

    def _open(url: str) -> Store:
        opened.append(Store.open(url))
        return opened[-1]

    yield _open
    for store in opened:
        store.engine.dispose()


KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
OLD_STORES = [pytest.param(kind, version, id=f"{kind}-v{version}", marks=marks)
              for kind, marks in (("sqlite", ()), ("postgresql", pytest.mark.postgresql))
              for version in VERSIONS]


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version too, when there is one), in key order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
                    for t in sorted(names & {*TABLES, "alembic_version"})}
    finally:
        engine.dispose()


def _model_differences(store: Store) -> list:
    """What autogenerate finds between store.py's tables and the database (types and server
    defaults compared too); [] when they match."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
        return compare_metadata(context, metadata)


def _current(store: Store) -> tuple[str, ...]:
    with store.engine.connect() as conn:
        return migrations.current(conn)


def _recorded(store: Store) -> str:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT value FROM casecoach_meta WHERE key = 'schema_version'")
                            ).scalar_one()


@pytest.mark.parametrize("kind,version", OLD_STORES)
def test_an_old_store_is_upgraded_to_head_and_keeps_every_row(old_store_url, open_store, kind,
                                                             version):
    """A store written by schema version N's casecoach opens at the head revision, its drafts,
    plans, progress, exercises and submissions all there as saved, and today's code writes it."""
    url = old_store_url(kind, version)
    assert "alembic_version" not in _rows(url)   # written before Alembic
    store = open_store(url)
    assert _current(store) == (migrations.head(),)
    assert _recorded(store) == str(SCHEMA_VERSION)
    assert store.load_draft("ana", "chart", "marcus-art") == {
        "now": "Sleeps on his sister Denise’s couch <b>for now</b>", "v": 2}
    assert store.load_draft("ben", "goal", "rg-housing") == {
        "text": "Within 4 weeks, Marcus will apply to 3 programs."}
    if version == 1:
        assert store.list_plans("cw") == [] and store.progress_rows() == []
        assert store.exercise("OLD23") is None
    else:
        _assert_version_3_rows(store, version)
    # Today's code on the upgraded store: every kind of write.
    store.save_draft("ana", "chart", "marcus-art", {"v": 3})
    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 3}
    plan = store.save_plan("cw", {"client_name": "New Client"})
    assert store.fetch_plan("cw", plan)[0].version == 1
    assert store.delete_plan("cw", plan) and store.restore_plan("cw", plan)
    exercise = ex.create(store, "marcus-art", "rg-housing", "sup")
    ex.submit(store, exercise, "Dee", "Within 3 weeks, Marcus will visit 2 shelters.")
    assert [e.trainee for e in ex.wall(store, exercise)] == ["Dee"]
    store.record_progress("dee", "01-goals", attempts=1)


def _assert_version_3_rows(store: Store, version: int) -> None:
    [dana] = store.list_plans("cw")
    saved, body = store.fetch_plan("cw", dana.id)
    assert (saved.client_name, body) == ("Dana Price", {"client_name": "Dana Price",
                                                        "note": "edited"})
    # Before version 5 a plan had no versions: an old plan reads as version 1 and edits from it.
    assert saved.version == (2 if version == 5 else 1)
    store.save_plan("cw", {"client_name": "Dana Price", "note": "today"}, dana.id,
                    version=saved.version)
    assert store.fetch_plan("cw", dana.id)[0].version == saved.version + 1
    [luis] = store.list_plans("cw2")
    assert store.load_plan("cw2", luis.id)["goals"] == [{"text": "Ámbito: empleo"}]
    # Version 5 deleted a plan by marking it: it can still be brought back. Earlier ones removed it.
    assert store.restore_plan("cw", 3) is (version == 5)
    assert [p.client_name for p in store.list_plans("cw")][-1:] == (
        ["Deleted Person"] if version == 5 else ["Dana Price"])
    progress = {(r["owner"], r["module"]): r for r in store.progress_rows()}
    assert set(progress) == {("ana", "01-goals"), ("ben", "02-language")}
    ana = progress["ana", "01-goals"]
    assert (ana["cohort"], ana["attempts"], ana["score"]) == ("spring", 2, 3)
    assert ana["completed_at"] is not None and progress["ben", "02-language"]["score"] is None
    goal = store.exercise("OLD23")
    assert (goal["kind"], goal["item"], goal["names_shown"], goal["spotlight"]) == (
        "goal", "rg-housing", 1, "Ana")   # before 4 every exercise was a goal exercise
    assert [(s["trainee"], s["revision"], s["text"]) for s in store.submissions_for(goal["id"])] \
        == [("Ana", 2, "Within 4 weeks, Marcus will apply to 3 housing programs."),
            ("Ben", 1, "Within 2 weeks, Marcus will call the housing office.")]
    # Version 6 keeps every version of an answer; one stored before it has only its latest,
    # as the version it was (Ana's second), never a made-up first.
    assert [(v["trainee"], v["revision"], v["text"]) for v in store.versions_for(goal["id"])] \
        == [("Ana", 2, "Within 4 weeks, Marcus will apply to 3 housing programs."),
            ("Ben", 1, "Within 2 weeks, Marcus will call the housing office.")]
    joined = ex.join(store, "OLD23")
    assert ex.submit(store, joined, "Ana", "Within 4 weeks, Marcus will apply to 4 programs.") == 3
    assert [(v["trainee"], v["revision"]) for v in store.versions_for(goal["id"])] == [
        ("Ana", 2), ("Ana", 3), ("Ben", 1)]
    row = store.exercise("ROW42")
    if version >= 4:
        assert (row["kind"], row["item"]) == ("chart_row", "housing")
        [cy] = store.submissions_for(row["id"])
        assert json.loads(cy["text"]) == {"now": "Sleeps on his sister's couch"}
        assert [e.trainee for e in ex.wall(store, ex.join(store, "ROW42"))] == ["Cy"]
    else:
        assert row is None


@pytest.mark.parametrize("kind,version", OLD_STORES)
def test_an_upgraded_old_store_matches_the_model_and_a_second_open_changes_nothing(
        old_store_url, open_store, kind, version):
    """After the upgrade the tables are exactly store.py's (autogenerate finds no difference),
    and opening the store again runs nothing and writes nothing."""
    url = old_store_url(kind, version)
    store = open_store(url)
    assert _model_differences(store) == []
    before = _rows(url)
    open_store(url)
    assert _rows(url) == before
    assert before["alembic_version"] == [(migrations.head(),)]


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_store_is_built_by_the_revisions_and_matches_the_model(old_store_url, open_store,
                                                                     kind):
    """A new database gets every revision from the first: it is at the head, records this
    program's schema version, and its tables are exactly store.py's."""
    url = old_store_url(kind, None)
    store = open_store(url)
    assert _current(store) == (migrations.head(),)
    assert _rows(url)["casecoach_meta"] == [("schema_version", str(SCHEMA_VERSION))]
    assert _model_differences(store) == []


def test_every_schema_version_is_one_revision_in_a_single_line():
    """The revisions run 1, 2, 3, ... one after the other, each named vN_..., one head, whose
    schema version is store.py's SCHEMA_VERSION."""
    chain = migrations.revisions()
    assert [v for v, _ in chain] == list(range(1, len(chain) + 1))
    assert all(revision.startswith(f"v{v}_") for v, revision in chain)
    assert migrations.scripts().get_heads() == [chain[-1][1]] == [migrations.head()]
    assert chain[-1][0] == SCHEMA_VERSION


@pytest.mark.parametrize("kind", KINDS)
def test_a_database_at_a_revision_this_program_does_not_know_is_refused(old_store_url,
                                                                        open_store, kind):
    """A database a newer casecoach upgraded (a revision not shipped here) is refused, saying
    which revision and where, and nothing in it changes."""
    url = old_store_url(kind, None)
    store = open_store(url)
    store.save_draft("ana", "k", "i", {"v": 1})
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'v9_from_the_future'"))
        conn.execute(text("UPDATE casecoach_meta SET value = :v"), {"v": str(SCHEMA_VERSION)})
    before = _rows(url)
    with pytest.raises(CasecoachError, match="schema revision v9_from_the_future .*which this "
                                             "program does not know.*upgrade casecoach") as caught:
        open_store(url)
    assert caught.value.file == store.location()
    assert _rows(url) == before


@pytest.mark.parametrize("kind,version", [p for p in OLD_STORES if p.values[1] == 5])
def test_an_old_database_recording_a_newer_schema_version_is_refused(old_store_url, open_store,
                                                                     kind, version):
    """A database without alembic_version whose casecoach_meta version is newer than this
    program's is refused as before, and left without an alembic_version table."""
    url = old_store_url(kind, version)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE casecoach_meta SET value = :v"), {"v": str(SCHEMA_VERSION + 1)})
    engine.dispose()
    before = _rows(url)
    with pytest.raises(CasecoachError, match=f"schema version {SCHEMA_VERSION + 1}, newer than "
                                             f"this program's {SCHEMA_VERSION}: upgrade"):
        open_store(url)
    assert _rows(url) == before and "alembic_version" not in before


@pytest.mark.parametrize("kind", KINDS)
def test_casecoach_tables_without_a_recorded_version_are_refused(old_store_url, open_store,
                                                                 kind):
    """Tables named like casecoach's but no schema version: casecoach cannot tell what they are,
    so it says so and changes nothing (it does not guess, nor build over them)."""
    url = old_store_url(kind, None)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE drafts (id INTEGER PRIMARY KEY, note TEXT)"))
        conn.execute(text("INSERT INTO drafts VALUES (1, 'not ours')"))
    engine.dispose()
    with pytest.raises(CasecoachError, match=r"casecoach's tables \(drafts\) but no recorded "
                                             r"schema version"):
        open_store(url)
    assert _rows(url) == {"drafts": [(1, "not ours")]}


@pytest.mark.parametrize("kind,version", [p for p in OLD_STORES if p.values[1] == 3])
def test_an_upgrade_that_fails_midway_leaves_the_old_database_as_it_was(old_store_url,
                                                                        open_store, kind,
                                                                        version):
    """When a step fails (here version 4's new column, which someone already added by hand),
    the opening says so as the store's error, and the database is still at version 3: the stamp
    and the steps before the failure are rolled back with it."""
    url = old_store_url(kind, version)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE exercises ADD COLUMN kind VARCHAR(16)"))
    engine.dispose()
    before = _rows(url)
    with pytest.raises(StoreUnavailable) as caught:
        open_store(url)
    assert caught.value.kind == "failed" and "kind" in caught.value.detail
    assert str(caught.value).startswith("the store could not be opened: ")
    assert _rows(url) == before and "alembic_version" not in before


@pytest.mark.parametrize("kind", KINDS)
def test_page_kernels_opening_an_old_store_at_once_upgrade_it_once(old_store_url, kind):
    """After casecoach is upgraded, the page kernels all start on the old database together:
    of eight processes opening a version 3 store at the same moment, every one opens it, and
    it is upgraded once (each row still there once)."""
    url = old_store_url(kind, 3)
    before = _rows(url)
    context = multiprocessing.get_context("fork")
    start = time.time() + 1.0
    with context.Pool(8) as pool:
        results = pool.starmap(_open_at, [(url, start)] * 8)
    assert results == ["opened"] * 8, results
    after = _rows(url)
    assert after["alembic_version"] == [(migrations.head(),)]
    assert [r[:3] for r in after["submissions"]] == [r[:3] for r in before["submissions"]]
    assert after["drafts"] == before["drafts"]


@pytest.mark.parametrize("kind,version", [p for p in OLD_STORES if p.values[1] == 5])
def test_downgrading_to_version_4_keeps_the_plans_and_records_version_4(
        old_store_url, open_store, kind, version):
    """`python -m casecoach.migrations downgrade`: back at version 4 the plans are all there (a
    plan marked deleted is kept, shown again), casecoach_meta says 4, and the next opening
    brings the store to the head again."""
    url = old_store_url(kind, version)
    open_store(url)
    assert migrations_command(["--url", url, "downgrade", "v4_exercise_kind"]) == 0
    engine = create_engine(url)
    with engine.connect() as conn:
        assert migrations.current(conn) == ("v4_exercise_kind",)
        # what a casecoach from before Alembic reads: version 4's opens it
        assert conn.execute(text("SELECT value FROM casecoach_meta")).scalar_one() == "4"
        assert "version" not in {c["name"] for c in inspect(conn).get_columns("plans")}
        assert sorted(conn.execute(text("SELECT client_name FROM plans")).scalars()) == [
            "Dana Price", "Deleted Person", "Luis Ortega"]
    engine.dispose()
    store = open_store(url)
    assert _current(store) == (migrations.head(),) and _model_differences(store) == []
    assert [p.version for p in store.list_plans("cw")] == [1, 1]


def test_the_command_line_checks_the_model_and_shows_a_store_s_revision(tmp_path):
    """`python -m casecoach.migrations check` finds store.py and the head revision in step;
    `upgrade head` upgrades an old store as opening it does, and `current` names its revision.
    (Run in the repository, so that `-m` finds this tree's casecoach; nothing is written there.)"""
    run = [sys.executable, "-m", "casecoach.migrations"]
    checked = subprocess.run([*run, "check"], capture_output=True, text=True, cwd=REPO,
                             timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert "No new upgrade operations detected" in checked.stdout
    path = tmp_path / "old.sqlite"
    shutil.copyfile(OLD / "store-v1.sqlite", path)
    url = f"sqlite:///{path}"
    upgraded = subprocess.run([*run, "--url", url, "upgrade", "head"], capture_output=True,
                              text=True, cwd=REPO, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.strip() == f"{path.resolve()}: at {migrations.head()}"
    shown = subprocess.run([*run, "--url", url, "current"], capture_output=True, text=True,
                           cwd=REPO, timeout=120)
    assert shown.returncode == 0 and f"{migrations.head()} (head)" in shown.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_opening_a_store_at_this_version_does_not_load_alembic(old_store_url, kind):
    """Every page kernel opens the store: once it is at this program's revision, the opening
    sees so by itself and imports no Alembic (which costs a kernel ~0.2 s of CPU and 10 MB)."""
    url = old_store_url(kind, None)
    Store.open(url).engine.dispose()
    child = ("import sys; from casecoach.store import Store; Store.open(sys.argv[1]).engine"
             ".dispose(); print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('alembic', 'mako') or m.startswith('casecoach.migrations')))")
    opened = subprocess.run([sys.executable, "-c", child, url], capture_output=True, text=True,
                            cwd=REPO, timeout=120)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "[]"
