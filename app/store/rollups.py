"""PostgreSQL only: the daily summary summed over every station, kept by triggers (migration 0019).

A branch's dashboard reads the whole branch's running sums. From ``daily_counts`` that is every
station's day cells (at 100 stations / 5M records, 226,000 rows for one module's headline
states); these tables hold the same sums with the station summed away, so the whole-branch figures
read one cell per module, day and level:

- ``daily_counts_branch(module, day, level, n, overdue)``: the roll-up cells of ``daily_counts``
  (category ``*``, team -1) summed over the stations;
- ``daily_events_branch(module, event, day, known_on, category, key, n, total)``: ``daily_events``
  summed over the stations;
- ``station_records(module, station_id, n)``: a station's records neither voided nor unknown, the
  running sum of its roll-up cells over every day (the branch console's records per station:
  "created and not voided", which is ``status <> 'voided'``).

Statement-level AFTER triggers with transition tables on ``daily_counts`` and ``daily_events``
add each statement's difference (rows inserted, updated rows' new minus old, rows deleted) into
them, whoever writes (the upkeep of a station server's writers, the branch merge's recount of a
station, SQL by hand), in the writer's transaction. The functions are SECURITY DEFINER: accounts
that may write the summary need no right on the roll-ups, and read them only (app.store.rights).
Rows a partition move shifts from a default partition (app.store.partitions) are written to the
partition by name, which fires no trigger of the parent: the sums do not change, as they should
not. SQLite has no such tables: a station file or a SQLite branch reads ``daily_counts``.
"""
from __future__ import annotations

from sqlalchemy.engine import Connection

from app.store.base import Store

COUNTS, EVENTS, STATIONS = "daily_counts_branch", "daily_events_branch", "station_records"
TABLES = (COUNTS, EVENTS, STATIONS)

_CREATE = (
    f"""CREATE TABLE {COUNTS} (
        module varchar(8) NOT NULL, day date NOT NULL, level varchar(10) NOT NULL,
        n bigint NOT NULL, overdue bigint NOT NULL,
        CONSTRAINT pk_{COUNTS} PRIMARY KEY (module, day, level))""",
    f"""CREATE TABLE {EVENTS} (
        module varchar(8) NOT NULL, event varchar(16) NOT NULL, day date NOT NULL, known_on date NOT NULL,
        category varchar(16) NOT NULL, key varchar(12) NOT NULL, n bigint NOT NULL, total bigint NOT NULL,
        CONSTRAINT pk_{EVENTS} PRIMARY KEY (module, event, day, known_on, category, key))""",
    f"""CREATE TABLE {STATIONS} (
        module varchar(8) NOT NULL, station_id integer NOT NULL, n bigint NOT NULL,
        CONSTRAINT pk_{STATIONS} PRIMARY KEY (module, station_id))""",
)

#: `rows` is a SELECT of (sign, row) pairs: the statement's rows, +1 for a new image, -1 for an old one.
_COUNTS_BODY = f"""
  INSERT INTO {COUNTS} AS b (module, day, level, n, overdue)
  SELECT module, day, level, sum(sign * n), sum(sign * overdue) FROM ({{rows}}) r
  WHERE category = '*' AND team_id = -1 GROUP BY module, day, level
  ON CONFLICT (module, day, level) DO UPDATE SET n = b.n + excluded.n, overdue = b.overdue + excluded.overdue;
  INSERT INTO {STATIONS} AS b (module, station_id, n)
  SELECT module, station_id, sum(sign * n) FROM ({{rows}}) r
  WHERE category = '*' AND team_id = -1 GROUP BY module, station_id
  ON CONFLICT (module, station_id) DO UPDATE SET n = b.n + excluded.n;"""
_EVENTS_BODY = f"""
  INSERT INTO {EVENTS} AS b (module, event, day, known_on, category, key, n, total)
  SELECT module, event, day, known_on, category, key, sum(sign * n), sum(sign * total) FROM ({{rows}}) r
  GROUP BY module, event, day, known_on, category, key
  ON CONFLICT (module, event, day, known_on, category, key)
  DO UPDATE SET n = b.n + excluded.n, total = b.total + excluded.total;"""
_ROWS = {"insert": "SELECT 1 AS sign, * FROM new_rows",
         "update": "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows",
         "delete": "SELECT -1 AS sign, * FROM old_rows"}
_REFERENCING = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "delete": "OLD TABLE AS old_rows"}


def _function(source: str, op: str) -> str:
    return f"station_rollup_{source}_{op}"


def install(conn: Connection, fill: bool = True) -> None:
    """Make the roll-up tables and their triggers, filled from the summary already there."""
    q = conn.exec_driver_sql
    for stmt in _CREATE:
        q(stmt)
    for source, body in (("daily_counts", _COUNTS_BODY), ("daily_events", _EVENTS_BODY)):
        for op in ("insert", "update", "delete"):
            fn = _function(source, op)
            q(f"""CREATE FUNCTION {fn}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN{body.replace('{rows}', _ROWS[op])}
  RETURN NULL;
END $$""")
            q(f"REVOKE ALL ON FUNCTION {fn}() FROM PUBLIC")
            # Transition tables allow one event per trigger (PostgreSQL's rule): three triggers.
            q(f"CREATE TRIGGER {fn} AFTER {op.upper()} ON {source} REFERENCING {_REFERENCING[op]} "
              f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}()")
    if fill:
        q(f"""INSERT INTO {COUNTS} (module, day, level, n, overdue)
              SELECT module, day, level, sum(n), sum(overdue) FROM daily_counts
              WHERE category = '*' AND team_id = -1 GROUP BY module, day, level""")
        q(f"""INSERT INTO {STATIONS} (module, station_id, n)
              SELECT module, station_id, sum(n) FROM daily_counts
              WHERE category = '*' AND team_id = -1 GROUP BY module, station_id""")
        q(f"""INSERT INTO {EVENTS} (module, event, day, known_on, category, key, n, total)
              SELECT module, event, day, known_on, category, key, sum(n), sum(total) FROM daily_events
              GROUP BY module, event, day, known_on, category, key""")
        for t in TABLES:
            q(f"ANALYZE {t}")


def drop(conn: Connection) -> None:
    """Remove what `install` made."""
    q = conn.exec_driver_sql
    for source in ("daily_counts", "daily_events"):
        for op in ("insert", "update", "delete"):
            fn = _function(source, op)
            q(f"DROP TRIGGER IF EXISTS {fn} ON {source}")
            q(f"DROP FUNCTION IF EXISTS {fn}()")
    for t in TABLES:
        q(f"DROP TABLE IF EXISTS {t}")


def present(conn: Connection) -> bool:
    """Whether the database behind `conn` has the roll-ups (PostgreSQL at migration 0019 or later)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.exec_driver_sql(f"SELECT to_regclass('public.{COUNTS}') IS NOT NULL").scalar())


def problems(conn: Connection) -> list[str]:
    """Cells of the roll-ups that differ from a sum of the summary, as bilingual lines (empty when exact)."""
    q = conn.exec_driver_sql
    out: list[str] = []
    checks = (
        (COUNTS, "module, day, level", "n, overdue",
         "SELECT module, day, level, sum(n) AS n, sum(overdue) AS overdue FROM daily_counts "
         "WHERE category = '*' AND team_id = -1 GROUP BY module, day, level"),
        (STATIONS, "module, station_id", "n",
         "SELECT module, station_id, sum(n) AS n FROM daily_counts "
         "WHERE category = '*' AND team_id = -1 GROUP BY module, station_id"),
        (EVENTS, "module, event, day, known_on, category, key", "n, total",
         "SELECT module, event, day, known_on, category, key, sum(n) AS n, sum(total) AS total FROM daily_events "
         "GROUP BY module, event, day, known_on, category, key"),
    )
    for table, keys, values, truth in checks:
        nonzero = " OR ".join(f"{v} <> 0" for v in values.split(", "))
        rows = q(f"(SELECT {keys}, {values} FROM {table} WHERE {nonzero} EXCEPT SELECT * FROM ({truth}) t "
                 f"WHERE {nonzero}) UNION ALL (SELECT * FROM ({truth}) t WHERE {nonzero} "
                 f"EXCEPT SELECT {keys}, {values} FROM {table} WHERE {nonzero}) LIMIT 5").all()
        if rows:
            out.append(f"全局汇总 {table} 与各派出所汇总不一致：{rows[0]}（{len(rows)}+ 处）"
                       f" / the branch roll-up {table} differs from the stations' summary: {rows[0]} ({len(rows)}+)")
    return out


def problems_of(db: Store) -> list[str]:
    """`problems` of a store (nothing to check where the roll-ups are not kept)."""
    with db.read() as session:
        conn = session.connection()
        return problems(conn) if present(conn) else []
