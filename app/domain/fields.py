"""What each stored field and each audited action is called, in Chinese and English."""
from __future__ import annotations

from typing import Any

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
}

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
    "set_backup_folder": ("修改备份文件夹", "set backup folder"), "logout": ("注销", "log out"),
    "record_check": ("登记管控核查", "record a control check"), "set_control_status": ("变更管控状态", "change control status"),
    "record_person_event": ("登记失控非访滋事", "record a person event"), "assess_risk": ("风险评估", "assess risk"),
    "export_watch_list": ("导出天网布控名单", "export the watch list"), "add_mediation_body": ("添加调解组织", "add mediation body"),
    "set_mediation_body_active": ("停用/启用调解组织", "retire or restore a mediation body"),
    "record_mediation": ("登记调解", "record mediation"), "hand_over": ("移交部门", "hand over"),
    "record_answer": ("登记部门答复", "record the answer"), "create_series": ("新建串并案", "create series"),
    "add_to_series": ("加入串并案", "add to series"), "update_series": ("修改串并案", "change series"),
    "mark_series_solved": ("串并案告破", "mark series solved"), "import_alerts": ("导入110警情", "import 110 alerts"),
    "alert_to_dispute": ("警情转纠纷", "alert to dispute"),
}


#: Labels that depend on the module: no two fields of one record share a label.
MODULE_FIELD_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("case", "category"): ("案别", "Case category"), ("dispute", "category"): ("纠纷类别", "Dispute category"),
    ("case", "place"): ("发案地点", "Place of the offence"), ("dispute", "place"): ("纠纷地点", "Place"),
    ("case", "outcome"): ("办结情况", "Conclusion"), ("dispute", "outcome"): ("调解结果", "Mediation outcome"),
    ("action", "kind"): ("工作类型", "Action kind"),
    ("level_change", "officer_id"): ("变更人", "Changed by"), ("action", "officer_id"): ("经办人", "Done by"),
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
