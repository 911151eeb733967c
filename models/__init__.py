"""SQLAlchemy ORM mappings of the station database: columns, relationships, constraints only."""
from models.base import Base, SCHEMA_MODULES
from models.org import Station, Team, Officer, Setting
from models.records import Case, Dispute, Person, PersonLink, DedicatedMember
from models.history import LevelChange, Action
from models.security import Account, AuditEntry
from models.workstation import Suggestion
from models.workflows import (Alert, CaseSeries, ControlCheck, Mediation, MediationBody, PersonEvent, RiskAssessment,
                              SeriesMember)
from models.summary import DailyCount, DailyEvent
from models.sync import ExportLog, ImportLedger, StationAudit, SyncKey, SyncPeer, SyncRecord, TrustedStation

__all__ = [
    "Base", "SCHEMA_MODULES", "Station", "Team", "Officer", "Setting", "Case", "Dispute",
    "Person", "PersonLink", "DedicatedMember", "LevelChange", "Action", "Account", "AuditEntry",
    "Suggestion", "ExportLog", "ImportLedger", "StationAudit", "SyncKey", "SyncPeer", "SyncRecord", "TrustedStation",
    "Alert", "CaseSeries", "ControlCheck", "Mediation", "MediationBody", "PersonEvent", "RiskAssessment",
    "SeriesMember",
    "DailyCount", "DailyEvent",
]
