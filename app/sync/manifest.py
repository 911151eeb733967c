"""The manifest's fields and their checks (docs/sync-format.md, "Manifest")."""
from __future__ import annotations

from datetime import datetime, timedelta

from app.sync.errors import ImportRejected
from app.sync.rows import UUID_RE

HEX64 = set("0123456789abcdef")
#: What a real station can reach: a package every ten minutes for 19 years; a billion audit
#: rows; a billion rows of one kind. A signed number beyond is a forged or broken package, and
#: the branch would otherwise loop over the gap it implies (branch-status hung at 2^62).
MAX_SEQ = 1_000_000
MAX_AUDIT_SEQ = 1_000_000_000
MAX_COUNT = 1_000_000_000
#: Dates a package may carry: from the app's first year to a day past the branch's clock.
EARLIEST = datetime(2000, 1, 1)
CLOCK_SKEW = timedelta(days=1)


def _int(v, low: int = 0) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and low <= v < 2**62


def _when(v) -> bool:
    """An ISO date-time between EARLIEST and a day past now (never year 9999)."""
    if not isinstance(v, str) or len(v) > 32:
        return False
    try:
        at = datetime.fromisoformat(v)
    except ValueError:
        return False
    return EARLIEST <= at.replace(tzinfo=None) <= datetime.now() + CLOCK_SKEW


def check_manifest(m: dict, authenticated: bool = True) -> None:
    """Raise ImportRejected unless every field the import relies on is present and well formed."""
    from app.store.base import known_revisions
    from app.sync.package import FORMAT

    st = m.get("station") if isinstance(m.get("station"), dict) else {}
    kw = dict(authenticated=authenticated, station_uuid=str(st.get("uuid", "")),
              seq=m.get("seq") if _int(m.get("seq")) else None)

    def bad(what: str):
        return ImportRejected("malformed", f"清单无效：{what}", f"the manifest is invalid: {what}", **kw)

    fmt = m.get("format")
    if not _int(fmt):
        raise bad("format")
    if fmt > FORMAT:
        raise ImportRejected("too_new", f"数据包格式版本 {fmt} 比本程序新，请升级分局程序",
                             f"package format {fmt} is newer than this app: upgrade the branch app", **kw)
    schema = m.get("schema")
    if not isinstance(schema, str):
        raise bad("schema")
    if schema not in known_revisions():
        raise ImportRejected("too_new", f"派出所程序版本较新（数据库架构 {schema}），请升级分局程序",
                             f"the station runs a newer app (schema {schema}): upgrade the branch app", **kw)
    if not (isinstance(st.get("uuid"), str) and UUID_RE.match(st["uuid"]) and isinstance(st.get("code"), str)
            and isinstance(st.get("name"), str)):
        raise bad("station")
    if not _int(m.get("seq"), 1):
        raise bad("seq")
    if m["seq"] > MAX_SEQ:
        raise bad(f"seq {m['seq']} is beyond any real station's ({MAX_SEQ})")
    if not (isinstance(m.get("export_id"), str) and UUID_RE.match(m["export_id"])):
        raise bad("export_id")
    kind = m.get("kind")
    if kind not in ("full", "delta"):
        raise bad("kind")
    base = m.get("base_seq")
    if kind == "full" and base is not None:
        raise bad("base_seq")
    if kind == "delta" and not (_int(base, 1) and base < m["seq"]):
        raise bad("base_seq")
    if not _when(m.get("created_at")):
        raise bad("created_at")
    window = m.get("window")
    if not (isinstance(window, dict) and (window.get("from") is None or _when(window.get("from")))
            and _when(window.get("to"))):
        raise bad("window")
    head = m.get("audit_head")
    if not (isinstance(head, dict) and _int(head.get("seq")) and isinstance(head.get("hash"), str)
            and len(head["hash"]) == 64 and set(head["hash"]) <= HEX64):
        raise bad("audit_head")
    if head["seq"] > MAX_AUDIT_SEQ:
        raise bad(f"audit_head seq beyond {MAX_AUDIT_SEQ}")
    if not _int(m.get("audit_from")):
        raise bad("audit_from")
    if m["audit_from"] > head["seq"]:  # signed: the station's trail is now shorter than what it sent
        raise ImportRejected("audit_fork", f"派出所审计日志分叉：链头（第 {head['seq']} 行）早于上次已确认的第 "
                             f"{m['audit_from']} 行（日志被截断或回退）",
                             f"the station's audit trail forked: its head (row {head['seq']}) is before row "
                             f"{m['audit_from']} it had sent (truncated or rolled back)", **kw)
    counts = m.get("counts")
    if not (isinstance(counts, dict) and all(isinstance(k, str) and _int(v) and v <= MAX_COUNT
                                             for k, v in counts.items())):
        raise bad("counts")
