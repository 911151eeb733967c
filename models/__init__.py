"""SQLAlchemy ORM mappings of the station database: columns, relationships, constraints only."""
from models.base import SCHEMA_MODULES, Base
from models.history import Action, LevelChange
from models.org import Officer, Setting, Station, Team
from models.records import Case, DedicatedMember, Dispute, Person, PersonLink
from models.security import Account, AuditEntry
from models.summary import DailyCount, DailyEvent
from models.sync import ExportLog, ImportLedger, StationAudit, SyncKey, SyncPeer, SyncRecord, TrustedStation
from models.workflows import Alert, CaseSeries, ControlCheck, Mediation, MediationBody, PersonEvent, RiskAssessment, SeriesMember
from models.workstation import Suggestion

__all__ = [
    "Base", "SCHEMA_MODULES", "Station", "Team", "Officer", "Setting", "Case", "Dispute",
    "Person", "PersonLink", "DedicatedMember", "LevelChange", "Action", "Account", "AuditEntry",
    "Suggestion", "ExportLog", "ImportLedger", "StationAudit", "SyncKey", "SyncPeer", "SyncRecord", "TrustedStation",
    "Alert", "CaseSeries", "ControlCheck", "Mediation", "MediationBody", "PersonEvent", "RiskAssessment",
    "SeriesMember",
    "DailyCount", "DailyEvent",
]
