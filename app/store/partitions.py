"""A PostgreSQL branch database partitioned by station (issue 21, city scale).

The big tables of a branch (the three record tables, their level changes and actions, and the
daily summary) are declared ``PARTITION BY LIST (station_id)``: one partition per station, named
``<table>_s<station id>``, plus a default partition (``<table>_default``) for rows without a
station (a level change or action written by the ORM, which does not know the column). A
station's partitions are made by a trigger on the ``station`` table, so the first package of a
new station brings them into being inside its own import transaction; rows of the station that
arrived before its row (a copy that writes the summary first) are moved out of the default
partition into the new one.

What partitioning asks of the schema, and what the code relies on:
- Every primary key and unique constraint includes ``station_id``: the records' key becomes
  (id, station_id) and their uuid is unique per station. A uuid stays unique in the whole branch
  through ``sync_record`` (its primary key), which the importer checks before writing.
- Foreign keys INTO a partitioned table are dropped (PostgreSQL needs a unique key on the
  referenced columns alone): the importer checks every reference of a package itself
  (app.sync.importer._Apply.check_refs), and the branch does not edit records.
- level_change and action get a ``station_id`` column, on PostgreSQL only; the importer fills it
  (a row written without it, by the ORM, gets 0 and lands in the default partition).
- The id sequences keep their names and stay owned by the ``id`` column
  (``pg_get_serial_sequence`` still finds them).

SQLite files (stations, SQLite branches) are never partitioned: every function here is a no-op
on them.
"""
from __future__ import annotations

from sqlalchemy.engine import Connection

#: The tables partitioned by station, in the order they are converted (records before their history).
TABLES = ("case_record", "dispute", "person", "level_change", "action", "daily_counts", "daily_events")
#: Tables without a station_id of their own in the shared schema: the column is added here (PostgreSQL
#: only) and filled from the record each row belongs to.
HISTORY = ("level_change", "action")
RECORD_OF_MODULE = {"case": "case_record", "dispute": "dispute", "person": "person"}

_MAKE_FUNCTION = """
CREATE OR REPLACE FUNCTION station_partitions_make(sid integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE t text; p text; held boolean;
BEGIN
  FOREACH t IN ARRAY ARRAY[{tables}] LOOP
    p := t || '_s' || sid;
    IF to_regclass(format('%%I', p)) IS NULL THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %%I WHERE station_id = %%s)', t || '_default', sid) INTO held;
      IF held THEN  -- rows that came before the station's row: moved from the default partition
        EXECUTE format('CREATE TABLE %%I (LIKE %%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', p, t);
        EXECUTE format('WITH moved AS (DELETE FROM %%I WHERE station_id = %%s RETURNING *) '
                       'INSERT INTO %%I SELECT * FROM moved', t || '_default', sid, p);
        EXECUTE format('ALTER TABLE %%I ATTACH PARTITION %%I FOR VALUES IN (%%s)', t, p, sid);
      ELSE
        EXECUTE format('CREATE TABLE %%I PARTITION OF %%I FOR VALUES IN (%%s)', p, t, sid);
      END IF;
    END IF;
  END LOOP;
END $$
"""
_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION station_partitions_on_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM station_partitions_make(NEW.id);
  RETURN NULL;
END $$
"""


def is_partitioned(conn: Connection, table: str = "case_record") -> bool:
    """Whether `table` is a partitioned table here (always False on SQLite)."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.exec_driver_sql(
        "SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = to_regclass(%(t)s)", {"t": table}).scalar() is True


def partition_of(conn: Connection, table: str, station_id: int) -> str | None:
    """The name of the partition of `table` that holds `station_id`'s rows, or None."""
    return conn.exec_driver_sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%(t)s) AND c.relname = %(p)s",
        {"t": table, "p": f"{table}_s{int(station_id)}"}).scalar()


def _rewrite(conn: Connection, table: str, *, partitioned: bool, stations: list[int]) -> None:
    """Rebuild `table` as a partitioned table (or back as a plain one), keeping its columns,
    defaults, data, sequence, checks, indexes and the foreign keys that remain possible."""
    q = conn.exec_driver_sql
    cons = q("SELECT conname, contype, pg_get_constraintdef(oid), confrelid::regclass::text FROM pg_constraint "
             "WHERE conrelid = %(t)s::regclass AND contype IN ('p', 'u', 'c', 'f') ORDER BY conname",
             {"t": table}).all()
    indexes = q("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %(t)s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %(t)s::regclass)",
                {"t": table}).all()
    seq = q("SELECT pg_get_serial_sequence(%(t)s, 'id')", {"t": table}).scalar() \
        if q("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
             "AND table_name = %(t)s AND column_name = 'id'", {"t": table}).scalar() else None
    if seq:
        q(f"ALTER SEQUENCE {seq} OWNED BY NONE")
    old = f"{table}__old"
    q(f"ALTER TABLE {table} RENAME TO {old}")
    if partitioned:
        q(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS) PARTITION BY LIST (station_id)")
        q(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
        for sid in stations:
            q(f"CREATE TABLE {table}_s{int(sid)} PARTITION OF {table} FOR VALUES IN ({int(sid)})")
    else:
        q(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS)")
    q(f"INSERT INTO {table} SELECT * FROM {old}")
    q(f"DROP TABLE {old} CASCADE")  # with it the foreign keys that pointed at it
    if seq:
        q(f"ALTER SEQUENCE {seq} OWNED BY {table}.id")
    for name, kind, definition, target in cons:
        if kind in ("p", "u"):
            cols = definition[definition.index("(") + 1:definition.rindex(")")]
            names = [c.strip() for c in cols.split(",")]
            if partitioned and "station_id" not in names:
                names.append("station_id")
            elif not partitioned and table not in ("daily_counts", "daily_events") and names[-1] == "station_id" \
                    and len(names) > 1 and names[:-1] in (["id"], ["uuid"]):
                names = names[:-1]
            word = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            q(f"ALTER TABLE {table} ADD CONSTRAINT {name} {word} ({', '.join(names)})")
        elif kind == "c":
            q(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        elif kind == "f" and (not partitioned or target not in TABLES):
            q(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _name, definition in indexes:
        q(definition.replace(" ON ONLY ", " ON "))


def partition_all(conn: Connection) -> None:
    """Convert the branch's big tables to tables partitioned by station, with their data (the
    migration 0015). No-op on SQLite or when already done."""
    if conn.dialect.name != "postgresql" or is_partitioned(conn):
        return
    q = conn.exec_driver_sql
    stations = list(q("SELECT id FROM station ORDER BY id").scalars())
    for table in HISTORY:
        q(f"ALTER TABLE {table} ADD COLUMN station_id integer NOT NULL DEFAULT 0")
        for module, records in RECORD_OF_MODULE.items():
            q(f"UPDATE {table} h SET station_id = r.station_id FROM {records} r "
              f"WHERE h.module = '{module}' AND h.record_id = r.id")
    for table in TABLES:
        _rewrite(conn, table, partitioned=True, stations=stations)
    for table in HISTORY:
        q(f"CREATE INDEX ix_{table}_station ON {table} (station_id)")
    q(_MAKE_FUNCTION.format(tables=", ".join(f"'{t}'" for t in TABLES)))
    q(_TRIGGER_FUNCTION)
    # Both run as the owner (SECURITY DEFINER): an analyst's import makes a new station's
    # partitions without any right on the partitions themselves; only the trigger may call them.
    q("REVOKE EXECUTE ON FUNCTION station_partitions_make(integer) FROM PUBLIC")
    q("REVOKE EXECUTE ON FUNCTION station_partitions_on_insert() FROM PUBLIC")
    q("CREATE TRIGGER station_partitions AFTER INSERT ON station FOR EACH ROW "
      "EXECUTE FUNCTION station_partitions_on_insert()")
    q("ANALYZE")


def unpartition_all(conn: Connection, *, keep_station_column: bool = False) -> None:
    """Back to plain tables (the migration's downgrade, and the benches' unpartitioned layout,
    which keeps the history's station_id). The foreign keys into the record tables are not
    restored: nothing at the branch needs them."""
    if conn.dialect.name != "postgresql" or not is_partitioned(conn):
        return
    q = conn.exec_driver_sql
    q("DROP TRIGGER IF EXISTS station_partitions ON station")
    q("DROP FUNCTION IF EXISTS station_partitions_on_insert()")
    q("DROP FUNCTION IF EXISTS station_partitions_make(integer)")
    for table in HISTORY:
        q(f"DROP INDEX IF EXISTS ix_{table}_station")
    for table in TABLES:
        _rewrite(conn, table, partitioned=False, stations=[])
    if not keep_station_column:
        for table in HISTORY:
            q(f"ALTER TABLE {table} DROP COLUMN station_id")
    q("ANALYZE")
