"""Station work done by a real child process until it is killed, and the checks made after the kill.

Run as a script (always with the interpreter of the tests, `sys.executable`):

    crash_child.py work DB TAG SEED      business operations in a loop, one acknowledgement per commit
    crash_child.py migrate DB            open a database made at an older revision (upgrades it)
    crash_child.py increment DB KEY N    N read-modify-write increments of one setting (C1)
    crash_child.py zygote                import everything once, then fork one worker per command
                                         read from stdin ("run SECONDS START MODE ARGS…"), SIGKILL
                                         it SECONDS after START (`start`: the fork; `ack`: the
                                         worker's first commit, or its migration's safety copy)
                                         and report "exit PID CODE"

Importing the app costs a new interpreter 0.5–1.5 s, more than the whole kill window. The zygote
pays it once: each worker is a fresh `fork` that has opened nothing yet, so it is killed in the
middle of its own open, migration or commit exactly as a freshly started app would be. The zygote
is the worker's parent and sends the kill itself, so the pid cannot be reused by then.

The parent side (`Runner`, `kill_loop`, `migration_loop`, `check_station`) is imported by
tests/trust and bench/crash_loop.py.
"""
from __future__ import annotations

import os
import queue
import random
import select as io_select  # sqlalchemy's `select` is the query builder here
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make `app` and `models` importable
    sys.path.insert(0, str(ROOT))

_T0 = time.perf_counter()
import sqlcipher3.dbapi2 as sqlite  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.errors import StationError  # noqa: E402
from app.services import org, records as R  # noqa: E402
from app.store import SqliteStore, Store  # noqa: E402
from app.store.base import head_revision, known_revisions  # noqa: E402
from models import Action, Case, Setting  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _T0
_ACK_FD: int | None = None  # in a zygote's worker: where to signal the first acknowledged commit
CHILD = Path(__file__).resolve()
BATCH_PREFIX = "batch:"
BATCH_COUNT_KEY = "trust.batch.count"
RECORD_TABLES = ("case_record", "dispute", "person")
ROW_MARK = "rowmark"
AUDITED = {"case": "case_record", "dispute": "dispute", "level_change": "level_change", "action": "action"}
ACK_FIELDS = {"case": 3, "dispute": 3, "level": 4, "action": 4, "convert": 3, "batch": 3}


# -- helpers shared by both sides ---------------------------------------------------------------
def open_database(path: str | Path, **kw) -> Store:
    """Open a database that several processes write at once on purpose (C1): once SqliteStore takes
    the single-instance lock (app/store/instance_lock.py), this opts out of it."""
    import inspect

    if "instance_lock" in inspect.signature(SqliteStore.__init__).parameters:
        kw.setdefault("instance_lock", False)
    return SqliteStore(path, **kw)


def setup_station(db: Store) -> None:
    """The station the workload writes to: a leader, a team leader and an officer."""
    org.init_station(db, "城关派出所", "360102001", "东湖分局")
    team = org.add_team(db, "社区警务一队")
    org.add_officer(db, "王建国", "leader")
    org.add_officer(db, "李强", "team_leader", team)
    org.add_officer(db, "张伟", "officer", team)


def _say(*parts) -> None:
    # One write per line, flushed: what the parent reads is exactly what was acknowledged.
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


# -- child modes --------------------------------------------------------------------------------
def operations(db: Store, tag: str, seed: int) -> Iterator[Callable[[], str]]:
    """The workload as an endless plan of service calls. Each item, when called, makes exactly one
    call (one transaction) and returns its acknowledgement; call it again to retry after a failure,
    and take the next item only after it succeeded (later steps use its result)."""
    rng = random.Random(seed)
    officers = {o.role: o.id for o in org.list_officers(db)}
    actor = org.actor_for(db, officers["leader"])
    people = R.Responsibility(officer_id=officers["officer"])
    today = date.today()
    n = 0
    while True:
        n += 1
        t = f"{tag}.{n}"
        roll = rng.random()
        got: dict[str, int] = {}
        if roll < 0.45:
            # A case through its loop: registered red, lowered, worked on, sometimes closed.
            def create_case(t=t, got=got):
                got["case"] = R.create_case(db, actor, R.CaseInput(
                    f"K{t}", "criminal", "red", today - timedelta(days=1), cause="入室盗窃", place="东湖小区",
                    summary=f"案情 {t}", people=people))
                return f"case {got['case']} K{t}"

            def lower_level(t=t, got=got):
                R.change_level(db, actor, "case", got["case"], "yellow", f"抓获嫌疑人 {t}")
                return f"level case {got['case']} yellow"

            def log_work(t=t, got=got):
                R.log_action(db, actor, "case", got["case"], "visit", f"走访 {t}")
                return f"action case {got['case']} {t}"

            def close_case(t=t, got=got):
                R.change_level(db, actor, "case", got["case"], "green", f"破案 {t}", "已移送起诉")
                return f"level case {got['case']} green"

            yield create_case
            yield lower_level
            yield log_work
            if rng.random() < 0.3:
                yield close_case
        elif roll < 0.75:
            # A dispute that could not be mediated becomes a case: both sides in one transaction.
            def create_dispute(t=t, got=got):
                got["dispute"] = R.create_dispute(db, actor, R.DisputeInput(
                    f"J{t}", "police_primary", "110", "orange", today, parties="赵六、钱七", focus_area="neighbour",
                    summary=f"纠纷 {t}", people=people))
                return f"dispute {got['dispute']} J{t}"

            def convert(t=t, got=got):
                cid = R.convert_dispute(db, actor, got["dispute"], R.CaseInput(f"Z{t}", "administrative", "orange",
                                                                               today), f"调解不成 {t}")
                return f"convert {got['dispute']} {cid}"

            yield create_dispute
            yield convert
        else:
            # A bulk write: N rows, their ledger row and a derived counter in one db.write().
            def batch(t=t, rows=rng.randint(5, 60)):  # noqa: B008 - drawn once, for this operation
                with db.write() as s:
                    case_id = s.scalar(select(func.max(Case.id))) or 0
                    now = R.now()
                    s.add_all(Action(module="case", record_id=case_id, kind="other",
                                     content=f"{BATCH_PREFIX}{t}:{i}:{rows}", officer_id=actor.officer_id,
                                     acted_at=now, recorded_at=now) for i in range(rows))
                    s.add(Setting(key=f"trust.batch.{t}", value=str(rows)))
                    counter = s.get(Setting, BATCH_COUNT_KEY)
                    if counter is None:
                        s.add(Setting(key=BATCH_COUNT_KEY, value="1"))
                    else:
                        counter.value = str(int(counter.value) + 1)
                return f"batch {t} {rows}"

            yield batch


def work(db_path: str, tag: str, seed: int) -> None:
    """Business operations in a loop; each line printed after a service call returned (= committed)."""
    _say("pid", os.getpid(), f"{IMPORT_SECONDS:.3f}")
    db = SqliteStore(db_path)
    _say("open")
    for op in operations(db, tag, seed):
        _say(op())
        _signal_zygote()  # the first commit is done: a round with after="ack" starts its clock


def _signal_zygote() -> None:
    global _ACK_FD
    if _ACK_FD is not None:
        os.write(_ACK_FD, b"a")
        os.close(_ACK_FD)
        _ACK_FD = None


def migrate(db_path: str) -> None:
    """Open a database made by an older release: Store upgrades it to the head in place. Each
    phase line carries the seconds since the worker started, so the parent can aim its kills."""
    import logging

    t0 = time.perf_counter()

    class Echo(logging.Handler):
        def emit(self, record):  # phases of the upgrade, so the parent knows where the kill landed
            msg = record.getMessage()
            if msg.startswith("upgrading "):
                _say("phase", "migrating", f"{time.perf_counter() - t0:.4f}")
                _signal_zygote()  # a round with after="ack" starts its clock here
            elif msg.startswith("Running upgrade"):
                _say("phase", "ddl", f"{time.perf_counter() - t0:.4f}", msg.split()[2])

    for name in ("app.store.sqlite", "alembic.runtime.migration"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(Echo())
    _say("pid", os.getpid(), f"{IMPORT_SECONDS:.3f}")
    db = SqliteStore(db_path)
    _say("opened", f"{time.perf_counter() - t0:.4f}", db.schema_state().current)
    db.close()


def increment(db_path: str, key: str, times: int) -> None:
    """C1: read-modify-write through db.write() (BEGIN IMMEDIATE), after a start signal on stdin."""
    db = open_database(db_path)
    _say("ready")
    sys.stdin.readline()  # all workers start together, so they really contend
    failures = 0
    for _ in range(times):
        try:
            with db.write() as s:
                row = s.get(Setting, key)
                row.value = str(int(row.value) + 1)
        except StationError as exc:
            failures += 1
            _say("error", exc.en)
    db.close()
    _say("done", failures)


def _run_mode(argv: list[str]) -> None:
    mode, args = argv[0], argv[1:]
    if mode == "work":
        work(args[0], args[1], int(args[2]))
    elif mode == "migrate":
        migrate(args[0])
    elif mode == "increment":
        increment(args[0], args[1], int(args[2]))
    else:
        raise SystemExit(f"unknown mode {mode}")


def zygote() -> None:
    """Fork a worker per command and SIGKILL it after the given delay (see the module docstring)."""
    global _ACK_FD
    head_revision(), known_revisions()  # warm the migration scripts, as a running app would have
    _say("ready", f"{IMPORT_SECONDS:.3f}")
    for line in sys.stdin:
        parts = shlex.split(line)
        if not parts:
            continue
        delay, after, argv = float(parts[1]), parts[2], parts[3:]
        sys.stdout.flush()
        ack_r, ack_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(ack_r)
            _ACK_FD = ack_w
            code = 0
            try:
                _die_with_parent()
                _run_mode(argv)
            except BaseException:  # the parent fails the round on any exit but the kill
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(ack_w)
        status = None
        try:
            if after == "ack":  # start the clock at the first commit (or at the worker's end)
                give_up = time.monotonic() + 120
                while not io_select.select([ack_r], [], [], 0.05)[0] and time.monotonic() < give_up:
                    pass
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline:
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = st
                    break
                time.sleep(min(0.002, max(0.0, deadline - time.monotonic())))
        finally:
            os.close(ack_r)
            if status is None:
                os.kill(pid, signal.SIGKILL)  # not yet reaped, so this pid is still our child
                _, status = os.waitpid(pid, 0)
        _say("exit", pid, os.waitstatus_to_exitcode(status))


def _die_with_parent() -> None:
    """Linux: the kernel SIGKILLs this worker if the zygote dies first, so none is left behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the zygote died before prctl took effect
            os._exit(1)


# -- parent side: running rounds ------------------------------------------------------------------
@dataclass
class Round:
    lines: list[str]
    exit_code: int
    seconds: float

    @property
    def killed(self) -> bool:
        return self.exit_code == -signal.SIGKILL

    def tagged(self, word: str) -> list[list[str]]:
        return [ln.split()[1:] for ln in self.lines if ln.split()[:1] == [word]]


class Runner:
    """Runs child rounds either through a zygote (fast) or as fresh interpreters (`fresh=True`)."""

    def __init__(self, fresh: bool = False, timeout: float = 60.0):
        self.fresh = fresh
        self.timeout = timeout
        self.startup_seconds: list[float] = []  # fresh interpreter: spawn to first line
        self.import_seconds: float | None = None
        self._zygote: subprocess.Popen | None = None
        self._errors: list[str] = []
        if not fresh:
            t = time.perf_counter()
            self._zygote, self._lines = self._spawn(["zygote"])
            first = self._next(self._lines)
            if not first.startswith("ready"):
                raise RuntimeError(f"zygote did not start: {first!r} {self.stderr()}")
            self.import_seconds = float(first.split()[1])
            self.startup_seconds.append(time.perf_counter() - t)

    def _spawn(self, argv: list[str]) -> tuple[subprocess.Popen, queue.Queue]:
        proc = subprocess.Popen([sys.executable, str(CHILD), *argv], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                cwd=str(ROOT), bufsize=1)
        lines: queue.Queue = queue.Queue()

        def pump(stream, sink):
            for ln in stream:
                sink(ln.rstrip("\n"))
            sink(None)

        threading.Thread(target=pump, args=(proc.stdout, lines.put), daemon=True).start()
        threading.Thread(target=pump, args=(proc.stderr, lambda s: s is not None and self._errors.append(s)),
                         daemon=True).start()
        return proc, lines

    def _next(self, lines: queue.Queue, timeout: float | None = None) -> str | None:
        try:
            return lines.get(timeout=self.timeout if timeout is None else timeout)
        except queue.Empty:
            raise TimeoutError(f"child silent for {self.timeout} s; stderr: {self.stderr()}") from None

    def stderr(self) -> str:
        return "\n".join(self._errors[-40:])

    def run(self, delay: float, argv: list[str], after: str = "start") -> Round:
        """Start a child doing `argv` and SIGKILL it `delay` seconds later (unless it ended by itself
        first). The clock starts when the child is ready to open the database (`after="start"`:
        the fork, or a fresh interpreter's first line) or at its first acknowledged commit
        (`after="ack"`; for a migration, when the safety copy is made), so that a round surely
        kills where it is meant to whatever the machine's load. A fresh interpreter knows only
        acknowledgement lines."""
        t = time.perf_counter()
        if not self.fresh:
            if self._zygote is None or self._zygote.poll() is not None:
                raise RuntimeError(f"the zygote is not running: {self.stderr()}")
            self._zygote.stdin.write(shlex.join(["run", f"{delay:.4f}", after, *argv]) + "\n")
            self._zygote.stdin.flush()
            out = []
            give_up = time.monotonic() + delay + 2 * self.timeout + 120
            while True:
                ln = self._next(self._lines)
                if ln is None:
                    self.close()
                    raise RuntimeError(f"zygote died: {self.stderr()}")
                if ln.startswith("exit "):
                    return Round(out, int(ln.split()[2]), time.perf_counter() - t)
                out.append(ln)
                if time.monotonic() > give_up:  # never loop forever on a worker that is not killed
                    self.close()
                    raise TimeoutError(f"round did not end: {out[-3:]} {self.stderr()}")
        proc, lines = self._spawn(argv)
        try:
            first = self._next(lines)
            self.startup_seconds.append(time.perf_counter() - t)
            out = [first] if first is not None else []
            while first is not None and after == "ack" and (first.split() or [""])[0] not in ACK_FIELDS:
                first = self._next(lines)
                if first is not None:
                    out.append(first)
            deadline = time.monotonic() + delay
            while first is not None and time.monotonic() < deadline:
                try:
                    ln = lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if ln is None:
                    break
                out.append(ln)
            if proc.poll() is None:
                proc.kill()  # Popen knows whether it reaped the child: never a stranger's pid
            code = proc.wait(timeout=self.timeout)
            while (ln := self._next(lines)) is not None:
                out.append(ln)
            return Round(out, code, time.perf_counter() - t)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                stream.close()

    def close(self) -> None:
        """End the zygote (its worker, if any, dies with it: see `_die_with_parent`)."""
        zygote, self._zygote = self._zygote, None
        if zygote is None:
            return
        try:
            zygote.stdin.close()
            zygote.wait(timeout=10)
        except (subprocess.TimeoutExpired, OSError):
            zygote.kill()
            zygote.wait()


# -- parent side: what must hold after a kill ------------------------------------------------------
@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def fail(self, msg: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(msg)


def check_station(db: Store, acks: list[str] | None = None) -> Report:
    """Integrity, no partial business operation anywhere in the file, and every acknowledged
    operation present. `acks` are the child's lines; only complete acknowledgements count."""
    rep = Report()
    for p in db.integrity_problems():
        rep.fail(f"integrity: {p}")
    with db.engine.connect() as conn:
        q = lambda sql: conn.exec_driver_sql(sql).all()  # noqa: E731
        cases = {r[0]: r[1:] for r in q("SELECT id, case_no, level, status, version, source_dispute_id "
                                          "FROM case_record")}
        disputes = {r[0]: r[1:] for r in q("SELECT id, dispute_no, level, status, version, converted_case_id "
                                           "FROM dispute")}
        history: dict[tuple[str, int], list[tuple]] = defaultdict(list)
        for module, rid, frm, to in q("SELECT module, record_id, from_level, to_level FROM level_change "
                                      "ORDER BY id"):
            history[(module, rid)].append((frm, to))
        work = Counter()
        contents: dict[tuple[str, int], set[str]] = defaultdict(set)
        batches: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for module, rid, content in q("SELECT module, record_id, content FROM action"):
            if content.startswith(BATCH_PREFIX):
                token, i, n = content[len(BATCH_PREFIX):].rsplit(":", 2)
                batches[token].append((int(i), int(n)))
            else:
                work[(module, rid)] += 1
                contents[(module, rid)].add(content)
        settings = dict(q("SELECT key, value FROM setting WHERE key LIKE 'trust.batch.%'"))
        audited: dict[str, set[str]] = {}
        if q("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'"):
            for module, table in AUDITED.items():
                rows = {r[0] for r in q(f"SELECT uuid FROM {table}")}
                logged = {r[0] for r in q(f"SELECT record_uuid FROM audit_log WHERE module = '{module}' "
                                          "AND action LIKE '%create'")}
                audited[module] = rows ^ logged
    # The audit trail is written in the same transaction as the change: a row without its entry
    # (or an entry without its row) is half an operation.
    for module, odd in audited.items():
        if odd:
            rep.fail(f"{module}: {len(odd)} rows and audit entries do not match, e.g. {sorted(odd)[:2]}")
    if audited:
        from app.services import audit

        for p in audit.verify_chain(db)[:5]:
            rep.fail(f"audit chain: {p}")

    # Each record's history explains its level, and its version counts its changes exactly once.
    for module, rows in (("case", cases), ("dispute", disputes)):
        for rid, (no, level, status, version, _link) in rows.items():
            chain = history.get((module, rid), [])
            if not chain or chain[0][0] is not None:
                rep.fail(f"{module} {rid} {no}: history does not start with its registration")
                continue
            for (_, prev_to), (frm, _) in zip(chain, chain[1:]):
                if frm != prev_to:
                    rep.fail(f"{module} {rid}: history jumps from {prev_to} to a change from {frm}")
            if chain[-1][1] != level:
                rep.fail(f"{module} {rid}: level {level} but its history ends at {chain[-1][1]}")
            # Every level change (and conversion) rewrites the row; logging work may leave it as it
            # was (same second, same due date), so the version lies between the two counts.
            if not len(chain) <= version <= len(chain) + work[(module, rid)]:
                rep.fail(f"{module} {rid}: version {version} outside {len(chain)} level changes "
                         f"(+ {work[(module, rid)]} actions): a change without its history")
            if status != "converted" and (status == "closed") != (level == "green"):
                rep.fail(f"{module} {rid}: status {status} does not match level {level}")
    # A converted dispute always has its case, and the case points back.
    for did, (_, _, status, _, case_id) in disputes.items():
        if (status == "converted") != (case_id is not None):
            rep.fail(f"dispute {did}: status {status} but converted_case_id {case_id}")
        elif case_id is not None and (case_id not in cases or cases[case_id][4] != did):
            rep.fail(f"dispute {did}: converted to case {case_id}, which does not point back")
    for cid, (_, _, _, _, source) in cases.items():
        if source is not None and (source not in disputes or disputes[source][4] != cid):
            rep.fail(f"case {cid}: made from dispute {source}, which is not marked converted to it")
    # A batch is all of its rows or none, with its ledger row and the counter.
    for token, rows in batches.items():
        n = rows[0][1]
        if sorted(i for i, _ in rows) != list(range(n)):
            rep.fail(f"batch {token}: {len(rows)} of {n} rows")
        if settings.get(f"trust.batch.{token}") != str(n):
            rep.fail(f"batch {token}: rows without their ledger setting")
    ledger = {k[len("trust.batch."):] for k in settings if k != BATCH_COUNT_KEY}
    for token in ledger - set(batches):
        rep.fail(f"batch {token}: ledger setting without its rows")
    if int(settings.get(BATCH_COUNT_KEY, "0")) != len(batches):
        rep.fail(f"batch counter {settings.get(BATCH_COUNT_KEY)} != {len(batches)} batches")

    # Every acknowledged operation is there.
    case_nos = {v[0]: k for k, v in cases.items()}
    dispute_nos = {v[0]: k for k, v in disputes.items()}
    for line in acks or ():
        parts = line.split()
        kind = parts[0] if parts else ""
        if len(parts) != ACK_FIELDS.get(kind):
            continue  # pid/open/phase lines, and a line cut short by the kill, acknowledge nothing
        if kind == "case":
            ok = case_nos.get(parts[2]) == int(parts[1])
        elif kind == "dispute":
            ok = dispute_nos.get(parts[2]) == int(parts[1])
        elif kind == "level":
            ok = any(to == parts[3] for _, to in history.get((parts[1], int(parts[2])), ()))
        elif kind == "action":
            ok = any(c.endswith(" " + parts[3]) for c in contents.get((parts[1], int(parts[2])), ()))
        elif kind == "convert":
            ok = int(parts[1]) in disputes and disputes[int(parts[1])][4] == int(parts[2])
        elif kind == "batch":
            ok = len(batches.get(parts[1], ())) == int(parts[2])
        rep.counts["acknowledged"] += 1
        if not ok:
            rep.counts["lost"] += 1
            rep.fail(f"acknowledged but missing: {line}")
    rep.counts.update(cases=len(cases), disputes=len(disputes), batches=len(batches),
                      converted=sum(1 for d in disputes.values() if d[2] == "converted"))
    return rep


# -- parent side: the migration fixture and its states -----------------------------------------------
@dataclass(frozen=True)
class OldDatabase:
    """A file as an earlier release left it, and what the upgrade must turn it into."""

    path: Path
    revision: str
    counts: dict[str, int]
    old_schema: frozenset[tuple[str, str]]
    new_schema: frozenset[tuple[str, str]]


def schema_objects(conn) -> frozenset[tuple[str, str]]:
    return frozenset((t, n) for t, n in conn.execute("SELECT type, name FROM sqlite_master "
                                                      "WHERE name NOT LIKE 'sqlite_%'"))


def build_old_database(path: Path, scratch: Path, cases: int, disputes: int, persons: int,
                       revision: str = "0001") -> OldDatabase:
    """A database at `revision` (before the search index) with many rows. Its first rows are made
    through today's services in a scratch database at the head, copied column by column (the old
    schema's columns), then multiplied in SQL."""
    src = SqliteStore(scratch, create=True)
    try:
        setup_station(src)
        officers = {o.role: o.id for o in org.list_officers(src)}
        actor = org.actor_for(src, officers["leader"])
        people = R.Responsibility(officer_id=officers["officer"])
        today = date.today()
        R.create_case(src, actor, R.CaseInput("A0", "criminal", "red", today, cause="入室盗窃", people=people))
        R.create_dispute(src, actor, R.DisputeInput("J0", "police_primary", "110", "yellow", today,
                                                    parties="赵六、钱七", people=people))
        R.create_person(src, actor, R.PersonInput("张三", "yellow", today, people=people))
        with src.engine.connect() as c:
            new_schema = schema_objects(c.connection.dbapi_connection)
            seed = {}
            for table in ("station", "team", "officer", *RECORD_TABLES):
                cols = [r[1] for r in c.exec_driver_sql(f"PRAGMA table_info({table})")]
                seed[table] = (cols, c.exec_driver_sql(f"SELECT {', '.join(cols)} FROM {table}").all())
    finally:
        src.close()
    db = SqliteStore(path, create=True, revision=revision)
    try:
        with db.raw() as conn:
            old_schema = schema_objects(conn)
            for table, (cols, rows) in seed.items():
                have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                keep = [i for i, c in enumerate(cols) if c in have]
                conn.executemany(f"INSERT INTO {table} ({', '.join(cols[i] for i in keep)}) "
                                 f"VALUES ({', '.join('?' for _ in keep)})",
                                 [tuple(r[i] for i in keep) for r in rows])
            for table, numbered, total in (("case_record", "case_no", cases), ("dispute", "dispute_no", disputes),
                                           ("person", "name", persons)):
                cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
                exprs = {c: c for c in cols}
                exprs["uuid"] = "lower(hex(randomblob(16)))"
                exprs[numbered] = f"'{numbered[0].upper()}' || n.i"
                exprs["search_text"] = f"'{ROW_MARK} ' || n.i || ' ' || search_text"
                conn.execute(f"UPDATE {table} SET search_text = '{ROW_MARK} ' || search_text")
                conn.execute(
                    f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {total - 1}) "
                    f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs[c] for c in cols)} "
                    f"FROM n, (SELECT * FROM {table} LIMIT 1)")
            counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RECORD_TABLES}
    finally:
        db.close()
    return OldDatabase(path, revision, counts, old_schema, new_schema)


def copy_database(src: Path, dst: Path) -> None:
    """A copy through SQLite's backup API (the source is closed, but this is the one safe habit)."""
    s, d = sqlite.connect(str(src)), sqlite.connect(str(dst))
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()


def migration_state(path: Path, old: OldDatabase) -> tuple[str, list[str]]:
    """The revision a file is at and what is wrong with it: exactly the old schema (no search index,
    no later table), or exactly the head's with the whole index over every row; never between."""
    problems: list[str] = []
    head = head_revision()
    conn = sqlite.connect(str(path))
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            problems.append(f"integrity: {check[:3]}")
        for table, n in old.counts.items():
            got = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if got != n:
                problems.append(f"{table}: {got} rows, expected {n}")
        objects = schema_objects(conn)
        expected = {old.revision: old.old_schema, head: old.new_schema}.get(revision)
        if expected is None:
            problems.append(f"at revision {revision!r}, neither {old.revision} nor the head {head}")
        elif objects != expected:
            problems.append(f"at {revision} but the schema differs: extra {sorted(objects - expected)[:4]}, "
                            f"missing {sorted(expected - objects)[:4]}")
        elif revision == head:
            for table in RECORD_TABLES:
                fts = f"{table}_fts"
                hits = conn.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?",
                                    (f'"{ROW_MARK}"',)).fetchone()[0]
                if hits != old.counts[table]:
                    problems.append(f"{fts}: the index finds {hits} of {old.counts[table]} rows")
                try:
                    conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
                except sqlite.DatabaseError as exc:
                    problems.append(f"{fts}: {exc}")
    finally:
        conn.close()
    return revision, problems


# -- parent side: the loops (used by the tests and by bench/crash_loop.py) -------------------------
def kill_loop(runner: Runner, path: Path, kills: int, seed: int, tag: str = "r",
              progress: Callable[[int, Counter], None] | None = None) -> tuple[Counter, list[str]]:
    """Start the worker, SIGKILL it 20–400 ms later, reopen with SqliteStore(path), check; repeat.
    One round in five counts the delay from the worker's start (kills land in the open and the
    first commit too), the others from its first acknowledged commit (kills land among commits
    however loaded the machine is). Stops at the first round with a problem; returns the figures
    and the problems."""
    rng = random.Random(seed)
    figures: Counter = Counter()
    every_ack: list[str] = []
    for k in range(kills):
        delay = rng.uniform(0.020, 0.400)
        after = "start" if k % 5 == 0 else "ack"
        rnd = runner.run(delay, ["work", str(path), f"{tag}{k}", str(rng.randrange(2**31))], after=after)
        where = f"round {k} (seed {seed}, kill {delay * 1000:.0f} ms after the {after})"
        if not rnd.killed:
            return figures, [f"{where}: the worker ended by itself with {rnd.exit_code}:\n{runner.stderr()}"]
        db = SqliteStore(path)  # no manual step: no recovery tool, no stale lock, no question asked
        try:
            report = check_station(db, rnd.lines)
        finally:
            db.close()
        every_ack += rnd.lines
        figures["kills"] += 1
        figures["acknowledged"] += report.counts["acknowledged"]
        figures["killed before the database was open"] += "open" not in rnd.lines
        figures["rounds with an acknowledged commit"] += report.counts["acknowledged"] > 0
        if report.problems:
            _tally(figures, report.problems)
            return figures, [f"{where}: {p}" for p in report.problems]
        if progress:
            progress(k, figures)
    db = SqliteStore(path)
    try:
        final = check_station(db, every_ack)  # nothing acknowledged early went missing later either
    finally:
        db.close()
    _tally(figures, final.problems)
    figures.update({k: final.counts[k] for k in ("cases", "disputes", "converted", "batches")})
    return figures, [f"final check: {p}" for p in final.problems]


def _tally(figures: Counter, problems: list[str]) -> None:
    for p in problems:
        figures["lost" if p.startswith("acknowledged but missing") else
                "integrity errors" if p.startswith("integrity") else "partial operations"] += 1


def migration_loop(runner: Runner, old: OldDatabase, workdir: Path, rounds: int,
                   seed: int) -> tuple[Counter, list[str], float]:
    """D5: copy the old file, open it in a worker (which upgrades it) and SIGKILL the worker at
    delays spread evenly over the upgrade's measured duration; check the state, reopen, check."""
    head = head_revision()
    first = workdir / "m0.db"
    copy_database(old.path, first)
    rnd = runner.run(120.0, ["migrate", str(first)])
    if rnd.exit_code != 0 or migration_state(first, old) != (head, []):
        return Counter(), [f"the upgrade itself failed: {migration_state(first, old)} {runner.stderr()}"], 0.0
    upgrade = float(rnd.tagged("opened")[0][0])
    begin = float(rnd.tagged("phase")[0][1])  # the safety copy is made; the transaction comes next
    # A quarter of the kills spread over opening and copying (clock from the fork), the rest over
    # the migration transaction and a little past it (clock from the worker's signal that the
    # copy is made), evenly and jittered.
    rng = random.Random(seed)
    early = rounds // 4
    plan = [(begin * (i + rng.random()) / early, "start") for i in range(early)]
    plan += [((upgrade - begin) * 1.3 * (i + rng.random()) / (rounds - early), "ack")
             for i in range(rounds - early)]
    rng.shuffle(plan)
    outcome: Counter = Counter()
    for i, (delay, after) in enumerate(plan):
        path = workdir / f"m{i + 1}.db"
        copy_database(old.path, path)
        rnd = runner.run(delay, ["migrate", str(path)], after=after)
        where = f"migration round {i} (seed {seed}, kill {delay * 1000:.0f} ms after the {after})"
        if rnd.exit_code not in (0, -signal.SIGKILL):
            return outcome, [f"{where}: worker failed: {runner.stderr()}"], upgrade
        revision, problems = migration_state(path, old)
        if rnd.tagged("opened") and revision != head:
            problems.append(f"upgrade reported done, file at {revision}")
        if problems:
            return outcome, [f"{where}: {p}" for p in problems], upgrade
        phases = [p[0] for p in rnd.tagged("phase")]
        outcome[f"at {revision}"] += 1
        outcome["not killed" if not rnd.killed else
                "killed after the upgrade returned" if rnd.tagged("opened") else
                "killed after the migration DDL began" if "ddl" in phases else
                "killed after the safety copy" if "migrating" in phases else
                "killed while opening or copying"] += 1
        db = SqliteStore(path)  # opening again completes the upgrade, with no manual step
        try:
            if not db.schema_state().up_to_date or db.integrity_problems():
                return outcome, [f"{where}: reopening did not complete the upgrade"], upgrade
        finally:
            db.close()
        revision, problems = migration_state(path, old)
        if (revision, problems) != (head, []):
            return outcome, [f"{where}: after reopening: {revision} {problems}"], upgrade
        outcome["leftover .tmp copies"] += len(list(workdir.glob(f"m{i + 1}.db.*.tmp")))
        for leftover in workdir.glob(f"m{i + 1}.db*"):
            leftover.unlink()
    return outcome, [], upgrade


if __name__ == "__main__":
    if sys.argv[1:2] == ["zygote"]:
        zygote()
    else:
        _run_mode(sys.argv[1:])
