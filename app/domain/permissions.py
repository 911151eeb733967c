"""Who may do what: one policy table, enforced in the services (deny by default)."""
from __future__ import annotations

from typing import Any

from app.errors import PermissionDenied

ROLES = ("admin", "leader", "team_leader", "officer", "analyst")
ROLE_LABELS = {
    "admin": ("系统管理员", "Administrator"),
    "leader": ("所领导", "Station leader"),
    "team_leader": ("队长", "Team leader"),
    "officer": ("民警", "Officer"),
    "analyst": ("分局研判员", "Branch analyst"),
}
POLICE = frozenset({"leader", "team_leader", "officer"})

#: action → roles allowed. Scope (own team) is checked apart, for team leaders and officers.
POLICY: dict[str, frozenset[str]] = {
    "create_record": POLICE,
    "edit_record": POLICE,
    "change_level": POLICE,
    "log_action": POLICE,
    "convert_dispute": POLICE,
    "link_person": POLICE,
    "void_record": POLICE,
    "mark_solved": POLICE,
    "close_red": frozenset({"leader"}),
    "delist_person": frozenset({"leader"}),
    "unmask": frozenset({"leader"}),
    "export": frozenset({"leader", "admin"}),
    "import": frozenset({"leader", "admin", "analyst"}),
    "manage_accounts": frozenset({"admin"}),
    "change_settings": frozenset({"admin", "leader"}),
    "backup": frozenset({"admin", "leader", "team_leader", "officer"}),
    "restore_backup": frozenset({"admin"}),
    "view_audit": frozenset({"admin", "leader"}),
    "read_records": frozenset({"admin", "leader", "team_leader", "officer", "analyst"}),
    # Sync keys and trust: who a station exports to, and whose packages a branch accepts.
    "station_key": frozenset({"leader", "admin"}),
    "register_branch": frozenset({"leader", "admin"}),
    "apply_receipt": frozenset({"leader", "admin"}),
    "manage_trust": frozenset({"admin"}),
    "manage_station": frozenset({"admin"}),
    "manage_org": frozenset({"admin"}),
    "change_own_password": frozenset({"admin", "leader", "team_leader", "officer", "analyst"}),
    "add_officer": frozenset({"admin", "leader"}),
    "save_ledger_mapping": POLICE,
    # The seed's working methods (在管在控, 风险评估, 融调化解, 串并侦查, 110 alerts).
    "control_check": POLICE,
    "person_event": POLICE,
    "assess_risk": POLICE,
    "watch_list": frozenset({"leader", "team_leader"}),
    "manage_mediation_bodies": frozenset({"admin", "leader"}),
    "mediate": POLICE,
    "hand_over": POLICE,
    "manage_series": POLICE,
    "import_alerts": POLICE,
    "alert_to_dispute": POLICE,
    "remove_series_member": frozenset({"leader", "team_leader"}),
    # "Since the last briefing" is the station's morning meeting: its police mark a showing;
    # the administrator and a branch analyst see the briefing without moving that mark.
    "briefing_shown": POLICE,
}
#: Actions limited to the actor's own team for these roles.
TEAM_SCOPED = {"team_leader", "officer"}
ACTION_LABELS = {
    "create_record": ("新建记录", "create records"), "edit_record": ("修改记录", "edit records"),
    "change_level": ("变更预警等级", "change levels"), "log_action": ("登记工作", "log actions"),
    "convert_dispute": ("纠纷转案件", "convert disputes"), "link_person": ("关联人员", "link persons"),
    "void_record": ("作废记录", "void records"),
    "mark_solved": ("登记破案", "mark cases solved"), "close_red": ("办结红色记录", "close red records"),
    "delist_person": ("撤销列管", "de-list key persons"), "unmask": ("查看完整个人信息", "unmask personal data"),
    "export": ("导出数据包", "export"), "import": ("导入数据包", "import"),
    "manage_accounts": ("管理账户", "manage accounts"), "change_settings": ("修改设置", "change settings"),
    "backup": ("备份", "back up"), "restore_backup": ("从备份恢复", "restore backups"),
    "view_audit": ("查看审计日志", "view the audit trail"), "read_records": ("查看记录", "read records"),
    "station_key": ("导出派出所公钥", "export the station key"),
    "register_branch": ("登记分局公钥", "register the branch key"),
    "apply_receipt": ("读取分局回执", "read branch receipts"),
    "manage_trust": ("管理派出所信任", "trust or revoke station keys"),
    "manage_station": ("修改派出所信息与系统设置", "change the station details and settings"),
    "manage_org": ("管理队组与民警", "manage teams and officers"),
    "change_own_password": ("修改本人密码", "change their own password"),
    "add_officer": ("添加民警到名单", "add officers to the roster"),
    "save_ledger_mapping": ("保存台账映射", "save ledger mappings"),
    "control_check": ("登记管控核查", "record control checks"),
    "person_event": ("登记失控、非访、滋事事件", "record loss-of-control, petition and trouble events"),
    "assess_risk": ("进行风险评估", "assess risks"),
    "watch_list": ("导出天网布控名单", "export the camera watch list"),
    "manage_mediation_bodies": ("管理调解组织", "manage mediation bodies"),
    "mediate": ("登记调解", "record mediations"),
    "hand_over": ("移交纠纷", "hand disputes over"),
    "manage_series": ("串并案件", "group cases into series"),
    "import_alerts": ("导入110警情", "import 110 alerts"),
    "alert_to_dispute": ("警情转纠纷", "turn alerts into disputes"),
    "remove_series_member": ("移出串并案", "take cases out of a series"),
    "briefing_shown": ("记录晨会大屏的展示时间", "mark the briefing as shown"),
}
#: Every command-line command → the action the policy table decides right after the log-in,
#: before the command changes anything. None: the command makes a new file (init, demo,
#: branch-init, ledger-template) or starts the window (which asks per action).
COMMAND_ACTIONS: dict[str, str | None] = {
    "gui": None, "init": None, "demo": None, "branch-init": None, "ledger-template": None,
    "check": "read_records", "stats": "read_records", "report": "read_records", "branch-status": "read_records",
    "backup": "backup", "backups": "backup", "restore": "restore_backup", "audit": "view_audit",
    "import-ledger": "create_record", "station-key": "station_key", "export": "export", "receipt": "apply_receipt",
    "trust-station": "manage_trust", "import": "import", "branch-receipt": "import",
    "station": "read_records", "team": "read_records", "officer": "read_records",
    "account": "manage_accounts", "passwd": "change_own_password", "roster": "manage_org",
    # A station server: the move logs in to the file as its administrator; the certificate and
    # the server's backups are the server owner's (PostgreSQL's own log-in is the gate).
    "server-move": "manage_station", "server-cert": None, "server-backup": None,
    "alerts-import": "import_alerts", "watchlist-export": "watch_list",
    "server-upgrade": None,
    # The branch's import service runs as the database's owner (PostgreSQL's log-in is the gate);
    # each request it answers is authorised for the account that asked.
    "branch-import-service": None,
}
#: Commands whose sub-commands differ: (command, sub-command) → the action that one needs
#: (the others keep the command's own, e.g. `team list` reads).
SUBCOMMAND_ACTIONS: dict[tuple[str, str], str] = {
    ("station", "set"): "manage_station",
    ("team", "add"): "manage_org", ("team", "rename"): "manage_org", ("team", "retire"): "manage_org",
    ("officer", "add"): "manage_org", ("officer", "move"): "manage_org", ("officer", "retire"): "manage_org",
}


def allowed(role: str, action: str) -> bool:
    return role in POLICY.get(action, frozenset())


def authorize(actor: Any, action: str, record: Any = None) -> None:
    """Raise PermissionDenied (saying why) unless the actor's role may do `action` on `record`."""
    role = str(getattr(actor, "role", None))
    zh_action, en_action = ACTION_LABELS.get(action, (action, action))
    if not allowed(role, action):
        zh_role, en_role = ROLE_LABELS.get(role, (str(role), str(role)))
        raise PermissionDenied(f"{zh_role}无权{zh_action}", f"the {en_role} role may not {en_action}", action)
    if record is not None and role in TEAM_SCOPED:
        team = getattr(record, "team_id", None)
        if actor.officer_id is not None and getattr(record, "officer_id", None) == actor.officer_id:
            return
        if team is None or team != actor.team_id:
            raise PermissionDenied(f"只能{zh_action}本队的记录", f"you may {en_action} only on your own team's records",
                                   action)
