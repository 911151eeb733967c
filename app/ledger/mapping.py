"""The mapping a person chose for a ledger: column → field, value → value, and whole-ledger defaults.

The same structure is the wizard's remembered choice (per header signature) and the command
line's `--mapping FILE` (JSON):

    {"columns": {"风险级别": "预警等级", "备注": null},
     "values":  {"预警等级": {"高": "红色", "中": "橙色", "低": "黄色"},
                 "办理状态": {"已调解": "已办结/已化解", "调解中": "在办（未结）"}},
     "defaults": {"案件类别": "刑事"},
     "officers": {"陈警官": "陈刚", "0371": "张伟", "王警管": "王建国", "老周": {"add_to_team": "一队"}, "某甲": null}}

Officers (every officer column: 责任民警, 带班领导, 所领导) are mapped from how the ledger writes
them to an officer on the roster (by name or badge number), added to the roster in a named team,
or null: the rows naming them are rejected.

Fields may be named by key (level) or by Chinese name (预警等级); targets by code (red) or by
their Chinese label (红色). A value mapping may also be keyed by the ledger's column title.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import bounded_json
from app.domain.levels import Module
from app.errors import ValidationError
from app.ledger.fields import (
    STATUS_TARGETS,
    FieldSpec,
    builtin_values,
    field_specs,
    normalise_title,
    title_matches,
    value_targets,
)
from app.ledger.values import value_key


@dataclass
class LedgerMapping:
    columns: dict[str, str | None] = field(default_factory=dict)  # normalised title → field (None: ignore)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → {ledger value → code}
    defaults: dict[str, str] = field(default_factory=dict)  # field → value for blank cells / no column
    officers: dict[str, str | None] = field(default_factory=dict)  # ledger's writing → roster name/badge; None: reject
    new_officers: dict[str, str] = field(default_factory=dict)  # ledger's writing → team to add the officer to

    def to_data(self) -> dict:
        officers: dict[str, Any] = dict(self.officers)
        officers.update({k: {"add_to_team": team} for k, team in self.new_officers.items()})
        out: dict[str, Any] = {"columns": self.columns, "values": self.values, "defaults": self.defaults}
        if officers:
            out["officers"] = officers
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False, indent=1, sort_keys=True)

    def copy(self) -> "LedgerMapping":
        return LedgerMapping(dict(self.columns), {k: dict(v) for k, v in self.values.items()}, dict(self.defaults),
                             dict(self.officers), dict(self.new_officers))

    def merged_with(self, other: "LedgerMapping") -> "LedgerMapping":
        """This mapping with `other`'s choices added (other wins where both choose)."""
        out = self.copy()
        out.columns.update(other.columns)
        for key, table in other.values.items():
            out.values.setdefault(key, {}).update(table)
        out.defaults.update(other.defaults)
        out.officers.update(other.officers)
        out.new_officers.update(other.new_officers)
        for name in other.officers:
            out.new_officers.pop(name, None)
        for name in other.new_officers:
            out.officers.pop(name, None)
        return out


def _field_key(module: Module, name: str, where: str) -> str:
    specs = field_specs(module)
    if name in specs:
        return name
    for spec in specs.values():
        if normalise_title(name) in (spec.zh, *map(normalise_title, spec.titles)):
            return spec.key
    raise ValidationError(f"映射文件中的字段“{name}”不是{module.zh}台账的字段（{where}）",
                          f"'{name}' in the mapping file is not a {module.value} field ({where})", "mapping")


def _target(module: Module, field_key: str, value: Any) -> str:
    targets = value_targets(module, field_key)
    text = str(value).strip()
    if text in targets:
        return text
    for code, label in targets.items():
        if value_key(label) == value_key(text):
            return code
    known = {value_key(k): v for k, v in builtin_values(module, field_key).items()}
    if field_key == "status":
        known.update({value_key(v[0]): k for k, v in STATUS_TARGETS.items()})
    if known.get(value_key(text)) in targets:  # a spelling the app knows (已化解, 撤销列管, 橙)
        return known[value_key(text)]
    spec = field_specs(module)[field_key]
    raise ValidationError(f"映射文件中{spec.zh}的目标值“{text}”无效，应为：{'、'.join(targets.values())}",
                          f"mapping target '{text}' for {spec.en} is not one of {', '.join(targets)}", "mapping")


def parse_mapping(module: Module, data: Any) -> LedgerMapping:
    """Check and normalise a mapping given as a dict (a JSON file, remembered settings)."""
    if not isinstance(data, dict):
        raise ValidationError("映射文件应为JSON对象", "the mapping file must be a JSON object", "mapping")
    unknown = set(data) - {"columns", "values", "defaults", "officers", "module", "comment"}
    if unknown:
        raise ValidationError(f"映射文件中有不认识的项：{'、'.join(sorted(unknown))}",
                              f"unknown keys in the mapping file: {', '.join(sorted(unknown))}", "mapping")
    out = LedgerMapping()
    for title, target in (data.get("columns") or {}).items():
        out.columns[normalise_title(title)] = None if target in (None, "", "-") else _field_key(module, target, title)
    for name, table in (data.get("values") or {}).items():
        if not isinstance(table, dict):
            raise ValidationError(f"映射文件中“{name}”的值映射应为对象", f"values for '{name}' must be an object",
                                  "mapping")
        key = out.columns.get(normalise_title(name)) or _field_key(module, name, "values")
        if field_specs(module)[key].kind == "officer":
            _officers(out, table)
            continue
        if not value_targets(module, key):
            raise ValidationError(f"字段“{field_specs(module)[key].zh}”的值不需要映射",
                                  f"field '{key}' takes free values and no value mapping", "mapping")
        out.values.setdefault(key, {}).update({str(v): _target(module, key, t) for v, t in table.items()})
    for name, value in (data.get("defaults") or {}).items():
        out.defaults[_field_key(module, name, "defaults")] = str(value)
    officers = data.get("officers") or {}
    if not isinstance(officers, dict):
        raise ValidationError("映射文件中“officers”应为对象", "'officers' in the mapping file must be an object", "mapping")
    _officers(out, officers)
    return out


#: How many officer spellings one mapping may hold, and how long each may be.
MAX_OFFICER_ALIASES, MAX_NAME = 2000, 50


def _officers(out: LedgerMapping, table: dict) -> None:
    """Officer spellings: "roster name or badge", {"add_to_team": "team"}, or null (reject the rows)."""
    if len(table) + len(out.officers) > MAX_OFFICER_ALIASES:
        raise ValidationError(f"映射文件中的民警写法超过{MAX_OFFICER_ALIASES}个", "too many officer spellings", "mapping")
    for alias, target in table.items():
        alias = str(alias).strip()
        if not alias or len(alias) > MAX_NAME:
            raise ValidationError(f"映射文件中的民警写法“{alias[:MAX_NAME]}”为空或过长", "an officer spelling is empty or "
                                  "too long", "mapping")
        if target is None or (isinstance(target, str) and target.strip() in ("", "-")):
            out.officers[alias] = None
        elif isinstance(target, dict) and set(target) == {"add_to_team"} and str(target["add_to_team"]).strip():
            out.new_officers[alias] = str(target["add_to_team"]).strip()[:MAX_NAME]
        elif isinstance(target, (str, int)) and len(str(target).strip()) <= MAX_NAME:
            out.officers[alias] = str(target).strip()
        else:
            raise ValidationError(f"映射文件中民警“{alias}”的目标无效：应为本所民警的姓名或警号、"
                                  f"{{\"add_to_team\": \"队组名称\"}} 或 null",
                                  f"the target of officer '{alias}' must be a roster name or badge number, "
                                  f"{{\"add_to_team\": \"team\"}} or null", "mapping")


def load_mapping(path: str | Path, module: Module) -> LedgerMapping:
    p = Path(path)
    try:
        data = bounded_json.loads(p.read_bytes())
    except FileNotFoundError:
        raise ValidationError(f"映射文件不存在：{p}", f"mapping file not found: {p}", "mapping") from None
    except ValueError as exc:  # bounded_json.JsonRejected: size, nesting, characters, syntax
        raise ValidationError(f"映射文件不是有效的JSON：{p}（{exc}）", f"the mapping file is not valid JSON: {p} ({exc})",
                              "mapping") from None
    return parse_mapping(module, data)


#: The column the rejected-rows file adds; it is not part of the ledger's layout.
REJECT_REASON_TITLE = "未导入原因"


def header_signature(module: Module, titles: tuple[str, ...] | list[str]) -> str:
    """Identifies a ledger layout: the same columns in the same order give the same signature,
    so a mapping chosen once is offered again for next year's ledger of the same shape (and for
    its rejected-rows file, whose reason column is left out)."""
    names = [normalise_title(t) for t in titles]
    while names and names[-1] in ("", REJECT_REASON_TITLE):
        names.pop()
    norm = "|".join(names)
    return hashlib.sha1(f"{module.value}:{norm}".encode()).hexdigest()[:16]


def resolve_columns(module: Module, titles: tuple[str, ...] | list[str], mapping: LedgerMapping) -> dict[int, str]:
    """column index → field: the person's choices first, then the usual titles (the most
    specific title wins when two columns could be the same field). Two columns for one field
    is an error naming both."""
    auto = title_matches(module)
    chosen: dict[int, str] = {}
    for c, t in enumerate(titles):
        n = normalise_title(t)
        if n and n in mapping.columns:
            if mapping.columns[n] is not None:
                chosen[c] = mapping.columns[n]
    taken = {}
    for c, key in chosen.items():
        if key in taken:
            spec = field_specs(module)[key]
            raise ValidationError(f"“{titles[taken[key]]}”和“{titles[c]}”两列都对应到{spec.zh}，请只保留一列",
                                  f"columns '{titles[taken[key]]}' and '{titles[c]}' both map to {spec.en}",
                                  "mapping")
        taken[key] = c
    best: dict[str, tuple[int, int]] = {}
    for c, t in enumerate(titles):
        n = normalise_title(t)
        if c in chosen or not n or n in mapping.columns or n not in auto:
            continue
        key, rank = auto[n]
        if key in taken:
            continue
        if key not in best or rank < best[key][1]:
            best[key] = (c, rank)
    chosen.update({c: key for key, (c, _rank) in best.items()})
    return dict(sorted(chosen.items()))


def missing_required(module: Module, columns: dict[int, str], mapping: LedgerMapping) -> list[FieldSpec]:
    """Required fields with neither a column nor a whole-ledger default. The level may come from
    a status column (已办结 → green), the dispute number is made up when there is none."""
    have = set(columns.values()) | set(mapping.defaults)
    out = []
    for spec in field_specs(module).values():
        if not spec.required or spec.key in have:
            continue
        if spec.key == "level" and "status" in have:
            continue
        out.append(spec)
    return out


def mapping_for_columns(module: Module, titles: tuple[str, ...] | list[str], columns: dict[int, str],
                        base: LedgerMapping | None = None) -> LedgerMapping:
    """The mapping to remember: every column's choice (ignored ones as None), plus `base`'s values
    and defaults."""
    out = base.copy() if base else LedgerMapping()
    out.columns = {normalise_title(t): columns.get(c) for c, t in enumerate(titles) if normalise_title(t)}
    return out
