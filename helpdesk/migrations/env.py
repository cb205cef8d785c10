"""Alembic environment: runs on the connection helpdesk.storage hands over."""

from typing import Any, Literal

from alembic import context
from sqlalchemy import create_engine

from helpdesk.models import Base, UTCDateTime

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # `alembic` run by hand, e.g. to write a new migration
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///var/helpdesk.sqlite3")
    connection = engine.connect()


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations must not import the models: our UTC column is a plain DateTime in the schema.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    render_item=render_item,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
