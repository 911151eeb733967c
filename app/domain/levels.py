"""The four warning levels, their meaning per module, and the codes of every closed list."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def rank(self) -> int:
        """Sort order for display: red first."""
        return LEVEL_ORDER.index(self)

    @property
    def zh(self) -> str:
        return LEVEL_NAMES[self][0]

    @property
    def en(self) -> str:
        return LEVEL_NAMES[self][1]


class Module(str, Enum):
    CASE = "case"
    DISPUTE = "dispute"
    PERSON = "person"

    @property
    def zh(self) -> str:
        return MODULE_NAMES[self][0]

    @property
    def en(self) -> str:
        return MODULE_NAMES[self][1]


LEVEL_ORDER = (Level.RED, Level.ORANGE, Level.YELLOW, Level.GREEN)
LEVEL_NAMES = {
    Level.RED: ("红色", "Red"),
    Level.ORANGE: ("橙色", "Orange"),
    Level.YELLOW: ("黄色", "Yellow"),
    Level.GREEN: ("绿色", "Green"),
}
MODULE_NAMES = {
    Module.CASE: ("案件", "Cases"),
    Module.DISPUTE: ("矛盾纠纷", "Disputes"),
    Module.PERSON: ("重点人员", "Key persons"),
}


@dataclass(frozen=True)
class LevelMeaning:
    zh: str
    en: str
    action_zh: str
    action_en: str


#: What each level means in each module (DOMAIN.md, from the seed document's own words).
MEANINGS: dict[Module, dict[Level, LevelMeaning]] = {
    Module.CASE: {
        Level.RED: LevelMeaning("有条件破案", "conditions exist to solve it", "全力侦破", "investigate as fast as possible"),
        Level.ORANGE: LevelMeaning("暂时没有条件破案", "no conditions to solve it yet", "串并侦查", "link with similar cases"),
        Level.YELLOW: LevelMeaning("取得初步战果", "initial results obtained", "持续深挖", "keep digging"),
        Level.GREEN: LevelMeaning("案件完全办结", "case fully concluded", "办结", "closed"),
    },
    Module.DISPUTE: {
        Level.RED: LevelMeaning("重大风险，可能民转刑、刑转命", "major risk: civil to criminal, criminal to killing",
                                "立即介入稳控", "intervene and stabilise at once"),
        Level.ORANGE: LevelMeaning("长期未化解，可能引发群体性事件或重大负面舆情",
                                   "long unresolved; may cause a mass incident or major negative opinion",
                                   "融调化解、重点跟进", "mediate together, follow closely"),
        Level.YELLOW: LevelMeaning("一般纠纷，无重大风险", "ordinary dispute with no major risk",
                                   "常规调处", "ordinary mediation"),
        Level.GREEN: LevelMeaning("调解完成", "mediation completed", "跟踪回访", "follow-up visit"),
    },
    Module.PERSON: {
        Level.RED: LevelMeaning("重大刑事前科、扬言极端、肇事肇祸精神病人、非访重点人员",
                                "serious record, threatens extreme acts, mentally ill who caused incidents, key petitioners",
                                "推送天网，24小时管控", "camera watch-list, 24-hour control"),
        Level.ORANGE: LevelMeaning("涉退、涉众群体，五失人员", "ex-servicemen and mass-involvement groups, the five losses",
                                   "重点稳控", "close stabilisation work"),
        Level.YELLOW: LevelMeaning("一般重点人员", "ordinary key person", "常规管控", "ordinary control"),
        Level.GREEN: LevelMeaning("经评估无现实危险或符合撤销列管条件", "no present danger, or may be de-listed",
                                  "撤销列管或动态关注", "de-list or keep watching"),
    },
}

#: Days between follow-ups per level; "overdue" is computed from these (configurable per station).
DEFAULT_CADENCE_DAYS = {Level.RED: 7, Level.ORANGE: 14, Level.YELLOW: 30, Level.GREEN: None}

ROLE_NAMES = {
    "leader": ("所领导", "Station leader"),
    "team_leader": ("队长", "Team leader"),
    "officer": ("民警", "Officer"),
}

CASE_KIND_NAMES = {"criminal": ("刑事", "Criminal"), "administrative": ("行政", "Administrative")}
DISPUTE_CATEGORY_NAMES = {
    "police_primary": ("公安主责类", "Police primary responsibility"),
    "non_police": ("非公安主责类", "Not police responsibility"),
    "assistance": ("重要救助警情", "Important assistance call"),
}
DISPUTE_SOURCE_NAMES = {
    "110": ("110警情", "110 call"),
    "visit": ("走访排查", "Door-to-door visit"),
    "walk_in": ("来所反映", "Walk-in"),
    "referral": ("部门移交", "Referral"),
}
FOCUS_AREA_NAMES = {
    "family": ("婚姻家庭", "Marriage and family"),
    "medical": ("医患纠纷", "Doctor-patient"),
    "wages": ("欠薪讨薪", "Unpaid wages"),
    "property": ("物业纠纷", "Property management"),
    "new_work": ("新业态劳动", "New forms of work"),
    "neighbour": ("邻里纠纷", "Neighbours"),
    "land": ("土地房屋", "Land and housing"),
    "other": ("其他", "Other"),
}
SATISFACTION_NAMES = {
    "satisfied": ("满意", "Satisfied"),
    "basic": ("基本满意", "Basically satisfied"),
    "unsatisfied": ("不满意", "Unsatisfied"),
}
#: Risk categories of key persons with the level they suggest (DOMAIN.md, module 3).
PERSON_RISK_CATEGORIES = {
    "serious_record": ("重大刑事前科", "Serious criminal record", Level.RED),
    "extreme_threat": ("扬言极端", "Threatens extreme acts", Level.RED),
    "mental_incident": ("肇事肇祸精神病人", "Mentally ill, caused incidents", Level.RED),
    "key_petitioner": ("非访重点人员", "Key petitioner", Level.RED),
    "veterans": ("涉退群体", "Ex-servicemen group", Level.ORANGE),
    "mass_involvement": ("涉众群体", "Mass-involvement group", Level.ORANGE),
    "five_losses": ("五失人员", "Five losses", Level.ORANGE),
    "ordinary": ("一般重点人员", "Ordinary key person", Level.YELLOW),
}
ACTION_KIND_NAMES = {
    "talk": ("见面谈话", "Face-to-face talk"),
    "visit": ("走访回访", "Visit"),
    "mediation": ("调解会", "Mediation session"),
    "investigation": ("侦查工作", "Investigation step"),
    "counselling": ("教育疏导", "Education and counselling"),
    "stabilise": ("思想稳控", "Stabilisation work"),
    "watch": ("专人盯控", "Dedicated watch"),
    "followup": ("跟踪回访", "Follow-up"),
    "other": ("其他", "Other"),
}
STATUS_NAMES = {
    "active": ("在办", "Active"),
    "closed": ("已办结", "Closed"),
    "converted": ("已转案件", "Converted to case"),
    "voided": ("已作废", "Voided"),
}
#: The status words of each module (a station's words): cases 在办 / 已办结, disputes 在办 /
#: 已化解 / 转案件, key persons 在管 / 撤销列管 (never 在办 / 已办结).
MODULE_STATUS_NAMES = {
    Module.CASE: STATUS_NAMES,
    Module.DISPUTE: {**STATUS_NAMES, "closed": ("已化解", "Resolved"), "converted": ("转案件", "Converted to case")},
    Module.PERSON: {**STATUS_NAMES, "active": ("在管", "Listed"), "closed": ("撤销列管", "De-listed")},
}


def status_name(module: "Module | str", code: str, lang: int = 0) -> str:
    """The word for a record's status in its module (在管 for a listed key person)."""
    names = MODULE_STATUS_NAMES.get(Module(module), STATUS_NAMES) if module else STATUS_NAMES
    return names.get(code, STATUS_NAMES.get(code, (code, code)))[lang]


def level_of(code: str) -> Level:
    try:
        return Level(code)
    except ValueError:
        from app.errors import ValidationError

        raise ValidationError(f"未知的预警等级：{code}", f"unknown level: {code}", "level") from None


def module_of(code: str) -> Module:
    try:
        return Module(code)
    except ValueError:
        from app.errors import ValidationError

        raise ValidationError(f"未知的模块：{code}", f"unknown module: {code}", "module") from None
