"""What a mutation touched, returned by the services so the views refresh only what is stale."""
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
