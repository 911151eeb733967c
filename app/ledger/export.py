"""A module's view written back as a ledger: the template's columns in the template's layout, each
value in the words the importer reads (红色, 刑事, the officer's name), so a station that must still
send a ledger to someone gets it from the app, and the file imports again as "already present"."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import select

from app.domain.identity import mask_id_number
from app.domain.levels import LEVEL_NAMES, PERSON_RISK_CATEGORIES, Level, Module, module_of
from app.domain.permissions import allowed, authorize
from app.domain.rules import Actor
from app.errors import ValidationError
from app.ledger.fields import value_targets
from app.ledger.template import template_columns, template_workbook
from app.services import audit, tables
from app.spreadsheet import csv_value, set_cell
from app.store import Store
from app.store.records import MODELS
from models import Case, Officer

CHUNK = 2000
#: The record's status in the words the importer knows without a mapping.
STATUS_WORDS = {Module.CASE: {"active": "在办", "closed": "已办结"},
                Module.DISPUTE: {"active": "在办", "closed": "已化解", "converted": "转案件"},
                Module.PERSON: {"active": "在管", "closed": "撤销列管"}}


@dataclass(frozen=True)
class LedgerExport:
    path: Path
    rows: int
    masked: bool


def ledger_values(module: Module, rec: Any, names: dict[int, str], extra: dict[int, tuple], unmask: bool) -> list:
    """One record as the template's row: codes as their Chinese words, officers by name."""
    out: list[Any] = []
    for spec in template_columns(module):
        key = spec.key
        if key == "level":
            value = LEVEL_NAMES[Level(rec.level)][0]
        elif key == "status":
            value = STATUS_WORDS[module].get(rec.status, rec.status)
        elif key in ("officer", "team_leader", "leader"):
            value = names.get(getattr(rec, {"officer": "officer_id", "team_leader": "team_leader_id",
                                             "leader": "leader_id"}[key]), "")
        elif key == "risk_categories":
            value = "、".join(PERSON_RISK_CATEGORIES[c][0] for c in (rec.risk_categories or "").split(",") if c)
        elif key == "sex":
            value = {"M": "男", "F": "女"}.get(rec.sex or "", "")
        elif key == "id_number":
            value = rec.id_number or ""
            if value and not unmask:
                value = mask_id_number(value)
        elif key == "due_on":
            value = rec.next_due
        elif module == Module.DISPUTE and key in ("case_no", "case_kind", "converted_on"):
            case_no, kind = extra.get(rec.id, ("", ""))
            value = {"case_no": case_no, "case_kind": value_targets(module, "case_kind").get(kind, ""),
                     "converted_on": rec.converted_at.date() if rec.converted_at else None}[key]
        elif spec.kind == "choice":
            code = getattr(rec, key)
            value = value_targets(module, key).get(code, "") if code else ""
        else:
            value = getattr(rec, key, None)
        out.append("" if value is None else value)
    return out


def export_ledger(db: Store, actor: Actor, module: str | Module, query: tables.TableQuery, path: str | Path,
                  ids: Sequence[int] | None = None) -> LedgerExport:
    """Write the view's records (or only `ids`, in the view's order) as a ledger (.xlsx or .csv)."""
    mod = module_of(module)
    authorize(actor, "read_records")
    target = Path(path)
    fmt = target.suffix.lower()
    if fmt not in (".xlsx", ".csv"):
        raise ValidationError(f"只能导出为 .xlsx 或 .csv：{target.name}", f"export to .xlsx or .csv: {target.name}", "path")
    unmask = allowed(actor.role, "unmask")
    order = list(tables.list_ids(db, mod, query))
    if ids is not None:
        wanted = set(ids)
        order = [i for i in order if i in wanted]
    rows = _rows(db, mod, order, unmask)
    target.parent.mkdir(parents=True, exist_ok=True)
    n = _write_csv(target, mod, rows) if fmt == ".csv" else _write_xlsx(target, mod, rows)
    audit.record_event(db, actor, "export_ledger", mod.value, detail={"file": target.name, "rows": n,
                                                                       "masked": not unmask})
    return LedgerExport(target, n, not unmask)


def _rows(db: Store, mod: Module, order: list[int], unmask: bool):
    model = MODELS[mod]
    with db.read() as session:
        names = dict(session.execute(select(Officer.id, Officer.name)).all())
    for start in range(0, len(order), CHUNK):
        part = order[start:start + CHUNK]
        with db.read() as session:
            recs = {r.id: r for r in session.scalars(select(model).where(model.id.in_(part)))}
            extra: dict[int, tuple] = {}
            if mod == Module.DISPUTE:
                case_ids = [r.converted_case_id for r in recs.values() if r.converted_case_id]
                cases = dict((cid, (no, kind)) for cid, no, kind in session.execute(
                    select(Case.id, Case.case_no, Case.kind).where(Case.id.in_(case_ids))))
                extra = {r.id: cases[r.converted_case_id] for r in recs.values() if r.converted_case_id in cases}
            values = [ledger_values(mod, recs[i], names, extra, unmask) for i in part if i in recs]
        yield from values


def _write_csv(target: Path, mod: Module, rows) -> int:
    n = 0
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([s.titles[0] for s in template_columns(mod)])
        for values in rows:
            w.writerow([v.isoformat() if isinstance(v, date) else csv_value(v) for v in values])
            n += 1
    return n


def _write_xlsx(target: Path, mod: Module, rows) -> int:
    wb = template_workbook(mod)
    ws = wb.worksheets[0]
    specs = template_columns(mod)
    text_cols = {c for c, s in enumerate(specs, start=1) if s.kind in ("id", "phone", "code")}
    n = 0
    for r, values in enumerate(rows, start=3):
        for c, value in enumerate(values, start=1):
            cell = set_cell(ws, r, c, value)  # formula-like text is kept as text, never a formula
            if isinstance(value, (date, datetime)):
                cell.number_format = "yyyy-mm-dd"
            elif c in text_cols:
                cell.number_format = "@"
        n += 1
    wb.save(target)
    return n
