"""City scale on PostgreSQL (issue 21 item 6): 100 stations and 5 million records in one branch
database partitioned by station (app.store.partitions), beside the same rows unpartitioned.

    .venv/bin/python bench/city_bench.py build --url postgresql://station@127.0.0.1:PORT/postgres
    .venv/bin/python bench/city_bench.py run   --url postgresql://station@127.0.0.1:PORT/postgres

`build` makes the database `city_part` (the app's schema at head, partitioned) and fills it with
SQL straight on the server (INSERT … SELECT generate_series: the app's import would take hours
on this machine), then `city_flat`, a copy made unpartitioned. It is done once; `run` reuses them.
The rows are synthetic but shaped like a branch's: each station's records in one block of ids (as
an import writes them), 24,000 cases, 20,000 disputes and 6,000 key persons per station, one
creation level change per record and an action for one record in four, the daily summary
(daily_counts / daily_events) counted from the records by SQL.

`run` measures on both databases, each figure beside its raw baseline (the same statements, or the
bare SQL of the same question, run straight on a psycopg connection):
- the merge of one real station's package (bench/run.py's cached 10,000-record demo station): its
  first, full package (which also makes its partitions) and then a delta of a month's changes;
  the raw baseline is a COPY of the same rows into the same tables;
- the branch dashboard: headline statistics and the trend charts, for the whole branch and for one
  station (the raw baseline replays the app's own statements);
- a search (a one-character and a three-character term) and a table open (ids and first page).
Benchmarks are not tests: nothing here fails on time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STATIONS = 100
PER_STATION = {"case_record": 24_000, "dispute": 20_000, "person": 6_000}
TEAMS = 4
OFFICERS = 1 + TEAMS * 5  # a leader; per team a team leader and four officers
AS_OF = date(2026, 11, 1)
PART, FLAT = "city_part", "city_flat"


def db_url(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# -- building ----------------------------------------------------------------------------------------
_WORDS = {
    "cause": "ARRAY['盗窃','诈骗','故意伤害','寻衅滋事','抢夺','赌博','吸毒','殴打他人','损毁财物','非法侵入住宅']",
    "place": "ARRAY['东湖路','解放大道','中山路','和平街','光明小区','建设路','人民广场','新华路','长江花园','黄鹤楼街']",
    "surname": "ARRAY['张','王','李','赵','刘','陈','杨','黄','周','吴','徐','孙','马','朱','胡','郭']",
    "given": "ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明']",
    "community": "ARRAY['东湖社区','南湖社区','西城社区','北苑社区','中心社区','滨江社区']",
}


def _common(prefix: str) -> str:
    """The RecordMixin columns from g (global number), s (station), i (number in the station)."""
    return f"""
      md5('{prefix}' || g) AS uuid,
      (ARRAY['red','orange','yellow','yellow','green','green','green','green'])[1 + (g * 7) % 8] AS level,
      CASE WHEN g % 97 = 0 THEN 'voided' WHEN (g * 7) % 8 >= 4 THEN 'closed' ELSE 'active' END AS status,
      created, created AS updated_at, created AS level_changed_at, created::date AS last_activity_on,
      CASE WHEN (g * 7) % 8 < 4 AND g % 97 <> 0 THEN created::date + 10 + (g % 40) END AS next_due,
      CASE WHEN g % 97 = 0 THEN created + interval '1 day' END AS voided_at,
      CASE WHEN g % 97 = 0 THEN '重复录入' END AS void_reason, 1 AS version, s AS station_id,
      (s - 1) * {TEAMS} + 1 + g % {TEAMS} AS team_id, (s - 1) * {OFFICERS} + 1 AS leader_id,
      (s - 1) * {OFFICERS} + 2 + (g % {TEAMS}) * 5 AS team_leader_id,
      (s - 1) * {OFFICERS} + 3 + (g % {TEAMS}) * 5 + (g / {TEAMS}) % 4 AS officer_id"""


def _series(n_per: int, offset: int) -> str:
    """g, s, i and a creation time spread over the two years before AS_OF, station by station."""
    return (f"FROM (SELECT g, (g - 1) / {n_per} + 1 AS s, (g - 1) % {n_per} + 1 AS i, "
            f"timestamp '2024-11-01 08:00' + make_interval(days => (((g % 730) * 7919) % 730)::int, "
            f"mins => (((g % 600) * 13) % 600)::int) AS created "
            f"FROM generate_series({offset} + 1, {offset} + {n_per * STATIONS}) g) x")


def _records_sql() -> list[tuple[str, str]]:
    w = _WORDS
    n = PER_STATION
    case = f"""
    INSERT INTO case_record (id, case_no, kind, category, cause, place, accepted_on, filed_on, solved_on, closed_on,
        uuid, level, status, created_at, updated_at, level_changed_at, last_activity_on, next_due, voided_at,
        void_reason, version, station_id, team_id, leader_id, team_leader_id, officer_id, summary, search_text)
    SELECT g, 'A' || s || '-' || i, CASE WHEN g % 3 = 0 THEN 'criminal' ELSE 'administrative' END, '',
      c.cause, c.place, created::date, CASE WHEN g % 3 = 0 THEN created::date + 3 END,
      CASE WHEN (g * 7) % 8 >= 4 THEN created::date + 20 END, CASE WHEN (g * 7) % 8 >= 4 THEN created::date + 25 END,
      {_common('c')}, c.summary, 'A' || s || '-' || i || ' ' || c.cause || ' ' || c.place || ' ' || c.summary
    FROM (SELECT *, ({w['cause']})[1 + g % 10] AS cause,
                 ({w['place']})[1 + (g / 10) % 10] || (g % 300) || '号' AS place,
                 ({w['surname']})[1 + g % 16] || ({w['given']})[1 + (g / 16) % 16] || '报警称' ||
                 ({w['cause']})[1 + g % 10] AS summary
          {_series(n['case_record'], 0)}) c"""
    dispute = f"""
    INSERT INTO dispute (id, dispute_no, category, source, focus_area, parties, place, community, found_on,
        resolved_on, outcome, handover_department, answer,
        uuid, level, status, created_at, updated_at, level_changed_at, last_activity_on, next_due, voided_at,
        void_reason, version, station_id, team_id, leader_id, team_leader_id, officer_id, summary, search_text)
    SELECT g, 'D' || s || '-' || i, (ARRAY['police_primary','non_police','assistance'])[1 + g % 3],
      (ARRAY['110','visit','walk_in','referral'])[1 + g % 4], '', d.parties, d.place, d.community, created::date,
      CASE WHEN (g * 7) % 8 >= 4 THEN created::date + 7 END, '', '', '',
      {_common('d')}, d.parties || '因邻里纠纷', 'D' || s || '-' || i || ' ' || d.parties || ' ' || d.place
    FROM (SELECT *, ({w['surname']})[1 + g % 16] || ({w['given']})[1 + (g / 16) % 16] || '、' ||
                 ({w['surname']})[1 + (g / 3) % 16] || ({w['given']})[1 + (g / 7) % 16] AS parties,
                 ({w['place']})[1 + (g / 10) % 10] || (g % 200) || '号' AS place,
                 ({w['community']})[1 + g % 6] AS community
          {_series(n['dispute'], 0)}) d"""
    person = f"""
    INSERT INTO person (id, name, sex, birth_date, phone, address, community, grid, risk_categories, control_plan,
        guardian_name, guardian_phone, skynet, control_status, listed_on,
        uuid, level, status, created_at, updated_at, level_changed_at, last_activity_on, next_due, voided_at,
        void_reason, version, station_id, team_id, leader_id, team_leader_id, officer_id, summary, search_text)
    SELECT g, p.name, CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END, date '1960-01-01' + (g % 15000)::int, '',
      p.address, '', '', '', '每周见面', '', '', false, 'in_control', created::date,
      {_common('p')}, '', p.name || ' ' || p.address
    FROM (SELECT *, ({w['surname']})[1 + g % 16] || ({w['given']})[1 + (g / 16) % 16] ||
                 ({w['given']})[1 + (g / 256) % 16] AS name,
                 ({w['place']})[1 + (g / 10) % 10] || (g % 500) || '号' AS address
          {_series(n['person'], 0)}) p"""
    return [("case_record", case), ("dispute", dispute), ("person", person)]


def _history_sql() -> list[str]:
    out = []
    for module, table in (("case", "case_record"), ("dispute", "dispute"), ("person", "person")):
        out.append(f"""
        INSERT INTO level_change (uuid, module, record_id, from_level, to_level, changed_at, officer_id, reason,
                                  outcome, station_id)
        SELECT md5('lc{module}' || id), '{module}', id, NULL, level, created_at, officer_id, '登记', '', station_id
        FROM {table}""")
        out.append(f"""
        INSERT INTO action (uuid, module, record_id, kind, acted_at, officer_id, content, outcome, next_due,
                            recorded_at, station_id)
        SELECT md5('ac{module}' || id), '{module}', id, 'visit', created_at + interval '2 days', officer_id,
               '走访了解情况', '', next_due, created_at + interval '2 days', station_id
        FROM {table} WHERE id % 4 = 0""")
    return out


def _summary_sql() -> list[str]:
    """daily_counts: each record +1 at its level from the day it was created (and -1 from the day it
    was voided), per team and in the roll-up cells; daily_events: new, closed, solved and filed."""
    out = []
    cat = {"case_record": "kind", "dispute": "category", "person": "''"}
    mod = {"case_record": "case", "dispute": "dispute", "person": "person"}
    for table in ("case_record", "dispute", "person"):
        for category, team in ((cat[table], "coalesce(team_id, 0)"), ("'*'", "-1")):
            out.append(f"""
            INSERT INTO daily_counts (module, day, station_id, category, team_id, level, n, overdue)
            SELECT '{mod[table]}', day, station_id, category, team_id, level, sum(n), 0 FROM (
              SELECT created_at::date AS day, station_id, {category} AS category, {team} AS team_id, level, 1 AS n
              FROM {table}
              UNION ALL
              SELECT voided_at::date, station_id, {category}, {team}, level, -1 FROM {table}
              WHERE voided_at IS NOT NULL) x
            GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0""")
        events = {"case_record": (("new", "accepted_on"), ("closed", "closed_on"), ("solved", "solved_on"),
                                  ("filed", "filed_on")),
                  "dispute": (("new", "found_on"), ("closed", "resolved_on")),
                  "person": (("new", "listed_on"),)}[table]
        for event, col in events:
            for category in (cat[table], "'*'"):
                out.append(f"""
                INSERT INTO daily_events (module, event, day, known_on, station_id, category, key, n, total)
                SELECT '{mod[table]}', '{event}', {col}, greatest({col}, created_at::date), station_id,
                       {category}, '', count(*), 0
                FROM {table} WHERE {col} IS NOT NULL AND voided_at IS NULL GROUP BY 3, 4, 5, 6""")
    return out


def build(url: str) -> None:
    import psycopg

    from app.store import PgStore, partitions

    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PART} WITH (FORCE)")
        c.execute(f"DROP DATABASE IF EXISTS {FLAT} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {PART}")
    PgStore(db_url(url, PART), create=True).close()
    started = time.perf_counter()
    with psycopg.connect(db_url(url, PART)) as conn:
        q = conn.execute
        q(f"""INSERT INTO station (id, uuid, code, name, branch_name, is_demo, created_at)
              SELECT s, md5('station' || s), 'S' || lpad(s::text, 4, '0'), '城区派出所' || s, '东湖分局', false,
                     timestamp '2024-10-01'
              FROM generate_series(1, {STATIONS}) s""")
        q(f"""INSERT INTO team (id, uuid, station_id, name, active)
              SELECT (s - 1) * {TEAMS} + t, md5('team' || s || '-' || t), s, '第' || t || '队', true
              FROM generate_series(1, {STATIONS}) s, generate_series(1, {TEAMS}) t""")
        q(f"""INSERT INTO officer (id, uuid, station_id, team_id, name, badge_no, role, phone, active, duty, auxiliary)
              SELECT (s - 1) * {OFFICERS} + k, md5('officer' || s || '-' || k), s,
                     CASE WHEN k > 1 THEN (s - 1) * {TEAMS} + (k - 2) / 5 + 1 END,
                     '民警' || s || '-' || k, lpad(((s - 1) * {OFFICERS} + k)::text, 6, '0'),
                     CASE WHEN k = 1 THEN 'leader' WHEN (k - 2) % 5 = 0 THEN 'team_leader' ELSE 'officer' END,
                     '', true, '', false
              FROM generate_series(1, {STATIONS}) s, generate_series(1, {OFFICERS}) k""")
        conn.commit()
        say(f"{STATIONS} stations, their partitions, teams and officers")
        # The secondary indexes are built once after the load (as a restore does), on every partition.
        idx = {}
        for table in partitions.TABLES:
            idx[table] = q("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                           "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                           (table, table)).fetchall()
            for name, _d in idx[table]:
                q(f"DROP INDEX {name}")
        conn.commit()
        for table, sql in _records_sql():
            t = time.perf_counter()
            q(sql)
            conn.commit()
            say(f"{table}: {PER_STATION[table] * STATIONS:,} rows in {time.perf_counter() - t:.0f} s")
        for sql in _history_sql():
            t = time.perf_counter()
            q(sql)
            conn.commit()
            say(f"history: {sql.split()[2]} in {time.perf_counter() - t:.0f} s")
        for sql in _summary_sql():
            q(sql)
        conn.commit()
        say("daily summary")
        for table in partitions.TABLES:
            for _name, d in idx[table]:
                t = time.perf_counter()
                q(d.replace(" ON ONLY ", " ON "))
                conn.commit()
            say(f"indexes of {table}")
        for table in ("station", "team", "officer", "case_record", "dispute", "person", "level_change", "action"):
            q(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
    with psycopg.connect(db_url(url, PART), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    say(f"{PART} built in {time.perf_counter() - started:.0f} s")
    t = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {FLAT} TEMPLATE {PART}")
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://" + db_url(url, FLAT).split("://", 1)[1])
    with engine.begin() as conn:
        partitions.unpartition_all(conn, keep_station_column=True)
    engine.dispose()
    with psycopg.connect(db_url(url, FLAT), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    say(f"{FLAT} (the same rows, unpartitioned) in {time.perf_counter() - t:.0f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=("build", "run"))
    ap.add_argument("--url", required=True, help="a PostgreSQL URL whose role may create databases")
    ap.add_argument("--json", help="write the figures here as JSON")
    ap.add_argument("--merge-only", action="store_true", help="run: only the merge of the station's next package")
    ap.add_argument("--reads-only", action="store_true", help="run: only the dashboard, table and search reads")
    ap.add_argument("--layout", choices=(PART, FLAT), help="run: reads on this database only (with --reads-only)")
    ap.add_argument("--divide", type=int, default=1, help="build 1/N of the records per station (a trial run)")
    args = ap.parse_args()
    if args.action == "build":
        for k in PER_STATION:
            PER_STATION[k] //= args.divide
        build(args.url)
        return 0
    from bench.city_run import run

    rows = run(args.url, merge_only=args.merge_only, reads_only=args.reads_only,
               layouts=(args.layout,) if args.layout else (PART, FLAT))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
