"""Every column the audit trail can record is shown in words (the audit view and its CSV): no
raw key such as 'held_on' or 'alert_no' reaches a person."""
from __future__ import annotations

from app.domain.fields import TABLE_NAMES, field_label
from app.services.audit import SKIP_FIELDS
from models import Base

#: Tables written outside the audited sessions: the trail itself, the branch's copy of the
#: stations' trails, and the daily summary (Core upkeep, derived from audited rows).
NOT_AUDITED = {"audit_log", "station_audit", "daily_counts", "daily_events"}


def test_every_audited_column_and_table_has_a_label_in_both_languages():
    missing = []
    for table in Base.metadata.tables.values():
        if table.name in NOT_AUDITED:
            continue
        module = table.name.replace("case_record", "case")
        if module not in TABLE_NAMES:
            missing.append(f"table {table.name}")
        for col in table.columns:
            if col.name in SKIP_FIELDS or col.name == "password_hash":
                continue
            for lang in (0, 1):
                if field_label(col.name, lang, module) == col.name:
                    missing.append(f"{table.name}.{col.name} ({'zh' if lang == 0 else 'en'})")
    assert not missing, missing


def test_a_key_shared_by_tables_reads_as_each_table_means_it():
    assert field_label("kind", 0, "case") == "案件类型"
    assert field_label("kind", 0, "control_check") == "核查方式"
    assert field_label("name", 0, "mediation_body") == "组织名称"


def test_every_action_the_services_write_is_named_in_words():
    """Each `db.write(actor, "<action>")` in app/ names an action the audit view shows in words."""
    import re
    from pathlib import Path

    from app.domain.fields import ACTION_NAMES
    root = Path(__file__).resolve().parents[2] / "app"
    written = {m for f in root.rglob("*.py")
               for m in re.findall(r"\.write\([\w.]+, \"([a-z_]+)\"", f.read_text(encoding="utf-8"))}
    assert len(written) > 40  # the scan finds the services' actions: the check below is not vacuous
    assert sorted(written - ACTION_NAMES.keys()) == []
