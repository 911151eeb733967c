"""The import itself: a plan (app.ledger.plan), a preview, the import in one transaction through the
record services (app.ledger.batch for the batched path), the row-level report and the rejected-rows file.

Every data row ends with one outcome: imported, merged into an existing record, already present
(the same ledger twice adds nothing), rejected with the reason in plain words naming the value,
or skipped (blank lines, total rows, sign-off lines). A preview is the same import rolled back.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.identity import normalise_mobile, parse_id_number
from app.domain.levels import LEVEL_NAMES, Level, Module
from app.domain.rules import Actor
from app.errors import StationError, ValidationError
from app.ledger.batch import BATCHED_MODULES, run_batched
from app.ledger.fields import field_specs, mappable_fields, value_targets
from app.ledger.mapping import REJECT_REASON_TITLE, LedgerMapping
from app.ledger.officers import ROLE_OF_FIELD, Roster, add_to_roster_in, officer_key
from app.ledger.persons_match import MERGE_AT, SUGGEST_AT, PersonIndex, PersonProbe

# The plan is public here too (the wizard, the command line and the tests import it from the importer).
from app.ledger.plan import DEFAULTED, LedgerPlan, OfficerQuestion, SheetGuess, guess_sheets, officer_questions, plan_import  # noqa: F401
from app.ledger.reader import row_kind
from app.ledger.values import id_text, int_value, is_blank, map_code, parse_date, phone_text, split_list, text_of, value_key
from app.services import audit, records as R
from app.services.settings import load_cadence
from app.store import Store
from models import Action, Case, Dispute, LevelChange, Person

OUTCOME_NAMES = {
    "imported": ("已导入", "imported"),
    "merged": ("已并入已有记录", "merged into an existing record"),
    "present": ("已在册，未重复导入", "already present"),
    "rejected": ("未导入", "rejected"),
    "skipped": ("已跳过", "skipped"),
}
SKIP_REASONS = {"blank": "空行", "total": "合计/总计行", "footer": "表尾签名/说明行"}


#: The date a closed row closes on, per module.
CLOSING_DATE = {Module.CASE: "closed_on", Module.DISPUTE: "resolved_on", Module.PERSON: "delisted_on"}


class ImportCancelled(StationError):
    code = "cancelled"


@dataclass(frozen=True)
class RowStatus:
    """What a row's level and status say: the level on file after the import, the level the ledger
    gives while the record was open (a closed row with a colour), a dispute turned into a case."""

    level: str
    open_level: str | None = None
    converted: bool = False
    words: str = ""


@dataclass(frozen=True)
class RowOutcome:
    line: int
    outcome: str
    reason: str = ""
    label: str = ""
    record_id: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def outcome_zh(self) -> str:
        return OUTCOME_NAMES[self.outcome][0]


# -- the report ------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    module: Module
    source: Path
    sheet: str
    header_line: int
    rows: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False
    added_officers: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def added(self) -> int:
        """Rows that changed the database: new records and records that gained information."""
        return self.count("imported") + self.count("merged")

    @property
    def rejected(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.outcome == "rejected"]

    def summary(self) -> str:
        """One honest sentence: never 'success' when nothing was added."""
        head = "预览（未写入）：" if self.dry_run else ""
        counts = (f"新导入 {self.count('imported')} 条，并入已有记录 {self.count('merged')} 条，"
                  f"已在册 {self.count('present')} 条，未导入 {self.count('rejected')} 条，"
                  f"跳过 {self.count('skipped')} 行")
        if self.added == 0:
            verdict = "没有导入任何记录" if not self.dry_run else "将不会导入任何记录"
            if self.count("present") and not self.count("rejected"):
                verdict += "（全部已在册）"
            return f"{head}{verdict}。{counts}"
        verb = "将导入" if self.dry_run else "已导入"
        officers = f"；{'将' if self.dry_run else '已'}添加到民警名单：{'、'.join(self.added_officers)}" \
            if self.added_officers else ""
        return f"{head}{self.module.zh}台账{verb}完成。{counts}{officers}"

    def summary_en(self) -> str:
        counts = (f"{self.count('imported')} imported, {self.count('merged')} merged, {self.count('present')} "
                  f"already present, {self.count('rejected')} rejected, {self.count('skipped')} skipped")
        officers = f"; added to the roster: {', '.join(self.added_officers)}" if self.added_officers else ""
        if self.added == 0:
            return f"nothing {'would be ' if self.dry_run else ''}imported: {counts}"
        return f"{'preview: ' if self.dry_run else ''}{counts}{officers}"


class _Rollback(Exception):
    """Ends a preview: the whole transaction is rolled back after every row was tried."""


# -- rows to inputs ------------------------------------------------------------------------------
class _Rows:
    """Turns one row's cells into a record service input, within the import's session."""

    def __init__(self, session, plan: LedgerPlan, actor: Actor, roster: Roster | None = None):
        self.session = session
        self.plan = plan
        self.module = plan.module
        self.specs = field_specs(plan.module)
        self.tables = {k: plan.lookup(k) for k in (*mappable_fields(plan.module), "level", "status")}
        self.roster = roster or Roster.load(session, plan.mapping.officers)
        self.source = plan.file.path.name

    def label(self, key: str) -> str:
        return self.specs[key].zh if key in self.specs else key

    def text(self, v: dict, key: str, required: bool = False) -> str:
        t = text_of(v.get(key))
        if required and not t:
            raise ValidationError(f"{self.label(key)}不能为空", f"{key} is empty", key)
        return t

    def day(self, v: dict, key: str, required: bool = False) -> date | None:
        d = parse_date(v.get(key), self.label(key))
        if required and d is None:
            raise ValidationError(f"{self.label(key)}不能为空", f"{key} is empty", key)
        return d

    def closing_day(self, v: dict, key: str, st: RowStatus) -> date | None:
        """A closing date: a whole-ledger default (台账截止日) fills it only on a closed row."""
        if key in v.get(DEFAULTED, ()) and not (st.open_level or st.converted or st.level == Level.GREEN.value):
            return None
        return self.day(v, key)

    def code(self, v: dict, key: str, required: bool = False) -> str | None:
        c = map_code(v.get(key), self.tables[key], self.label(key))
        if required and c is None:
            raise ValidationError(f"{self.label(key)}不能为空", f"{key} is empty", key)
        return c

    def status(self, v: dict) -> RowStatus:
        """The level and what the status says about the record's history. A closed row with a
        colour is history (the colour while open, then green), never a contradiction; an open row
        in green is one."""
        level = self.code(v, "level")
        status = self.code(v, "status") if "status" in self.tables else None
        words = text_of(v.get("status"))
        if status == "converted":
            if level is None:
                raise ValidationError(f"办理状态为“{words}”，但没有预警等级（转案前的等级）",
                                      "converted but the level is empty", "level")
            if level == Level.GREEN.value:
                raise ValidationError(f"办理状态“{words}”为转案件，但预警等级是绿色（调解完成）",
                                      "converted but the level is green", "status")
            return RowStatus(level, None, True, words)
        if level is None and status == "closed":
            return RowStatus(Level.GREEN.value, None, False, words)
        if level is None:
            raise ValidationError("预警等级不能为空", "the level is empty", "level")
        if status == "closed" and level != Level.GREEN.value:
            return RowStatus(Level.GREEN.value, level, False, words)
        if status == "open" and level == Level.GREEN.value:
            raise ValidationError(f"办理状态“{words}”为在办，但预警等级是绿色（办结）",
                                  "status open but the level is green", "status")
        return RowStatus(level, None, False, words)

    def officer(self, v: dict, key: str, role: str | None) -> int | None:
        names = split_list(v.get(key))
        if not names:
            if key == "officer":
                raise ValidationError("责任民警不能为空", "the responsible officer is empty", key)
            return None
        name = names[0]
        label = self.label(key)
        found, how = self.roster.find(name)
        if how == "rejected":
            raise ValidationError(f"{label}“{name}”按映射不予导入", f"{key} '{name}' is rejected by the mapping", key)
        if not found:
            hint = self.roster.suggest(name)
            also = f"（是否为{self.roster.names[hint]}？）" if hint else ""
            raise ValidationError(f"{label}“{name}”不在本所民警名单中{also}；可在映射中指定对应的民警、添加到名单或不予导入",
                                  f"{key} '{name}' is not an officer of the station", key)
        if role is not None:
            found = [f for f in found if f[1] == role] or found
        if len(found) > 1:
            raise ValidationError(f"本所有{len(found)}位民警叫“{name}”，无法确定{label}",
                                  f"{len(found)} officers are called '{name}'", key)
        oid, actual = found[0]
        if role is not None and actual != role:
            role_zh = {"team_leader": "队长", "leader": "所领导"}[role]
            raise ValidationError(f"{label}“{name}”不是{role_zh}", f"{key} '{name}' is not a {role}", key)
        return oid

    def people(self, v: dict) -> R.Responsibility:
        return R.Responsibility(officer_id=self.officer(v, "officer", None),
                                team_leader_id=self.officer(v, "team_leader", "team_leader"),
                                leader_id=self.officer(v, "leader", "leader"))

    def mobile(self, v: dict, key: str) -> str:
        raw = phone_text(v.get(key))
        return normalise_mobile(raw, key) if raw else ""

    def reason(self, line: int) -> str:
        return f"台账导入：{self.source} 第{line}行"

    # -- per module --------------------------------------------------------------------------------
    def case(self, v: dict, line: int) -> tuple[R.CaseInput, RowStatus]:
        st = self.status(v)
        return R.CaseInput(
            case_no=self.text(v, "case_no", True), kind=self.code(v, "kind", True), level=st.level,
            accepted_on=self.day(v, "accepted_on", True), category=self.text(v, "category"),
            cause=self.text(v, "cause"), place=self.text(v, "place"), summary=self.text(v, "summary"),
            filed_on=self.day(v, "filed_on"), solved_on=self.day(v, "solved_on"),
            closed_on=self.closing_day(v, "closed_on", st), people=self.people(v), reason=self.reason(line)), st

    def focus_area(self, v: dict) -> tuple[str, str]:
        """(code, text kept): an area the app has no code for becomes 其他 with its words kept."""
        cell = v.get("focus_area")
        if is_blank(cell):
            return "other", ""
        code = self.tables["focus_area"].get(value_key(cell))
        return (code, "") if code else ("other", text_of(cell)[:50])

    def dispute(self, v: dict, line: int) -> tuple[R.DisputeInput, bool, RowStatus, str]:
        st = self.status(v)
        found_on = self.day(v, "found_on", True)
        parties = self.text(v, "parties", True)
        number = self.text(v, "dispute_no")
        made_up = not number
        if made_up:  # ledgers often number rows only: a stable number from what identifies the dispute
            digest = hashlib.sha1(f"{found_on}|{parties}|{self.text(v, 'summary')}".encode()).hexdigest()[:6]
            number = f"JF{found_on:%Y%m%d}-{digest.upper()}"
        area, kept = self.focus_area(v)
        summary = self.text(v, "summary")
        if kept:
            summary = f"【{kept}】{summary}"
        outcome = self.text(v, "outcome")
        if st.level == Level.GREEN.value and not outcome:
            outcome = st.words  # 已调解 / 调解成功: the ledger's own word for the outcome
        data = R.DisputeInput(
            dispute_no=number, category=self.code(v, "category", True), source=self.code(v, "source", True),
            level=st.level, found_on=found_on, parties=parties,
            focus_area=area, place=self.text(v, "place"),
            community=self.text(v, "community"), summary=summary,
            resolved_on=self.closing_day(v, "resolved_on", st), outcome=outcome,
            satisfaction=self.code(v, "satisfaction"), people=self.people(v), reason=self.reason(line))
        return data, made_up, st, kept

    def person(self, v: dict, line: int) -> tuple[R.PersonInput, str | None, date | None, RowStatus]:
        st = self.status(v)
        cats = []
        for part in split_list(v.get("risk_categories")):
            code = map_code(part, self.tables["risk_categories"], "人员类别")
            if code not in cats:
                cats.append(code)
        data = R.PersonInput(
            name=self.text(v, "name", True), level=st.level, listed_on=self.day(v, "listed_on", True),
            id_number=id_text(v.get("id_number")) or None, phone=self.mobile(v, "phone"),
            address=self.text(v, "address"), community=self.text(v, "community"), grid=self.text(v, "grid"),
            risk_categories=tuple(cats), control_plan=self.text(v, "control_plan"),
            mental_risk_grade=int_value(v.get("mental_risk_grade"), "精神病人风险等级"),
            guardian_name=self.text(v, "guardian_name"), guardian_phone=self.mobile(v, "guardian_phone"),
            summary=self.text(v, "summary"), people=self.people(v), reason=self.reason(line))
        return data, self.code(v, "sex"), self.day(v, "birth_date"), st


# -- comparing a row with the record already on file ---------------------------------------------------
_COMPARED = {
    Module.CASE: ("kind", "level", "accepted_on", "filed_on", "solved_on", "closed_on", "category", "cause", "place",
                  "summary"),
    Module.DISPUTE: ("category", "source", "level", "found_on", "resolved_on", "parties", "place", "community",
                     "summary", "outcome", "satisfaction"),
    Module.PERSON: ("name", "level", "phone", "address", "community", "grid", "control_plan", "summary"),
}


def _shown(module: Module, key: str, value: Any) -> str:
    targets = value_targets(module, key)
    if value in targets:
        return targets[value]
    return text_of(value) or "（空）"


_KEY_FIELD = {Module.CASE: "case_no", Module.DISPUTE: "dispute_no", Module.PERSON: "id_number"}


def _differences(module: Module, rec: Any, data: Any, present: set[str]) -> tuple[list[str], dict[str, Any]]:
    """(what differs, in words; what the row can fill in where the record is empty)."""
    diffs, fill = [], {}
    labels = field_specs(module)
    for key in _COMPARED[module]:
        if key not in present and key != "level":
            continue
        new, old = getattr(data, key), getattr(rec, key)
        if new in (None, "") or new == old:
            continue
        if old in (None, "") and key in R.FILLABLE[module]:
            fill[key] = new
            continue
        label = labels[key].zh if key in labels else key
        diffs.append(f"{label}：台账为{_shown(module, key, new)}，系统中为{_shown(module, key, old)}")
    return diffs, fill


# -- the import ------------------------------------------------------------------------------------
def _check_plan(plan: LedgerPlan) -> None:
    missing = plan.missing()
    if missing:
        names = "、".join(s.zh for s in missing)
        raise ValidationError(f"{plan.sheet.name}：台账中找不到必需的列：{names}。请在列映射中指定对应的列，或为整本台账指定默认值",
                              f"{plan.sheet.name}: required columns not found: {', '.join(s.en for s in missing)}; "
                              f"map a column or give a default for the whole ledger", "mapping")
    if not any(row_kind(plan.sheet.rows[i]) == "data" for i in plan.data_indexes()):
        raise ValidationError(f"表头（第{plan.header.line(plan.sheet)}行）以下没有数据行，没有可导入的记录",
                              "there are no data rows under the header: nothing to import", "file")


def run_import(db: Store, actor: Actor, plan: LedgerPlan, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None, add_unknown_to: str | None = None,
               batched: bool = True) -> ImportReport:
    """Import every row in one transaction (a preview rolls it back). Bad rows are rejected one by
    one and the good ones are written together, or nothing is."""
    return run_imports(db, actor, [plan], dry_run, progress, cancelled, add_unknown_to, batched)[0]


def run_imports(db: Store, actor: Actor, plans: list[LedgerPlan], dry_run: bool = False,
                progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] | None = None,
                add_unknown_to: str | None = None, batched: bool = True) -> list[ImportReport]:
    """Several sheets of a workbook (or several ledgers) in one transaction: cases first, then
    disputes (so a dispute converted to a case finds the case), then persons. `add_unknown_to`:
    a team to which every officer nobody resolved is added (as the mapping's new_officers are).
    `batched`: cases and disputes take the batched path (app.ledger.batch); False: row by row,
    each in a savepoint (the same report, some forty statements a row)."""
    for plan in plans:
        _check_plan(plan)
    reports = [ImportReport(p.module, p.file.path, p.sheet.name, p.header.line(p.sheet), dry_run=dry_run)
               for p in plans]
    order = sorted(range(len(plans)), key=lambda k: list(Module).index(plans[k].module))
    total = sum(len(p.data_indexes()) for p in plans)
    done = 0
    try:
        with db.write(actor, "import_ledger") as session:
            station_id = R.station_in(session, actor).id
            roster = Roster.load(session)
            for k in order:
                plan, report = plans[k], reports[k]
                roster.aliases = {officer_key(a): t for a, t in plan.mapping.officers.items()}
                report.added_officers = _add_officers(session, actor, station_id, plan, roster, add_unknown_to)
                done = _run_rows(session, actor, plan, report, roster, done, total, progress, cancelled, batched)
                audit.append_event(session, actor, "import_ledger", plan.module.value, "", {
                    "file": plan.file.path.name, "sheet": plan.sheet.name, "header_line": report.header_line,
                    **{o: report.count(o) for o in OUTCOME_NAMES}, "officers_added": len(report.added_officers)})
            if dry_run:
                raise _Rollback()
    except _Rollback:
        pass
    return reports


def _add_officers(session, actor: Actor, station_id: int, plan: LedgerPlan, roster: Roster,
                  team: str | None) -> list[str]:
    """The officers a person chose to add to the roster (mapping.new_officers), and with `team`
    every officer writing nobody resolved; each in the role of the column it is first seen in."""
    wanted = {name: to for name, to in plan.mapping.new_officers.items() if not roster.direct(name)}
    if not wanted and not team:
        return []
    questions = {q.text: q for q in plan.officer_questions(roster)}
    if team:
        wanted.update({name: team for name in questions if name not in wanted})
    added = []
    for name, to in wanted.items():
        role = ROLE_OF_FIELD[questions[name].field] if name in questions else "officer"
        add_to_roster_in(session, actor, station_id, roster, name, to, role)
        added.append(f"{name}（{to}）")
    return added


def _run_rows(session, actor: Actor, plan: LedgerPlan, report: ImportReport, roster: Roster, done: int, total: int,
              progress, cancelled, batched: bool = True) -> int:
    rows = _Rows(session, plan, actor, roster)
    handler = {Module.CASE: _import_case, Module.DISPUTE: _import_dispute, Module.PERSON: _import_person}[plan.module]
    state: dict[str, Any] = {"seen": {}}
    if batched and plan.module in BATCHED_MODULES:
        return run_batched(session, actor, plan, report, rows, state, handler, done, total, progress, cancelled)
    if plan.module == Module.PERSON:
        state["index"] = PersonIndex.load(session)
    for i in plan.data_indexes():
        if cancelled is not None and cancelled():
            raise ImportCancelled("导入已取消，没有写入任何记录", "import cancelled; nothing was written")
        line = plan.sheet.lines[i]
        kind = row_kind(plan.sheet.rows[i])
        done += 1
        if kind != "data":
            report.rows.append(RowOutcome(line, "skipped", SKIP_REASONS[kind]))
        else:
            report.rows.append(one_row(session, rows, state, handler, plan.module, plan.row_values(i), line))
            forget_rows(session)
        if progress is not None:
            progress(done, total)
    return done


def one_row(session, rows: _Rows, state: dict, handler, module: Module, values: dict, line: int) -> RowOutcome:
    """One row through its handler in a savepoint: imported, merged, present, or rejected with the reason."""
    try:
        with session.begin_nested():
            return handler(rows, state, values, line)
    except StationError as exc:
        return RowOutcome(line, "rejected", exc.zh, row_label(module, values))
    except IntegrityError as exc:  # a constraint the checks above did not foresee
        return RowOutcome(line, "rejected", f"数据库拒绝了这一行：{exc.orig}", row_label(module, values))


_ROW_OBJECTS = (Case, Dispute, Person, LevelChange, Action)



def forget_rows(session) -> None:
    """Drop the rows written so far from the session, so every flush (and the audit hook, which
    looks at every pending object) stays the size of one ledger row; the station and officers
    stay cached."""
    for obj in [o for o in session if isinstance(o, _ROW_OBJECTS)]:
        session.expunge(obj)


def row_label(module: Module, values: dict) -> str:
    """What a person recognises a row by in the report: its number, or the person's name."""
    key = {Module.CASE: "case_no", Module.DISPUTE: "dispute_no", Module.PERSON: "name"}[module]
    return text_of(values.get(key))[:40]


def _seen_before(state: dict, key: str, line: int, diffs: list[str], label: str, rec_id: int) -> RowOutcome | None:
    first = state["seen"].get(key)
    if first is None:
        return None
    if diffs:
        raise ValidationError(f"{label}与第{first}行相同，但内容不同（{'；'.join(diffs)}）",
                              f"same key as line {first} but different content", "key")
    return RowOutcome(line, "present", f"与第{first}行重复", key, rec_id)


def _existing(rows: _Rows, rec: Any, data: Any, v: dict, line: int, key: str, state: dict) -> RowOutcome:
    module = rows.module
    diffs, fill = _differences(module, rec, data, set(v))
    key_label = f"{rows.label(_KEY_FIELD[module])}“{key}”"
    again = _seen_before(state, key, line, diffs, key_label, rec.id)
    if again is not None:
        return again
    notes = tuple(diffs) + (("该记录已作废",) if rec.status == "voided" else ())
    if fill and rec.status != "voided":
        filled = R.fill_blank_fields_in(rows.session, _actor(rows), module, rec, fill)
        names = "、".join(field_specs(module)[k].zh for k in filled if k in field_specs(module))
        state["seen"][key] = line
        return RowOutcome(line, "merged", f"补充了{names}", key, rec.id, notes)
    state["seen"][key] = line
    reason = "已在册，内容一致" if not diffs else "已在册，与台账有差异（未修改，请人工核对）"
    return RowOutcome(line, "present", reason, key, rec.id, notes)


def _actor(rows: _Rows) -> Actor:
    return rows.session.info["actor"]


def midnight(day: date) -> datetime:
    """The start of a ledger's day: the time an imported step (opening, closing) is dated at."""
    return datetime.combine(day, time())


def _level_zh(code: str) -> str:
    return LEVEL_NAMES[Level(code)][0]


def _history(rows: _Rows, rec: Any, st: RowStatus, v: dict, line: int, closing: date | None) -> str:
    """The later steps the row records, on their own dates, after the record was created at its
    opening level: closing (green) or, for an active record, following up from today. Returns the
    words the row report adds."""
    with rows.session.no_autoflush:
        cadence = load_cadence(rows.session, rows.module)
    later, words = history_steps(rows, rec, st, v, line, closing, cadence)
    rows.session.add_all(later)
    return words


def history_steps(rows: _Rows, rec: Any, st: RowStatus, v: dict, line: int, closing: date | None,
                  cadence: dict) -> tuple[list, str]:
    """(the level change closing `rec` or the action following it from today, the report's words);
    `rec` is changed accordingly. Shared by the row path and the batched path."""
    module = rows.module
    if st.open_level:
        if closing is None:
            spec = field_specs(module)[CLOSING_DATE[module]]
            raise ValidationError(
                f"办理状态为“{st.words}”，但没有{spec.zh}：请补上{spec.zh}，或为整本台账指定{spec.zh}（如台账截止日期）",
                f"closed ('{st.words}') but {spec.en} is empty: fill it in or give one for the whole ledger",
                CLOSING_DATE[module])
        outcome = (rows.text(v, "delist_reason") if module == Module.PERSON else "") or \
                  (rows.text(v, "outcome") if module == Module.DISPUTE else "") or st.words
        change = R.close_from_history(_actor(rows), module, rec, closing, f"{rows.reason(line)}，台账记为“{st.words}”",
                                      outcome)
        return [change], f"按台账历史导入：在办时为{_level_zh(st.open_level)}，{closing}转为绿色（{st.words}）"
    if rec.status == "active":
        due = rows.day(v, "due_on") if "due_on" in rows.specs else None
        return [R.follow_from_today(_actor(rows), module, rec,
                                    f"{rows.reason(line)}：台账未载明此前的跟进情况，自导入之日起跟进", due, cadence)], ""
    return [], ""


def _import_case(rows: _Rows, state: dict, v: dict, line: int) -> RowOutcome:
    data, st = rows.case(v, line)
    key = data.case_no.strip()
    rec = rows.session.scalar(select(Case).where(Case.case_no == key))
    if rec is not None:
        return _existing(rows, rec, data, v, line, key, state)
    opening = replace(data, level=st.open_level, closed_on=None) if st.open_level else data
    c = R.create_case_in(rows.session, _actor(rows), opening, at=midnight(data.accepted_on))
    said = _history(rows, c, st, v, line, data.closed_on)
    state["seen"][key] = line
    return RowOutcome(line, "imported", said, key, c.id)


def _import_dispute(rows: _Rows, state: dict, v: dict, line: int) -> RowOutcome:
    data, made_up, st, kept = rows.dispute(v, line)
    key = data.dispute_no.strip()
    rec = rows.session.scalar(select(Dispute).where(Dispute.dispute_no == key))
    if rec is not None:
        return _existing(rows, rec, data, v, line, key, state)
    opening = replace(data, level=st.open_level, resolved_on=None, outcome="") if st.open_level else data
    said = [f"台账无纠纷编号，系统编号为{key}" if made_up else ""]
    if kept:
        said.append(f"重点领域“{kept}”不在系统列表中，记为“其他”，原文保留在简要情况中")
    if st.converted:
        converted_on = rows.day(v, "converted_on") or rows.day(v, "resolved_on")
        if converted_on is None:
            raise ValidationError(f"办理状态为“{st.words}”，但没有转案日期：请补“转案日期”列，或为整本台账指定转案日期",
                                  "converted but the converted date is empty", "converted_on")
        opening = replace(opening, resolved_on=None, outcome="")
        d = R.create_dispute_in(rows.session, _actor(rows), opening, at=midnight(data.found_on))
        case, how = _converted_case(rows, d, v, line, converted_on)
        R.convert_from_history_in(rows.session, _actor(rows), d, case, converted_on,
                                  f"{rows.reason(line)}，台账记为“{st.words}”，转为案件{case.case_no}")
        said.append(f"按台账历史导入：{_level_zh(st.level)}纠纷于{converted_on}转为案件{case.case_no}{how}")
    else:
        d = R.create_dispute_in(rows.session, _actor(rows), opening, at=midnight(data.found_on))
        said.append(_history(rows, d, st, v, line, data.resolved_on))
    state["seen"][key] = line
    return RowOutcome(line, "imported", "；".join(s for s in said if s), key, d.id)


def _converted_case(rows: _Rows, d: Dispute, v: dict, line: int, on: date) -> tuple[Case, str]:
    """The case a converted dispute became: the one on file under the ledger's case number, or a new
    one (its kind from the ledger; its level the dispute's, to be checked)."""
    number = rows.text(v, "case_no")
    if number:
        case = rows.session.scalar(select(Case).where(Case.case_no == number, Case.status != "voided"))
        if case is not None:
            return case, "（已在册的案件）"
    kind = rows.code(v, "case_kind") if "case_kind" in rows.tables else None
    if kind is None:
        raise ValidationError("办理状态为转案件，但台账既没有写明已在册案件的“转案案件编号”，也没有“转案案件类别”（刑事/行政）",
                              "converted, but neither the case number of a case on file nor the case kind is given",
                              "case_kind")
    data = R.CaseInput(case_no=number or f"{d.dispute_no}-转案", kind=kind, level=d.level, accepted_on=on,
                       summary=d.summary,
                       people=R.Responsibility(d.officer_id, d.team_leader_id, d.leader_id, d.team_id),
                       reason=f"由纠纷{d.dispute_no}转为案件（{rows.reason(line)}）")
    case = R.create_case_in(rows.session, _actor(rows), data, at=midnight(on), source_dispute_id=d.id)
    R.started_following_in(rows.session, _actor(rows), Module.CASE, case,
                           f"{rows.reason(line)}：由纠纷转来，自导入之日起跟进")
    return case, f"（新建案件，等级沿用纠纷的{_level_zh(d.level)}，请核对）"


def _import_person(rows: _Rows, state: dict, v: dict, line: int) -> RowOutcome:
    data, sex, birth, st = rows.person(v, line)
    index: PersonIndex = state["index"]
    ident = parse_id_number(data.id_number) if data.id_number else None
    label = data.name.strip()
    if ident is not None:
        rec = rows.session.scalar(select(Person).where(Person.id_number == ident.number, Person.status != "voided"))
        if rec is not None:
            data.id_number = ident.number
            out = _existing(rows, rec, data, v, line, ident.number, state)
            return RowOutcome(line, out.outcome, ("身份证号相同；" + out.reason).rstrip("；"), label, rec.id, out.notes)
    probe = PersonProbe(label, ident.number if ident else None, ident.birth_date if ident else birth,
                        ident.sex if ident else sex, data.address, data.phone)
    twin = _same_entry(rows, data, probe) if ident is None else None
    if twin is not None:  # this very row came in before (a ledger imported twice): nothing to add
        return RowOutcome(line, "present", f"与已有档案{twin.name}（#{twin.id}）登记内容完全一致", label, twin.id)
    candidates = index.candidates(probe)
    sure = [c for c in candidates if c.score >= MERGE_AT]
    if len(sure) > 1:
        names = "、".join(f"{c.name}（#{c.person_id}）" for c in sure)
        raise ValidationError(f"与多份已有档案都很相似：{names}，无法确定是哪一人；请补充身份证号后再导入",
                              "matches several person files; add the ID number", "name")
    if sure:
        best = sure[0]
        rec = rows.session.get(Person, best.person_id)
        why = "、".join(best.reasons)
        fill = {k: getattr(data, k) for k in R.FILLABLE[Module.PERSON] if hasattr(data, k)}
        fill["risk_categories"] = ",".join(data.risk_categories)
        fill.update({"sex": probe.sex, "birth_date": probe.birth_date, "id_number": probe.id_number})
        filled = R.fill_blank_fields_in(rows.session, _actor(rows), Module.PERSON, rec, fill)
        index.update(rec)
        diffs, _ = _differences(Module.PERSON, rec, data, set(v))
        base = f"与已有档案{rec.name}（#{rec.id}）为同一人（{why}，{best.score}分）"
        if filled:
            names = "、".join(field_specs(Module.PERSON)[k].zh for k in filled if k in field_specs(Module.PERSON))
            return RowOutcome(line, "merged", f"{base}，补充了{names}", label, rec.id, tuple(diffs))
        return RowOutcome(line, "present", base, label, rec.id, tuple(diffs))
    opening = replace(data, level=st.open_level) if st.open_level else data
    p = R.create_person_in(rows.session, _actor(rows), opening, sex=sex, birth_date=birth,
                           at=midnight(data.listed_on))
    said = _history(rows, p, st, v, line, rows.closing_day(v, "delisted_on", st))
    index.add(p)
    notes = tuple(f"可能与已有档案{c.name}（#{c.person_id}）为同一人（{'、'.join(c.reasons)}，{c.score}分），请核对，"
                  f"必要时合并" for c in candidates if SUGGEST_AT <= c.score < MERGE_AT)
    return RowOutcome(line, "imported", said, label, p.id, notes)


def _same_entry(rows: _Rows, data: R.PersonInput, probe: PersonProbe) -> Person | None:
    """A file with the same name, listing date, level and officer and no detail that differs: the
    row was imported before. Weaker than a score on purpose: it only makes a re-import idempotent."""
    for p in rows.session.scalars(select(Person).where(
            Person.name == probe.name, Person.listed_on == data.listed_on, Person.level == data.level,
            Person.officer_id == data.people.officer_id, Person.status != "voided")):
        if (p.id_number is None and (p.birth_date, p.sex) == (probe.birth_date, probe.sex)
                and (p.address or "") == probe.address and (p.phone or "") == probe.phone):
            return p
    return None


# -- the rejected rows, in the same layout, to be fixed and imported again --------------------------
def write_rejects(plan: LedgerPlan, report: ImportReport, path: str | Path) -> Path | None:
    """Write the rejected rows with the ledger's own columns plus the reason; None if there are none.
    .csv gets UTF-8 with BOM (Excel/WPS read it without mojibake); anything else is .xlsx."""
    rejected = {r.line: r for r in report.rejected}
    if not rejected:
        return None
    out = Path(path)
    titles = [t or "" for t in plan.header.titles] + [REJECT_REASON_TITLE]
    index_of = {line: i for i, line in enumerate(plan.sheet.lines)}
    rows = []
    for line, r in rejected.items():
        cells = list(plan.sheet.rows[index_of[line]])
        cells += [None] * (len(titles) - 1 - len(cells))
        rows.append(cells[:len(titles) - 1] + [r.reason])
    tmp = out.with_name(out.name + ".tmp")
    if out.suffix.lower() == ".csv":
        import csv

        from app.spreadsheet import csv_value

        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([csv_value(t) for t in titles])
            for cells in rows:
                w.writerow([csv_value(text_of(c)) for c in cells])
    else:
        _write_xlsx(tmp, plan, titles, rows)
    tmp.replace(out)
    return out


def _write_xlsx(path: Path, plan: LedgerPlan, titles: list[str], rows: list[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from app.spreadsheet import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = (plan.sheet.name or "未导入")[:31]
    append_row(ws, titles)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFECEFF3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    text_cols = {c for c, key in plan.columns.items() if key in ("id_number", "phone", "guardian_phone", "case_no",
                                                                  "dispute_no")}
    for cells in rows:
        r = append_row(ws, cells)
        for c in range(len(cells)):
            cell = ws.cell(r, c + 1)
            if isinstance(cell.value, (datetime, date)):
                cell.number_format = "yyyy-mm-dd"
            elif c in text_cols and isinstance(cell.value, str):
                cell.number_format = "@"
        ws.cell(r, len(cells)).font = Font(color="FFB3261E")
    for c in text_cols:  # new cells typed into ID columns stay text in Excel/WPS
        for r in range(2, ws.max_row + 50):
            ws.cell(r, c + 1).number_format = "@"
    ws.freeze_panes = "A2"
    for c, t in enumerate(titles, start=1):
        ws.column_dimensions[ws.cell(1, c).column_letter].width = max(10, min(40, len(t) * 2 + 4))
    wb.save(path)


def import_ledger(db: Store, actor: Actor, path: str | Path, module: Module, mapping: LedgerMapping | None = None,
                  sheet: str | None = None, header_line: int | None = None, dry_run: bool = False,
                  rejects: str | Path | None = None,
                  add_unknown_to: str | None = None) -> tuple[ImportReport, Path | None]:
    """Plan, import (or preview) and write the rejected rows: the command line's one call."""
    plan = plan_import(path, module, mapping, sheet, header_line)
    report = run_import(db, actor, plan, dry_run=dry_run, add_unknown_to=add_unknown_to)
    written = write_rejects(plan, report, rejects) if rejects else None
    return report, written
