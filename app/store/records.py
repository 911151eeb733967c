"""The one map from a record module (case, dispute, key person) to its mapped class."""
from __future__ import annotations

from app.domain.levels import Module
from models import Case, Dispute, Person
from models.records import RecordMixin

MODELS: dict[Module, type[RecordMixin]] = {Module.CASE: Case, Module.DISPUTE: Dispute, Module.PERSON: Person}
