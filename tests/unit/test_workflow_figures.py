"""The seed's figures against hand-worked scenarios: 零失控/零非访/零滋事 with its events, checks
overdue, hand-over answers overdue, 回访 overdue, and the 110 alerts of a window."""
from datetime import date, datetime, timedelta

import openpyxl

from app.ledger.alerts import import_alerts
from app.services import alerts as AL, control as C, mediation as M, records as R, workflow_figures as F
from app.services.stats import Window

TODAY = date.today()


def person(db, actor, name, level="yellow", listed=30):
    return R.create_person(db, actor, R.PersonInput(name, level, TODAY - timedelta(days=listed),
                                                    control_plan="专班", risk_categories=("ordinary",),
                                                    people=R.Responsibility(officer_id=actor.officer_id)))


def test_zero_figures_count_the_windows_events_and_name_them(db, station):
    window = Window(TODAY - timedelta(days=10), TODAY)
    a = person(db, station.officer, "甲某")
    person(db, station.officer, "乙某", listed=5)
    c = person(db, station.officer, "丙某")
    gone = person(db, station.officer, "丁某")
    R.delist_person(db, station.leader, c, "无现实危害", on=TODAY - timedelta(days=20))
    zero = F.zero_figures(db, window)
    assert (zero.listed, zero.counts) == (3, {  # 甲, 乙 (listed in the window), 丁; not 丙 (de-listed before)
        "lost_control": 0, "petition": 0, "trouble": 0})
    assert "零失控、零非访、零滋事" in zero.text_zh()
    C.record_person_event(db, station.officer, a, "petition", TODAY - timedelta(days=3), "赴省上访", tier="province")
    C.record_person_event(db, station.officer, a, "trouble", TODAY - timedelta(days=15), "酒后滋事")  # before it
    C.record_person_event(db, station.officer, gone, "lost_control", TODAY - timedelta(days=2), "手机关机")
    R.void_record(db, station.officer, "person", gone, "重复录入")
    zero = F.zero_figures(db, window)
    assert zero.listed == 2  # 甲 and 乙: 丙 left the list before the window, 丁 was voided with its event
    assert zero.counts == {"lost_control": 0, "petition": 1, "trouble": 0}
    assert [(e.person, e.kind, e.tier) for e in zero.events] == [("甲某", "petition", "province")]
    text = zero.text_zh()
    assert "零失控" in text and "非访 1 起" in text and "零滋事" in text and "甲某 非访（省督）：赴省上访" in text


def test_checks_answers_and_followups_overdue(db, station):
    red = person(db, station.officer, "甲某", "red")
    person(db, station.officer, "乙某", "yellow")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE person SET created_at = datetime(created_at, '-2 days')")
    fig = F.checks_overdue(db)
    assert (fig.overdue, fig.of) == (1, 2)
    C.record_check(db, station.officer, red, "hit", outcome="比中")
    assert (F.checks_overdue(db).overdue, F.checks_overdue(db).of) == (0, 2)

    def dispute(no, category="non_police"):
        return R.create_dispute(db, station.officer, R.DisputeInput(no, category, "visit", "yellow",
                                                                    TODAY - timedelta(days=20), parties="甲、乙",
                                                                    people=R.Responsibility(officer_id=station.officer.officer_id)))
    d1, d2 = dispute("J1"), dispute("J2")
    M.hand_over(db, station.officer, d1, "住建局", handed_on=TODAY - timedelta(days=10), answer_due=TODAY - timedelta(days=1))
    M.hand_over(db, station.officer, d2, "街道办", handed_on=TODAY - timedelta(days=2))
    assert F.answers_overdue(db).as_dict()["overdue"] == 1 and F.answers_overdue(db).of == 2
    M.record_answer(db, station.officer, d1, "已处理")
    assert (F.answers_overdue(db).overdue, F.answers_overdue(db).of) == (0, 1)

    d3, d4 = dispute("J3", "police_primary"), dispute("J4", "police_primary")
    R.change_level(db, station.officer, "dispute", d3, "green", "调解完成", "和解", on=TODAY - timedelta(days=10))
    R.change_level(db, station.officer, "dispute", d4, "green", "调解完成", "和解", on=TODAY)
    fig = F.followups_due(db)
    assert (fig.overdue, fig.of, fig.share) == (1, 2, 0.5)
    R.record_followup(db, station.officer, d3, "satisfied", "回访满意")
    assert (F.followups_due(db).overdue, F.followups_due(db).of) == (0, 1)


def test_alert_figures_of_a_window(db, station, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["警情编号", "报警时间", "发案地址", "报警人", "报警电话"])
    t = datetime.combine(TODAY, datetime.min.time())
    ws.append(["1", t - timedelta(days=40), "东街1号", "甲", "13900000001"])  # before the window
    ws.append(["2", t - timedelta(days=2), "东街1号", "甲", "13900000001"])
    ws.append(["3", t - timedelta(days=1), "东街1号", "乙", "13900000002"])
    ws.append(["4", t - timedelta(days=1), "西街9号", "丙", "13900000003"])
    wb.save(tmp_path / "a.xlsx")
    import_alerts(db, station.officer, tmp_path / "a.xlsx")
    four = next(a.id for a in AL.list_alerts(db) if a.alert_no == "4")
    AL.alert_to_dispute(db, station.officer, four, dispute_no="J110-4")
    fig = F.alert_figures(db, Window(TODAY - timedelta(days=5), TODAY))
    assert (fig.received, fig.to_disputes, fig.repeated_addresses, fig.repeated_callers) == (3, 1, 1, 0)


def test_monthly_report_carries_the_zero_figures_and_what_is_overdue(db, station, tmp_path):
    from app.reports.pack import build_report
    from app.reports.xlsx import write_xlsx

    pid = person(db, station.officer, "甲某", "red")
    day = TODAY - timedelta(days=1) if TODAY.day > 1 else TODAY
    C.record_person_event(db, station.officer, pid, "petition", day, "赴京上访", tier="central")
    report = build_report(db, "monthly", TODAY.strftime("%Y-%m"), TODAY)
    path = write_xlsx(report, tmp_path / "m.xlsx")
    rows = [r for ws in openpyxl.load_workbook(path).worksheets for r in ws.iter_rows(values_only=True)]
    table = {r[0]: r[1:3] for r in rows if r and r[0] in ("失控", "非访", "滋事", "在管在控核查超期")}
    assert table["非访"] == (1, 1) and table["失控"] == (0, 1) and table["滋事"] == (0, 1)
    assert table["在管在控核查超期"][1] == 1
    assert any(r and r[0] and "甲某 非访（中联办）：赴京上访" in str(r[0]) for r in rows)


def test_the_monthly_report_words_the_stations_own_check_cadence(db, station, tmp_path):
    """The note beside 在管在控核查超期 says the cadence the overdue count used: the station's
    setting, not the defaults (red 24 h, orange 7 d, yellow 30 d)."""
    from app.domain.rules import Actor
    from app.reports.pack import build_report
    from app.services import settings as ST

    def note() -> str:
        report = build_report(db, "monthly", TODAY.strftime("%Y-%m"), TODAY)
        rows = [row for sec in report.sections for block in sec.blocks if hasattr(block, "rows")
                for row in block.rows if row and row[0] == "在管在控核查超期"]
        assert len(rows) == 1
        return str(rows[0][3])

    assert note() == "红色24小时、橙色7天、黄色30天内无核查或天网比中"
    admin = Actor(None, "系统管理员", "admin", account="admin")
    ST.set_check_cadence(db, admin, "red", 48)
    ST.set_check_cadence(db, admin, "orange", 36)
    assert note() == "红色2天、橙色36小时、黄色30天内无核查或天网比中"
