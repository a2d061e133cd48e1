"""The store: drafts and saved work in SQLite (a data folder, no set-up) or any SQLAlchemy database."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import (Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text,
                        UniqueConstraint, create_engine, event, select)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from casecoach import identity
from casecoach._data import section
from casecoach.errors import CasecoachError

# 1: drafts. 2: saved plans of real clients (the workspace). 3: progress, group exercises.
# 4: an exercise's kind (a referral goal to rewrite, or one chart row to fill in).
# 5: a saved plan's version (a save made on an older one is refused) and its deletion time (a
#    deleted plan can be brought back until it is purged).
# 6: every version of each group-exercise answer (submission_versions), not only the latest.
# Each version is an Alembic revision in casecoach/migrations/versions (README.md there says how to
# add one); the tables below are the head revision's, and a test holds the two to each other.
SCHEMA_VERSION = 6
_REPO = Path(__file__).resolve().parents[1]

metadata = MetaData()
meta = Table("casecoach_meta", metadata,
             Column("key", String(64), primary_key=True),
             Column("value", String(255), nullable=False))
drafts = Table("drafts", metadata,
               Column("id", Integer, primary_key=True),
               Column("owner", String(200), nullable=False),
               Column("kind", String(64), nullable=False),
               Column("item", String(200), nullable=False),
               Column("body", Text, nullable=False),
               Column("updated_at", DateTime(timezone=True), nullable=False),
               UniqueConstraint("owner", "kind", "item", name="uq_draft"))
plans = Table("plans", metadata,
              Column("id", Integer, primary_key=True),
              Column("owner", String(200), nullable=False, index=True),
              Column("client_name", String(200), nullable=False),
              Column("body", Text, nullable=False),
              Column("created_at", DateTime(timezone=True), nullable=False),
              Column("updated_at", DateTime(timezone=True), nullable=False),
              Column("version", Integer, nullable=False, default=1, server_default="1"),
              Column("deleted_at", DateTime(timezone=True)))


progress = Table("progress", metadata,
                 Column("id", Integer, primary_key=True),
                 Column("owner", String(200), nullable=False),
                 Column("cohort", String(64), nullable=False, default=""),
                 Column("module", String(64), nullable=False),
                 Column("started_at", DateTime(timezone=True), nullable=False),
                 Column("completed_at", DateTime(timezone=True)),
                 Column("attempts", Integer, nullable=False, default=0),
                 Column("score", Integer),
                 UniqueConstraint("owner", "module", name="uq_progress"))
exercises = Table("exercises", metadata,
                  Column("id", Integer, primary_key=True),
                  Column("code", String(16), nullable=False, unique=True),
                  Column("scenario_id", String(100), nullable=False),
                  Column("kind", String(16), nullable=False, default="goal",
                         server_default="goal"),
                  Column("item", String(100), nullable=False),
                  Column("created_by", String(200), nullable=False),
                  Column("created_at", DateTime(timezone=True), nullable=False),
                  Column("closed_at", DateTime(timezone=True)),
                  Column("names_shown", Integer, nullable=False, default=0),
                  Column("spotlight", String(200)))
submissions = Table("submissions", metadata,
                    Column("id", Integer, primary_key=True),
                    Column("exercise_id", Integer, nullable=False, index=True),
                    Column("trainee", String(200), nullable=False),
                    Column("text", Text, nullable=False),
                    Column("revision", Integer, nullable=False),
                    Column("submitted_at", DateTime(timezone=True), nullable=False),
                    UniqueConstraint("exercise_id", "trainee", name="uq_submission"))
# Every version of each answer, as submitted (submissions keeps the latest for the wall). An
# answer from before version 6 has only its latest text here: the earlier ones were never kept.
submission_versions = Table(
    "submission_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", name="fk_version_submission",
                                                ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("submission_id", "revision", name="uq_submission_version"))


@dataclass(frozen=True)
class SavedPlan:
    """A plan as listed in the workspace; `version` counts its saves (1 = first)."""

    id: int
    client_name: str
    updated_at: datetime
    version: int = 1


class StalePlan(CasecoachError):
    """A save made on an older version of a saved plan than the one stored (another tab saved
    since, or deleted it): refused, so that neither edit is lost without the user choosing."""

    def __init__(self, plan_id: int, version: int, current: int | None) -> None:
        self.plan_id, self.version, self.current = plan_id, version, current
        what = (f"it was deleted since version {version} was opened" if current is None else
                f"it was saved again (version {current}) since version {version} was opened")
        super().__init__(f"saved plan {plan_id} has changed: {what}", field="plan")


def data_dir() -> Path:
    """Where the default SQLite file lives: $CASECOACH_DATA, else data/ in the project."""
    return Path(os.environ.get("CASECOACH_DATA", _REPO / "data"))


def database_url() -> str:
    """$CASECOACH_DB_URL (any SQLAlchemy URL, e.g. PostgreSQL), else SQLite in the data folder."""
    url = os.environ.get("CASECOACH_DB_URL")
    if url:
        return url
    folder = data_dir()
    try:
        # Client plans live here: readable by the user who runs casecoach only (umask aside).
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise StoreUnavailable(_kind_of_os_error(exc), str(folder), exc.strerror or str(exc),
                               folder=str(folder)) from exc
    return f"sqlite:///{folder / 'casecoach.sqlite'}"


# --- what is wrong with a store, in words a trainer can act on (messages.yaml, store) ---------

class StoreUnavailable(CasecoachError):
    """The store cannot be opened, read or written right now: `kind` says why (unreachable, full,
    read_only, damaged, busy, failed), `where` which file or server. Nothing already stored
    changed; the message says what to do."""

    def __init__(self, kind: str, where: str, detail: str = "", *, doing: str = "",
                 folder: str = "") -> None:
        self.kind, self.where, self.detail, self.doing = kind, where, detail, doing
        self.folder = folder or (str(Path(where).parent) if where.startswith("/") else "")
        wording = section("messages.yaml", "store")
        fields = {"where": where, "detail": detail or "no detail given", "folder": self.folder}
        self.what = wording[kind].format(**fields)
        self.todo = wording[f"{kind}_do"].format(**fields)
        super().__init__((f"{doing}: " if doing else "") + f"{self.what} {self.todo}")


def _kind_of_os_error(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read_only"
    return "failed"


def _kind_of(exc: BaseException, local: bool) -> str:
    """Why a database call failed, from the driver's error (SQLite's text, PostgreSQL's code)."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or ""
    text = str(orig).lower()
    if code == "53100" or "disk is full" in text or "no space left" in text:
        return "full"
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return "read_only"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "damaged"
    if "unable to open database file" in text:
        return "read_only" if local else "failed"
    if "database is locked" in text:
        return "busy"
    if not local and (getattr(exc, "connection_invalidated", False)
                      or code.startswith(("08", "57P"))
                      or any(w in text for w in ("connection", "could not connect", "server closed",
                                                 "terminating", "timeout", "timed out"))):
        return "unreachable"
    return "failed"


class Store:
    """Saved drafts, keyed by owner (a trainee or caseworker), kind and item.

    Every call that fails on the database raises StoreUnavailable (a CasecoachError) saying why;
    `problem` is the last such failure until a call succeeds again, `last_ok` when one last did,
    and `watch(callback)` is told each change between the two (the pages' store notice)."""

    def __init__(self, engine: Engine, set_aside: list[Path] | None = None) -> None:
        self.engine = engine
        self.set_aside = list(set_aside or [])   # damaged files moved aside (see _prepare_sqlite)
        self.problem: StoreUnavailable | None = None
        self.last_ok: datetime | None = None
        self._watchers: list[Callable[[StoreUnavailable | None], None]] = []
        # Drafts whose save failed, by (owner, kind, item): saved by themselves once the store
        # works again, unless a later save of the same draft got there first.
        self._unsent: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._resending = False
        self._migrate()

    @classmethod
    def open(cls, url: str | None = None) -> "Store":
        url = url or database_url()
        try:
            # pool_pre_ping: a connection left from before a database restart is replaced on its
            # next use instead of failing that use (a save made just after the restart was lost).
            engine = create_engine(url, pool_pre_ping=True)
        except (SQLAlchemyError, ValueError) as exc:
            raise CasecoachError(f"cannot use database URL: {exc}", field="CASECOACH_DB_URL") from exc
        if engine.dialect.name != "sqlite" or not engine.url.database \
                or engine.url.database == ":memory:":
            return cls(engine)
        event.listen(engine, "connect", _sqlite_pragmas)
        path = Path(engine.url.database)
        with _file_lock(path):
            created, set_aside = _prepare_sqlite(path)
            try:
                store = cls(engine, set_aside)
            except CasecoachError:
                engine.dispose()
                if created:   # never leave an empty file that would later look damaged
                    _remove_quietly(path)
                raise
        return store

    def watch(self, callback: Callable[[StoreUnavailable | None], None]) -> None:
        """Call `callback(problem)` when the store starts failing, or (None) works again."""
        self._watchers.append(callback)

    def _health(self, problem: StoreUnavailable | None) -> None:
        if problem is None:
            self.last_ok = datetime.now(timezone.utc)
        changed = (problem is None) != (self.problem is None) or (
            problem is not None and self.problem is not None and problem.kind != self.problem.kind)
        self.problem = problem
        if changed and problem is None:
            self._resend_drafts()
        if changed:
            for callback in list(self._watchers):
                callback(problem)

    def _resend_drafts(self) -> None:
        """Save the drafts whose save failed while the store did not work (a page whose trainee
        stopped typing during the failure would otherwise keep them only on screen)."""
        if self._resending:
            return
        self._resending = True
        try:
            for (owner, kind, item), body in list(self._unsent.items()):
                try:
                    self.save_draft(owner, kind, item, body)
                except CasecoachError:
                    break   # failing again: the next recovery tries again
        finally:
            self._resending = False

    @contextmanager
    def _using(self, doing: str = "") -> Iterator[None]:
        """Run database calls; a failure becomes StoreUnavailable saying why and what to do."""
        try:
            yield
        except CasecoachError:
            self._health(None)   # the database answered; the request itself was refused
            raise
        except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
            kind = _kind_of_os_error(exc) if isinstance(exc, OSError) else _kind_of(exc, self.local)
            problem = StoreUnavailable(kind, self.location(), _detail(exc), doing=doing)
            self._health(problem)
            raise problem from exc
        else:
            self._health(None)

    def _migrate(self) -> None:
        """Bring the database to this program's schema: casecoach/migrations (Alembic) runs
        every revision it lacks, a new database getting them all, one process at a time, in
        one transaction (a failed upgrade leaves the database as it was)."""
        try:
            with self.engine.begin() as conn:
                _lock_for_migration(conn)
                if not _at_this_version(conn):
                    # Imported only now: importing Alembic costs a page kernel ~0.2 s of CPU
                    # and 10 MB (bench/store_upgrade.py), and most openings find nothing to do.
                    from casecoach import migrations
                    migrations.upgrade(conn)
        except SQLAlchemyError as exc:
            raise StoreUnavailable(_kind_of(exc, self.local), self.location(), _detail(exc),
                                   doing=_say("opening")) from exc
        except CasecoachError as exc:   # refused (newer, unversioned): name the database
            raise CasecoachError(exc.message, file=self.location()) from exc
        except Exception as exc:
            from alembic.util import CommandError   # raised only once Alembic ran
            if not isinstance(exc, CommandError):
                raise
            raise StoreUnavailable("failed", self.location(), _detail(exc),
                                   doing=_say("opening")) from exc

    def save_draft(self, owner: str, kind: str, item: str, body: dict[str, Any]) -> None:
        """Save (or replace) one draft in a single transaction: on failure the old one stays,
        and this one is saved by itself once the store works again (unless saved again first)."""
        text = json.dumps(body, ensure_ascii=False)
        now = datetime.now(timezone.utc)
        self._unsent.pop((owner, kind, item), None)   # this save replaces any that failed
        try:
            with self._using(_say("save_draft")), self.engine.begin() as conn:
                updated = conn.execute(
                    drafts.update().where(drafts.c.owner == owner, drafts.c.kind == kind,
                                          drafts.c.item == item)
                    .values(body=text, updated_at=now)).rowcount
                if not updated:
                    conn.execute(drafts.insert().values(owner=owner, kind=kind, item=item,
                                                        body=text, updated_at=now))
        except StoreUnavailable:
            self._unsent[(owner, kind, item)] = body
            raise

    def load_draft(self, owner: str, kind: str, item: str) -> dict[str, Any] | None:
        """The draft kept under `owner`; for a person with a browser id who has none yet, the
        one kept under their bare name (saved before browsers had ids, identity.person)."""
        bare = identity.name_of(owner)
        with self._using(_say("reading")), self.engine.connect() as conn:
            found = dict(conn.execute(select(drafts.c.owner, drafts.c.body).where(
                drafts.c.owner.in_({owner, bare}), drafts.c.kind == kind,
                drafts.c.item == item)).all())
        body = found.get(owner, found.get(bare))
        return json.loads(body) if body is not None else None

    def delete_draft(self, owner: str, kind: str, item: str) -> bool:
        with self._using(_say("writing")), self.engine.begin() as conn:
            return bool(conn.execute(drafts.delete().where(
                drafts.c.owner == owner, drafts.c.kind == kind, drafts.c.item == item)).rowcount)


    # --- saved plans (the workspace): kept only when the caseworker presses Save ---------------

    def save_plan(self, owner: str, body: dict[str, Any], plan_id: int | None = None,
                  version: int | None = None) -> int:
        """Save a new plan (version 1), or replace plan_id from the version the edit was made on
        (it becomes version + 1). One transaction, so a failure keeps the old version; a save
        whose version is not the stored one raises StalePlan and changes nothing."""
        name = str(body.get("client_name", "")).strip()
        if not name:
            raise CasecoachError("a plan needs the client's name before it can be saved",
                                 field="client_name")
        if plan_id is not None and version is None:
            raise CasecoachError("an edit of a saved plan needs the version it was made on",
                                 field="version")
        text = json.dumps(body, ensure_ascii=False)
        now = datetime.now(timezone.utc)
        with self._using(_say("save_plan")), self.engine.begin() as conn:
            if plan_id is None:
                return int(conn.execute(plans.insert().values(
                    owner=owner, client_name=name, body=text, created_at=now,
                    updated_at=now, version=1)).inserted_primary_key[0])
            # Compare and set in one statement: of two saves made on one version, exactly
            # one matches (SQLite writes one at a time; PostgreSQL re-checks the WHERE after
            # a concurrent update commits).
            changed = conn.execute(plans.update().where(
                plans.c.id == plan_id, plans.c.owner == owner, plans.c.version == version,
                plans.c.deleted_at.is_(None)).values(
                client_name=name, body=text, updated_at=now,
                version=plans.c.version + 1)).rowcount
            if changed != 1:
                row = conn.execute(select(plans.c.version, plans.c.deleted_at).where(
                    plans.c.id == plan_id, plans.c.owner == owner)).first()
                if row is None:
                    raise CasecoachError(f"there is no saved plan {plan_id} to update",
                                         field="plan")
                raise StalePlan(plan_id, version,
                                None if row.deleted_at is not None else int(row.version))
            return plan_id

    def list_plans(self, owner: str) -> list[SavedPlan]:
        """The owner's saved plans, newest first; deleted ones (still undoable) are left out."""
        with self._using(_say("reading")), self.engine.connect() as conn:
            rows = conn.execute(select(plans.c.id, plans.c.client_name, plans.c.updated_at,
                                       plans.c.version)
                                .where(plans.c.owner == owner, plans.c.deleted_at.is_(None))
                                .order_by(plans.c.updated_at.desc(), plans.c.id.desc())).all()
        return [SavedPlan(r.id, r.client_name, r.updated_at, r.version) for r in rows]

    def fetch_plan(self, owner: str, plan_id: int) -> tuple[SavedPlan, dict[str, Any]]:
        """One saved plan and its body, read together (so the version is the body's)."""
        with self._using(_say("reading")), self.engine.connect() as conn:
            row = conn.execute(select(plans.c.id, plans.c.client_name, plans.c.updated_at,
                                      plans.c.version, plans.c.body).where(
                plans.c.id == plan_id, plans.c.owner == owner,
                plans.c.deleted_at.is_(None))).first()
        if row is None:
            raise CasecoachError(f"there is no saved plan {plan_id}", field="plan")
        return SavedPlan(row.id, row.client_name, row.updated_at, row.version), json.loads(row.body)

    def load_plan(self, owner: str, plan_id: int) -> dict[str, Any]:
        return self.fetch_plan(owner, plan_id)[1]

    def delete_plan(self, owner: str, plan_id: int) -> bool:
        """Mark a plan deleted: it leaves the list at once and can be restored until purged."""
        with self._using(_say("writing")), self.engine.begin() as conn:
            return bool(conn.execute(plans.update().where(
                plans.c.id == plan_id, plans.c.owner == owner, plans.c.deleted_at.is_(None))
                .values(deleted_at=datetime.now(timezone.utc))).rowcount)

    def restore_plan(self, owner: str, plan_id: int) -> bool:
        """Undo a deletion not yet purged; False when there is nothing to bring back."""
        with self._using(_say("writing")), self.engine.begin() as conn:
            return bool(conn.execute(plans.update().where(
                plans.c.id == plan_id, plans.c.owner == owner, plans.c.deleted_at.is_not(None))
                .values(deleted_at=None)).rowcount)

    def purge_deleted(self, owner: str, older_than: timedelta = timedelta(0),
                      plan_id: int | None = None) -> int:
        """Remove for good the owner's plans deleted at least `older_than` ago (only plan_id,
        when given); returns how many."""
        cutoff = datetime.now(timezone.utc) - older_than
        query = plans.delete().where(plans.c.owner == owner, plans.c.deleted_at.is_not(None),
                                     plans.c.deleted_at <= cutoff)
        if plan_id is not None:
            query = query.where(plans.c.id == plan_id)
        with self._using(_say("writing")), self.engine.begin() as conn:
            return int(conn.execute(query).rowcount)

    def ping(self) -> None:
        """A write that changes nothing: succeeds only when the store can be written again (so a
        full disk or a read-only folder is not taken for fixed by a read that works)."""
        with self._using(_say("writing")), self.engine.begin() as conn:
            conn.execute(meta.update().where(meta.c.key == "schema_version")
                         .values(value=meta.c.value))

    @property
    def local(self) -> bool:
        """True for a SQLite file on this computer, False for a shared database server."""
        return self.engine.url.get_backend_name() == "sqlite"

    def location(self) -> str:
        """Where this store keeps its data, fit to show a user: the SQLite file's path, or the
        kind of shared database and its host (never a user name or password)."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            return str(Path(url.database).resolve()) if url.database else "memory"
        return f"{url.get_backend_name()}://{url.host or 'localhost'}/{url.database or ''}"


    # --- progress per trainee and module ---------------------------------------------------

    def record_progress(self, owner: str, module: str, *, cohort: str = "",
                        attempts: int = 0, score: int | None = None,
                        completed: bool = False) -> None:
        """Note that a trainee worked a module: started once, attempts added, completion kept.
        A database failure raises StoreUnavailable like every other call, never its own error."""
        now = datetime.now(timezone.utc)
        with self._using(_say("writing")), self.engine.begin() as conn:
            row = conn.execute(select(progress).where(progress.c.owner == owner,
                                                      progress.c.module == module)).first()
            if row is None:
                conn.execute(progress.insert().values(
                    owner=owner, cohort=cohort, module=module, started_at=now,
                    completed_at=now if completed else None, attempts=attempts, score=score))
                return
            values: dict[str, Any] = {"attempts": row.attempts + attempts}
            if cohort:
                values["cohort"] = cohort
            if score is not None:
                values["score"] = score
            if completed and row.completed_at is None:
                values["completed_at"] = now
            conn.execute(progress.update().where(progress.c.id == row.id).values(**values))

    def progress_rows(self, owner: str | None = None) -> list[dict[str, Any]]:
        query = select(progress)
        if owner is not None:
            query = query.where(progress.c.owner == owner)
        with self._using(_say("reading")), self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(progress.c.owner,
                                                                          progress.c.module))]

    # --- group exercises ----------------------------------------------------------------

    def create_exercise(self, code: str, scenario_id: str, item: str, created_by: str,
                        kind: str = "goal") -> int:
        with self._using(_say("create_exercise")), self.engine.begin() as conn:
            return int(conn.execute(exercises.insert().values(
                code=code, scenario_id=scenario_id, kind=kind, item=item,
                created_by=created_by,
                created_at=datetime.now(timezone.utc), names_shown=0)
            ).inserted_primary_key[0])

    def exercise(self, code: str) -> dict[str, Any] | None:
        with self._using(_say("reading")), self.engine.connect() as conn:
            row = conn.execute(select(exercises).where(exercises.c.code == code)).first()
        return dict(row._mapping) if row else None

    def exercises_by(self, created_by: str) -> list[dict[str, Any]]:
        """The exercises this supervisor started, newest first."""
        with self._using(_say("reading")), self.engine.connect() as conn:
            rows = conn.execute(select(exercises).where(exercises.c.created_by == created_by)
                                .order_by(exercises.c.created_at.desc(), exercises.c.id.desc()))
            return [dict(r._mapping) for r in rows]

    def update_exercise(self, exercise_id: int, **values: Any) -> None:
        allowed = {"closed_at", "names_shown", "spotlight"}
        if set(values) - allowed:
            raise CasecoachError(f"cannot change {sorted(set(values) - allowed)} of an exercise")
        with self._using(_say("writing")), self.engine.begin() as conn:
            conn.execute(exercises.update().where(exercises.c.id == exercise_id).values(**values))

    def submit(self, exercise_id: int, trainee: str, text: str) -> int:
        """Store a trainee's latest text for an exercise, and keep it as that answer's next
        version; returns its revision (1 = first).

        One statement makes the revision (insert, or on conflict add one), so two pages
        submitting as the same person at the same moment both count; the version is written in
        the same transaction, so the latest text and its version are kept together or not at
        all."""
        now = datetime.now(timezone.utc)
        dialect = self.engine.dialect.name
        with self._using(_say("submit")), self.engine.begin() as conn:
            if dialect in ("sqlite", "postgresql"):
                insert = (sqlite_insert if dialect == "sqlite" else postgresql_insert)(
                    submissions).values(exercise_id=exercise_id, trainee=trainee, text=text,
                                        revision=1, submitted_at=now)
                upsert = insert.on_conflict_do_update(
                    index_elements=[submissions.c.exercise_id, submissions.c.trainee],
                    set_={"text": insert.excluded.text,
                          "revision": submissions.c.revision + 1,
                          "submitted_at": insert.excluded.submitted_at},
                ).returning(submissions.c.id, submissions.c.revision)
                submission_id, revision = conn.execute(upsert).one()
            else:
                row = conn.execute(select(submissions.c.id, submissions.c.revision).where(
                    submissions.c.exercise_id == exercise_id,
                    submissions.c.trainee == trainee).with_for_update()).first()
                if row is None:
                    submission_id, revision = conn.execute(submissions.insert().values(
                        exercise_id=exercise_id, trainee=trainee, text=text, revision=1,
                        submitted_at=now)).inserted_primary_key[0], 1
                else:
                    submission_id, revision = row.id, row.revision + 1
                    conn.execute(submissions.update().where(submissions.c.id == row.id).values(
                        text=text, revision=revision, submitted_at=now))
            conn.execute(submission_versions.insert().values(
                submission_id=submission_id, revision=revision, text=text, submitted_at=now))
            return int(revision)

    def submissions_for(self, exercise_id: int) -> list[dict[str, Any]]:
        with self._using(_say("reading")), self.engine.connect() as conn:
            rows = conn.execute(select(submissions).where(
                submissions.c.exercise_id == exercise_id).order_by(submissions.c.submitted_at,
                                                                   submissions.c.id))
            return [dict(r._mapping) for r in rows]

    def versions_for(self, exercise_id: int) -> list[dict[str, Any]]:
        """Every kept version of every answer to an exercise: trainee, revision, text,
        submitted_at and submission_id (the answer), oldest answer first, then by revision."""
        query = (select(submissions.c.trainee, submission_versions.c.submission_id,
                        submission_versions.c.revision, submission_versions.c.text,
                        submission_versions.c.submitted_at)
                 .join(submissions, submissions.c.id == submission_versions.c.submission_id)
                 .where(submissions.c.exercise_id == exercise_id)
                 .order_by(submission_versions.c.submission_id, submission_versions.c.revision))
        with self._using(_say("reading")), self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]


def _at_this_version(conn) -> bool:
    """Whether the database is at this program's revision already, told without Alembic: its
    one alembic_version row is this version's (revisions are named vN_...: a test holds them to
    it) and casecoach_meta agrees (casecoach.migrations keeps the two in step)."""
    if not conn.dialect.has_table(conn, "alembic_version"):
        return False
    found = conn.execute(sql("SELECT version_num FROM alembic_version")).scalars().all()
    if len(found) != 1 or not found[0].startswith(f"v{SCHEMA_VERSION}_"):
        return False
    return conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")
                        ).scalar() == str(SCHEMA_VERSION)


# Any fixed number, the same in every process: the PostgreSQL advisory lock of the migration.
_MIGRATION_LOCK = 0x6361_7365


def _lock_for_migration(conn) -> None:
    """Make one process at a time check and create the tables: page kernels start together, and
    two creating the same table at once made the slower one fail ("table already exists")."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits (busy_timeout) for the writer before it
    elif conn.dialect.name == "postgresql":
        conn.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # A busy timeout instead of instant errors (first: switching to WAL needs the lock too), and
    # WAL so that many page kernels read while one writes.
    # SQLite answers "database is locked" to the switch at once, without waiting, while another
    # process is switching the same new file; the mode is kept in the file, so it is set once.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")
        for attempt in range(50):
            try:
                if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
    finally:
        cursor.close()


def _say(key: str) -> str:
    """What the store was doing when it failed (messages.yaml, store.doing)."""
    return section("messages.yaml", "store")["doing"][key]


def _detail(exc: BaseException) -> str:
    """The driver's own first line about a failure, without SQLAlchemy's SQL and background."""
    orig = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


# --- the SQLite file: created owner-only, checked before use, moved aside when damaged ------

_SIDE_FILES = ("-wal", "-shm")


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the database while it is checked, moved aside or created,
    so that two page kernels starting together never take each other's new file for damaged."""
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreUnavailable(_kind_of_os_error(exc), str(path), exc.strerror or str(exc),
                               doing=_say("opening")) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)   # closing releases the lock


def _prepare_sqlite(path: Path) -> tuple[bool, list[Path]]:
    """Make the database file ready to open (the caller holds _file_lock): create it readable by
    its owner only, or check the one there and move it aside when it is damaged. Returns whether
    it was created, and the damaged files moved aside beside it (this time or before)."""
    try:
        if path.exists():
            damage = _damage(path)
            if damage is not None:
                _move_aside(path, damage)
            else:
                _owner_only(path)
        created = not path.exists()
        if created:
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise StoreUnavailable(_kind_of_os_error(exc), str(path), exc.strerror or str(exc),
                               doing=_say("opening")) from exc
    aside = sorted(p for p in path.parent.glob(path.name + ".damaged-*")
                   if not p.name.endswith((*_SIDE_FILES, ".txt")))
    return created, aside


def _damage(path: Path) -> str | None:
    """What is wrong with an existing database file, or None when SQLite finds it sound.

    casecoach never leaves an empty file (it creates a new one under the lock and switches it to
    WAL, which writes its first page), so an empty file is one that was cut short."""
    if path.stat().st_size == 0:
        wal = path.with_name(path.name + "-wal")
        if not wal.exists() or wal.stat().st_size == 0:
            return "the file is empty (0 bytes)"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error:
        return None   # cannot be opened at all (not writable, say): the opening reports it
    try:
        found = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
    except sqlite3.DatabaseError as exc:
        # Only damage moves a file aside; busy, read-only or full is reported by the opening.
        return str(exc) if _kind_of(exc, local=True) == "damaged" else None
    finally:
        conn.close()
    return None if found == ["ok"] else "; ".join(found)


def _move_aside(path: Path, damage: str) -> None:
    """Rename the damaged file (with its -wal and -shm) to NAME.damaged-<UTC time>, never
    writing over it; the pages name it until it is moved out of the data folder."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.rename(side, target.with_name(target.name + suffix))
    os.rename(path, target)
    try:
        target.with_name(target.name + ".txt").write_text(
            f"{path} was moved here on {stamp}: {damage}\n", encoding="utf-8")
    except OSError:
        pass   # the name says enough


def _owner_only(path: Path) -> None:
    """A database file (and its -wal, -shm) made by an older casecoach, readable by others, is
    made readable by its owner only (SQLite gives -wal and -shm the main file's mode)."""
    for file in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        try:
            info = file.stat()
        except FileNotFoundError:
            continue
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(file, info.st_mode & 0o700)


def _remove_quietly(path: Path) -> None:
    for file in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        try:
            if file == path and file.stat().st_size > 4096:
                return   # something was written after all: keep it
            file.unlink()
        except OSError:
            pass


def damaged_notice(store: Store) -> StoreUnavailable | None:
    """A notice naming the damaged store files moved aside beside this one, while they are
    there (the trainer moves them away once what they held is recovered); else None."""
    aside = [p for p in store.set_aside if p.exists()]
    if not aside:
        return None
    return StoreUnavailable("set_aside", store.location(), ", ".join(str(p) for p in aside))


@lru_cache(maxsize=1)
def default_store() -> Store:
    """The store of this process (one engine per page kernel)."""
    return Store.open()
