"""Station settings stored in the database (the follow-up cadence per level)."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.levels import DEFAULT_CADENCE_DAYS, Level
from app.domain.permissions import authorize
from app.domain.rules import next_due_date
from app.errors import ValidationError
from models import Setting

CADENCE_KEY = "cadence.{level}"


def load_cadence(session: Session) -> dict[Level, int | None]:
    """Days between follow-ups per level: the station's settings over the defaults."""
    cadence = dict(DEFAULT_CADENCE_DAYS)
    for key, value in session.execute(select(Setting.key, Setting.value).where(Setting.key.like("cadence.%"))):
        lvl = Level(key.split(".", 1)[1])
        cadence[lvl] = int(value) if value else None
    return cadence


def get_cadence(db: Database) -> dict[Level, int | None]:
    with db.read() as session:
        return load_cadence(session)


def set_cadence(db: Database, actor, level: str, days: int) -> None:
    """Change a level's cadence and recompute the due date of every active record at that level."""
    lvl = Level(level)
    if lvl == Level.GREEN:
        raise ValidationError("绿色记录无需跟进周期", "green records have no follow-up cadence", "cadence")
    if not isinstance(days, int) or not 1 <= days <= 365:
        raise ValidationError("跟进周期应为1–365天", "the cadence is 1 to 365 days", "cadence")
    from app.services.records import MODELS

    authorize(actor, "change_settings")
    with db.write(actor, "set_cadence") as session:
        setting = session.get(Setting, CADENCE_KEY.format(level=lvl.value))
        if setting is None:
            session.add(Setting(key=CADENCE_KEY.format(level=lvl.value), value=str(days)))
        else:
            setting.value = str(days)
        session.flush()
        cadence = load_cadence(session)
        for model in MODELS.values():
            rows = session.execute(select(model.id, model.last_activity_on).where(
                model.level == lvl.value, model.status == "active")).all()
            for rid, last in rows:
                session.execute(update(model).where(model.id == rid).values(
                    next_due=next_due_date(lvl, last, None, cadence)).execution_options(synchronize_session=False))
