"""The demo station shows each of the seed's workflows, made through the services (audited)."""

from sqlalchemy import func, select

from app.demo import generate_demo
from app.demo_workflows import add_workflow_demo
from app.services import alerts, control, mediation, series, workflow_figures as F
from models import AuditEntry, CaseSeries, ControlCheck, Mediation, RiskAssessment


def test_demo_station_shows_every_workflow(db):
    generate_demo(db, seed=3, scale=0.2)
    made = add_workflow_demo(db, seed=3)
    assert made.bodies >= 4 and made.mediations > 0 and made.handovers > 0 and made.assessments > 0
    assert made.alerts > 40 and made.alert_disputes > 0 and made.series > 0 and made.events == 2
    fig = F.workflow_figures(db)
    assert fig["zero"]["zero"] == {"lost_control": True, "petition": True, "trouble": True}  # 零失控、零非访、零滋事
    assert 0 < fig["checks_overdue"]["overdue"] < fig["checks_overdue"]["of"] / 4
    assert fig["answers_overdue"]["overdue"] >= 1 and fig["alerts"]["repeated_addresses"] >= 1
    assert control.watch_list(db) and len(mediation.mediation_bodies(db)) == made.bodies
    assert any(s.status == "solved" for s in series.list_series(db))
    assert sum(1 for a in alerts.list_alerts(db) if a.dispute_id) == made.alert_disputes
    from app.services.workstation import pending_suggestions

    waiting = pending_suggestions(db, "dispute")  # the caller who called again after the dispute
    assert len(waiting) == 1 and "登记后又报警1次" in waiting[0].detail
    with db.read() as s:
        for model in (ControlCheck, Mediation, RiskAssessment, CaseSeries):
            n = s.scalar(select(func.count()).select_from(model))
            audited = s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.module == model.__tablename__, AuditEntry.action.like("%create")))
            assert n and audited == n, model.__tablename__


def test_the_demo_alert_log_ends_at_its_morning_cut_whatever_the_hour(db):
    """The demo's 110 log is this morning's export: nothing after ALERT_LOG_CUT today, so a demo made
    at 18:40 and one made at 23:50 hold the same calls (a log cut at the moment the demo was made
    held 15 calls this month at 18:40 and 16 at 19:10). Made for a past day, the same cut."""
    from datetime import date, datetime, timedelta

    from app.demo_workflows import ALERT_LOG_CUT

    day = date.today() - timedelta(days=3)
    generate_demo(db, seed=3, scale=0.2, as_of=day)
    add_workflow_demo(db, seed=3, as_of=day)
    times = [a.received_at for a in alerts.list_alerts(db)]
    assert max(times) <= datetime.combine(day, ALERT_LOG_CUT)
    assert any(t.date() == day for t in times)  # this morning's call that repeats, and the night's calls
