"""Alembic's entry point for casecoach: runs the revisions on the connection it is given."""

from alembic import context

from casecoach.store import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    # `alembic` itself must not open a database of its own: casecoach.migrations (the store's
    # opening, or `python -m casecoach.migrations`) passes the connection it holds the lock on.
    raise RuntimeError("run the store's migrations with `python -m casecoach.migrations`, "
                       "not with the alembic command")
if context.is_offline_mode():
    raise RuntimeError("casecoach's migrations run on a database, not as SQL (--sql)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite changes a column by copying its table: autogenerate writes such steps as batch ops.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    compare_server_default=True,
)
# Inside the caller's transaction (the store's opening holds its migration lock in it): Alembic
# begins none of its own, so every revision and the version stamp commit or roll back together.
with context.begin_transaction():
    context.run_migrations()
