"""`alerts-import` and `watchlist-export` on real files: the row report printed, the exit code, the
alerts and the watch list read back, and the policy deciding at the log-in of a protected file."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl

from app.services import alerts as AL, records as R
from app.store import SqliteStore
from tests.unit.test_authorization import PASSWORD, cheap_kdf, protected_station  # noqa: F401
from tests.unit.test_cli import assert_one_error_line, run, sha

TODAY = date.today()


def alert_log(path, rows) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["青山湖分局京东派出所110接处警登记表"])
    wb.active.append(["警情编号", "报警时间", "发案地址", "报警人", "报警电话", "警情类别", "简要警情"])
    for r in rows:
        wb.active.append(r)
    wb.save(path)


def test_alerts_import_prints_every_row_and_exits_1_on_rejected_rows(db, station, tmp_path, capsys):
    t = datetime.combine(TODAY - timedelta(days=2), datetime.min.time())
    alert_log(tmp_path / "good.xlsx", [["J1", t, "京东大道88号", "王某", "13900000001", "纠纷", "噪音"],
                                       ["J2", t + timedelta(hours=3), "京东大道88号", "王某", "", "纠纷", "又吵"]])
    alert_log(tmp_path / "bad.xlsx", [["J3", t, "南京东路5号", "李某", "", "求助", "开锁"],
                                      ["J4", None, "南京东路5号", "", "", "求助", "无时间"]])
    db.close()
    path = str(db.path)
    code, out, err = run(capsys, "alerts-import", "--db", path, "--dry-run", str(tmp_path / "good.xlsx"))
    assert (code, err) == (0, "") and "预览（未写入）" in out
    code, out, err = run(capsys, "alerts-import", "--db", path, str(tmp_path / "good.xlsx"))
    assert (code, err) == (0, "")
    assert "第3行  已导入  J1" in out and "新导入 2 条" in out and "(2 imported" in out
    code, out, err = run(capsys, "alerts-import", "--db", path, "--json", str(tmp_path / "bad.xlsx"))
    assert code == 1
    import json

    report = json.loads(out)
    assert report["counts"] == {"imported": 1, "present": 0, "rejected": 1, "skipped": 0}
    assert [(r["line"], r["outcome"], r["alert_no"]) for r in report["rows"]] == [(3, "imported", "J3"),
                                                                                  (4, "rejected", "J4")]
    assert "报警时间为空" in report["rows"][1]["reason"]
    code, out, _ = run(capsys, "alerts-import", "--db", path, str(tmp_path / "good.xlsx"))
    assert code == 0 and "已在册 2 条" in out
    db2 = SqliteStore(db.path)
    try:
        alerts = AL.list_alerts(db2)
    finally:
        db2.close()
    assert [a.alert_no for a in alerts] == ["J2", "J3", "J1"] and alerts[0].summary == "又吵"
    before = sha(db.path)
    code, _out, err = run(capsys, "alerts-import", "--db", path, str(tmp_path / "missing.xlsx"))
    assert code == 2
    assert_one_error_line(err, "警情文件不存在")
    assert sha(db.path) == before


def test_watchlist_export_writes_the_red_persons_read_back(db, station, tmp_path, capsys):
    R.create_person(db, station.leader, R.PersonInput("周某", "red", TODAY - timedelta(days=5),
                                                      risk_categories=("serious_record",), control_plan="专班盯控",
                                                      address="=HYPERLINK(\"x\")",
                                                      people=R.Responsibility(officer_id=station.officer.officer_id)))
    R.create_person(db, station.leader, R.PersonInput("郑某", "yellow", TODAY - timedelta(days=5),
                                                      risk_categories=("ordinary",),
                                                      people=R.Responsibility(officer_id=station.officer.officer_id)))
    db.close()
    code, out, err = run(capsys, "watchlist-export", "--db", str(db.path), str(tmp_path / "w.xlsx"))
    assert (code, err) == (0, "") and "1 人" in out
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and [r[0] for r in rows[1:]] == ["周某"]
    assert rows[1][3] == "=HYPERLINK(\"x\")" and ws.cell(2, 4).data_type == "s"
    code, _out, err = run(capsys, "watchlist-export", "--db", str(db.path), str(tmp_path / "w.csv"))
    assert code == 2
    assert_one_error_line(err, ".xlsx")


def test_on_a_protected_file_the_policy_decides_at_the_log_in(tmp_path, capsys, cheap_kdf):  # noqa: F811
    st = protected_station(tmp_path / "st.db")
    st.close()
    t = datetime.combine(TODAY - timedelta(days=1), datetime.min.time())
    alert_log(tmp_path / "a.xlsx", [["J1", t, "京东大道88号", "王某", "", "纠纷", "噪音"]])
    out = tmp_path / "w.xlsx"
    code, _o, err = run(capsys, "watchlist-export", "--db", str(tmp_path / "st.db"), str(out), "--user", "officer")
    assert code != 0 and "无权" in err and not out.exists()
    code, _o, err = run(capsys, "watchlist-export", "--db", str(tmp_path / "st.db"), str(out), "--user", "team_leader")
    assert code == 0 and out.exists()
    code, _o, err = run(capsys, "alerts-import", "--db", str(tmp_path / "st.db"), str(tmp_path / "a.xlsx"),
                        "--user", "analyst")
    assert code != 0 and "无权" in err
    code, out_text, err = run(capsys, "alerts-import", "--db", str(tmp_path / "st.db"), str(tmp_path / "a.xlsx"),
                              "--user", "officer")
    assert code == 0 and "新导入 1 条" in out_text
