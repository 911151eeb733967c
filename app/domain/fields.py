"""What each stored field and each audited action is called, in Chinese and English."""
from __future__ import annotations

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "id": ("内部编号", "Internal id"), "uuid": ("唯一标识", "UUID"), "level": ("预警等级", "Level"),
    "status": ("状态", "Status"), "summary": ("简要情况", "Summary"), "created_at": ("录入时间", "Created"),
    "updated_at": ("更新时间", "Updated"), "level_changed_at": ("等级变更时间", "Level changed"),
    "last_activity_on": ("最近工作日期", "Last activity"), "next_due": ("下次跟进", "Next follow-up"),
    "voided_at": ("作废时间", "Voided at"), "void_reason": ("作废理由", "Void reason"),
    "station_id": ("派出所", "Station"), "team_id": ("所属队组", "Team"), "leader_id": ("包案所领导", "Station leader"),
    "team_leader_id": ("队长", "Team leader"), "officer_id": ("责任民警", "Officer"),
    "case_no": ("案件编号", "Case number"), "kind": ("类别", "Kind"), "category": ("类别", "Category"),
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
}


def field_label(key: str, lang: int = 0) -> str:
    pair = FIELD_NAMES.get(key)
    return pair[lang] if pair else key


def action_label(action: str, lang: int = 0) -> str:
    """'change_level:edit' → '变更等级（修改）'."""
    head, _, kind = action.partition(":")
    name = ACTION_NAMES.get(head, (head, head))[lang]
    if kind:
        return f"{name}（{ACTION_NAMES.get(kind, (kind, kind))[lang]}）" if lang == 0 else f"{name} ({kind})"
    return name
