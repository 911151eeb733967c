"""Ledger mappings remembered per station: per file shape (the header signature), so next month's
ledger of the same shape imports without a question, and the station's officer spellings
(陈警官 → 陈刚), which hold for every shape. Stored in the station's own settings table."""
from __future__ import annotations

import json

from sqlalchemy import select

from app.domain.levels import Module
from app.domain.permissions import authorize
from app.errors import ValidationError
from app.ledger.mapping import LedgerMapping, header_signature, parse_mapping
from app.store import Store
from models import Setting

SHAPE_KEY = "ledger.mapping.{signature}"
OFFICERS_KEY = "ledger.officers"
#: A remembered mapping is outside data too (another version may have written it): bounded.
MAX_STORED = 256 * 1024


def _load(session, key: str) -> dict:
    raw = session.scalar(select(Setting.value).where(Setting.key == key))
    if not raw or len(raw) > MAX_STORED:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def saved_mapping(db: Store, module: Module, titles) -> LedgerMapping | None:
    """The mapping saved for this shape of ledger, with the station's officer spellings; None
    when neither exists. A saved mapping that no longer parses is ignored, never fatal."""
    with db.read() as session:
        shape = _load(session, SHAPE_KEY.format(signature=header_signature(module, titles)))
        officers = _load(session, OFFICERS_KEY)
    if not shape and not officers:
        return None
    try:
        out = parse_mapping(module, {k: v for k, v in shape.items() if k in ("columns", "values", "defaults")})
        station = parse_mapping(module, {"officers": officers})
        mine = parse_mapping(module, {"officers": shape.get("officers") or {}})
    except ValidationError:
        return None
    return out.merged_with(station).merged_with(mine)


def save_mapping(db: Store, actor, module: Module, titles, mapping: LedgerMapping) -> None:
    """Remember `mapping` for this shape, and its officer spellings for the whole station."""
    authorize(actor, "save_ledger_mapping")
    data = mapping.to_data()
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_STORED:
        raise ValidationError("映射过大，未保存", "the mapping is too large to save", "mapping")
    with db.write(actor, "save_ledger_mapping") as session:
        officers = _load(session, OFFICERS_KEY)
        officers.update(data.get("officers") or {})
        for key, value in ((SHAPE_KEY.format(signature=header_signature(module, titles)), text),
                           (OFFICERS_KEY, json.dumps(officers, ensure_ascii=False, sort_keys=True))):
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value
