"""The store's behaviours on both databases it supports: SQLite (a file) and PostgreSQL (a server).

PostgreSQL runs come from CASECOACH_TEST_PG_URL (scripts/postgres-test-server prints one; .ci/run
and `make test-pg` start a throwaway server). Each test gets a fresh schema on that server. Without
the URL the PostgreSQL runs skip on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from casecoach import course
from casecoach import exercises as ex
from casecoach.errors import CasecoachError
from casecoach.store import SCHEMA_VERSION, StalePlan, Store, meta

PG_URL_VARIABLE = "CASECOACH_TEST_PG_URL"
TABLES = {"casecoach_meta", "drafts", "plans", "progress", "exercises", "submissions",
          "submission_versions"}


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """The PostgreSQL server of this run, checked once; skip (fail under CI) when there is none."""
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        if _under_ci():
            pytest.fail(f"{PG_URL_VARIABLE} is unset (CI=true: the PostgreSQL store tests must run; "
                        f".ci/run starts a server with scripts/postgres-test-server)")
        pytest.skip(f"{PG_URL_VARIABLE} is unset: PostgreSQL store tests skipped (`make test-pg`, or "
                    f"export {PG_URL_VARIABLE}=$(scripts/postgres-test-server))")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:   # a URL that was given but does not work is always an error
        pytest.fail(f"{PG_URL_VARIABLE}={url} does not answer: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request, tmp_path):
    """A store URL on an empty database: a new SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    server = request.getfixturevalue("pg_server_url")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # libpq's `options` puts every connection of the store in that schema.
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def open_store(db_url):
    """open_store(): Store.open on the test's database; every engine is closed after the test."""
    opened: list[Store] = []

    def _open() -> Store:
        opened.append(Store.open(db_url))
        return opened[-1]

    yield _open
    for store in opened:
        store.engine.dispose()


@pytest.fixture
def store(open_store) -> Store:
    """A store on the test's fresh database."""
    return open_store()


def refuse_writes(store: Store, table: str, column: str) -> None:
    """Make the database itself refuse any insert or update of `table` whose `column` has 'boom'.

    The refusal is real on each engine: a trigger that aborts the statement, as a full disk would.
    """
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            for event in ("INSERT", "UPDATE"):
                conn.execute(text(
                    f"CREATE TRIGGER refuse_{table}_{event.lower()} BEFORE {event} ON {table} "
                    f"WHEN NEW.{column} LIKE '%boom%' "
                    f"BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"))
        else:
            conn.execute(text(
                f"CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.{column} LIKE '%boom%' THEN RAISE EXCEPTION "
                f"'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; "
                f"END IF; RETURN NEW; END $$"))
            conn.execute(text(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION refuse_{table}()"))


def test_a_new_store_creates_its_tables_and_records_the_schema_version(open_store):
    """Opening an empty database creates every table and one schema_version row, and reopening adds none."""
    store = open_store()
    assert TABLES <= set(inspect(store.engine).get_table_names())
    open_store()
    with store.engine.connect() as conn:
        rows = conn.execute(select(meta.c.key, meta.c.value)).all()
    assert [tuple(r) for r in rows] == [("schema_version", str(SCHEMA_VERSION))]


def test_an_older_schema_version_is_brought_up_and_a_newer_one_refused(open_store):
    """A store recorded at version 1 is raised to this program's version; one from the future is refused."""
    store = open_store()
    with store.engine.begin() as conn:
        conn.execute(meta.update().values(value="1"))
    open_store()
    with store.engine.connect() as conn:
        assert conn.execute(select(meta.c.value)).scalar() == str(SCHEMA_VERSION)
    with store.engine.begin() as conn:
        conn.execute(meta.update().values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(CasecoachError, match=f"schema version {SCHEMA_VERSION + 1}"):
        open_store()


def test_a_chart_row_exercise_runs_on_the_store(store):
    """One chart row for the room: each trainee's cells come back with the row's review, the
    summary counts the key items found, the export has a column per cell, and bad rows say why."""
    exercise = ex.create(store, "marcus-art", "housing", "sup", kind=ex.CHART_ROW)
    assert (exercise.kind, exercise.domain, exercise.goal) == ("chart_row", "housing", None)
    joined = ex.join(store, exercise.code)
    ex.submit(store, joined, "Ana", {"now": "He is an addict sleeping on a couch"})
    ex.submit(store, joined, "Ben", {
        "now": "Sleeps on his sister Denise's couch; the lease does not allow a long stay",
        "wants": "“I want my own place, even just a room”",
        "strengths": "His sister Denise backs him",
        "barriers": "<b>No rental history</b> and a record, so landlords turn him down"})
    entries = ex.wall(store, exercise)
    ana, ben = entries
    assert ana.review.labels and not ben.review.labels
    assert len(ben.review.found) > len(ana.review.found)
    assert ben.cells["barriers"].startswith("<b>No rental")
    summary = {row.key: row.met for row in ex.room_summary(exercise, entries)}
    assert summary["no_labels"] == 1 and summary["own_words"] == 1
    key = next(k for k in exercise.scenario.raw["assessment_key"] if k["domain"] == "housing")
    assert set(key["facts"]) <= set(summary)
    csv = ex.export_csv(entries, names_shown=True, exercise=exercise).splitlines()
    assert csv[0].startswith("exercise,case,item,trainee,now,wants,strengths,barriers,revisions")
    assert csv[2].startswith(f"{exercise.code},marcus-art,housing,Ben,")
    for bad, message in (({}, "fill in at least one cell"),
                         ({"feelings": "x"}, "unknown column"),
                         ("just text", "expected the row's cells"),
                         ({"now": "x" * 6000}, r"row\.now: is 6000 characters")):
        with pytest.raises(CasecoachError, match=message):
            ex.submit(store, joined, "Cy", bad)
    with pytest.raises(CasecoachError, match="no key for the chart row 'nowhere'"):
        ex.create(store, "marcus-art", "nowhere", "sup", kind=ex.CHART_ROW)
    assert [e.trainee for e in ex.wall(store, exercise)] == ["Ana", "Ben"]


def test_drafts_round_trip_per_owner_kind_and_item(store):
    """A draft is loaded back as saved, replaced by the next save, kept apart per owner, and deletable."""
    assert store.load_draft("ana", "chart", "marcus-art") is None
    store.save_draft("ana", "chart", "marcus-art", {"v": 1, "note": "Renée’s draft"})
    store.save_draft("ana", "chart", "marcus-art", {"v": 2, "note": "Renée’s draft"})
    store.save_draft("ana", "priorities", "marcus-art", {"v": 7})
    store.save_draft("ben", "chart", "marcus-art", {"v": 9})
    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 2, "note": "Renée’s draft"}
    assert store.load_draft("ana", "priorities", "marcus-art") == {"v": 7}
    assert store.delete_draft("ana", "chart", "marcus-art") is True
    assert store.delete_draft("ana", "chart", "marcus-art") is False
    assert store.load_draft("ana", "chart", "marcus-art") is None
    assert store.load_draft("ben", "chart", "marcus-art") == {"v": 9}


def test_plans_are_saved_listed_reopened_edited_and_deleted(store):
    """Saved plans are listed newest first per owner, reopened, edited in place and deleted."""
    dana = store.save_plan("cw1", {"client_name": "Dana Price", "goals": []})
    lee = store.save_plan("cw1", {"client_name": "Lee Ortiz", "goals": []})
    store.save_plan("cw2", {"client_name": "Other Person"})
    assert [p.client_name for p in store.list_plans("cw1")] == ["Lee Ortiz", "Dana Price"]
    body = store.load_plan("cw1", dana)
    body["goals"] = [{"text": "Within 4 weeks, Dana will apply to 3 housing programs."}]
    assert store.save_plan("cw1", body, dana, version=1) == dana
    assert [p.id for p in store.list_plans("cw1")] == [dana, lee]
    assert store.load_plan("cw1", dana)["goals"] == body["goals"]
    with pytest.raises(CasecoachError, match="no saved plan"):
        store.load_plan("cw2", dana)
    with pytest.raises(CasecoachError, match="no saved plan"):
        store.save_plan("cw2", body, dana, version=2)
    assert store.delete_plan("cw1", dana) is True
    assert store.delete_plan("cw1", dana) is False
    assert [p.id for p in store.list_plans("cw1")] == [lee]


def test_a_failed_save_keeps_what_was_saved_before(store):
    """When the database refuses a draft, a plan or a submission, the error says so and nothing saved is lost."""
    store.save_draft("ana", "chart", "marcus-art", {"v": 1})
    plan = store.save_plan("cw", {"client_name": "Dana Price", "note": "first"})
    exercise = store.create_exercise("FAIL1", "marcus-art", "rg-housing", "sup")
    store.submit(exercise, "ana", "Within 4 weeks, Marcus will apply to 3 programs.")
    refuse_writes(store, "drafts", "body")
    refuse_writes(store, "plans", "body")
    refuse_writes(store, "submissions", "text")

    with pytest.raises(CasecoachError, match="what was saved before is unchanged"):
        store.save_draft("ana", "chart", "marcus-art", {"v": "boom"})
    with pytest.raises(CasecoachError, match="what was saved before is unchanged"):
        store.save_draft("ana", "chart", "other-case", {"v": "boom"})
    with pytest.raises(CasecoachError, match="what was saved before is unchanged"):
        store.save_plan("cw", {"client_name": "Dana Price", "note": "boom"}, plan, version=1)
    with pytest.raises(CasecoachError, match="what was saved before is unchanged"):
        store.save_plan("cw", {"client_name": "New Client", "note": "boom"})
    with pytest.raises(CasecoachError, match="earlier submission, if any, is unchanged"):
        store.submit(exercise, "ana", "boom")

    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 1}
    assert store.load_draft("ana", "chart", "other-case") is None
    assert [p.client_name for p in store.list_plans("cw")] == ["Dana Price"]
    assert store.load_plan("cw", plan)["note"] == "first"
    [row] = store.submissions_for(exercise)
    assert (row["text"], row["revision"]) == ("Within 4 weeks, Marcus will apply to 3 programs.", 1)
    store.save_draft("ana", "chart", "marcus-art", {"v": 2})   # the store still works afterwards
    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 2}


def test_progress_records_start_attempts_score_and_completion(store):
    """Progress is started once per trainee and module, attempts add up, and completion is kept."""
    store.record_progress("ana", "01-smart-goals", cohort="spring", attempts=2)
    store.record_progress("ana", "01-smart-goals", attempts=3, score=80, completed=True)
    store.record_progress("ana", "01-smart-goals", attempts=1)
    store.record_progress("ben", "02-assessment", cohort="spring")
    rows = store.progress_rows()
    assert [(r["owner"], r["module"], r["cohort"], r["attempts"], r["score"]) for r in rows] == [
        ("ana", "01-smart-goals", "spring", 6, 80), ("ben", "02-assessment", "spring", 0, None)]
    assert rows[0]["completed_at"] is not None and rows[1]["completed_at"] is None
    assert [r["owner"] for r in store.progress_rows("ben")] == ["ben"]
    table = ex.progress_table(store, ["01-smart-goals", "02-assessment"])
    assert table.to_dict("records") == [
        {"cohort": "spring", "trainee": "ana", "01-smart-goals": "done", "02-assessment": ""},
        {"cohort": "spring", "trainee": "ben", "01-smart-goals": "", "02-assessment": "started"}]
    # A score is shown with what it is out of, which the trainee's note keeps.
    course.save_note(store, "ana", course.Note("01-smart-goals", "the drill", score=7, out_of=10,
                                               slot="drill", open=False))
    table = ex.progress_table(store, ["01-smart-goals"])
    assert table.to_dict("records")[0]["01-smart-goals"] == "done (7/10)"


def test_exercise_submissions_count_revisions_and_list_oldest_first(store):
    """Each trainee keeps one submission whose revision counts their sends; the list is oldest first."""
    exercise = store.create_exercise("ABCDE", "marcus-art", "rg-housing", "sup")
    assert store.exercise("ABCDE")["id"] == exercise and store.exercise("NOPE1") is None
    with pytest.raises(CasecoachError, match="could not create the exercise"):
        store.create_exercise("ABCDE", "marcus-art", "rg-housing", "sup")
    assert store.submissions_for(exercise) == []
    assert store.submit(exercise, "ana", "Marcus will find housing.") == 1
    assert store.submit(exercise, "ben", "Within 4 weeks, Marcus will apply to 3 programs.") == 1
    assert store.submit(exercise, "ana", "Within 30 days, Marcus will view 2 rooms with Denise.") == 2
    assert store.submit(exercise, "ana", "Within 30 days, Marcus will view 2 rooms, with Denise.") == 3
    rows = store.submissions_for(exercise)
    assert [(r["trainee"], r["revision"], r["text"]) for r in rows] == [
        ("ben", 1, "Within 4 weeks, Marcus will apply to 3 programs."),
        ("ana", 3, "Within 30 days, Marcus will view 2 rooms, with Denise.")]
    assert rows[0]["submitted_at"] <= rows[1]["submitted_at"]
    other = store.create_exercise("FGHJK", "marcus-art", "rg-peers", "sup")
    assert store.submissions_for(other) == []
    store.update_exercise(exercise, names_shown=1, spotlight="ana")
    row = store.exercise("ABCDE")
    assert (row["names_shown"], row["spotlight"], row["closed_at"]) == (1, "ana", None)
    with pytest.raises(CasecoachError, match="cannot change"):
        store.update_exercise(exercise, code="ZZZZZ")


def test_the_group_exercise_flow_runs_on_the_store(store):
    """A supervisor's exercise is joined by its code, fills the wall with reviews, exports, and closes."""
    exercise = ex.create(store, "marcus-art", "rg-housing", "sup")
    joined = ex.join(store, " " + exercise.code.lower() + " ")
    assert joined.id == exercise.id and joined.goal.id == "rg-housing"
    ex.submit(store, joined, "Ana", "Parolee must find suitable housing.")
    ex.submit(store, joined, "Ben", "Within 4 weeks, Marcus will apply to at least 3 fair-chance "
                                    "housing programs, with support from his sister Denise.")
    entries = ex.wall(store, exercise)
    assert [(e.trainee, e.revision) for e in entries] == [("Ana", 1), ("Ben", 1)]
    assert [e.review.strengths_based for e in entries] == [False, True]
    assert ex.export_csv(entries, names_shown=False).splitlines()[1].startswith(",,,Trainee 1,")
    ex.set_state(store, exercise, closed=True)
    with pytest.raises(CasecoachError, match="closed"):
        ex.submit(store, joined, "Ana", "Within 2 weeks, Marcus will view a room.")


def test_concurrent_submits_from_many_trainees_are_all_stored(store):
    """Eight trainees submitting ten revisions each at once lose nothing and see their own counts."""
    exercise = store.create_exercise("CONC1", "marcus-art", "rg-housing", "sup")
    trainees, sends = 8, 10
    start = threading.Barrier(trainees)
    returned: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def trainee(name: str) -> None:
        start.wait()
        try:
            returned[name] = [store.submit(exercise, name, f"Within {n + 1} weeks, Marcus will "
                                           f"apply to {n + 3} housing programs.")
                              for n in range(sends)]
        except BaseException as exc:  # reported below, with the others'
            errors.append(exc)

    threads = [threading.Thread(target=trainee, args=(f"trainee-{i}",)) for i in range(trainees)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert returned == {f"trainee-{i}": list(range(1, sends + 1)) for i in range(trainees)}
    rows = store.submissions_for(exercise)
    assert sorted((r["trainee"], r["revision"]) for r in rows) == [
        (f"trainee-{i}", sends) for i in range(trainees)]
    assert all(r["text"].startswith(f"Within {sends} weeks") for r in rows)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM submissions")).scalar() == trainees


def test_concurrent_submits_under_one_name_count_every_revision(store):
    """Two pages sending under one trainee name at once still count every send as a revision."""
    exercise = store.create_exercise("SAME1", "marcus-art", "rg-housing", "sup")
    pages, sends = 6, 10
    start = threading.Barrier(pages)
    errors: list[BaseException] = []

    def page() -> None:
        start.wait()
        for n in range(sends):
            try:
                store.submit(exercise, "Sam", f"Within {n + 1} weeks, Marcus will view a room.")
            except CasecoachError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=page) for _ in range(pages)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert [r["revision"] for r in store.submissions_for(exercise)] == [pages * sends]
    # Every send is a version of its own, numbered once each, none lost to the race.
    assert [v["revision"] for v in store.versions_for(exercise)] == list(range(1, pages * sends + 1))


def test_every_version_of_an_answer_is_kept_and_exported_while_the_wall_shows_the_latest(store):
    """Each submit keeps its text, revision and time as a version; the wall shows each trainee's
    latest, and the CSV has one row per version (latest marked, times with their zone, every
    version's formula cells neutralised), trainees in the wall's order."""
    import csv
    import io

    exercise = ex.create(store, "marcus-art", "rg-housing", "sup")
    texts = ["=1+2 Marcus will find housing.",
             "Within 4 weeks, Marcus will apply to 3 housing programs.",
             "Within 4 weeks, Marcus will apply to 3 housing programs with his sister Denise."]
    ex.submit(store, exercise, "Ana", texts[0])
    ex.submit(store, exercise, "-Ben", "Within 2 weeks, Marcus will call the housing office.")
    ex.submit(store, exercise, "Ana", texts[1])
    ex.submit(store, exercise, "Ana", texts[2])
    versions = store.versions_for(exercise.id)
    assert [(v["trainee"], v["revision"], v["text"]) for v in versions] == [
        ("Ana", 1, texts[0]), ("Ana", 2, texts[1]), ("Ana", 3, texts[2]),
        ("-Ben", 1, "Within 2 weeks, Marcus will call the housing office.")]
    assert versions[0]["submitted_at"] <= versions[1]["submitted_at"] <= versions[2]["submitted_at"]
    assert [(e.trainee, e.revision, e.text) for e in ex.wall(store, exercise)] == [
        ("Ana", 3, texts[2]), ("-Ben", 1, "Within 2 weeks, Marcus will call the housing office.")]
    history = ex.history(store, exercise)
    assert [(e.trainee, e.revision, e.latest) for e in history] == [
        ("Ana", 1, False), ("Ana", 2, False), ("Ana", 3, True), ("-Ben", 1, True)]
    assert [e.review.strengths_based for e in history][:3] == [False, False, True]
    rows = list(csv.DictReader(io.StringIO(ex.export_csv(history, True, exercise))))
    assert [(r["trainee"], r["version"], r["revisions"], r["latest"]) for r in rows] == [
        ("Ana", "1", "3", "False"), ("Ana", "2", "3", "False"), ("Ana", "3", "3", "True"),
        ("'-Ben", "1", "1", "True")]
    assert rows[0]["rewrite"] == "'" + texts[0] and rows[2]["rewrite"] == texts[2]
    assert all(r["submitted_at"].endswith("+00:00") for r in rows)
    hidden = list(csv.DictReader(io.StringIO(ex.export_csv(history, False, exercise))))
    assert [r["trainee"] for r in hidden] == ["Trainee 1"] * 3 + ["Trainee 2"]


def test_a_save_made_on_an_older_version_of_a_plan_is_refused_and_changes_nothing(store):
    """Two edits of version 1: the first becomes version 2, the second is refused as stale with
    the stored version named, and the stored body is the first edit's."""
    plan = store.save_plan("cw", {"client_name": "Dana Price", "note": "v1"})
    assert [p.version for p in store.list_plans("cw")] == [1]
    assert store.save_plan("cw", {"client_name": "Dana Price", "note": "tab A"}, plan,
                           version=1) == plan
    with pytest.raises(StalePlan, match="version 2") as refused:
        store.save_plan("cw", {"client_name": "Dana Price", "note": "tab B"}, plan, version=1)
    assert (refused.value.version, refused.value.current) == (1, 2)
    saved, body = store.fetch_plan("cw", plan)
    assert (saved.version, body["note"]) == (2, "tab A")
    with pytest.raises(CasecoachError, match="needs the version"):
        store.save_plan("cw", {"client_name": "Dana Price"}, plan)
    copy = store.save_plan("cw", {"client_name": "Dana Price (copy)", "note": "tab B"})
    assert copy != plan and store.fetch_plan("cw", copy)[0].version == 1


def test_of_two_saves_racing_on_one_version_exactly_one_wins(store):
    """Six pages saving the same version at once: one save is stored, the five others are
    refused as stale, and the plan ends at version 2."""
    plan = store.save_plan("cw", {"client_name": "Dana Price", "note": "v1"})
    pages = 6
    start = threading.Barrier(pages)
    won: list[str] = []
    stale: list[str] = []
    errors: list[BaseException] = []

    def page(n: int) -> None:
        start.wait()
        try:
            store.save_plan("cw", {"client_name": "Dana Price", "note": f"page {n}"}, plan,
                            version=1)
            won.append(f"page {n}")
        except StalePlan:
            stale.append(f"page {n}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=page, args=(n,)) for n in range(pages)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(won) == 1 and len(stale) == pages - 1
    saved, body = store.fetch_plan("cw", plan)
    assert (saved.version, body["note"]) == (2, won[0])


def test_a_deleted_plan_can_be_restored_until_it_is_purged(store):
    """Delete hides a plan from the list and from opening; restore brings it back whole; a purge
    removes it for good, and a save made on it meanwhile is refused as stale."""
    from datetime import timedelta

    plan = store.save_plan("cw", {"client_name": "Dana Price", "note": "v1"})
    other = store.save_plan("cw", {"client_name": "Lee Ortiz"})
    assert store.delete_plan("cw", plan) is True
    assert [p.id for p in store.list_plans("cw")] == [other]
    with pytest.raises(CasecoachError, match="no saved plan"):
        store.fetch_plan("cw", plan)
    with pytest.raises(StalePlan, match="deleted") as refused:
        store.save_plan("cw", {"client_name": "Dana Price", "note": "late"}, plan, version=1)
    assert refused.value.current is None
    assert store.restore_plan("cw2", plan) is False
    assert store.restore_plan("cw", plan) is True and store.restore_plan("cw", plan) is False
    assert store.load_plan("cw", plan)["note"] == "v1"
    store.delete_plan("cw", plan)
    assert store.purge_deleted("cw", older_than=timedelta(seconds=60)) == 0
    assert store.purge_deleted("cw") == 1
    assert store.restore_plan("cw", plan) is False
    assert [p.id for p in store.list_plans("cw")] == [other]
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM plans")).scalar() == 1


def test_a_version_4_database_gains_plan_versions_and_keeps_its_plans(db_url, open_store):
    """Plans as version 4 wrote them (no version, no deletion time) are upgraded in place: each
    reads as version 1, can be edited from it, and can be deleted and restored."""
    from datetime import datetime, timezone

    from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text

    old = MetaData()
    Table("casecoach_meta", old, Column("key", String(64), primary_key=True),
          Column("value", String(255), nullable=False))
    Table("plans", old, Column("id", Integer, primary_key=True),
          Column("owner", String(200), nullable=False, index=True),
          Column("client_name", String(200), nullable=False),
          Column("body", Text, nullable=False),
          Column("created_at", DateTime(timezone=True), nullable=False),
          Column("updated_at", DateTime(timezone=True), nullable=False))
    # Version 4 had group answers too, which the upgrade to 6 gives a history (real version 4
    # stores with every table: tests/test_store_migrations.py).
    Table("submissions", old, Column("id", Integer, primary_key=True),
          Column("exercise_id", Integer, nullable=False, index=True),
          Column("trainee", String(200), nullable=False), Column("text", Text, nullable=False),
          Column("revision", Integer, nullable=False),
          Column("submitted_at", DateTime(timezone=True), nullable=False))
    engine = create_engine(db_url)
    try:
        old.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO casecoach_meta (key, value) VALUES "
                              "('schema_version', '4')"))
            conn.execute(text("INSERT INTO plans (owner, client_name, body, created_at, "
                              "updated_at) VALUES ('cw', 'Dana Price', :body, :now, :now)"),
                         {"body": '{"client_name": "Dana Price", "note": "old"}',
                          "now": datetime.now(timezone.utc)})
    finally:
        engine.dispose()
    store = open_store()
    assert {"version", "deleted_at"} <= {c["name"] for c in
                                         inspect(store.engine).get_columns("plans")}
    with store.engine.connect() as conn:
        assert conn.execute(select(meta.c.value)).scalar() == str(SCHEMA_VERSION)
    [saved] = store.list_plans("cw")
    assert (saved.client_name, saved.version) == ("Dana Price", 1)
    store.save_plan("cw", {"client_name": "Dana Price", "note": "new"}, saved.id, version=1)
    assert store.fetch_plan("cw", saved.id)[0].version == 2
    assert store.delete_plan("cw", saved.id) and store.restore_plan("cw", saved.id)
    open_store()  # a second upgrade finds nothing to do


def test_the_store_says_where_it_keeps_plans_without_a_password(db_url, store):
    """The location is the SQLite file's full path, or the database's kind, host and name with
    no user name or password."""
    from sqlalchemy.engine import make_url

    where = store.location()
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        assert where == str(Path(url.database).resolve())
    else:
        assert where == f"postgresql://{url.host}/{url.database}"
        assert "@" not in where and (not url.password or url.password not in where)
        secret = Store.open(url.set(password="s3cret-pw").render_as_string(hide_password=False))
        assert "s3cret-pw" not in secret.location() and "postgres" not in secret.location()[10:]
        secret.engine.dispose()


def _open_at(url: str, start: float) -> str:
    """In a process of its own (a page kernel): wait for the common start, then open the store."""
    import time

    while time.time() < start:
        pass
    try:
        Store.open(url).engine.dispose()
        return "opened"
    except CasecoachError as exc:
        return str(exc)


def test_page_kernels_opening_a_new_store_at_once_all_open_it(db_url):
    """Voila starts its preheated kernels together, and each opens the store: of eight processes
    creating the tables of a new database at the same moment, every one opens it."""
    import multiprocessing
    import time

    context = multiprocessing.get_context("fork")
    for _round in range(3):
        if _round:   # a fresh database each round: only its first opening creates tables
            if db_url.startswith("sqlite"):
                Path(make_url(db_url).database).unlink()
                for extra in ("-wal", "-shm"):
                    Path(make_url(db_url).database + extra).unlink(missing_ok=True)
            else:
                engine = create_engine(db_url)
                with engine.begin() as conn:
                    for table in inspect(conn).get_table_names():
                        conn.execute(text(f'DROP TABLE "{table}" CASCADE'))
                engine.dispose()
        start = time.time() + 1.0
        with context.Pool(8) as pool:
            results = pool.starmap(_open_at, [(db_url, start)] * 8)
        assert results == ["opened"] * 8, results
