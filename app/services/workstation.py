"""The officer's workstation: editing, reassigning and bulk changes, my work, view exports, person matching.

Every write is one transaction through `db.write`, authorised per record with the same policy as
app.services.records (the audit hook keeps the before and after of every field). Exports read
through the table service's SQL and write real files (openpyxl, csv with a BOM); nothing here
imports Qt: the UI passes the colours and titles it wants.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Sequence, TypeVar

from sqlalchemy import func, or_, select

from app.domain.identity import parse_id_number
from app.domain.levels import (
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    FOCUS_AREA_NAMES,
    LEVEL_NAMES,
    LEVEL_ORDER,
    PERSON_RISK_CATEGORIES,
    STATUS_NAMES,
    Level,
    Module,
    module_of,
    status_name,
)
from app.domain.permissions import allowed, authorize
from app.domain.rules import Actor, check_level_change, is_overdue, require_text
from app.domain.workflows import REPEAT_RAISE
from app.errors import NotFound, RuleViolation, StationError, ValidationError
from app.services import audit, tables
from app.services.changes import Changes
from app.services.records import (
    CaseInput,
    DisputeInput,
    PersonInput,
    Responsibility,
    apply_level,
    commit_guard,
    load_record,
    now,
    record_as,
    record_label,
    resolve_people,
    search_text_of,
    station_of,
    validate_case,
    validate_dispute,
    validate_person,
)
from app.services.tables import TableQuery
from app.spreadsheet import append_row, csv_value
from app.store import Store
from app.store.records import MODELS
from models import Case, DedicatedMember, Dispute, Officer, Person, PersonLink, Suggestion
from models.records import RecordMixin

#: Fields an edit form may change, per module (level, status and people have their own services).
EDITABLE: dict[Module, tuple[str, ...]] = {
    Module.CASE: ("case_no", "kind", "category", "cause", "place", "summary", "accepted_on", "filed_on",
                  "solved_on", "closed_on"),
    Module.DISPUTE: ("dispute_no", "category", "source", "focus_area", "parties", "place", "community", "summary",
                     "found_on", "resolved_on", "outcome", "satisfaction"),
    Module.PERSON: ("name", "id_number", "phone", "address", "community", "grid", "risk_categories",
                    "control_plan", "mental_risk_grade", "guardian_name", "guardian_phone", "summary",
                    "listed_on", "skynet"),
}
_Input = TypeVar("_Input", CaseInput, DisputeInput, PersonInput)


# -- edit -----------------------------------------------------------------------------------
def _input_from(rec: RecordMixin, cls: type[_Input], mod: Module, values: dict[str, Any]) -> _Input:
    """The record's current fields as the create form's input, with `values` laid over them."""
    accepted = {f.name for f in fields(cls)}
    names = [f.name for f in fields(cls) if f.name not in ("people", "reason", "outcome")]
    data = {n: getattr(rec, n) for n in names if hasattr(rec, n)}
    if isinstance(rec, Person):
        data["risk_categories"] = tuple(c for c in (rec.risk_categories or "").split(",") if c)
    if isinstance(rec, Dispute):
        data["outcome"] = rec.outcome
    for key, value in values.items():
        if key in names or key == "outcome":
            data[key] = value
    data["level"] = rec.level
    if mod == Module.PERSON and isinstance(data.get("risk_categories"), str):
        data["risk_categories"] = tuple(c for c in data["risk_categories"].split(",") if c)
    return cls(**{k: v for k, v in data.items() if k in accepted})


@commit_guard
def update_record(db: Store, actor: Actor, module: str, record_id: int, values: dict[str, Any],
                  expected_version: int | None = None) -> Changes:
    """Edit a record's own fields with the create form's validation; the audit trail keeps each
    field's before and after. Unknown fields are refused; unchanged ones are left alone."""
    mod = module_of(module)
    unknown = sorted(set(values) - set(EDITABLE[mod]))
    if unknown:
        raise ValidationError(f"不能在此修改：{', '.join(unknown)}", f"not editable here: {', '.join(unknown)}",
                              unknown[0])
    with db.write(actor, "edit_record") as session:
        rec = load_record(session, mod, record_id, expected_version)
        authorize(actor, "edit_record", rec)
        if rec.status in ("voided", "converted"):
            raise RuleViolation("已作废或已转案件的记录不能修改", "a voided or converted record cannot be edited",
                                "status")
        station = station_of(session, actor)
        new: dict[str, Any] = {}
        if mod == Module.CASE:
            case_data = _input_from(rec, CaseInput, mod, values)
            validate_case(session, station, case_data, exclude_id=rec.id)
            new = {k: getattr(case_data, k) for k in EDITABLE[mod]}
            for k in ("case_no", "category", "cause", "place", "summary"):
                new[k] = (new[k] or "").strip()
        elif mod == Module.DISPUTE:
            dispute_data = _input_from(rec, DisputeInput, mod, values)
            validate_dispute(dispute_data)
            no = dispute_data.dispute_no.strip()
            if session.scalar(select(Dispute.id).where(Dispute.station_id == station.id, Dispute.dispute_no == no,
                                                       Dispute.id != rec.id)):
                raise ValidationError(f"纠纷编号已存在：{no}", f"dispute number already exists: {no}", "dispute_no")
            new = {k: getattr(dispute_data, k) for k in EDITABLE[mod]}
            for k in ("dispute_no", "parties", "place", "community", "summary", "outcome"):
                new[k] = (new[k] or "").strip()
        else:
            person = record_as(Person, rec)
            person_data = _input_from(rec, PersonInput, mod, values)
            _level, ident = validate_person(person_data)
            if ident and session.scalar(select(Person.id).where(
                    Person.station_id == station.id, Person.id_number == ident.number, Person.status != "voided",
                    Person.id != rec.id)):
                raise ValidationError(f"该身份证号的人员已在册：{ident.number}",
                                      f"a person with this ID number is already on file: {ident.number}",
                                      "id_number")
            new = {k: getattr(person_data, k) for k in EDITABLE[mod] if k not in ("skynet",)}
            new["risk_categories"] = ",".join(person_data.risk_categories)
            new["id_number"] = ident.number if ident else None
            new["sex"] = ident.sex if ident else person.sex
            new["birth_date"] = ident.birth_date if ident else person.birth_date
            new["skynet"] = bool(values.get("skynet", person.skynet))
            for k in ("name", "address", "community", "grid", "control_plan", "guardian_name", "summary"):
                new[k] = (new[k] or "").strip()
        changed = {k: v for k, v in new.items() if getattr(rec, k) != v}
        if not changed:
            return Changes()
        for k, v in changed.items():
            setattr(rec, k, v)
        rec.search_text = search_text_of(rec)
        rec.updated_at = now()
    return Changes.of((mod.value, record_id))


# -- responsibility and bulk changes ----------------------------------------------------------
def _label(mod: Module, rec: RecordMixin) -> str:
    return record_label(mod, rec)


@commit_guard
def reassign(db: Store, actor: Actor, module: str, record_ids: Sequence[int], people: Responsibility) -> Changes:
    """Give records a new responsible officer (the team, team leader and station leader follow the
    officer unless named): all of them or none, in one transaction."""
    mod = module_of(module)
    ids = list(dict.fromkeys(record_ids))
    if not ids:
        raise ValidationError("未选择记录", "no records selected", "records")
    with db.write(actor, "reassign") as session:
        station = station_of(session, actor)
        resolved = resolve_people(session, station, people)
        for rid in ids:
            rec = load_record(session, mod, rid)
            try:
                authorize(actor, "edit_record", rec)
            except StationError as exc:
                raise type(exc)(f"{_label(mod, rec)}：{exc.zh}", f"{_label(mod, rec)}: {exc.en}", exc.field) from None
            if rec.status in ("voided", "converted"):
                raise RuleViolation(f"{_label(mod, rec)}：已作废或已转案件，不能改派",
                                    f"{_label(mod, rec)}: voided or converted, cannot be reassigned", "status")
            rec.officer_id, rec.team_leader_id = resolved.officer_id, resolved.team_leader_id
            rec.leader_id, rec.team_id = resolved.leader_id, resolved.team_id
            rec.updated_at = now()
    return Changes.of(*((mod.value, i) for i in ids))


@dataclass(frozen=True)
class BulkResult:
    changed: tuple[int, ...]
    #: Already at the target level: nothing to change, nothing recorded.
    skipped: tuple[int, ...]


@commit_guard
def bulk_change_level(db: Store, actor: Actor, module: str, record_ids: Sequence[int], to_level: str,
                      reason: str, outcome: str = "") -> BulkResult:
    """One level change with one shared reason on many records, in ONE transaction: if any record
    may not change (rules, role, team), none does and the message names that record."""
    mod = module_of(module)
    ids = list(dict.fromkeys(record_ids))
    if not ids:
        raise ValidationError("未选择记录", "no records selected", "records")
    require_text(reason, "变更理由", "a reason for the change", "reason")
    changed, skipped = [], []
    with db.write(actor, "change_level:bulk") as session:
        for rid in ids:
            rec = load_record(session, mod, rid)
            if rec.level == to_level and rec.status not in ("voided", "converted"):
                skipped.append(rid)
                continue
            try:
                authorize(actor, "change_level", rec)
                to, why, result = check_level_change(mod, Level(rec.level), rec.status, to_level, reason, outcome,
                                                     actor)
            except StationError as exc:
                raise type(exc)(f"{_label(mod, rec)}：{exc.zh}", f"{_label(mod, rec)}: {exc.en}", exc.field) from None
            apply_level(session, mod, rec, to, why, result, actor)
            changed.append(rid)
    return BulkResult(tuple(changed), tuple(skipped))


# -- the key person's dedicated team (一人一专班) ------------------------------------------------
@dataclass(frozen=True)
class MemberRow:
    id: int
    officer_id: int
    name: str
    role: str
    duty: str


def list_dedicated_team(db: Store, person_id: int) -> list[MemberRow]:
    with db.read() as session:
        rows = session.execute(select(DedicatedMember.id, Officer.id, Officer.name, Officer.role, DedicatedMember.duty)
                               .join(Officer, Officer.id == DedicatedMember.officer_id)
                               .where(DedicatedMember.person_id == person_id).order_by(DedicatedMember.id)).all()
    return [MemberRow(*r) for r in rows]


def add_dedicated_member(db: Store, actor: Actor, person_id: int, officer_id: int, duty: str = "") -> Changes:
    with db.write(actor, "edit_record:dedicated_team") as session:
        p = load_record(session, Module.PERSON, person_id)
        authorize(actor, "edit_record", p)
        o = session.get(Officer, officer_id)
        if o is None or o.station_id != p.station_id:
            raise ValidationError(f"民警不存在：{officer_id}", f"no such officer: {officer_id}", "officer_id")
        if session.scalar(select(DedicatedMember.id).where(DedicatedMember.person_id == person_id,
                                                           DedicatedMember.officer_id == officer_id)):
            raise ValidationError(f"{o.name}已在专班中", f"{o.name} is already on the team", "officer_id")
        session.add(DedicatedMember(person_id=person_id, officer_id=officer_id, duty=(duty or "").strip()))
        p.updated_at = now()
    return Changes.of(("person", person_id))


def remove_dedicated_member(db: Store, actor: Actor, person_id: int, officer_id: int) -> Changes:
    with db.write(actor, "edit_record:dedicated_team") as session:
        p = load_record(session, Module.PERSON, person_id)
        authorize(actor, "edit_record", p)
        m = session.scalars(select(DedicatedMember).where(DedicatedMember.person_id == person_id,
                                                          DedicatedMember.officer_id == officer_id)).first()
        if m is None:
            raise NotFound("该民警不在专班中", "that officer is not on the team")
        session.delete(m)
        p.updated_at = now()
    return Changes.of(("person", person_id))


# -- my work ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkItem:
    module: str
    id: int
    label: str
    level: str
    next_due: date | None
    overdue: bool
    due_today: bool
    #: Which of the actor's roles the record names: officer / team_leader / leader.
    as_role: str


@dataclass(frozen=True)
class MyWork:
    items: tuple[WorkItem, ...]
    as_of: date

    @property
    def overdue(self) -> tuple[WorkItem, ...]:
        return tuple(i for i in self.items if i.overdue)

    @property
    def due_today(self) -> tuple[WorkItem, ...]:
        return tuple(i for i in self.items if i.due_today)


def responsibility_query(actor: Actor, base: TableQuery | None = None) -> TableQuery | None:
    """The table query of the records an actor answers for (None: the role answers for none)."""
    from dataclasses import replace

    base = base or TableQuery(statuses=frozenset({"active"}))
    if actor.officer_id is None:
        return None
    if actor.role == "leader":
        return replace(base, leader_id=actor.officer_id)
    if actor.role == "team_leader":
        return replace(base, team_leader_id=actor.officer_id)
    if actor.role == "officer":
        return replace(base, officer_id=actor.officer_id)
    return None


def my_work(db: Store, actor: Actor, as_of: date | None = None, limit: int = 2000) -> MyWork:
    """The active records the actor is responsible for: overdue first, then due today, then by
    level and due date. A station leader answers for many: `limit` caps the list, never the
    overdue or due-today ones."""
    today = as_of or date.today()
    column = {"leader": "leader_id", "team_leader": "team_leader_id", "officer": "officer_id"}.get(actor.role)
    items: list[WorkItem] = []
    if column is None or actor.officer_id is None:
        return MyWork((), today)
    with db.read() as session:
        for mod, model in MODELS.items():
            label_cols = {Module.CASE: (Case.case_no, Case.cause), Module.DISPUTE: (Dispute.dispute_no, Dispute.parties),
                          Module.PERSON: (Person.name, Person.community)}[mod]
            stmt = (select(model.id, model.level, model.status, model.next_due, *label_cols)
                    .where(model.status == "active", getattr(model, column) == actor.officer_id))
            for rid, level, status, due, a, b in session.execute(stmt):
                items.append(WorkItem(mod.value, rid, f"{a} {b or ''}".strip(), level, due,
                                      is_overdue(due, status, today), due == today, actor.role))
    rank = {lv.value: i for i, lv in enumerate(LEVEL_ORDER)}
    items.sort(key=lambda i: (not i.overdue, not i.due_today, rank[i.level], i.next_due or date.max, i.id))
    urgent = [i for i in items if i.overdue or i.due_today]
    rest = [i for i in items if not (i.overdue or i.due_today)]
    return MyWork(tuple(urgent + rest[:max(0, limit - len(urgent))]), today)


def my_work_counts(db: Store, actor: Actor, as_of: date | None = None) -> dict[str, int]:
    """{'responsible', 'overdue', 'due_today'} counted in SQL over the three modules."""
    today = as_of or date.today()
    q = responsibility_query(actor)
    out = {"responsible": 0, "overdue": 0, "due_today": 0}
    if q is None:
        return out
    from dataclasses import replace

    for mod in Module:
        out["responsible"] += sum(tables.level_counts(db, mod, q).values())
        out["overdue"] += sum(tables.level_counts(db, mod, replace(q, overdue_only=True, as_of=today)).values())
        out["due_today"] += sum(tables.level_counts(db, mod, replace(q, due_on=today)).values())
    return out


# -- export of the current view -------------------------------------------------------------
#: Column titles of exports (Chinese, the working language of the ledgers).
EXPORT_TITLES = {
    "level": ("预警等级", "Level"), "case_no": ("案件编号", "Case number"), "kind": ("案件类型", "Case type"),
    "cause": ("案由", "Cause"), "place": ("发案地点", "Place"), "accepted_on": ("受案日期", "Accepted"),
    "dispute_no": ("纠纷编号", "Dispute number"), "category": ("纠纷类别", "Category"),
    "focus_area": ("重点领域", "Focus area"), "parties": ("当事人", "Parties"), "community": ("社区", "Community"),
    "found_on": ("发现日期", "Found"), "name": ("姓名", "Name"), "id_number": ("身份证号", "ID number"),
    "risk_categories": ("人员类别", "Risk categories"), "listed_on": ("列管日期", "Listed"),
    "status": ("状态", "Status"), "officer": ("责任民警", "Officer"), "team": ("所属队组", "Team"),
    "team_leader": ("队长", "Team leader"), "leader": ("包案所领导", "Station leader"),
    "next_due": ("下次跟进", "Next follow-up"), "summary": ("简要情况", "Summary"), "overdue": ("超期", "Overdue"),
}
_CODE_NAMES = {"level": {lv.value: n for lv, n in LEVEL_NAMES.items()}, "kind": CASE_KIND_NAMES,
               "status": STATUS_NAMES, "focus_area": FOCUS_AREA_NAMES}


def _value_label(module: Module, key: str, value: Any, lang: int) -> Any:
    if value is None:
        return ""
    if key == "category" and module == Module.DISPUTE:
        return DISPUTE_CATEGORY_NAMES.get(value, (value, value))[lang]
    if key == "risk_categories":
        return ("、" if lang == 0 else ", ").join(
            PERSON_RISK_CATEGORIES.get(c, (c, c))[lang] for c in str(value).split(",") if c)
    if key == "status":
        return status_name(module, value, lang)
    names = _CODE_NAMES.get(key)
    if names is not None:
        return names.get(value, (value, value))[lang]
    return value


def describe_query(db: Store, module: str | Module, query: TableQuery, lang: int = 0) -> str:
    """The filters of a view in words, as an export states them ('全部' when nothing filters)."""
    mod = module_of(module)
    zh = lang == 0
    parts: list[str] = []
    if query.levels is not None:
        names = [LEVEL_NAMES[lv][lang] for lv in LEVEL_ORDER if lv.value in query.levels]
        parts.append(("等级：" if zh else "levels: ") + ("、" if zh else ", ").join(names))
    if set(query.statuses or ()) != set(tables.DEFAULT_STATUSES):
        names = [status_name(mod, s, lang) for s in tables.STATUS_ORDER if s in (query.statuses or ())]
        parts.append(("状态：" if zh else "status: ") + ("、" if zh else ", ").join(names or ["—"]))
    if query.text.strip():
        parts.append(f"搜索“{query.text.strip()}”" if zh else f'search "{query.text.strip()}"')
    if query.category:
        label = _value_label(mod, tables.CATEGORY_COLUMN[mod], query.category, lang)
        parts.append(("类别：" if zh else "category: ") + str(label))
    people = {}
    ids = [i for i in (query.officer_id, query.person_id, query.leader_id, query.team_leader_id) if i is not None]
    if ids or query.team_id is not None:
        from models import Team

        with db.read() as session:
            people = dict(session.execute(select(Officer.id, Officer.name).where(Officer.id.in_(ids))).all())
            team = session.get(Team, query.team_id) if query.team_id is not None else None
        if team is not None:
            parts.append(("队组：" if zh else "team: ") + team.name)
    for value, zh_name, en_name in ((query.officer_id, "责任民警", "officer"), (query.person_id, "责任人", "responsible"),
                                    (query.team_leader_id, "队长", "team leader"),
                                    (query.leader_id, "包案所领导", "station leader")):
        if value is not None:
            parts.append(f"{zh_name}：{people.get(value, value)}" if zh else f"{en_name}: {people.get(value, value)}")
    if query.date_from or query.date_to:
        title = EXPORT_TITLES[tables.MAIN_DATE[mod]][lang]
        span = f"{query.date_from or '…'} — {query.date_to or '…'}"
        parts.append(f"{title}：{span}" if zh else f"{title}: {span}")
    if query.overdue_only:
        parts.append("只看超期" if zh else "overdue only")
    if query.due_on:
        parts.append(f"{query.due_on}到期" if zh else f"due on {query.due_on}")
    if not parts:
        return "全部记录" if zh else "all records"
    return ("；" if zh else "; ").join(parts)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    filter_text: str
    masked: bool


def export_view(db: Store, actor: Actor, module: str | Module, query: TableQuery, path: str | Path, *,
                ids: Sequence[int] | None = None, lang: int = 0, level_fills: dict[str, str] | None = None,
                titles: dict[str, str] | None = None) -> ExportResult:
    """Write the rows of a view (or only `ids`, in the view's order) to .xlsx or .csv.

    The file states the filter and when and by whom it was made; ID numbers are text (never a
    number Excel would round) and masked unless the actor may see them in full; .csv is UTF-8
    with a BOM so Excel and WPS on Chinese Windows open it. `level_fills` maps level codes to
    '#RRGGBB' (the UI's theme tokens) for row fills in .xlsx. The export is in the audit trail."""
    mod = module_of(module)
    authorize(actor, "read_records")
    target = Path(path)
    fmt = target.suffix.lower()
    if fmt not in (".xlsx", ".csv"):
        raise ValidationError(f"只能导出为 .xlsx 或 .csv：{target.name}", f"export to .xlsx or .csv: {target.name}",
                              "path")
    unmask = allowed(actor.role, "unmask")

    branch = db.is_branch()  # at the branch office every row says which station it belongs to
    cols = tables.columns_for(mod, branch)
    keys = [c.key for c in cols] + ["overdue"]
    heads = [(titles or {}).get(k) or EXPORT_TITLES.get(k, (k, k))[lang] for k in keys]
    order = list(ids) if ids is not None else None
    all_ids = tables.list_ids(db, mod, query)
    if order is not None:
        wanted = set(order)
        order = [i for i in all_ids if i in wanted] + [i for i in order if i not in set(all_ids)]
    else:
        order = list(all_ids)
    filter_text = describe_query(db, mod, query, lang)
    if ids is not None:
        filter_text += ("；仅导出选中的 %d 条" % len(order)) if lang == 0 else f"; only the {len(order)} selected"
    stamp = datetime.now().replace(microsecond=0)
    who = actor.name or actor.account
    statement = (f"{mod.zh}导出　筛选条件：{filter_text}　导出人：{who}　导出时间：{stamp:%Y-%m-%d %H:%M}"
                 + ("" if unmask else "　身份证号已脱敏") if lang == 0 else
                 f"{mod.en} export. Filter: {filter_text}. By {who} at {stamp:%Y-%m-%d %H:%M}"
                 + ("" if unmask else ". ID numbers masked"))

    def rows() -> Iterable[tuple[str, list[Any]]]:
        for row in tables.iter_export_rows(db, mod, order, unmask=unmask, as_of=query.as_of, branch=branch):
            values = [_value_label(mod, k, v, lang) for k, v in zip(keys, row.values)]
            values.append(("是" if lang == 0 else "yes") if row.overdue else "")
            yield row.level, values

    target.parent.mkdir(parents=True, exist_ok=True)
    n = _write_xlsx(target, mod, lang, statement, heads, keys, rows(), level_fills or {}) if fmt == ".xlsx" \
        else _write_csv(target, statement, heads, rows())
    audit.record_event(db, actor, "export_view", mod.value, detail={
        "file": target.name, "rows": n, "filter": filter_text, "masked": not unmask})
    return ExportResult(target, n, filter_text, not unmask)


def _write_csv(target: Path, statement: str, heads: list[str], rows: Iterable[tuple[str, list[Any]]]) -> int:
    n = 0
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([csv_value(statement)])
        w.writerow([csv_value(h) for h in heads])
        for _level, values in rows:
            w.writerow([v.isoformat() if isinstance(v, date) else csv_value(v) for v in values])
            n += 1
    return n


def _write_xlsx(target: Path, mod: Module, lang: int, statement: str, heads: list[str], keys: list[str],
                rows: Iterable[tuple[str, list[Any]]], fills: dict[str, str]) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = mod.zh if lang == 0 else mod.en
    append_row(ws, [statement])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 32
    append_row(ws, heads)
    bold = Font(bold=True)
    for cell in ws[2]:
        cell.font = bold
    pattern = {code: PatternFill("solid", fgColor=hex_.lstrip("#").upper()) for code, hex_ in fills.items()}
    id_col = keys.index("id_number") + 1 if "id_number" in keys else None
    n = 0
    for level, values in rows:
        r = append_row(ws, values)
        fill = pattern.get(level)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if fill is not None:
                cell.fill = fill
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if c == id_col:
                cell.number_format = "@"  # text: an 18-digit number would lose its last digits
        n += 1
    widths = {"summary": 40, "place": 24, "parties": 20, "risk_categories": 24, "id_number": 21, "cause": 16}
    for c, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(key, 12)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(heads))}{max(2, ws.max_row)}"
    wb.save(target)
    return n


# -- cross-module warnings -------------------------------------------------------------------
#: Two 110 calls by the same parties within this many days suggest raising the dispute's level.
REPEAT_110_DAYS = 30


@dataclass(frozen=True)
class PartyInput:
    name: str
    id_number: str = ""


@dataclass(frozen=True)
class PersonMatch:
    person_id: int
    name: str
    level: str
    status: str
    reason: str  # "id_number" or "name_birth"
    party: str


@dataclass(frozen=True)
class RepeatCall:
    dispute_id: int
    dispute_no: str
    found_on: date
    level: str
    shared: tuple[str, ...]
    suggested_level: str


def split_parties(parties: str) -> list[str]:
    return [p.strip() for p in (parties or "").replace("，", ",").replace("、", ",").replace(";", ",").split(",")
            if p.strip()]


def match_key_persons(db: Store, parties: Sequence[PartyInput]) -> list[PersonMatch]:
    """Key persons on file that a new record's parties are: the same ID number, or the same name
    with the birth date the party's ID number gives. Voided files do not match."""
    found: dict[int, PersonMatch] = {}
    with db.read() as session:
        for party in parties:
            name = (party.name or "").strip()
            ident = None
            if (party.id_number or "").strip():
                ident = parse_id_number(party.id_number)
                for p in session.scalars(select(Person).where(Person.id_number == ident.number,
                                                              Person.status != "voided")):
                    found.setdefault(p.id, PersonMatch(p.id, p.name, p.level, p.status, "id_number", name or p.name))
            if name and ident is not None:
                for p in session.scalars(select(Person).where(Person.name == name, Person.status != "voided",
                                                              Person.birth_date == ident.birth_date)):
                    found.setdefault(p.id, PersonMatch(p.id, p.name, p.level, p.status, "name_birth", name))
    return list(found.values())


_RAISE = REPEAT_RAISE


def repeat_110_calls(db: Store, parties: str, found_on: date | None = None, level: str = "yellow",
                     exclude_id: int | None = None, days: int = REPEAT_110_DAYS) -> list[RepeatCall]:
    """Earlier disputes from 110 calls within `days` of `found_on` that name any of the same
    parties: the same people calling again suggests raising the level."""
    names = split_parties(parties)
    day = found_on or date.today()
    if not names:
        return []
    out: list[RepeatCall] = []
    with db.read() as session:
        conds = [Dispute.parties.like("%" + n.replace("%", "").replace("_", "") + "%") for n in names]
        stmt = (select(Dispute).where(Dispute.source == "110", Dispute.status != "voided",
                                      Dispute.found_on >= day - timedelta(days=days), Dispute.found_on <= day,
                                      or_(*conds)).order_by(Dispute.found_on.desc()))
        if exclude_id is not None:
            stmt = stmt.where(Dispute.id != exclude_id)
        for d in session.scalars(stmt):
            shared = tuple(n for n in names if n in split_parties(d.parties))
            if shared:
                out.append(RepeatCall(d.id, d.dispute_no, d.found_on, d.level, shared, _RAISE[level]))
    return out


def decide_suggestion(db: Store, actor: Actor, kind: str, module: str, record_id: int, decision: str,
                      detail: str, other_module: str | None = None, other_record_id: int | None = None, *,
                      link_role: str = "party", raise_to: str | None = None) -> Changes:
    """Record an officer's answer to a suggestion; an accepted key-person match links the person
    to the record, an accepted repeat-call suggestion raises the level, in the same transaction."""
    mod = module_of(module)
    if decision not in ("accepted", "dismissed"):
        raise ValidationError(f"无效的处理结果：{decision}", f"decision must be accepted or dismissed: {decision}",
                              "decision")
    if kind not in ("key_person", "repeat_110"):
        raise ValidationError(f"未知的提示类型：{kind}", f"unknown suggestion kind: {kind}", "kind")
    with db.write(actor, f"suggestion:{decision}") as session:
        rec = load_record(session, mod, record_id)
        authorize(actor, "link_person" if kind == "key_person" else "change_level", rec)
        ts = now()
        if decision == "accepted" and kind == "key_person":
            if other_record_id is None:
                raise ValidationError("接受人员比对提示须指明人员", "accepting a key-person match needs the person",
                                      "other_record_id")
            load_record(session, Module.PERSON, other_record_id)
            if session.scalar(select(PersonLink.id).where(PersonLink.person_id == other_record_id,
                                                          PersonLink.module == mod.value,
                                                          PersonLink.record_id == record_id)) is None:
                session.add(PersonLink(person_id=other_record_id, module=mod.value, record_id=record_id,
                                       role=link_role, created_at=ts))
        if decision == "accepted" and kind == "repeat_110" and raise_to and raise_to != rec.level:
            to, why, result = check_level_change(mod, Level(rec.level), rec.status, raise_to,
                                                 f"同一当事人{REPEAT_110_DAYS}日内再次报警：{detail}", "", actor)
            apply_level(session, mod, rec, to, why, result, actor)
        session.add(Suggestion(kind=kind, module=mod.value, record_id=record_id, other_module=other_module,
                               other_record_id=other_record_id, decision=decision, detail=detail, decided_at=ts,
                               officer_id=actor.officer_id))
    changes = [(mod.value, record_id)]
    if other_module and other_record_id:
        changes.append((other_module, other_record_id))
    return Changes.of(*changes)


@dataclass(frozen=True)
class PendingSuggestion:
    """A suggestion raised without an officer at hand (a 110 import's repeat calls), to answer."""

    id: int
    kind: str
    module: str
    record_id: int
    label: str
    level: str
    raise_to: str
    detail: str


def pending_suggestions(db: Store, module: str | None = None,
                        record_id: int | None = None) -> list[PendingSuggestion]:
    """The suggestions waiting for an answer, newest first (of one record when given)."""
    with db.read() as session:
        stmt = select(Suggestion).where(Suggestion.decision == "pending").order_by(Suggestion.id.desc())
        if module is not None:
            stmt = stmt.where(Suggestion.module == module)
        if record_id is not None:
            stmt = stmt.where(Suggestion.record_id == record_id)
        out = []
        for s in session.scalars(stmt):
            mod = module_of(s.module)
            rec = session.get(MODELS[mod], s.record_id)
            if rec is None:
                continue
            out.append(PendingSuggestion(s.id, s.kind, s.module, s.record_id, record_label(mod, rec), rec.level,
                                         _RAISE[rec.level], s.detail))
        return out


@commit_guard
def answer_suggestion(db: Store, actor: Actor, suggestion_id: int, decision: str) -> Changes:
    """Answer a pending suggestion: accepted raises the record's level one step from where it is
    now (the suggestion's reason as the change's reason), dismissed keeps it; both are recorded
    with the officer and the time, in one transaction, and the suggestion is not asked again."""
    if decision not in ("accepted", "dismissed"):
        raise ValidationError(f"无效的处理结果：{decision}", f"decision must be accepted or dismissed: {decision}",
                              "decision")
    with db.write(actor, f"suggestion:{decision}") as session:
        s = session.get(Suggestion, suggestion_id)
        if s is None:
            raise NotFound(f"提示不存在：{suggestion_id}", f"no such suggestion: {suggestion_id}")
        mod = module_of(s.module)
        rec = load_record(session, mod, s.record_id)
        authorize(actor, "change_level", rec)
        if s.decision != "pending":
            raise RuleViolation("该提示已处理", "the suggestion has already been answered", "decision")
        to_level = _RAISE[rec.level]
        if decision == "accepted" and s.kind == "repeat_110" and to_level != rec.level:
            to, why, result = check_level_change(mod, Level(rec.level), rec.status, to_level, s.detail, "", actor)
            apply_level(session, mod, rec, to, why, result, actor)
        s.decision, s.decided_at, s.officer_id = decision, now(), actor.officer_id
    return Changes.of((mod.value, rec.id))


def decided_suggestions(db: Store, module: str, record_id: int) -> list[tuple[str, str, str | None, int | None]]:
    """(kind, decision, other module, other id) of every suggestion decided on a record."""
    with db.read() as session:
        return [(kind, decision, other_module, other_id) for kind, decision, other_module, other_id in session.execute(
            select(Suggestion.kind, Suggestion.decision, Suggestion.other_module, Suggestion.other_record_id)
            .where(Suggestion.module == module, Suggestion.record_id == record_id).order_by(Suggestion.id))]


def officer_choices(db: Store) -> list[tuple[int, str, str, int | None]]:
    """(id, name, role, team id) of active officers, for pickers."""
    with db.read() as session:
        return [(oid, name, role, team_id) for oid, name, role, team_id in session.execute(
            select(Officer.id, Officer.name, Officer.role, Officer.team_id)
                                                  .where(Officer.active).order_by(Officer.role, Officer.id))]


@dataclass(frozen=True)
class OfficerChoice:
    """One officer in a picker, with the team the list is grouped by."""

    id: int
    name: str
    role: str
    team_id: int | None
    team_name: str


def officers_by_team(db: Store, roles: Iterable[str] = ("team_leader", "officer")) -> list[OfficerChoice]:
    """Active officers of `roles`, grouped by team (teams by name, no team last), team leaders
    first in each team, then names in pinyin order: a 46-name list a person can scan."""
    from pypinyin import lazy_pinyin

    from app.domain.search import name_keys
    from models import Team

    wanted = set(roles)
    with db.read() as session:
        teams: dict[int | None, str] = dict(session.execute(select(Team.id, Team.name)).all())
        rows = [OfficerChoice(o.id, o.name, o.role, o.team_id, teams.get(o.team_id, ""))
                for o in session.scalars(select(Officer).where(Officer.active)) if o.role in wanted]
    rank = {"leader": 0, "team_leader": 1, "officer": 2}
    team_keys = {name: "".join(lazy_pinyin(name)) for name in set(teams.values())}
    return sorted(rows, key=lambda r: (r.team_id is None, team_keys.get(r.team_name, ""), rank.get(r.role, 3),
                                       (name_keys(r.name) or (r.name,))[0], r.id))


def level_counts_of(db: Store, module: str | Module, record_ids: Sequence[int]) -> dict[str, int]:
    """How many of these records are at each level (what a bulk level change starts from)."""
    mod = module_of(module)
    model = MODELS[mod]
    ids = list(dict.fromkeys(record_ids))
    out: dict[str, int] = {}
    with db.read() as session:
        for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            chunk = ids[start:start + 900]
            for level, n in session.execute(select(model.level, func.count()).where(model.id.in_(chunk))
                                            .group_by(model.level)):
                out[level] = out.get(level, 0) + n
    return out


def count_active(db: Store) -> int:
    with db.read() as session:
        return sum(session.scalar(select(func.count()).select_from(m).where(m.status == "active")) or 0
                   for m in MODELS.values())

