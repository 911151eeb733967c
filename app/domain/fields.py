"""What each stored field and each audited action is called, in Chinese and English."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.levels import (
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    DISPUTE_SOURCE_NAMES,
    FOCUS_AREA_NAMES,
    SATISFACTION_NAMES,
    Level,
    Module,
)
from app.errors import ValidationError

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "id": ("内部编号", "Internal id"), "uuid": ("唯一标识", "UUID"), "level": ("预警等级", "Level"),
    "status": ("状态", "Status"), "summary": ("简要情况", "Summary"), "created_at": ("录入时间", "Created"),
    "updated_at": ("更新时间", "Updated"), "level_changed_at": ("等级变更时间", "Level changed"),
    "last_activity_on": ("最近工作日期", "Last activity"), "next_due": ("下次跟进", "Next follow-up"),
    "voided_at": ("作废时间", "Voided at"), "void_reason": ("作废理由", "Void reason"),
    "station_id": ("派出所", "Station"), "team_id": ("所属队组", "Team"), "leader_id": ("包案所领导", "Station leader"),
    "team_leader_id": ("队长", "Team leader"), "officer_id": ("责任民警", "Officer"),
    "case_no": ("案件编号", "Case number"), "kind": ("案件类型", "Case type"), "category": ("类别", "Category"),
    "cause": ("案由", "Cause"), "place": ("地点", "Place"), "accepted_on": ("受案日期", "Accepted"),
    "filed_on": ("立案日期", "Filed"), "solved_on": ("破案日期", "Solved"), "closed_on": ("办结日期", "Closed"),
    "source_dispute_id": ("来源纠纷", "Source dispute"), "dispute_no": ("纠纷编号", "Dispute number"),
    "source": ("来源", "Source"), "focus_area": ("重点领域", "Focus area"), "parties": ("当事人", "Parties"),
    "community": ("社区", "Community"), "found_on": ("发现日期", "Found"), "resolved_on": ("化解日期", "Resolved"),
    "outcome": ("结果", "Outcome"), "satisfaction": ("回访满意度", "Satisfaction"),
    "followed_up_on": ("回访日期", "Followed up"), "converted_case_id": ("转为案件", "Converted to case"),
    "converted_at": ("转案时间", "Converted at"), "name": ("姓名", "Name"), "id_number": ("身份证号", "ID number"),
    "sex": ("性别", "Sex"), "birth_date": ("出生日期", "Birth date"), "phone": ("联系电话", "Phone"),
    "address": ("现住址", "Address"), "grid": ("网格", "Grid"), "risk_categories": ("人员类别", "Risk categories"),
    "control_plan": ("管控方案", "Control plan"), "mental_risk_grade": ("精神病人风险等级", "Mental-illness risk grade"),
    "guardian_name": ("监护人", "Guardian"), "guardian_phone": ("监护人电话", "Guardian phone"),
    "skynet": ("天网布控", "Camera watch-list"), "listed_on": ("列管日期", "Listed"),
    "delisted_on": ("撤销列管日期", "De-listed"), "delist_reason": ("撤销列管评估", "De-listing assessment"),
    "module": ("模块", "Module"), "record_id": ("记录", "Record"), "from_level": ("原等级", "From level"),
    "to_level": ("新等级", "To level"), "changed_at": ("变更时间", "Changed at"), "reason": ("理由", "Reason"),
    "content": ("工作内容", "Content"), "acted_at": ("工作时间", "Acted at"), "recorded_at": ("登记时间", "Recorded at"),
    "username": ("用户名", "User name"), "display_name": ("显示名", "Display name"), "role": ("角色", "Role"),
    "active": ("启用", "Active"), "last_login_at": ("最近登录", "Last log-in"), "person_id": ("人员", "Person"),
    "duty": ("分工", "Duty"), "key": ("设置项", "Setting"), "value": ("值", "Value"),
    "auxiliary": ("辅警", "Assisting staff"), "must_change_password": ("须修改初始密码", "One-time password"),
    "control_status": ("管控状态", "Control status"), "handover_department": ("移交部门", "Handed over to"),
    "handover_on": ("移交日期", "Handed over"), "answer_due": ("答复期限", "Answer due"),
    "answer": ("部门答复", "Department's answer"), "answered_on": ("答复日期", "Answered"),
    "followup_due": ("回访期限", "Follow-up due"),
    # the seed's workflows (110 alerts, 串并侦查, 融调化解, 在管在控, 风险评估)
    "alert_no": ("警情编号", "Alert number"), "caller": ("报警人", "Caller"), "caller_phone": ("报警电话", "Caller's phone"),
    "received_at": ("接警时间", "Received at"), "imported_at": ("导入时间", "Imported at"),
    "dispute_id": ("纠纷", "Dispute"), "case_id": ("案件", "Case"), "series_id": ("串并案", "Series"),
    "features": ("共同特征", "Common features"), "lead_officer_id": ("主办民警", "Lead officer"),
    "solved_note": ("告破说明", "Note on solving"), "checked_at": ("核查时间", "Checked at"),
    "agreement": ("调解协议", "Agreement"), "body_id": ("调解组织", "Mediation body"),
    "held_on": ("调解日期", "Mediated on"), "mediator": ("调解员", "Mediator"), "result": ("结果", "Result"),
    "contact": ("联系方式", "Contact"), "occurred_on": ("发生日期", "Occurred on"), "tier": ("级别", "Tier"),
    "assessed_at": ("评估时间", "Assessed at"), "categories": ("人员类别", "Categories"),
    "confirmed_level": ("确认等级", "Confirmed level"), "note": ("备注", "Note"),
    "override_reason": ("调整理由", "Reason for the override"), "petition_tier": ("非访级别", "Petition tier"),
    "proposed_level": ("建议等级", "Proposed level"), "proposed_reason": ("建议理由", "Reason proposed"),
    "added_at": ("加入时间", "Added at"),
    # the organisation, suggestions and the branch office's bookkeeping
    "badge_no": ("警号", "Badge number"), "branch_name": ("所属分局", "Branch office"), "code": ("代码", "Code"),
    "is_demo": ("演示数据", "Demo data"), "decided_at": ("处理时间", "Decided at"), "decision": ("处理结果", "Decision"),
    "detail": ("详情", "Detail"), "other_module": ("关联模块", "Other module"),
    "other_record_id": ("关联记录", "Other record"), "private_key": ("私钥", "Private key"),
    "public_key": ("公钥", "Public key"), "box_key": ("加密公钥", "Encryption key"), "sign_key": ("签名公钥", "Signing key"),
    "revoked_at": ("吊销时间", "Revoked at"), "local_id": ("本地编号", "Local id"), "seq": ("序号", "Sequence"),
    "station_uuid": ("派出所标识", "Station UUID"), "export_id": ("导出编号", "Export id"),
    "base_seq": ("起始序号", "Base sequence"), "audit_seq": ("审计序号", "Audit sequence"),
    "audit_hash": ("审计链哈希", "Audit hash"), "counts": ("数量", "Counts"), "digests": ("摘要", "Digests"),
    "marks": ("标记", "Marks"), "path": ("文件路径", "File path"), "sha256": ("SHA-256", "SHA-256"),
    "size": ("大小", "Size"), "state": ("状态", "State"), "window_from": ("起始时间", "From"),
    "window_to": ("截止时间", "To"), "acknowledged_at": ("回执时间", "Acknowledged at"),
    "receipt_status": ("回执状态", "Receipt status"), "receipt_reason": ("回执原因", "Receipt reason"),
    "applied_at": ("应用时间", "Applied at"), "skipped": ("跳过", "Skipped"),
    "removed_at": ("移出时间", "Removed at"), "removed_by_id": ("移出人", "Removed by"),
    "removed_reason": ("移出原因", "Reason for removal"), "group_key": ("归并依据", "Grouped by"),
    # what a record is entered with beyond its stored columns (a ledger row: MORE_FIELDS below)
    "due_on": ("整改期限", "Deadline"), "case_kind": ("转案案件类别", "Converted case kind"),
    "converted_on": ("转案日期", "Converted on"),
}
#: The people responsible, entered by name: the same fields as the record's officer ids.
FIELD_NAMES.update({"officer": FIELD_NAMES["officer_id"], "team_leader": FIELD_NAMES["team_leader_id"],
                    "leader": FIELD_NAMES["leader_id"]})

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "create_case": ("新建案件", "create case"), "create_dispute": ("新建纠纷", "create dispute"),
    "create_person": ("新建重点人员", "create key person"), "change_level": ("变更等级", "change level"),
    "log_action": ("登记工作", "log action"), "record_followup": ("跟踪回访", "follow-up"),
    "convert_dispute": ("纠纷转案件", "convert dispute"), "void_record": ("作废", "void"),
    "link_person": ("关联人员", "link person"), "mark_case_solved": ("登记破案", "mark case solved"), "set_cadence": ("修改跟进周期", "set cadence"),
    "init": ("新建数据库", "create database"), "add_account": ("新建账户", "add account"),
    "change_password": ("修改密码", "change password"), "login": ("登录", "log in"),
    "unlock": ("解锁", "unlock"), "unlock_failed": ("解锁失败", "unlock failed"), "restore": ("从备份恢复", "restore"),
    "export_audit": ("导出审计日志", "export audit trail"), "generate_demo": ("生成演示数据", "generate demo"),
    "create": ("新建", "create"), "edit": ("修改", "edit"), "delete": ("删除", "delete"),
    "update_station": ("修改派出所信息", "change station details"), "add_team": ("新建队组", "add team"),
    "rename_team": ("队组改名", "rename team"), "retire_team": ("撤销队组", "retire team"),
    "add_officer": ("添加人员", "add person"), "move_officer": ("调整队组", "move person"),
    "retire_officer": ("人员离岗", "person leaves"), "reassign": ("移交记录", "hand over record"),
    "roster_import": ("导入花名册", "import roster"), "disable_account": ("停用账户", "disable account"),
    "enable_account": ("启用账户", "enable account"), "reset_password": ("重置密码", "reset password"),
    "unlock_account": ("解除锁定", "lift lock-out"), "set_idle_minutes": ("修改自动锁定时间", "set idle lock"),
    "set_backup_folder": ("修改备份文件夹", "set backup folder"), "save_settings": ("保存系统设置", "save settings"), "logout": ("注销", "log out"),
    "record_check": ("登记管控核查", "record a control check"), "set_control_status": ("变更管控状态", "change control status"),
    "record_person_event": ("登记失控非访滋事", "record a person event"), "assess_risk": ("风险评估", "assess risk"),
    "export_watch_list": ("导出天网布控名单", "export the watch list"), "add_mediation_body": ("添加调解组织", "add mediation body"),
    "set_mediation_body_active": ("停用/启用调解组织", "retire or restore a mediation body"),
    "record_mediation": ("登记调解", "record mediation"), "hand_over": ("移交部门", "hand over"),
    "record_answer": ("登记部门答复", "record the answer"), "create_series": ("新建串并案", "create series"),
    "add_to_series": ("加入串并案", "add to series"), "update_series": ("修改串并案", "change series"),
    "mark_series_solved": ("串并案告破", "mark series solved"), "import_alerts": ("导入110警情", "import 110 alerts"),
    "alert_to_dispute": ("警情转纠纷", "alert to dispute"),
    "remove_from_series": ("移出串并案", "take out of a series"),
    "edit_record": ("修改记录", "edit record"), "set_check_cadence": ("修改核查周期", "set check cadence"),
    "save_ledger_mapping": ("保存台账对照", "save ledger mapping"), "import_ledger": ("导入台账", "import ledger"),
    "briefing_shown": ("展示晨会大屏", "show the briefing"), "export": ("导出数据包", "export package"),
    "export_written": ("数据包已写出", "package written"), "export_failed": ("导出失败", "export failed"),
    "receipt": ("登记回执", "record receipt"), "import": ("导入数据包", "import package"),
    "create_signing_key": ("生成签名密钥", "create signing key"), "register_branch": ("登记分局", "register branch"),
    "trust_station": ("信任派出所", "trust station"), "revoke_station": ("撤销信任", "revoke station"),
    "branch_init": ("新建分局数据库", "create branch database"),
    "moved_to_server": ("迁移到服务器", "moved to the server"),
    "rebuild_daily_counts": ("重建每日汇总", "rebuild daily summary"),
}


#: Labels that depend on the module: no two fields of one record share a label.
MODULE_FIELD_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("case", "category"): ("案别", "Case category"), ("dispute", "category"): ("纠纷类别", "Dispute category"),
    ("case", "place"): ("发案地点", "Place of the offence"), ("dispute", "place"): ("纠纷地点", "Place"),
    ("case", "outcome"): ("办结情况", "Conclusion"), ("dispute", "outcome"): ("调解结果", "Mediation outcome"),
    ("action", "kind"): ("工作类型", "Action kind"),
    ("level_change", "officer_id"): ("变更人", "Changed by"), ("action", "officer_id"): ("经办人", "Done by"),
    ("control_check", "kind"): ("核查方式", "Kind of check"), ("person_event", "kind"): ("事件类型", "Event kind"),
    ("mediation_body", "kind"): ("组织类型", "Kind of body"), ("mediation_body", "name"): ("组织名称", "Body"),
    ("case_series", "name"): ("串并案名称", "Series name"), ("team", "name"): ("队组名称", "Team name"),
    ("station", "name"): ("派出所名称", "Station name"), ("station", "code"): ("派出所代码", "Station code"),
    ("control_check", "officer_id"): ("核查民警", "Checked by"), ("mediation", "officer_id"): ("经办人", "Done by"),
    ("dispute", "case_no"): ("转案案件编号", "Converted case number"),
}
#: What the audit trail's module codes (table names) are called.
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "case": ("案件", "Case"), "dispute": ("矛盾纠纷", "Dispute"), "person": ("重点人员", "Key person"),
    "level_change": ("等级变更", "Level change"), "action": ("工作记录", "Action"), "account": ("账户", "Account"),
    "officer": ("民警", "Officer"), "team": ("队组", "Team"), "station": ("派出所", "Station"),
    "setting": ("设置", "Setting"), "person_link": ("人员关联", "Person link"),
    "dedicated_member": ("专班成员", "Dedicated-team member"), "suggestion": ("比对提示", "Suggestion"),
    "import_ledger": ("台账导入", "Ledger import"), "sync_record": ("同步记录", "Sync record"),
    "export_log": ("导出记录", "Export log"), "trusted_station": ("受信任派出所", "Trusted station"),
    "sync_key": ("同步密钥", "Sync key"), "sync_peer": ("同步对端", "Sync peer"),
    "station_audit": ("派出所审计", "Station audit"),
    "control_check": ("管控核查", "Control check"), "person_event": ("失控非访滋事事件", "Person event"),
    "risk_assessment": ("风险评估", "Risk assessment"), "mediation_body": ("调解组织", "Mediation body"),
    "mediation": ("调解", "Mediation"), "case_series": ("串并案", "Case series"),
    "series_member": ("串并案件", "Series member"), "alert": ("110警情", "110 alert"),
}


def field_label(key: str, lang: int = 0, module: str | None = None) -> str:
    pair = MODULE_FIELD_NAMES.get((str(module or ""), key)) or FIELD_NAMES.get(key)
    return pair[lang] if pair else key


def table_label(code: str, lang: int = 0) -> str:
    """'level_change' → '等级变更': an audit entry's module in words."""
    return TABLE_NAMES.get(code, (code, code))[lang] if code else ""


def role_label(code: str, lang: int = 0) -> str:
    """'leader' → '所领导' (accounts add 系统管理员 and 分局研判员; 'system' is the program itself)."""
    from app.domain.permissions import ROLE_LABELS

    return ROLE_LABELS.get(code, {"system": ("系统", "System")}.get(code, (code, code)))[lang] if code else ""


#: Fields that hold an officer's id: shown as the officer's name when the names are given.
OFFICER_FIELDS = ("officer_id", "team_leader_id", "leader_id")


def value_label(key: str, value: Any, lang: int = 0, module: str | None = None,
                names: dict[int, str] | None = None) -> str:
    """A stored value in words: codes become their names (red → 红色, leader → 所领导), flags 是/否,
    a key person's status 在管 / 撤销列管; anything else as it is. None and '' are （空）."""
    from app.domain import levels as L
    from app.domain.permissions import ROLE_LABELS

    if value is None or value == "":
        return "（空）" if lang == 0 else "(empty)"
    if isinstance(value, bool):
        return ("是", "Yes")[lang] if value else ("否", "No")[lang]
    if names and key in OFFICER_FIELDS and value in names:
        return names[value]
    text = str(value)
    if len(text) == 19 and text[10] == "T" and text[4] == "-":  # an ISO timestamp
        return text.replace("T", " ")
    if key in ("level", "from_level", "to_level") and text in {lv.value for lv in L.Level}:
        return L.LEVEL_NAMES[L.Level(text)][lang]
    if key == "status":
        return L.status_name(module if module in {m.value for m in L.Module} else "", text, lang)
    if key == "risk_categories":
        return ("、" if lang == 0 else ", ").join(L.PERSON_RISK_CATEGORIES.get(c, (c, c))[lang]
                                                 for c in text.split(",") if c)
    if key == "module" and text in TABLE_NAMES:
        return table_label(text, lang)
    if key == "kind" and module == "action":
        return L.ACTION_KIND_NAMES.get(text, (text, text))[lang]
    if key == "category" and module == "dispute":
        return L.DISPUTE_CATEGORY_NAMES.get(text, (text, text))[lang]
    codes = {"kind": L.CASE_KIND_NAMES, "source": L.DISPUTE_SOURCE_NAMES, "focus_area": L.FOCUS_AREA_NAMES,
             "satisfaction": L.SATISFACTION_NAMES, "role": ROLE_LABELS, "sex": {"M": ("男", "Male"), "F": ("女", "Female")},
             "skynet": {"1": ("是", "Yes"), "0": ("否", "No")}, "active": {"1": ("是", "Yes"), "0": ("否", "No")}}
    coded = codes.get(key)
    if coded is not None and text in coded:
        return coded[text][lang]
    if key == "outcome" and module == "level_change" and text in ("voided", "converted"):
        return {"voided": ("作废", "voided"), "converted": ("转案件", "converted")}[text][lang]
    return text


def describe_changes(detail: dict[str, Any], lang: int = 0, module: str | None = None, created: bool = False,
                     names: dict[int, str] | None = None) -> str:
    """An audit entry's before → after, in words: '预警等级：红色 → 黄色；理由：…'. A new row
    (`created`) lists its values alone; `names` turns officer ids into names."""
    colon = "：" if lang == 0 else ": "
    parts = []
    for key, v in detail.items():
        label = field_label(key, lang, module)
        if isinstance(v, list) and len(v) == 2:
            after = value_label(key, v[1], lang, module, names)
            if created and v[0] in (None, ""):
                parts.append(f"{label}{colon}{after}")
            else:
                parts.append(f"{label}{colon}{value_label(key, v[0], lang, module, names)} → {after}")
        else:
            parts.append(f"{label}{colon}{value_label(key, v, lang, module, names)}")
    return ("；" if lang == 0 else "; ").join(parts)


def action_label(action: str, lang: int = 0) -> str:
    """'change_level:edit' → '变更等级（修改）'."""
    head, _, kind = action.partition(":")
    name = ACTION_NAMES.get(head, (head, head))[lang]
    if kind:
        return f"{name}（{ACTION_NAMES.get(kind, (kind, kind))[lang]}）" if lang == 0 else f"{name} ({kind})"
    return name


# -- the fields of a record: one definition read by the forms, the services and the ledger --------
@dataclass(frozen=True)
class RecordField:
    """One field of a case, dispute or key person as a person fills it in. Its label is
    field_label(key, lang, module); `kind` is what it holds, which tells the form and the ledger
    import how to read it (text, long, code, date, choice, id, phone, level, grade, risks, check,
    and in MORE_FIELDS officer, status, sex); `choices` are the codes a choice allows; `required`
    fields are always needed, the level-dependent ones are in required_fields."""

    key: str
    kind: str = "text"
    choices: Mapping[str, Any] | None = None
    required: bool = False


RECORD_FIELDS: dict[Module, tuple[RecordField, ...]] = {
    Module.CASE: (
        RecordField("case_no", "code", required=True), RecordField("kind", "choice", CASE_KIND_NAMES, True),
        RecordField("level", "level"), RecordField("accepted_on", "date", required=True), RecordField("category"),
        RecordField("cause"), RecordField("place"), RecordField("filed_on", "date"), RecordField("solved_on", "date"),
        RecordField("closed_on", "date"), RecordField("summary", "long"),
    ),
    Module.DISPUTE: (
        RecordField("dispute_no", "code", required=True),
        RecordField("category", "choice", DISPUTE_CATEGORY_NAMES, True),
        RecordField("source", "choice", DISPUTE_SOURCE_NAMES, True),
        RecordField("focus_area", "choice", FOCUS_AREA_NAMES), RecordField("level", "level"),
        RecordField("found_on", "date", required=True), RecordField("parties", required=True), RecordField("place"),
        RecordField("community"), RecordField("resolved_on", "date"), RecordField("outcome", "long"),
        RecordField("summary", "long"),
    ),
    Module.PERSON: (
        RecordField("name", required=True), RecordField("id_number", "id"), RecordField("level", "level"),
        RecordField("listed_on", "date", required=True), RecordField("phone", "phone"), RecordField("address"),
        RecordField("community"), RecordField("grid"), RecordField("risk_categories", "risks"),
        RecordField("mental_risk_grade", "grade"), RecordField("guardian_name"),
        RecordField("guardian_phone", "phone"), RecordField("skynet", "check"),
        RecordField("control_plan", "long"), RecordField("summary", "long"),
    ),
}

_RESPONSIBLE = (RecordField("officer", "officer"), RecordField("team_leader", "officer"),
                RecordField("leader", "officer"), RecordField("status", "status"), RecordField("due_on", "date"))
#: The fields a record is entered with that its form does not show (the people responsible by
#: name, its status, a deadline, what a converted dispute became, a person's sex and birth date
#: and de-listing): a ledger row carries them (app/ledger/fields.py).
MORE_FIELDS: dict[Module, tuple[RecordField, ...]] = {
    Module.CASE: _RESPONSIBLE,
    Module.DISPUTE: (RecordField("satisfaction", "choice", SATISFACTION_NAMES), *_RESPONSIBLE,
                     RecordField("case_no", "code"), RecordField("case_kind", "choice", CASE_KIND_NAMES),
                     RecordField("converted_on", "date")),
    Module.PERSON: (RecordField("sex", "sex"), RecordField("birth_date", "date"), *_RESPONSIBLE,
                    RecordField("delisted_on", "date"), RecordField("delist_reason", "long")),
}


def record_fields(module: Module) -> dict[str, RecordField]:
    """Every field of a `module` record, the form's and MORE_FIELDS, by key."""
    return {f.key: f for f in (*RECORD_FIELDS[module], *MORE_FIELDS[module])}


#: Fields a level makes required (the closed loop's rule): green closes with its date and
#: outcome, a red key person needs a control plan (一人一策).
REQUIRED_AT_LEVEL: dict[tuple[Module, Level], frozenset[str]] = {
    (Module.CASE, Level.GREEN): frozenset({"closed_on"}),
    (Module.DISPUTE, Level.GREEN): frozenset({"resolved_on", "outcome"}),
    (Module.PERSON, Level.RED): frozenset({"control_plan"}),
}
#: A mentally ill person of this risk grade or above needs a guardian.
GUARDIAN_FROM_GRADE = 3


def required_fields(module: Module, level: Level | str, values: Mapping[str, Any]) -> set[str]:
    """The fields a record of `module` at `level` needs, given the values so far: the form marks
    them and the services (app/services/records.py) refuse a record without them. `level` may be
    "" (no level chosen: an edit form, where the level changes on its own)."""
    need = {f.key for f in RECORD_FIELDS[module] if f.required}
    if str(getattr(level, "value", level)) in {lv.value for lv in Level}:  # "": no level chosen (an edit)
        need |= REQUIRED_AT_LEVEL.get((module, Level(level)), frozenset())
    if module == Module.PERSON:
        grade = values.get("mental_risk_grade")
        if grade is not None and grade >= GUARDIAN_FROM_GRADE:
            need.add("guardian_name")
    return need


def check_required(module: Module, level: Level | str, values: Mapping[str, Any]) -> None:
    """Refuse a record without a field required_fields names, naming the first one in form order
    (the services call it after their own checks, which word the common cases more precisely)."""
    need = required_fields(module, level, values)
    for f in RECORD_FIELDS[module]:
        if f.key not in need:
            continue
        v = values.get(f.key)
        if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, tuple, set)) and not v):
            zh, en = field_label(f.key, 0, module.value), field_label(f.key, 1, module.value)
            raise ValidationError(f"{zh}不能为空", f"{en} is required", f.key)


def field_values(module: Module, data: Any) -> dict[str, Any]:
    """The record fields of an input object (CaseInput, DisputeInput, PersonInput) by key."""
    return {f.key: getattr(data, f.key, None) for f in RECORD_FIELDS[module]}
