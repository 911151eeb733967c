"""The one error an import raises: a package is rejected whole, with a code and a reason to act on."""
from __future__ import annotations

from app.errors import StationError, ValidationError

#: Every rejection code, with what a person should do about it (docs/sync-format.md lists them).
CODES = {
    "empty": "the file is empty: copy it again from the station",
    "too_large": "the file is larger than the documented limit: ask the station for smaller packages",
    "not_a_package": "not a station export package: check the file",
    "too_new": "made by a newer version of the app: upgrade the branch app",
    "too_old": "made by an older version of the app that this one cannot read: upgrade the station app",
    "wrong_recipient": "encrypted for another branch office: ask the station to export for this branch",
    "damaged": "damaged or truncated (the encryption check failed): copy the file again",
    "malformed": "the package structure is invalid: ask the station to export again",
    "bad_member": "a member name is unsafe or unknown: the package was not made by this app",
    "limit": "a size limit was exceeded (possible compression bomb)",
    "untrusted_station": "the station is not trusted here: import its public key first (trust-station)",
    "revoked_key": "the station's key is revoked at this branch",
    "bad_signature": "the signature does not match (tampered or signed by another key)",
    "checksum": "a part does not match its checksum in the signed manifest",
    "invalid_row": "a record in the package is invalid",
    "ownership": "the package changes records that belong to another station",
    "seq_reused": "a different package with the same sequence number was already applied: "
                  "the station's export log was reset (e.g. restored from a backup); ask for a full export",
    "missing_base": "the package builds on an earlier package this branch has not applied: "
                    "import that one first, or ask the station for a full export (--full)",
    "audit_fork": "the station's audit trail does not continue the one received before (rewritten or truncated)",
    "conflict": "the package contradicts data already held for this station",
    "not_branch": "the database is not a branch database: run branch-init first",
    "error": "the app failed on this file (a fault, logged with its details): report it; the other files "
             "were processed",
}


class ImportRejected(StationError):
    """A package was refused as a whole; the branch database is unchanged. `code` is one of CODES."""

    def __init__(self, code: str, zh: str, en: str, *, authenticated: bool = False, station_uuid: str = "",
                 seq: int | None = None):
        super().__init__(zh, f"{en} [{code}]", "package")
        self.code = code
        self.authenticated = authenticated
        self.station_uuid = station_uuid
        self.seq = seq


def reject(code: str, zh: str, en: str, **kw) -> ImportRejected:
    return ImportRejected(code, zh, en, **kw)


class ExportBlocked(ValidationError):
    """The data-quality check found problems that block an export (unless forced)."""

    code = "export_blocked"

    def __init__(self, zh: str, en: str, issues):
        super().__init__(zh, en, "quality")
        self.issues = issues
