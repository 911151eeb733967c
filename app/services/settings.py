"""Station settings stored in the database: the follow-up cadence per level, the idle lock and the
backup folder."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.levels import Level, Module
from app.domain.permissions import authorize
from app.domain.rules import Actor, next_due_date
from app.domain.workflows import CHECK_CADENCE_BOUNDS, CHECK_CADENCE_HOURS
from app.errors import ValidationError
from app.services.cadence import CADENCE_KEY, MODULE_CADENCE_KEY, load_cadence
from app.store import Store
from app.store.records import MODELS
from models import Setting


def get_cadence(db: Store, module: Module | str | None = None) -> dict[Level, int | None]:
    with db.read() as session:
        return load_cadence(session, module)


def _checked_cadence(level: Level | str, days: int, module: Module | str | None) -> tuple[Level, Module | None]:
    lvl = Level(level)
    mod = Module(module) if module is not None else None
    if lvl == Level.GREEN:
        raise ValidationError("绿色记录无需跟进周期", "green records have no follow-up cadence", "cadence")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise ValidationError("跟进周期应为1–365天", "the cadence is 1 to 365 days", "cadence")
    return lvl, mod


def set_cadence(db: Store, actor: Actor, level: str, days: int, module: str | None = None) -> None:
    """Change a level's cadence (for one module, or station-wide) and recompute the due date of
    every active record it applies to."""
    lvl, mod = _checked_cadence(level, days, module)
    authorize(actor, "change_settings")
    with db.write(actor, "set_cadence") as session:
        _set_cadence_in(session, lvl, days, mod)


def _set_cadence_in(session: Session, lvl: Level, days: int, mod: Module | None) -> None:
    key = (MODULE_CADENCE_KEY.format(module=mod.value, level=lvl.value) if mod is not None
           else CADENCE_KEY.format(level=lvl.value))
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=str(days)))
    else:
        setting.value = str(days)
    session.flush()
    for m, model in MODELS.items():
        if mod is not None and m != mod:
            continue
        cadence = load_cadence(session, m)
        rows = session.execute(select(model.id, model.last_activity_on).where(
            model.level == lvl.value, model.status == "active")).all()
        for rid, last in rows:
            session.execute(update(model).where(model.id == rid).values(
                next_due=next_due_date(lvl, last, None, cadence)).execution_options(synchronize_session=False))
    from app.services import daily_counts  # due dates moved: the summary's overdue cells too

    daily_counts.rebuild_in(session, [m for m in MODELS if mod is None or m == mod])


# -- the 在管在控 check cadence (administrator) -----------------------------------------------------
CHECK_KEY = "control.check_hours.{level}"


def load_check_cadence(session: Session) -> dict[Level, int | None]:
    """Hours within which a listed key person needs a check or a camera hit, per level: the
    defaults (red 24 h, orange 7 d, yellow 30 d) under the station's own. A stored value out of
    bounds (written around the program) is ignored."""
    cadence = dict(CHECK_CADENCE_HOURS)
    rows = dict(session.execute(select(Setting.key, Setting.value).where(
        Setting.key.like(CHECK_KEY.format(level="%")))).all())
    for lvl, (lo, hi) in CHECK_CADENCE_BOUNDS.items():
        value = rows.get(CHECK_KEY.format(level=lvl.value))
        if value is not None and value.isdigit() and lo <= int(value) <= hi:
            cadence[lvl] = int(value)
    return cadence


def get_check_cadence(db: Store) -> dict[Level, int | None]:
    with db.read() as session:
        return load_check_cadence(session)


def set_check_cadence(db: Store, actor: Actor, level: str, hours: int) -> None:
    """Set a level's check cadence in hours, within CHECK_CADENCE_BOUNDS (the station's
    administrator). Overdue checks are computed when read, so nothing else is rewritten."""
    authorize(actor, "manage_station")
    lvl = _checked_check_cadence(level, hours)
    with db.write(actor, "set_check_cadence") as session:
        _put(session, CHECK_KEY.format(level=lvl.value), str(hours))


def _checked_check_cadence(level: Level | str, hours: int) -> Level:
    try:
        lvl = Level(level)
    except ValueError:
        raise ValidationError(f"无效的等级：{level}", f"not a level: {level}", "level") from None
    if lvl not in CHECK_CADENCE_BOUNDS:
        raise ValidationError("绿色人员无需核查", "green persons have no check cadence", "level")
    lo, hi = CHECK_CADENCE_BOUNDS[lvl]
    if not isinstance(hours, int) or isinstance(hours, bool) or not lo <= hours <= hi:
        raise ValidationError(f"{lvl.zh}人员核查周期应为{lo}–{hi}小时",
                              f"the {lvl.en.lower()} check cadence is {lo} to {hi} hours", "check_cadence")
    return lvl


# -- the station's own settings (administrator) ------------------------------------------------
IDLE_KEY, BACKUP_KEY = "security.idle_minutes", "backup.folder"
DEFAULT_IDLE_MINUTES, IDLE_RANGE = 10, (1, 240)


@dataclass(frozen=True)
class StationSettings:
    idle_minutes: int
    backup_folder: str  # "" = backups/ beside the database
    cadence: dict[Level, int | None]  # station-wide, per level
    idle_configured: bool  # the station set it (otherwise each workstation's own applies)
    cadence_by_module: dict[Module, dict[Level, int | None]]  # what each module's records follow
    check_cadence: dict[Level, int | None]  # hours: 在管在控 checks of listed key persons


def station_settings(db: Store) -> StationSettings:
    with db.read() as session:
        values = dict(session.execute(select(Setting.key, Setting.value).where(
            Setting.key.in_((IDLE_KEY, BACKUP_KEY)))).all())
        cadence = load_cadence(session)
        by_module = {m: load_cadence(session, m) for m in Module}
        checks = load_check_cadence(session)
    try:
        idle = int(values.get(IDLE_KEY, DEFAULT_IDLE_MINUTES))
    except ValueError:
        idle = DEFAULT_IDLE_MINUTES
    if not IDLE_RANGE[0] <= idle <= IDLE_RANGE[1]:
        idle = DEFAULT_IDLE_MINUTES
    return StationSettings(idle, values.get(BACKUP_KEY, ""), cadence, IDLE_KEY in values, by_module, checks)


def _put(session: Session, key: str, value: str) -> None:
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value


def set_idle_minutes(db: Store, actor: Actor, minutes: int) -> None:
    """Minutes without input before the window hides the data and asks for the password again."""
    authorize(actor, "manage_station")
    _check_idle(minutes)
    with db.write(actor, "set_idle_minutes") as session:
        _put(session, IDLE_KEY, str(minutes))


def _check_idle(minutes: int) -> None:
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not IDLE_RANGE[0] <= minutes <= IDLE_RANGE[1]:
        raise ValidationError(f"自动锁定时间应为{IDLE_RANGE[0]}–{IDLE_RANGE[1]}分钟",
                              f"the idle lock is {IDLE_RANGE[0]} to {IDLE_RANGE[1]} minutes", "idle_minutes")


def set_backup_folder(db: Store, actor: Actor, folder: str) -> None:
    """Where backups go ("" = the backups/ folder beside the database). The folder must exist."""
    authorize(actor, "manage_station")
    value = _checked_folder(folder)
    with db.write(actor, "set_backup_folder") as session:
        _put(session, BACKUP_KEY, value)


def _checked_folder(folder: str) -> str:
    """The folder as stored: resolved, or "" (backups/ beside the database)."""
    text = (folder or "").strip()
    if len(text) > 500 or "\x00" in text:
        raise ValidationError("备份文件夹路径过长或无效", "the backup folder path is too long or invalid", "backup_folder")
    if text and not Path(text).is_dir():
        raise ValidationError(f"备份文件夹不存在：{text}", f"the backup folder does not exist: {text}", "backup_folder")
    return str(Path(text).resolve()) if text else ""


def backup_folder_for(db: Store) -> Path:
    """Where this station's backups go: the administrator's folder, or backups/ beside the file
    (a server database has no file: DatabaseError says its backups are the server's)."""
    from app.services.backup import backup_dir_for, database_file

    folder = station_settings(db).backup_folder
    return Path(folder) if folder else backup_dir_for(database_file(db))


def save_station_settings(db: Store, actor: Actor, *, idle_minutes: int, backup_folder: str,
                          cadence_by_module: dict[Module, dict[Level, int]],
                          check_hours: dict[Level, int]) -> bool:
    """The administrator's 系统设置 saved as a whole: the values that differ from the stored ones
    are all checked first and then written in one transaction (a refusal names its field and
    changes nothing; before, the window saved them one by one and a refusal kept the earlier
    ones). Returns whether anything changed."""
    conf = station_settings(db)
    idle = idle_minutes if idle_minutes != conf.idle_minutes else None
    folder = backup_folder.strip() if backup_folder.strip() != conf.backup_folder else None
    cadences = [(lvl, days, mod) for mod, by_level in cadence_by_module.items() for lvl, days in by_level.items()
                if days != conf.cadence_by_module[mod][lvl]]
    checks = [(lvl, hours) for lvl, hours in check_hours.items() if hours != conf.check_cadence[lvl]]
    if idle is None and folder is None and not cadences and not checks:
        return False
    if idle is not None or folder is not None or checks:
        authorize(actor, "manage_station")
    if cadences:
        authorize(actor, "change_settings")
    if idle is not None:
        _check_idle(idle)
    stored_folder = _checked_folder(folder) if folder is not None else None
    for lvl, days, mod in cadences:
        _checked_cadence(lvl, days, mod)
    for lvl, hours in checks:
        _checked_check_cadence(lvl, hours)
    with db.write(actor, "save_settings") as session:
        if idle is not None:
            _put(session, IDLE_KEY, str(idle))
        if stored_folder is not None:
            _put(session, BACKUP_KEY, stored_folder)
        for lvl, days, mod in cadences:
            _set_cadence_in(session, lvl, days, mod)
        for lvl, hours in checks:
            _put(session, CHECK_KEY.format(level=lvl.value), str(hours))
    return True
