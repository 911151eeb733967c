"""What each module's ledger columns are: the field, its usual Chinese titles and the values it knows.

The titles are the ones station ledgers use (受案日期, 责任民警, 身份证号…) and the ones other
police tools write (事件名称, 事件类型, 事发时间, 处置进度, 风险类型…); the built-in value tables
hold only unambiguous spellings (红/红色, 刑事/行政, the app's own status words and their common
synonyms: 未结, 已结, 已调解, 调解成功, 撤销列管, 转案件…). Anything else (高/中/低,
一级/二级/三级…) must be mapped by a person, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.fields import field_label, record_fields
from app.domain.levels import (
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    DISPUTE_SOURCE_NAMES,
    FOCUS_AREA_NAMES,
    LEVEL_NAMES,
    PERSON_RISK_CATEGORIES,
    SATISFACTION_NAMES,
    Module,
)
from app.errors import ValidationError

#: Command-line module names → modules.
MODULE_ARGS = {"cases": Module.CASE, "disputes": Module.DISPUTE, "persons": Module.PERSON}


def module_arg(text: str) -> Module:
    key = (text or "").strip().lower()
    if key in MODULE_ARGS:
        return MODULE_ARGS[key]
    try:
        return Module(key)
    except ValueError:
        raise ValidationError(f"模块应为 cases、disputes 或 persons：{text}",
                              f"the module is cases, disputes or persons: {text}", "module") from None


@dataclass(frozen=True)
class FieldSpec:
    """A ledger column: a record field of the domain (its key, label and kind are
    app.domain.fields'), the titles ledgers give it and what the import asks of it."""

    key: str
    zh: str
    en: str
    kind: str  # the domain field's: text, long, code, date, level, choice, status, officer, id, phone, grade, risks, sex
    titles: tuple[str, ...]  # usual column titles, the first is the template's
    required: bool = False
    #: For fields whose rows may fall back to a value the person chose for the whole ledger.
    example: str = ""


@dataclass(frozen=True)
class Column:
    """What the ledger import keeps of a field beyond the domain's definition: the titles other
    tools give the column (the first is the template's), whether a ledger must have it, an example."""

    key: str  # the domain's field name
    titles: tuple[str, ...]
    required: bool = False
    example: str = ""


LEVEL = Column("level", ("预警等级", "预警级别", "等级", "颜色等级", "预警颜色", "风险等级", "风险级别"), True, "红色")
STATUS = Column("status", ("办理状态", "状态", "案件状态", "化解状态", "管控状态", "处置进度", "办理进度", "办理情况", "处置状态",
                           "列管状态"))
OFFICER = Column("officer", ("责任民警", "主办民警", "办案民警", "承办民警", "包案民警", "责任人", "管控民警", "负责民警", "处置民警",
                             "经办民警"), True, "张伟")
#: A deadline the ledger sets (整改期限): the record's next follow-up is due then.
DUE = Column("due_on", ("整改期限", "办理期限", "化解期限", "跟进期限", "下次跟进日期"))
TEAM_LEADER = Column("team_leader", ("带班领导", "队长", "责任队长", "带班队长"), False, "李强")
LEADER = Column("leader", ("所领导", "包案领导", "包案所领导", "分管所领导", "分管领导"), False, "王建国")
SUMMARY_TITLES = ("简要案情", "简要情况", "基本情况", "案情", "主要情况")

#: The columns of each module's ledger, in the template's order.
COLUMNS: dict[Module, tuple[Column, ...]] = {
    Module.CASE: (
        Column("case_no", ("案件编号", "案件号", "案号", "受案编号", "编号"), True, "A3601020000002025030001"),
        Column("kind", ("案件类别", "案件类型", "案件性质", "刑事/行政"), True, "刑事"),
        Column("category", ("案件细类", "案别", "案件种类"), False, "盗窃"),
        Column("cause", ("案由", "案件名称"), False, "入室盗窃"),
        # 案发时间 last: other tools keep no 受案日期, and the day of the offence is the nearest date.
        Column("accepted_on", ("受案日期", "受案时间", "接报日期", "报案时间", "案发时间", "案发日期"), True, "2025-03-08"),
        Column("filed_on", ("立案日期", "立案时间"), False, "2025-03-09"),
        Column("solved_on", ("破案日期", "破案时间")),
        Column("closed_on", ("办结日期", "结案日期", "办结时间", "结案时间")),
        LEVEL,
        Column("summary", SUMMARY_TITLES, False, "某小区3栋被盗电动车一辆"),
        Column("place", ("发案地点", "案发地点", "地点", "发案地址"), False, "城关镇某小区"),
        OFFICER, TEAM_LEADER, LEADER,
        Column("status", (*STATUS.titles, "处置情况")),
        DUE,
    ),
    Module.DISPUTE: (
        Column("dispute_no", ("纠纷编号", "编号", "登记编号"), False, "JF2025030801"),
        Column("category", ("纠纷类别", "纠纷类型", "类别"), True, "公安主责类"),
        Column("source", ("来源", "纠纷来源", "发现途径", "线索来源"), True, "110警情"),
        Column("focus_area", ("重点领域", "纠纷领域", "纠纷性质", "事件类型", "纠纷种类", "矛盾类型", "风险类型"), False, "邻里纠纷"),
        # 事件名称 last: other tools name a dispute by its parties (张某与李某邻里纠纷) and keep no 当事人.
        Column("parties", ("当事人", "当事人姓名", "双方当事人", "涉及人员", "事件名称"), True, "赵六、钱七"),
        Column("found_on", ("发现日期", "排查日期", "登记日期", "发现时间", "排查时间", "事发时间", "事发日期", "发生时间"), True,
               "2025-03-08"),
        Column("resolved_on", ("化解日期", "调解日期", "化解时间", "调解时间")),
        Column("outcome", ("调解结果", "化解结果", "化解情况", "处理结果", "调处结果", "处置情况", "处置结果")),
        Column("satisfaction", ("回访满意", "回访满意度", "回访是否满意", "群众满意度")),
        LEVEL,
        Column("summary", ("简要情况", "纠纷简要情况", "主要矛盾", "简要案情", "基本情况", "事件内容", "风险问题", "矛盾问题"),
               False, "因楼上漏水引发争吵"),
        Column("place", ("发生地点", "纠纷地点", "地点", "地址", "事发地点"), False, "城关镇某小区"),
        Column("community", ("所属社区", "社区"), False, "东门社区"),
        OFFICER, TEAM_LEADER, LEADER, STATUS,
        # A dispute the ledger marks 转案件: the case it became, its kind when it is not on file, the day.
        Column("case_no", ("转案案件编号", "转案编号", "转立案件编号")),
        Column("case_kind", ("转案案件类别", "转案类别")),
        Column("converted_on", ("转案日期", "转案时间")),
        DUE,
    ),
    Module.PERSON: (
        Column("name", ("姓名", "人员姓名"), True, "赵六"),
        Column("id_number", ("身份证号", "身份证号码", "公民身份号码", "身份号码", "证件号码"), False, "110105194912310021"),
        Column("sex", ("性别",)),
        Column("birth_date", ("出生日期", "出生年月")),
        Column("phone", ("联系电话", "手机号", "手机号码", "电话", "联系方式"), False, "13812345678"),
        Column("address", ("现住址", "住址", "居住地址", "现居住地", "家庭住址"), False, "城关镇东门路8号"),
        Column("community", ("所属社区", "社区"), False, "东门社区"),
        Column("grid", ("网格", "所属网格")),
        Column("risk_categories", ("人员类别", "人员类型", "类别", "风险类型", "人员风险类型"), False, "一般重点人员"),
        Column("control_plan", ("管控措施", "管控方案", "稳控措施"), False, "每月见面谈话"),
        Column("listed_on", ("列管日期", "列管时间", "纳入日期"), True, "2025-03-08"),
        Column("mental_risk_grade", ("精神病人风险等级", "肇事肇祸风险等级")),
        Column("guardian_name", ("监护人", "监护人姓名")),
        Column("guardian_phone", ("监护人电话", "监护人联系电话")),
        LEVEL,
        Column("summary", (*SUMMARY_TITLES, "风险问题", "现实表现")),
        OFFICER, TEAM_LEADER, LEADER,
        Column("status", ("列管状态", "状态", "人员状态", "处置进度")),
        Column("delisted_on", ("撤销列管日期", "撤管日期", "撤销日期", "撤销列管时间")),
        Column("delist_reason", ("撤销列管理由", "撤管理由", "撤销原因", "评估意见")),
        DUE,
    ),
}


def _spec(module: Module, col: Column) -> FieldSpec:
    """A ledger column with the domain's label and kind of its field (KeyError: not a field of
    the module, which tests/unit/test_ledger_fields.py rules out)."""
    field = record_fields(module)[col.key]
    return FieldSpec(col.key, field_label(col.key, 0, module.value), field_label(col.key, 1, module.value),
                     field.kind, col.titles, col.required, col.example)


FIELDS: dict[Module, tuple[FieldSpec, ...]] = {m: tuple(_spec(m, c) for c in cols) for m, cols in COLUMNS.items()}


def field_specs(module: Module) -> dict[str, FieldSpec]:
    return {f.key: f for f in FIELDS[module]}


def key_field(module: Module) -> str:
    """The column a record is matched on when the same ledger comes in again."""
    return {Module.CASE: "case_no", Module.DISPUTE: "dispute_no", Module.PERSON: "id_number"}[module]


# -- titles ----------------------------------------------------------------------------------------
_TITLE_NOISE = re.compile(r"[\s\*＊:：]|（[^）]*）$|\([^)]*\)$")


def normalise_title(value: object) -> str:
    """'受案\n日期（必填）*' → '受案日期': titles compare without spaces, stars and trailing notes."""
    text = "" if value is None else str(value)
    text = _TITLE_NOISE.sub("", text.strip())
    return _TITLE_NOISE.sub("", text)


def title_matches(module: Module) -> dict[str, tuple[str, int]]:
    """normalised title → (field, rank): a lower rank is a more specific title."""
    out: dict[str, tuple[str, int]] = {}
    for spec in FIELDS[module]:
        for rank, title in enumerate(spec.titles):
            out.setdefault(normalise_title(title), (spec.key, rank))
    return out


# -- built-in values -----------------------------------------------------------------------------
def _names(table: dict, *extra: tuple[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, names in table.items():
        out[code] = code
        out[names[0]] = code
        out[names[1].lower()] = code
    out.update(dict(extra))
    return out


LEVEL_VALUES = {**{lv.value: lv.value for lv in LEVEL_NAMES},
                **{names[0]: lv.value for lv, names in LEVEL_NAMES.items()},
                **{names[0][0]: lv.value for lv, names in LEVEL_NAMES.items()},
                **{names[0] + "预警": lv.value for lv, names in LEVEL_NAMES.items()},
                **{names[0][0] + "色等级": lv.value for lv, names in LEVEL_NAMES.items()}}

BUILTIN_VALUES: dict[Module, dict[str, dict[str, str]]] = {
    Module.CASE: {
        "kind": _names(CASE_KIND_NAMES, ("刑事案件", "criminal"), ("行政案件", "administrative")),
    },
    Module.DISPUTE: {
        "category": _names(DISPUTE_CATEGORY_NAMES, ("公安主责", "police_primary"), ("非公安主责", "non_police"),
                           ("救助警情", "assistance")),
        "source": _names(DISPUTE_SOURCE_NAMES, ("110接警", "110"), ("走访", "visit"), ("来所", "walk_in"),
                         ("移交", "referral")),
        "focus_area": _names(FOCUS_AREA_NAMES, ("邻里", "neighbour"), ("物业", "property"), ("医患", "medical"),
                             ("欠薪", "wages"), ("讨薪", "wages"), ("新业态", "new_work"), ("邻里矛盾", "neighbour"),
                             ("邻里关系", "neighbour"), ("婚姻家庭纠纷", "family"), ("婚恋家庭", "family"),
                             ("家庭矛盾", "family"), ("婚姻家庭矛盾", "family"), ("家庭纠纷", "family"),
                             ("医疗纠纷", "medical"), ("劳资纠纷", "wages"), ("欠薪", "wages"), ("拖欠工资", "wages"),
                             ("物业管理", "property"), ("物业矛盾", "property"), ("土地纠纷", "land"),
                             ("房屋纠纷", "land"), ("土地房屋纠纷", "land"), ("新业态劳动纠纷", "new_work")),
        "satisfaction": _names(SATISFACTION_NAMES, ("是", "satisfied"), ("否", "unsatisfied")),
    },
    Module.PERSON: {
        "risk_categories": {**{code: code for code in PERSON_RISK_CATEGORIES},
                            **{v[0]: code for code, v in PERSON_RISK_CATEGORIES.items()},
                            "涉退": "veterans", "涉众": "mass_involvement", "五失": "five_losses",
                            "一般": "ordinary", "非访重点": "key_petitioner"},
        "sex": {"男": "M", "女": "F", "男性": "M", "女性": "F", "M": "M", "F": "F"},
    },
}
#: The app's own status words and their common synonyms, known without a mapping. "closed" is
#: 已办结 for a case, 已化解 for a dispute and 撤销列管 for a key person; "converted" is a dispute
#: that became a case (转案件).
_OPEN_WORDS = ("在办", "未结", "未办结", "办理中", "正在办理", "侦办中", "在侦", "待化解", "未化解", "化解中", "调解中",
               "正在调解", "跟进中", "处置中", "未完成", "open")
_CLOSED_WORDS = ("已办结", "已结", "办结", "已结案", "结案", "已完成", "完成", "已处置", "处置完毕", "已破案", "已化解", "化解",
                 "已调解", "调解成功", "化解成功", "已解决", "已调处", "调处成功", "已息诉", "closed")
_DELISTED_WORDS = ("撤销列管", "已撤销列管", "撤管", "已撤管", "解除列管", "已解除列管", "撤销管控")
_CONVERTED_WORDS = ("转案件", "已转案件", "转为案件", "已转为案件", "转刑事案件", "转行政案件", "转立案", "转案", "已转案",
                    "converted")
STATUS_VALUES = {**{w: "open" for w in _OPEN_WORDS}, **{w: "closed" for w in _CLOSED_WORDS}}
PERSON_STATUS_VALUES = {**{w: "open" for w in ("在管", "列管", "在控", "管控中", "open", "在办")},
                        **{w: "closed" for w in (*_DELISTED_WORDS, "closed")}}
DISPUTE_STATUS_VALUES = {**STATUS_VALUES, **{w: "converted" for w in _CONVERTED_WORDS}}
#: What a value of each choice field may be mapped to, for the wizard's drop-downs and for checks.
STATUS_TARGETS = {"open": ("在办（未结）", "open"), "closed": ("已办结/已化解", "closed")}
_STATUS_LABELS = {
    Module.CASE: {"open": "在办（未结）", "closed": "已办结"},
    Module.DISPUTE: {"open": "在办（未结）", "closed": "已化解", "converted": "转案件"},
    Module.PERSON: {"open": "在管", "closed": "撤销列管"},
}


def builtin_values(module: Module, field: str) -> dict[str, str]:
    if field == "level":
        return LEVEL_VALUES
    if field == "status":
        return {Module.DISPUTE: DISPUTE_STATUS_VALUES, Module.PERSON: PERSON_STATUS_VALUES}.get(module, STATUS_VALUES)
    if field == "case_kind":
        return BUILTIN_VALUES[Module.CASE]["kind"]
    return BUILTIN_VALUES[module].get(field, {})


def value_targets(module: Module, field: str) -> dict[str, str]:
    """code → Chinese label of everything a value of `field` may be mapped to (choice-like fields)."""
    if field == "level":
        return {lv.value: names[0] for lv, names in LEVEL_NAMES.items()}
    if field == "status":
        return dict(_STATUS_LABELS[module])
    tables = {("case", "kind"): CASE_KIND_NAMES, ("dispute", "category"): DISPUTE_CATEGORY_NAMES,
              ("dispute", "source"): DISPUTE_SOURCE_NAMES, ("dispute", "focus_area"): FOCUS_AREA_NAMES,
              ("dispute", "satisfaction"): SATISFACTION_NAMES, ("dispute", "case_kind"): CASE_KIND_NAMES}
    if (module.value, field) in tables:
        return {k: v[0] for k, v in tables[(module.value, field)].items()}
    if field == "risk_categories":
        return {k: v[0] for k, v in PERSON_RISK_CATEGORIES.items()}
    if field == "sex":
        return {"M": "男", "F": "女"}
    return {}


def mappable_fields(module: Module) -> list[str]:
    """Fields whose values are codes from a closed list (and so may need a value mapping)."""
    return [f.key for f in FIELDS[module] if value_targets(module, f.key)]
