"""A PostgreSQL branch's import requests, applied by its import service

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-06

On PostgreSQL only: an account asks for a package's import by adding a row (the package's
bytes); the branch's import service, run by the database's owner, verifies and applies it and
writes the result back (app.sync.service). The accounts themselves write no records at a branch,
so nobody can write one in psql that no trusted station signed. SQLite files are unchanged.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0018"
down_revision: Union[str, Sequence[str], None] = "0016"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    q = bind.exec_driver_sql
    q("""CREATE TABLE import_request (
        id serial PRIMARY KEY,
        account text NOT NULL,
        name text NOT NULL DEFAULT '',
        data bytea NOT NULL,
        allow_missing_base boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'working', 'done')),
        result text,
        requested_at timestamp NOT NULL DEFAULT localtimestamp(0),
        done_at timestamp)""")
    # The service waits on these instead of polling; the requester waits for its answer.
    q("""CREATE FUNCTION station_import_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('station_import', NEW.id::text);
  ELSIF NEW.status = 'done' THEN
    PERFORM pg_notify('station_import_done', NEW.id::text);
  END IF;
  RETURN NULL;
END $$""")
    q("CREATE TRIGGER station_import_notify AFTER INSERT OR UPDATE OF status ON import_request "
      "FOR EACH ROW EXECUTE FUNCTION station_import_notify()")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql("DROP TABLE IF EXISTS import_request")
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS station_import_notify()")
