"""The seed's working methods on the demo station, made through the services after the bulk
load (so every row is checked and audited as a person's would be): mediation bodies and
mediations, hand-overs with answers (two overdue), 回访 due, camera hits and checks of the red
persons (two overdue), a reported absence, assessments, last months' events (this month: 零失控、
零非访、零滋事), a 110 alert log with repeat callers, three alerts turned into disputes, and case
series of similar orange cases (one solved). Not part of generate_demo's deterministic load."""
from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.demo_data import COMMUNITIES, ESTATES, ROADS
from app.domain.workflows import propose_level
from app.errors import StationError
from app.services import alerts, control, mediation, org, records, series
from app.store import Store
from models import Case, Dispute, Officer, Person


@dataclass
class WorkflowDemo:
    bodies: int = 0
    mediations: int = 0
    handovers: int = 0
    checks: int = 0
    assessments: int = 0
    events: int = 0
    alerts: int = 0
    alert_disputes: int = 0
    series: int = 0


def add_workflow_demo(db: Store, seed: int = 1, as_of: date | None = None) -> WorkflowDemo:
    rnd = random.Random(seed * 7919 + 16)
    today = min(as_of or date.today(), date.today())
    now = datetime.combine(today, time(8, 30)) if today < date.today() else datetime.now().replace(microsecond=0)
    out = WorkflowDemo()
    with db.read() as session:
        leader_id = session.scalar(select(Officer.id).where(Officer.role == "leader").order_by(Officer.id))
        persons = session.execute(select(Person.id, Person.level, Person.risk_categories, Person.mental_risk_grade,
                                         Person.listed_on, Person.guardian_name)
                                  .where(Person.status == "active").order_by(Person.id)).all()
        disputes = session.execute(select(Dispute.id, Dispute.category, Dispute.level, Dispute.found_on)
                                   .where(Dispute.status == "active").order_by(Dispute.id)).all()
        orange = session.execute(select(Case.id, Case.cause, Case.accepted_on, Case.kind)
                                 .where(Case.status == "active", Case.level == "orange", Case.kind == "criminal")
                                 .order_by(Case.accepted_on.desc())).all()
    leader = org.actor_for(db, leader_id)

    def attempt(fn, *a, **kw):
        try:
            fn(*a, **kw)
            return True
        except StationError:
            return False

    # 融调化解: the station's list, hand-overs (first: a later mediation restarts the cadence), mediations, 回访.
    out.bodies = mediation.ensure_default_bodies(db, leader)
    for community in rnd.sample(COMMUNITIES, 2):
        out.bodies += attempt(mediation.add_mediation_body, db, leader, f"{community}群众工作室", "work_room",
                              f"0791-8{rnd.randrange(1000000):06d}")
    bodies = mediation.mediation_bodies(db)
    departments = ("区住建局物业科", "街道办事处", "区人社局劳动监察大队", "区市场监管局", "区卫健委医政科", "社区居委会")
    non_police = [d for d in disputes if d[1] == "non_police"]
    for i, (d_id, _cat, _level, found) in enumerate(non_police[:8]):
        back = 25 if i < 2 else rnd.randrange(3, 20)
        handed = max(found, today - timedelta(days=back))
        due = handed + timedelta(days=15)
        if attempt(mediation.hand_over, db, leader, d_id, departments[i % len(departments)], handed_on=handed,
                   answer_due=due):
            out.handovers += 1
            if 2 <= i < 5:
                attempt(mediation.record_answer, db, leader, d_id, "已约谈相关单位，责令限期整改，整改情况已反馈派出所",
                        min(today, handed + timedelta(days=rnd.randrange(3, 12))))
    mediators = ("刘春华", "陈志强", "万丽萍", "胡建国", "熊小燕", "涂国平")
    agreements = ("双方当面协商，一方赔偿医药费{n}元，当场履行", "物业公司承诺{n}日内修复漏水并减免当月物业费",
                  "欠薪由劳务公司分两期支付，首期{n}元已到账", "双方签订调解协议，互谅互让，不再追究",
                  "邻里双方约定晚十点后不再装修施工，互留联系方式")
    for d_id, _cat, _level, found in rnd.sample(disputes, min(30, len(disputes))):
        body = rnd.choice(bodies)
        held = max(found, today - timedelta(days=rnd.randrange(0, 20)))
        out.mediations += attempt(mediation.record_mediation, db, leader, d_id, body_id=body.id,
                                  mediator=rnd.choice(mediators), held_on=held,
                                  agreement=rnd.choice(agreements).format(n=rnd.choice((800, 1500, 3000, 5, 7))),
                                  result=rnd.choice(("agreed", "agreed", "partial")))
    yellow = [d for d in disputes if d[2] == "yellow" and d[1] != "non_police"]
    for i, (d_id, _cat, _level, found) in enumerate(yellow[:6]):
        day = max(found, today - timedelta(days=(12, 9, 5, 3, 1, 0)[i]))
        if attempt(records.change_level, db, leader, "dispute", d_id, "green", "调解完成", "双方达成调解协议", on=day) \
                and i in (1, 3):
            attempt(records.record_followup, db, leader, d_id, "satisfied", "电话回访，双方表示满意",
                    on=min(today, day + timedelta(days=6)))

    # 在管在控: camera hits and checks of the red persons, two left overdue, one away reported.
    reds = [p for p in persons if p[1] == "red"]
    for i, (pid, *_rest) in enumerate(reds):
        if i in (3, 11):
            continue  # no hit or check within the day: overdue on the list
        at = now - timedelta(minutes=rnd.randrange(20, 18 * 60))
        out.checks += attempt(control.record_check, db, leader, pid, "hit", at=at,
                              place=f"{rnd.choice(ROADS)}天网点位{rnd.randrange(1, 40):02d}", outcome="比中，轨迹正常")
        if i % 4 == 0:
            out.checks += attempt(control.record_check, db, leader, pid, "check", at=at - timedelta(days=2),
                                  place=f"{rnd.choice(ESTATES)}", outcome="见面谈话，本人情绪稳定")
    outcomes = ("见面核查，本人在家", "电话核查，在单位上班", "社区网格员协助核查，情况正常", "走访家属，了解近况正常")
    for pid, level, *_rest in persons:
        if level == "red" or rnd.random() < 0.06:
            continue  # red: camera hits above; a few others left overdue
        hours = {"orange": 7 * 24, "yellow": 30 * 24}.get(level, 30 * 24)
        at = now - timedelta(hours=rnd.randrange(2, int(hours * 0.9)))
        out.checks += attempt(control.record_check, db, leader, pid, "check", at=at, place=rnd.choice(ESTATES),
                              outcome=rnd.choice(outcomes))
    if len(reds) > 6:
        attempt(control.set_control_status, db, leader, reds[6][0], "away_reported", "赴外省务工，已向社区民警报备",
                place="广东省东莞市")
    for pid, level, cats, grade, _listed, guardian in persons[:40]:
        codes = [c for c in cats.split(",") if c]
        if not codes or ("mental_incident" in codes and (grade is None or (grade >= 3 and not guardian))):
            continue
        tier = "province" if "key_petitioner" in codes else None
        try:
            proposal = propose_level(codes, grade, tier)
        except StationError:
            continue
        if proposal.level.value != level:
            continue
        notes = ("近期见面谈话，情绪平稳，家属配合", "专班走访，监护到位", "本人有稳定工作，社会关系正常")
        if attempt(control.assess_risk, db, leader, pid, codes, mental_risk_grade=grade, petition_tier=tier,
                   note=rnd.choice(notes)):
            out.assessments += 1
        if out.assessments >= 12:
            break
    # Events of earlier months: this month is 零失控、零非访、零滋事, as the seed reports.
    month_start = today.replace(day=1)
    candidates = [p for p in persons if p[4] < month_start - timedelta(days=70)]
    if len(candidates) >= 2:
        out.events += attempt(control.record_person_event, db, leader, candidates[0][0], "petition",
                              month_start - timedelta(days=40), "未经报备赴省信访局上访，已劝返", tier="province",
                              place="省信访局")
        out.events += attempt(control.record_person_event, db, leader, candidates[1][0], "trouble",
                              month_start - timedelta(days=65), "酒后在农贸市场与摊主争吵，已训诫", place="农贸市场")

    # 110 alerts: the log of the last 40 days through the alert import, with repeat callers.
    out.alerts, out.alert_disputes = _alerts(db, leader, rnd, now)

    # 串并侦查: orange cases of one cause become series.
    by_cause: dict[str, list] = {}
    for cid, cause, accepted, _kind in orange:
        by_cause.setdefault(cause, []).append((cid, accepted))
    made = 0
    for cause, items in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
        if len(items) < 3 or made >= 3:
            continue
        ids = [cid for cid, _ in sorted(items[:4], key=lambda x: x[1])]
        try:
            sid = series.create_series(db, leader, f"{cause}系列案（{made + 1}）", ids,
                                       features=rnd.choice(("夜间作案，作案手法相似", "同一时段多发，疑为同一伙人",
                                                            "监控显示嫌疑人体貌特征相近")))
        except StationError:
            continue
        made += 1
        if made == 1:
            first = ids[0]
            if attempt(records.mark_case_solved, db, leader, first, today - timedelta(days=2), "抓获犯罪嫌疑人一名，供述多起"):
                attempt(series.mark_series_solved, db, leader, sid, "抓获犯罪嫌疑人，串破系列案件", today - timedelta(days=2))
    out.series = made
    return out


#: The demo's 110 log is the one the alert system exported this morning: it runs to this time of
#: the day (or to the moment the demo is made, if earlier). A log cut at the moment the demo is made
#: held a different number of today's calls at 18:40 than at 19:10, so the same demo station showed
#: other figures depending on the hour it was made.
ALERT_LOG_CUT = time(7, 0)


def _alerts(db: Store, leader, rnd: random.Random, now: datetime) -> tuple[int, int]:
    import openpyxl

    from app.ledger.alerts import import_alerts
    from app.spreadsheet import append_row

    kinds = (("纠纷", "邻里因噪音发生争吵"), ("纠纷", "家庭成员发生口角"), ("求助", "老人走失，家属求助"),
             ("纠纷", "业主与物业因停车费争执"), ("治安", "有人在楼道内吵闹"), ("纠纷", "讨要工钱发生争执"),
             ("求助", "钥匙反锁屋内"), ("治安", "电动车被盗"))
    surnames = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"
    rows = []
    repeaters = [(f"{rnd.choice(ESTATES)}{rnd.randrange(1, 30)}栋{rnd.randrange(1, 6)}单元", f"{rnd.choice(surnames)}某",
                  f"139{rnd.randrange(10**8):08d}", kind) for kind in (kinds[0], kinds[1], kinds[3])]
    cut = datetime.combine(now.date(), ALERT_LOG_CUT)
    log_end = min(now, cut)
    n = 0
    for days_back in range(40, -1, -1):
        for _ in range(rnd.choice((1, 2, 2, 3))):
            n += 1
            hour, minute = rnd.randrange(7, 23), rnd.randrange(60)
            if days_back == 0:  # today's calls so far: the night before the cut
                hour = (hour - 7) * ALERT_LOG_CUT.hour // 16
            at = datetime.combine(now.date() - timedelta(days=days_back), time(hour, minute))
            if at > log_end:
                continue
            category, summary = rnd.choice(kinds)
            rows.append([f"J{at:%Y%m%d}{n:04d}", at, f"{rnd.choice(ROADS)}{rnd.randrange(1, 300)}号",
                         f"{rnd.choice(surnames)}某", f"13{rnd.randrange(10**9):09d}", category, summary])
    for k, (addr, caller, phone, (category, summary)) in enumerate(repeaters):
        for j in range(3 + k % 2):
            at = cut - timedelta(days=2 + 5 * j + k, hours=rnd.randrange(1, 6))
            rows.append([f"J{at:%Y%m%d}R{k}{j}", at, addr, caller, phone, category,
                         summary + ("，再次报警" if j else "")])
    rows.sort(key=lambda r: r[1])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "110接处警登记表.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        append_row(ws, ["京东派出所110接处警登记表"])
        append_row(ws, ["警情编号", "报警时间", "发案地址", "报警人", "报警电话", "警情类别", "简要警情"])
        for r in rows:
            append_row(ws, r)
        wb.save(path)
        report = import_alerts(db, leader, path)
    officer = None
    with db.read() as session:
        officer = session.scalar(select(Officer.id).where(Officer.role == "officer", Officer.active,
                                                          Officer.auxiliary.is_(False)).order_by(Officer.id))
        existing = session.scalar(select(func.count()).select_from(Dispute)) or 0
    converted = 0
    for g in alerts.repeated(db, now.date())[:3]:
        if g.dispute_ids:
            continue
        try:
            alerts.alert_to_dispute(db, leader, g.alert_ids[-1], dispute_no=f"110-{existing + converted + 1:05d}",
                                    level="orange", focus_area="neighbour", officer_id=officer,
                                    parties="")
            converted += 1
        except StationError:
            continue
    # This morning's log: a repeat caller whose calls became a dispute calls again, which raises
    # the repeat-call suggestion on that dispute for an officer to answer.
    opened = {a.address for a in alerts.list_alerts(db) if a.dispute_id}
    again_from = [r for r in repeaters if r[0] in opened]
    if not again_from:
        return report.count("imported"), converted
    addr, caller, phone, (category, summary) = again_from[0]
    at = max(datetime.combine(now.date(), time()), log_end - timedelta(minutes=30))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "110接处警登记表（今日）.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        append_row(ws, ["警情编号", "报警时间", "发案地址", "报警人", "报警电话", "警情类别", "简要警情"])
        append_row(ws, [f"J{at:%Y%m%d}R9", at, addr, caller, phone, category, summary + "，第四次报警"])
        wb.save(path)
        again = import_alerts(db, leader, path)
    return report.count("imported") + again.count("imported"), converted
