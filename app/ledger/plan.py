"""The plan of a ledger import: the file, the sheet and its header, the mapping and what it leaves
unanswered (values, officers, focus areas nobody mapped); every sheet of a workbook with the module
it looks like. Nothing here writes."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.levels import Module
from app.errors import ValidationError
from app.ledger.fields import FieldSpec, builtin_values, mappable_fields, normalise_title, title_matches
from app.ledger.mapping import LedgerMapping, missing_required, resolve_columns
from app.ledger.officers import Roster
from app.ledger.reader import Header, LedgerFile, Sheet, find_header, read_ledger, row_kind
from app.ledger.values import is_blank, lookup_table, map_code, split_list, text_of, value_key
from app.store import Store

#: The key under which row_values lists the fields a whole-ledger default filled.
DEFAULTED = "__defaulted__"

@dataclass(frozen=True)
class OfficerQuestion:
    """An officer writing nobody resolved: the person maps it, adds the officer, or rejects the rows."""

    text: str
    rows: int
    field: str  # the first column it was seen in (officer, team_leader, leader)
    suggestion_id: int | None = None
    suggestion: str = ""



@dataclass
class LedgerPlan:
    """What is about to be imported: the file, the sheet, the header row and the mapping."""

    module: Module
    file: LedgerFile
    sheet: Sheet
    header: Header
    mapping: LedgerMapping
    columns: dict[int, str]  # column index → field

    @property
    def first_data(self) -> int:
        return self.header.index + 1

    def data_indexes(self) -> range:
        return range(self.first_data, len(self.sheet.rows))

    def missing(self) -> list[FieldSpec]:
        return missing_required(self.module, self.columns, self.mapping)

    def ignored_titles(self) -> list[str]:
        return [t for c, t in enumerate(self.header.titles) if t and c not in self.columns]

    def row_values(self, index: int) -> dict[str, Any]:
        """field → raw cell (or the whole-ledger default where the cell is blank; those fields are
        listed under DEFAULTED)."""
        row = self.sheet.rows[index]
        out: dict[str, Any] = {}
        for c, key in self.columns.items():
            out[key] = row[c] if c < len(row) else None
        defaulted = []
        for key, value in self.mapping.defaults.items():
            if is_blank(out.get(key)):
                out[key] = value
                defaulted.append(key)
        out[DEFAULTED] = tuple(defaulted)
        return out

    def officer_questions(self, roster: Roster) -> list["OfficerQuestion"]:
        """Every officer writing in the officer columns that neither the roster (name, badge
        number) nor the mapping resolves, once, with its row count and a suggestion."""
        keys = [k for k in ("officer", "team_leader", "leader")
                if k in self.columns.values() or k in self.mapping.defaults]
        counts: dict[str, int] = {}
        first_field: dict[str, str] = {}
        for i in self.data_indexes():
            if row_kind(self.sheet.rows[i]) != "data":
                continue
            values = self.row_values(i)
            for key in keys:
                names = split_list(values.get(key))
                if not names:
                    continue
                name = names[0]
                found, how = roster.find(name)
                if found or how == "rejected" or name in self.mapping.new_officers:
                    continue
                counts[name] = counts.get(name, 0) + 1
                first_field.setdefault(name, key)
        out = []
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            oid = roster.suggest(name)
            out.append(OfficerQuestion(name, n, first_field[name], oid, roster.names.get(oid, "") if oid else ""))
        return out

    def kept_focus_areas(self) -> dict[str, int]:
        """Dispute focus areas the app has no code for: kept as text in the summary, 其他 as the
        area (what the row report says); mapping them to a known area is the person's choice."""
        if self.module != Module.DISPUTE or "focus_area" not in self.columns.values():
            return {}
        table = self.lookup("focus_area")
        out: dict[str, int] = {}
        for i in self.data_indexes():
            if row_kind(self.sheet.rows[i]) != "data":
                continue
            cell = self.row_values(i).get("focus_area")
            if not is_blank(cell) and value_key(cell) not in table:
                out[text_of(cell)] = out.get(text_of(cell), 0) + 1
        return out

    def lookup(self, key: str) -> dict[str, str]:
        return lookup_table(builtin_values(self.module, key), self.mapping.values.get(key, {}))

    def unknown_values(self) -> dict[str, dict[str, int]]:
        """field → {value: rows} for the values of mapped closed-list columns that neither the
        built-in spellings nor the mapping know: what the wizard asks a person to map."""
        fields = [k for k in dict.fromkeys((*mappable_fields(self.module), "level", "status"))
                  if k in self.columns.values() and k != "focus_area"]
        tables = {k: self.lookup(k) for k in fields}
        out: dict[str, dict[str, int]] = {}
        for i in self.data_indexes():
            if row_kind(self.sheet.rows[i]) != "data":
                continue
            values = self.row_values(i)
            for key in fields:
                cells = split_list(values.get(key)) if key == "risk_categories" else [values.get(key)]
                for cell in cells:
                    if is_blank(cell):
                        continue
                    try:
                        map_code(cell, tables[key], key)
                    except ValidationError:
                        bucket = out.setdefault(key, {})
                        bucket[text_of(cell)] = bucket.get(text_of(cell), 0) + 1
        return out


def plan_import(path: str | Path | LedgerFile, module: Module, mapping: LedgerMapping | None = None,
                sheet: str | None = None, header_line: int | None = None) -> LedgerPlan:
    """Read the file and work out the header row and the column mapping; nothing is written."""
    ledger = path if isinstance(path, LedgerFile) else read_ledger(path)
    if sheet is None and ledger.kind == "xlsx":
        sheet = _likeliest_sheet(ledger, module)
    sh = ledger.sheet(sheet)
    header = find_header(sh, module, header_line)
    chosen = mapping or LedgerMapping()
    return LedgerPlan(module, ledger, sh, header, chosen, resolve_columns(module, header.titles, chosen))


#: Fields every module has: they say nothing about which module a sheet is.
_SHARED_FIELDS = {"level", "status", "officer", "team_leader", "leader", "summary", "place", "community", "due_on"}


@dataclass(frozen=True)
class SheetGuess:
    """One sheet of a workbook: the module its header looks like (None: not a ledger sheet)."""

    name: str
    module: Module | None
    header_line: int | None
    rows: int  # data rows under the header

    @property
    def module_zh(self) -> str:
        return self.module.zh if self.module else "（不导入）"


def guess_sheets(ledger: LedgerFile) -> list[SheetGuess]:
    """Every sheet with the module whose own titles its header matches best (案件编号 for cases,
    当事人/事件名称 for disputes, 姓名/身份证号 for persons); notes sheets guess None."""
    out = []
    for name in ledger.sheet_names:
        sheet = ledger.sheet(name)
        best: tuple[int, Module | None, Header | None] = (1, None, None)
        for module in Module:
            try:
                header = find_header(sheet, module)
            except ValidationError:
                continue
            titles = title_matches(module)
            own = {titles[normalise_title(t)][0] for t in header.titles
                   if normalise_title(t) in titles} - _SHARED_FIELDS
            if len(own) > best[0]:
                best = (len(own), module, header)
        _, module, header = best
        n = sum(1 for r in sheet.rows[header.index + 1:] if row_kind(r) == "data") if header else 0
        out.append(SheetGuess(name, module, header.line(sheet) if header else None, n))
    return out


def _likeliest_sheet(ledger: LedgerFile, module: Module) -> str:
    """The first sheet with a header for the module (a workbook often has a notes sheet first)."""
    best, best_n = ledger.sheet_names[0], 0
    for name in ledger.sheet_names:
        try:
            n = find_header(ledger.sheet(name), module).matched
        except ValidationError:
            continue
        if n > best_n:
            best, best_n = name, n
    return best


def officer_questions(db: Store, plan: LedgerPlan) -> list[OfficerQuestion]:
    """The officer writings of the plan that nobody resolved yet (see LedgerPlan.officer_questions)."""
    with db.read() as session:
        return plan.officer_questions(Roster.load(session, plan.mapping.officers))
