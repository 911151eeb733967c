"""Services: the only place where queries live. Each public function is one unit of work."""
from __future__ import annotations

from app.services.changes import Changes
from app.store.hooks import defer_hooks

__all__ = ["Changes"]


def _install_store_hooks() -> None:
    """The store (app/store) imports nothing above it: the audit trail and the daily summary's
    upkeep on every writer session, and the verified copy kept before a schema upgrade, are
    installed here, once: before a store's first write, upgrade or upgrade step (they import
    SQLAlchemy and the models; app.services.first_page is read before either is imported)."""
    from app.services import audit, backup, daily_counts
    from app.store.base import WriterSession, install_hooks

    def writer(factory: type[WriterSession]) -> None:
        audit.install(factory)
        daily_counts.install(factory)  # the daily summary rides on the same sessions (issue 21)

    install_hooks(writer=writer, pre_upgrade_backup=backup.make_backup,
                  upgrade_steps={"daily_counts": daily_counts.rebuild})


defer_hooks(_install_store_hooks)
