"""Why a control is disabled: the policy table's own reason, in the interface language.

A greyed button that says nothing leaves people clicking; every control disabled by the policy
carries this text as its tool tip (and status tip), so hovering says who may do it.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.domain.permissions import authorize
from app.errors import StationError


def _lang() -> str:
    from ui.records.columns import lang_index

    return "zh" if lang_index() == 0 else "en"


def denied_reason(role_or_actor, action: str, record=None) -> str | None:
    """None when allowed; else why not (the message `authorize` would raise)."""
    actor = role_or_actor
    if isinstance(role_or_actor, str) or role_or_actor is None:
        class _Role:
            role = role_or_actor
            officer_id = None
            team_id = None

        actor = _Role()
    try:
        authorize(actor, action, record)
    except StationError as exc:
        text = exc.message(_lang())
        return text[:1].upper() + text[1:]
    return None


def set_allowed(control: QWidget | QAction, reason: str | None, tip: str = "") -> None:
    """Enable `control` when `reason` is None; else disable it and let its tip say why."""
    control.setEnabled(reason is None)
    text = tip if reason is None else reason
    control.setToolTip(text)
    control.setStatusTip(text)
