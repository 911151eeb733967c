"""The errors a person can act on: each names the problem in Chinese and English."""
from __future__ import annotations


class StationError(Exception):
    """Base of every expected failure. `field` names the input at fault, when there is one."""

    code = "error"

    def __init__(self, zh: str, en: str, field: str | None = None):
        super().__init__(zh)
        self.zh = zh
        self.en = en
        self.field = field

    def message(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    def __str__(self) -> str:
        return f"{self.zh} ({self.en})"


class ValidationError(StationError):
    """A value given by a person or a file is not acceptable."""

    code = "invalid"


class RuleViolation(StationError):
    """The closed-loop rules forbid the change (missing reason, wrong role, closed record…)."""

    code = "rule"


class PermissionDenied(RuleViolation):
    """The acting person's role may not do this."""

    code = "denied"


class NotFound(StationError):
    code = "not_found"


class StaleRecord(StationError):
    """Someone else saved the record since it was opened."""

    code = "stale"


class DatabaseError(StationError):
    """The database file cannot be used: not ours, too new, locked, read-only, full, corrupt."""

    code = "database"
