"""The follow-up cadence a station set: days between follow-ups per level, station-wide or per
module, over the defaults (app.domain.levels.DEFAULT_CADENCE_DAYS). Read by the records, the
statistics and the daily summary; changed through app.services.settings.set_cadence."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.levels import DEFAULT_CADENCE_DAYS, Level, Module
from models import Setting

CADENCE_KEY = "cadence.{level}"
#: A module's own cadence for a level, over the station-wide one (cases, disputes, persons differ).
MODULE_CADENCE_KEY = "cadence.{module}.{level}"


def load_cadence(session: Session, module: Module | str | None = None) -> dict[Level, int | None]:
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
