"""The store's schema revisions from the command line: `python -m casecoach.migrations COMMAND`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from alembic.config import CommandLine
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from casecoach import migrations
from casecoach.errors import CasecoachError
from casecoach.store import Store, _lock_for_migration, database_url

# Commands that compare the tables in store.py with the revisions: without --url they run on a
# new in-memory database brought to head, so they never touch anyone's store.
_ON_A_NEW_DATABASE = {"revision", "check"}
# Commands that move a store to another revision: casecoach_meta's version follows it, so that a
# casecoach from before Alembic reads the version it is really at.
_MOVING = {"upgrade", "downgrade", "stamp"}


def main(argv: Sequence[str] | None = None) -> int:
    """Alembic's commands (current, history, heads, check, revision, upgrade, downgrade, ...) on
    a store; `upgrade head` is what opening the store does (older casecoach databases too)."""
    line = CommandLine(prog="python -m casecoach.migrations")
    line.parser.add_argument(
        "--url", help="the store's database (a SQLAlchemy URL); default: CASECOACH_DB_URL, else "
                      "the data folder's SQLite file (revision and check: a new in-memory one)")
    options = line.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        line.parser.error("too few arguments")
    command = options.cmd[0].__name__
    try:
        if command == "upgrade" and options.revision == "head":
            store = Store.open(options.url)   # as a page opens it: older casecoach stores too
            with store.engine.connect() as conn:
                print(f"{store.location()}: at {', '.join(migrations.current(conn))}")
            return 0
        with _engine(command, options.url).begin() as conn:
            _lock_for_migration(conn)
            line.run_cmd(migrations.config(conn), options)
            if command == "current" and not migrations.current(conn):
                print(_before_alembic(conn))
            if command in _MOVING:
                migrations.record_version(conn)
    except CasecoachError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _engine(command: str, url: str | None) -> Engine:
    if command in _ON_A_NEW_DATABASE and not url:
        return Store.open("sqlite://").engine   # one connection: the database stays
    engine = create_engine(url or database_url())
    path = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not Path(path).exists():
        # connecting would create an empty file, which the next opening takes for damaged
        raise CasecoachError("there is no store here", file=path)
    return engine


def _before_alembic(conn) -> str:
    """What `current` says of a database with no revision recorded."""
    if not inspect(conn).has_table("casecoach_meta"):
        return "no casecoach store here yet: opening it creates one at the head revision"
    found = conn.execute(text("SELECT value FROM casecoach_meta WHERE key = 'schema_version'")
                         ).scalar()
    return (f"schema version {found}, from casecoach before Alembic: the next opening of the "
            f"store upgrades it (or run `upgrade head`)")


if __name__ == "__main__":
    sys.exit(main())
