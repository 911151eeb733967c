"""Station settings stored in the database: the follow-up cadence per level, the idle lock and the
backup folder."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.levels import DEFAULT_CADENCE_DAYS, Level, Module
from app.domain.permissions import authorize
from app.domain.rules import next_due_date
from app.errors import ValidationError
from app.store import Store
from models import Setting

CADENCE_KEY = "cadence.{level}"
#: A module's own cadence for a level, over the station-wide one (cases, disputes, persons differ).
MODULE_CADENCE_KEY = "cadence.{module}.{level}"


def load_cadence(session: Session, module=None) -> dict[Level, int | None]:
    """Days between follow-ups per level: the defaults, under the station's cadence per level,
    under the module's own (when `module` is given and the station set one)."""
    cadence = dict(DEFAULT_CADENCE_DAYS)
    rows = dict(session.execute(select(Setting.key, Setting.value).where(Setting.key.like("cadence.%"))).all())
    prefixes = ["cadence."] + ([f"cadence.{Module(module).value}."] if module is not None else [])
    for prefix in prefixes:
        for lvl in Level:
            value = rows.get(prefix + lvl.value)
            if value is not None:
                cadence[lvl] = int(value) if value else None
    return cadence


def get_cadence(db: Store, module=None) -> dict[Level, int | None]:
    with db.read() as session:
        return load_cadence(session, module)


def set_cadence(db: Store, actor, level: str, days: int, module: str | None = None) -> None:
    """Change a level's cadence (for one module, or station-wide) and recompute the due date of
    every active record it applies to."""
    lvl = Level(level)
    mod = Module(module) if module is not None else None
    if lvl == Level.GREEN:
        raise ValidationError("绿色记录无需跟进周期", "green records have no follow-up cadence", "cadence")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise ValidationError("跟进周期应为1–365天", "the cadence is 1 to 365 days", "cadence")
    from app.services.records import MODELS

    authorize(actor, "change_settings")
    key = (MODULE_CADENCE_KEY.format(module=mod.value, level=lvl.value) if mod is not None
           else CADENCE_KEY.format(level=lvl.value))
    with db.write(actor, "set_cadence") as session:
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


# -- the station's own settings (administrator) ------------------------------------------------
IDLE_KEY, BACKUP_KEY = "security.idle_minutes", "backup.folder"
DEFAULT_IDLE_MINUTES, IDLE_RANGE = 10, (1, 240)


@dataclass(frozen=True)
class StationSettings:
    idle_minutes: int
    backup_folder: str  # "" = backups/ beside the database
    cadence: dict  # station-wide, per level
    idle_configured: bool = False  # the station set it (otherwise each workstation's own applies)
    cadence_by_module: dict = None  # Module → {Level: days}: what each module's records follow


def station_settings(db: Store) -> StationSettings:
    with db.read() as session:
        values = dict(session.execute(select(Setting.key, Setting.value).where(
            Setting.key.in_((IDLE_KEY, BACKUP_KEY)))).all())
        cadence = load_cadence(session)
        by_module = {m: load_cadence(session, m) for m in Module}
    try:
        idle = int(values.get(IDLE_KEY, DEFAULT_IDLE_MINUTES))
    except ValueError:
        idle = DEFAULT_IDLE_MINUTES
    if not IDLE_RANGE[0] <= idle <= IDLE_RANGE[1]:
        idle = DEFAULT_IDLE_MINUTES
    return StationSettings(idle, values.get(BACKUP_KEY, ""), cadence, IDLE_KEY in values, by_module)


def _put(session: Session, key: str, value: str) -> None:
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value


def set_idle_minutes(db: Store, actor, minutes: int) -> None:
    """Minutes without input before the window hides the data and asks for the password again."""
    authorize(actor, "manage_station")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not IDLE_RANGE[0] <= minutes <= IDLE_RANGE[1]:
        raise ValidationError(f"自动锁定时间应为{IDLE_RANGE[0]}–{IDLE_RANGE[1]}分钟",
                              f"the idle lock is {IDLE_RANGE[0]} to {IDLE_RANGE[1]} minutes", "idle_minutes")
    with db.write(actor, "set_idle_minutes") as session:
        _put(session, IDLE_KEY, str(minutes))


def set_backup_folder(db: Store, actor, folder: str) -> None:
    """Where backups go ("" = the backups/ folder beside the database). The folder must exist."""
    from pathlib import Path

    authorize(actor, "manage_station")
    text = (folder or "").strip()
    if len(text) > 500 or "\x00" in text:
        raise ValidationError("备份文件夹路径过长或无效", "the backup folder path is too long or invalid", "backup_folder")
    if text and not Path(text).is_dir():
        raise ValidationError(f"备份文件夹不存在：{text}", f"the backup folder does not exist: {text}", "backup_folder")
    with db.write(actor, "set_backup_folder") as session:
        _put(session, BACKUP_KEY, str(Path(text).resolve()) if text else "")


def backup_folder_for(db: Store):
    """Where this station's backups go: the administrator's folder, or backups/ beside the file."""
    from pathlib import Path

    from app.services.backup import backup_dir_for

    folder = station_settings(db).backup_folder
    return Path(folder) if folder else backup_dir_for(db.path)
