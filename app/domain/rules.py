"""The closed loop: who may change what, what each change requires, and when follow-up is due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.levels import DEFAULT_CADENCE_DAYS, Level, Module, level_of
from app.errors import PermissionDenied, RuleViolation, ValidationError

LEADER_ROLES = ("leader",)


@dataclass(frozen=True)
class Actor:
    """The person acting: every change is attributed to one."""

    officer_id: int | None
    name: str
    role: str  # leader / team_leader / officer (accounts add admin and analyst)
    station_id: int | None = None
    team_id: int | None = None
    account: str = ""

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES


def require_text(value: str | None, zh_name: str, en_name: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{zh_name}不能为空", f"{en_name} is required", field)
    return text


def check_level_change(module: Module, current: Level, status: str, target: str, reason: str | None,
                       outcome: str | None, actor: Actor) -> tuple[Level, str, str]:
    """Validate a level change; return (target level, reason, outcome) or raise naming the fault.

    A reason is always required. Green requires the closing outcome (case concluded, mediation
    done, de-listing assessment). Closing a red record or de-listing a key person (any move to
    green for a person) needs the station leader."""
    to = level_of(target)
    if status == "voided":
        raise RuleViolation("记录已作废，不能再变更等级", "the record is voided; its level cannot change", "level")
    if status == "converted":
        raise RuleViolation("纠纷已转为案件，请在案件中继续办理", "the dispute became a case; continue in the case",
                            "level")
    if to == current:
        raise ValidationError(f"等级已是{to.zh}", f"the level is already {to.en}", "level")
    why = require_text(reason, "变更理由", "a reason for the change", "reason")
    result = (outcome or "").strip()
    if to == Level.GREEN:
        if not result:
            names = {Module.CASE: ("办结情况", "the case conclusion"),
                     Module.DISPUTE: ("调解结果", "the mediation outcome"),
                     Module.PERSON: ("撤销列管评估意见", "the de-listing assessment")}[module]
            raise ValidationError(f"转为绿色须填写{names[0]}", f"green requires {names[1]}", "outcome")
        if current == Level.RED and not actor.is_leader:
            raise PermissionDenied("红色记录办结须由所领导审批", "closing a red record needs the station leader",
                                   "level")
        if module == Module.PERSON and not actor.is_leader:
            raise PermissionDenied("重点人员撤销列管须由所领导审批", "de-listing a key person needs the station leader",
                                   "level")
    return to, why, result


def status_for_level(level: Level) -> str:
    return "closed" if level == Level.GREEN else "active"


def cadence_days(level: Level, cadence: dict[Level, int | None] | None = None) -> int | None:
    return (cadence or DEFAULT_CADENCE_DAYS).get(level)


def next_due_date(level: Level, last_activity: date, explicit: date | None = None,
                  cadence: dict[Level, int | None] | None = None) -> date | None:
    """When the next follow-up is due: the date an officer set, else last activity + the cadence.
    Green records have no cadence and are never overdue."""
    if level == Level.GREEN:
        return None
    if explicit is not None:
        return explicit
    days = cadence_days(level, cadence)
    return None if days is None else last_activity + timedelta(days=days)


def is_overdue(next_due: date | None, status: str, today: date) -> bool:
    return status == "active" and next_due is not None and next_due < today
