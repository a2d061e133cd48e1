"""The store: drafts and saved work in SQLite (a data folder, no set-up) or any SQLAlchemy database."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import (Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint,
                        create_engine, event, select)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from casecoach.errors import CasecoachError

SCHEMA_VERSION = 1
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
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CasecoachError(f"cannot create the data folder: {exc.strerror}",
                             file=str(folder)) from exc
    return f"sqlite:///{folder / 'casecoach.sqlite'}"


class Store:
    """Saved drafts, keyed by owner (a trainee or caseworker), kind and item."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._migrate()

    @classmethod
    def open(cls, url: str | None = None) -> "Store":
        url = url or database_url()
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ValueError) as exc:
            raise CasecoachError(f"cannot use database URL: {exc}", field="CASECOACH_DB_URL") from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        return cls(engine)

    def _migrate(self) -> None:
        """Create the tables on first use and record the schema version."""
        try:
            metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                found = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")
                                     ).scalar()
                if found is None:
                    conn.execute(meta.insert().values(key="schema_version",
                                                      value=str(SCHEMA_VERSION)))
                elif int(found) > SCHEMA_VERSION:
                    raise CasecoachError(f"the database has schema version {found}, newer than "
                                         f"this program's {SCHEMA_VERSION}: upgrade casecoach")
        except SQLAlchemyError as exc:
            raise CasecoachError(f"cannot open the store: {exc.__class__.__name__}: "
                                 f"{str(exc).splitlines()[0]}") from exc

    def save_draft(self, owner: str, kind: str, item: str, body: dict[str, Any]) -> None:
        """Save (or replace) one draft in a single transaction: on failure the old one stays."""
        text = json.dumps(body, ensure_ascii=False)
        now = datetime.now(timezone.utc)
        try:
            with self.engine.begin() as conn:
                updated = conn.execute(
                    drafts.update().where(drafts.c.owner == owner, drafts.c.kind == kind,
                                          drafts.c.item == item)
                    .values(body=text, updated_at=now)).rowcount
                if not updated:
                    conn.execute(drafts.insert().values(owner=owner, kind=kind, item=item,
                                                        body=text, updated_at=now))
        except SQLAlchemyError as exc:
            raise CasecoachError(f"could not save the draft ({str(exc).splitlines()[0]}); "
                                 f"what was saved before is unchanged") from exc

    def load_draft(self, owner: str, kind: str, item: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            body = conn.execute(select(drafts.c.body).where(
                drafts.c.owner == owner, drafts.c.kind == kind, drafts.c.item == item)).scalar()
        return json.loads(body) if body is not None else None

    def delete_draft(self, owner: str, kind: str, item: str) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(drafts.delete().where(
                drafts.c.owner == owner, drafts.c.kind == kind, drafts.c.item == item)).rowcount)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets many page kernels read while one writes; a busy timeout instead of instant errors.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@lru_cache(maxsize=1)
def default_store() -> Store:
    """The store of this process (one engine per page kernel)."""
    return Store.open()
