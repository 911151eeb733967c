"""Services: the only place where queries live. Each public function is one unit of work."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """What a mutation touched, so views refresh only what is stale (Anki's OpChanges)."""

    modules: frozenset[str] = field(default_factory=frozenset)
    record_ids: tuple[tuple[str, int], ...] = ()
    organisation: bool = False

    @classmethod
    def of(cls, *records: tuple[str, int]) -> "Changes":
        return cls(frozenset(m for m, _ in records), tuple(records))


def _install_store_hooks() -> None:
    """The store (app/store) imports nothing above it: the audit trail and the daily summary's
    upkeep on every writer session, and the verified copy kept before a schema upgrade, are
    installed here, once."""
    from app.services import audit, backup, daily_counts
    from app.store.base import install_hooks

    def writer(factory) -> None:
        audit.install(factory)
        daily_counts.install(factory)  # the daily summary rides on the same sessions (issue 21)

    install_hooks(writer=writer, pre_upgrade_backup=backup.make_backup)


_install_store_hooks()
