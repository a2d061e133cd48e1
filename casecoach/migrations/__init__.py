"""The store's schema upgrades: one Alembic revision per schema version, run when a store opens."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from casecoach._data import section
from casecoach.errors import CasecoachError

# Raised by Alembic itself (a revision it cannot find or apply): the store reports it as a
# failed opening, like a database error.
AlembicError = CommandError

# Tables some casecoach version creates (casecoach_meta aside): a database that has one of them
# but no recorded version was not written by casecoach, or not to the end.
CASECOACH_TABLES = ("drafts", "plans", "progress", "exercises", "submissions")


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built here (no alembic.ini): the revisions in this package,
    each file named by its revision id, run on `connection`."""
    cfg = Config()
    cfg.set_main_option("script_location", "casecoach:migrations")
    cfg.set_main_option("file_template", "%%(rev)s")
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def scripts() -> ScriptDirectory:
    """The revisions shipped in casecoach/migrations/versions."""
    return ScriptDirectory.from_config(config())


def head() -> str:
    """The newest revision: every store this program opens is brought to it."""
    return scripts().get_current_head()


def revisions() -> list[tuple[int, str]]:
    """(schema version, revision id) of every revision, oldest first."""
    return [(schema_version_of(script.revision), script.revision)
            for script in reversed(list(scripts().walk_revisions()))]


def schema_version_of(revision: str) -> int:
    """The casecoach_meta schema version a database is at once `revision` is applied."""
    script = scripts().get_revision(revision)
    version = getattr(script.module, "schema_version", None)
    if not isinstance(version, int):
        raise CasecoachError(f"revision {revision} has no schema_version (set it to the previous "
                             f"revision's plus one: casecoach/migrations/README.md)",
                             file=script.path)
    return version


def current(conn: Connection) -> tuple[str, ...]:
    """The revisions recorded in the database (alembic_version); () for none."""
    return MigrationContext.configure(conn).get_current_heads()


def upgrade(conn: Connection) -> None:
    """Bring the database on `conn` to the head revision, in the caller's transaction (which
    holds the migration lock: see store._lock_for_migration).

    A database from before Alembic (casecoach_meta only) is first stamped at the revision of its
    schema version; a new one is built from the first revision. A database newer than this
    program, or with casecoach's tables but no version, is refused and left as it is."""
    newest = head()
    newest_version = schema_version_of(newest)
    recorded = _recorded_version(conn)
    if recorded is not None and recorded > newest_version:
        raise CasecoachError(_say("newer_version", found=recorded, ours=newest_version))
    found = current(conn)
    known = {revision for _, revision in revisions()}
    unknown = [r for r in found if r not in known]
    if unknown:
        raise CasecoachError(_say("newer_revision", found=", ".join(unknown), ours=newest,
                                  version=recorded if recorded is not None else "unknown"))
    if found != (newest,):
        if not found:
            _stamp_older_casecoach(conn, recorded)
        command.upgrade(config(conn), "head")
    if recorded != newest_version:
        record_version(conn)


def _stamp_older_casecoach(conn: Connection, recorded: int | None) -> None:
    """Record in alembic_version the revision a database without one is at."""
    if recorded is None:
        present = [t for t in CASECOACH_TABLES if inspect(conn).has_table(t)]
        if present:
            raise CasecoachError(_say("unversioned", tables=", ".join(present)))
        return   # a new database: every revision runs, from the first
    by_version = dict(revisions())
    if recorded not in by_version:
        raise CasecoachError(_say("unknown_version", found=recorded,
                                  known=", ".join(map(str, by_version))))
    MigrationContext.configure(conn).stamp(scripts(), by_version[recorded])


def _recorded_version(conn: Connection) -> int | None:
    """casecoach_meta's schema_version, or None when there is none."""
    if not inspect(conn).has_table("casecoach_meta"):
        return None
    value = conn.execute(text("SELECT value FROM casecoach_meta WHERE key = 'schema_version'")
                         ).scalar()
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise CasecoachError(_say("unknown_version", found=repr(value),
                                  known=", ".join(str(v) for v, _ in revisions()))) from None


def record_version(conn: Connection) -> None:
    """Set casecoach_meta's schema_version to the version of the revision the database is at.

    Kept in step for casecoach from before Alembic, which reads only this row: it refuses a
    database whose version is newer than its own instead of misreading it."""
    found = current(conn)
    if len(found) != 1 or not inspect(conn).has_table("casecoach_meta"):
        return   # at base (no tables left), or branches: nothing one version could say
    values = {"value": str(schema_version_of(found[0]))}
    if not conn.execute(text("UPDATE casecoach_meta SET value = :value "
                             "WHERE key = 'schema_version'"), values).rowcount:
        conn.execute(text("INSERT INTO casecoach_meta (key, value) "
                          "VALUES ('schema_version', :value)"), values)


def _say(key: str, **fields: Any) -> str:
    """The words for a refused upgrade (messages.yaml, store.schema)."""
    return section("messages.yaml", "store")["schema"][key].format(**fields)
