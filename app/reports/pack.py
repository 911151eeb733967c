"""The report pack: morning sheet, weekly consultation, monthly statistics, accountability, red list.

Each builder turns (database, period, today) into a Report model; the figures come from
app.services.stats and app.services.trends, so the reports say what the statistics say. The data
is counted as of the end of the period, or of `today` while the period is still running.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

from app.domain.levels import LEVEL_NAMES, LEVEL_ORDER, Level, Module
from app.errors import ValidationError
from app.reports import data
from app.reports.catalog import REPORT_TITLES
from app.reports.header import report_as_of, report_header
from app.reports.model import Col, Figure, FigureSeries, Paragraph, Report, Section, Table
from app.services import trends as T
from app.services.headline import headline_stats
from app.services.stats import ratio
from app.store import Store

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)
ACTIVE = ("red", "orange", "yellow")
CHANGE = '=IF({base}=0,"—",({cur}-{base})/{base})'
SHARE = '=IF({whole}=0,"—",{part}/{whole})'


def _lv(code: str) -> str:
    return LEVEL_NAMES[Level(code)][0]


def _f(template: str, **keys: str) -> str:
    """A formula template over column keys (written as {key} for the Excel writer)."""
    return template.format(**{k: "{" + v + "}" for k, v in keys.items()})


# -- shared tables ----------------------------------------------------------------------------------
def _level_columns(first: str) -> list[Col]:
    return [Col("name", first, "text", 12),
            *(Col(lv, _lv(lv), "int", 7, total="sum", level=lv) for lv in LEVEL_ORDER_CODES),
            Col("active", "在办合计", "int", 9, formula="={red}+{orange}+{yellow}", total="sum"),
            Col("overdue", "超期", "int", 7, total="sum"),
            Col("share", "超期占比", "rate", 9, formula=_f(SHARE, part="overdue", whole="active"),
                total=_f(SHARE, part="overdue", whole="active"))]


LEVEL_ORDER_CODES = tuple(lv.value for lv in LEVEL_ORDER)


def _level_row(name: str, states: dict[int, T.RecordState]) -> list:
    counts = {lv: 0 for lv in LEVEL_ORDER_CODES}
    overdue = 0
    for s in states.values():
        counts[s.level] += 1
        overdue += s.overdue
    active = sum(counts[lv] for lv in ACTIVE)
    return [name, *(counts[lv] for lv in LEVEL_ORDER_CODES), active, overdue, ratio(overdue, active)]


def _count_row(db: Store, module: Module, as_of: date) -> list:
    """`_level_row` of a module from its counts as of the end of `as_of` (the daily summary:
    the same figures as the per-record states, without reading every record)."""
    from app.services.stats import summary_state

    with db.read() as session:
        st = summary_state(session, module, as_of)
    active = sum(st.by_level[lv] for lv in ACTIVE)
    return [module.zh, *(st.by_level[lv] for lv in LEVEL_ORDER_CODES), active, st.overdue, ratio(st.overdue, active)]


def _levels_table(db: Store, as_of: date, title: str) -> Table:
    rows = [_count_row(db, m, as_of) for m in MODULES]
    return Table(title, _level_columns("类别"), rows)


def _comparison_columns(first: str = "项目") -> list[Col]:
    return [Col("name", first, "text", 14), Col("cur", "本期", "int", 8), Col("prev", "上期", "int", 8),
            Col("mom", "环比", "pct", 9, formula=_f(CHANGE, cur="cur", base="prev")),
            Col("ly", "去年同期", "int", 9),
            Col("yoy", "同比", "pct", 9, formula=_f(CHANGE, cur="cur", base="ly"))]


def _comparison_row(name: str, c: T.Comparison) -> list:
    return [name, c.current, c.previous, c.mom_pct, c.last_year, c.yoy_pct]


def _windows_note(c: T.Comparison) -> str:
    return "；".join(c.labels().values()) + "。环比、同比以上期或去年同期为基数，基数为0时记为“—”。"


def _record_list(db: Store, title: str, items: list[tuple[Module, int, T.RecordState | None]], as_of: date,
                 *, with_days: bool = True) -> Table:
    branch = data.scope(db).branch
    cols = [Col("module", "模块", "text", 8), *([Col("station", "派出所", "text", 12)] if branch else []),
            Col("label", "编号/姓名", "text", 18), Col("level", "等级", "level", 6),
            Col("category", "类别", "text", 14), Col("summary", "简要情况", "text", 36),
            Col("officer", "责任民警", "text", 8), Col("team", "所在队", "text", 12)]
    if with_days:
        cols += [Col("since", "本级起始", "date", 11), Col("days", "持续天数", "int", 8),
                 Col("due", "应跟进日期", "date", 11), Col("overdue", "超期", "text", 6)]
    info: dict[tuple[Module, int], data.RecordInfo] = {}
    for m in MODULES:
        ids = [rid for mod, rid, _ in items if mod == m]
        info.update({(m, k): v for k, v in data.record_info(db, m, ids).items()})
    rows, levels = [], []
    for mod, rid, st in items:
        r = info[(mod, rid)]
        level = st.level if st else None
        row = [mod.zh, *([r.station] if branch else []), r.label, level, r.category, r.summary[:60], r.officer,
               r.team]
        if with_days:
            since = st.since.date() if st and st.since else None
            row += [since, (as_of - since).days if since else None, st.due if st else None,
                    "是" if st and st.overdue else ""]
        rows.append(row)
        levels.append(level)
    return Table(title, cols, rows, row_levels=levels)


def _by_days_at_level(items: list[tuple[Module, int, T.RecordState]]) -> list[tuple[Module, int, T.RecordState]]:
    return sorted(items, key=lambda t: (MODULES.index(t[0]), t[2].since or datetime.max, t[1]))


def _level_figure(db: Store, module: Module, grain: str, start: date, as_of: date) -> Figure:
    tr = T.level_series(db, module, grain, start=start, as_of=as_of)
    return Figure(f"{module.zh}各等级数量（期末）", [p.short_label for p in tr.periods],
                  [FigureSeries(s.label, s.values, s.level) for s in tr.series], stacked=True, y_title="件/人")


# -- 1. the morning-meeting sheet (晨会) -----------------------------------------------------------
def morning(db: Store, period: T.Period, today: date) -> Report:
    if period.grain != "day":
        raise ValidationError("晨会简报的统计期间是一天，例如 2025-05-15", "the morning sheet covers one day, e.g. 2025-05-15",
                              "period")
    day = report_as_of(period, today)
    # The red and overdue records only (a bounded read), the counts from the daily summary.
    states = {m: T.attention_states(db, m, day, "red_or_overdue") for m in MODULES}
    overview = Table("各类预警等级（截至当日）", _level_columns("类别"),
                     [_count_row(db, m, day) for m in MODULES], totals=True)
    opened = {m: data.opened_ids(db, m, day, day, day) for m in MODULES}
    new_states = {m: T.states_of(db, m, day, opened[m]) for m in MODULES}
    new_items = [(m, rid, new_states[m].get(rid)) for m in MODULES for rid in opened[m]]
    moves = data.level_moves(db, day, day)
    infos = {m: data.record_info(db, m, [mv.record_id for mv in moves if mv.module == m]) for m in MODULES}
    branch = data.scope(db).branch

    def who(mv: data.LevelMove) -> list[str]:
        r = infos[mv.module].get(mv.record_id)
        label = r.label if r else ""
        return [r.station if r else "", label] if branch else [label]

    move_table = Table("当日等级变化", [Col("module", "模块", "text", 8),
                                    *([Col("station", "派出所", "text", 12)] if branch else []),
                                    Col("label", "编号/姓名", "text", 18),
                                    Col("from", "原等级", "level", 7), Col("to", "新等级", "level", 7),
                                    Col("time", "时间", "text", 6), Col("reason", "理由", "text", 36),
                                    Col("by", "变更人", "text", 8)],
                       [[mv.module.zh, *who(mv), mv.from_level, mv.to_level, f"{mv.at:%H:%M}", mv.reason, mv.by]
                        for mv in moves],
                       row_levels=[mv.to_level for mv in moves])
    red = _by_days_at_level([(m, rid, s) for m in MODULES for rid, s in states[m].items() if s.level == "red"])
    overdue = _by_days_at_level([(m, rid, s) for m in MODULES for rid, s in states[m].items()
                                 if s.overdue and s.level != "red"])
    sections = [
        Section("当日概况", [overview, Paragraph(
            f"当日新增 {len(new_items)} 件（人），等级变化 {len(moves)} 次；红色 "
            f"{sum(1 for t in red)} 件（人），其中超期未跟进 {sum(1 for t in red if t[2].overdue)} 件（人）。")]),
        Section("当日新增", [_record_list(db, "当日新增记录", new_items, day, with_days=False)]),
        Section("等级变化", [move_table]),
        Section("红色预警", [_record_list(db, "红色记录（优先调度）", red, day)]),
        Section("超期未跟进", [_record_list(db, "超期未跟进的橙色、黄色记录", overdue, day)]),
    ]
    return report_header(db, "morning", "每日晨会调度简报", period, day, sections)


# -- 2. the weekly consultation (周会商研判) ----------------------------------------------------------
def weekly(db: Store, period: T.Period, today: date) -> Report:
    if period.grain != "week":
        raise ValidationError("周会商研判的统计期间是一周，例如 2025-W19", "the weekly report covers one ISO week, e.g. 2025-W19",
                              "period")
    as_of = report_as_of(period, today)
    prev_end = period.start - timedelta(days=1)
    now_rows = {m: _count_row(db, m, as_of) for m in MODULES}
    before = {m: _count_row(db, m, prev_end) for m in MODULES}
    shift_cols = [Col("name", "类别", "text", 12)]
    shift_rows = []
    for lv in LEVEL_ORDER_CODES:
        shift_cols += [Col(f"{lv}_now", f"{_lv(lv)}本周末", "int", 9, level=lv),
                       Col(f"{lv}_d", "增减", "int", 6, formula="={" + lv + "_now}-{" + lv + "_before}"),
                       Col(f"{lv}_before", "上周末", "int", 7)]
    for m in MODULES:
        row = [m.zh]
        for i in range(1, len(LEVEL_ORDER_CODES) + 1):
            row += [now_rows[m][i], now_rows[m][i] - before[m][i], before[m][i]]
        shift_rows.append(row)
    compare_rows, note = [], ""
    for m in MODULES:
        for event in ("new", "closed"):
            c = T.compare(db, m, event, "week", as_of)
            note = note or _windows_note(c)
            compare_rows.append(_comparison_row(f"{m.zh}{T.MODULE_EVENT_NAMES[m][event][0]}", c))
    res = data.resolution(db, period.start, period.end, as_of)
    sat = data.satisfaction(db, period.start, period.end, as_of)
    moves = data.level_moves(db, period.start, as_of)
    rank = {lv: i for i, lv in enumerate(LEVEL_ORDER_CODES)}
    move_rows = []
    for m in MODULES:
        ms = [mv for mv in moves if mv.module == m]
        up = sum(1 for mv in ms if rank[mv.to_level] < rank[mv.from_level])
        green = sum(1 for mv in ms if mv.to_level == "green")
        move_rows.append([m.zh, up, len(ms) - up - green, green, len(ms)])
    start8 = period.start - timedelta(weeks=7)
    sections = [
        Section("总体态势", [Table("各等级数量：本周末与上周末", shift_cols, shift_rows, totals=False),
                         Table("超期情况（本周末）", _level_columns("类别"), list(now_rows.values()), totals=True)]),
        Section("新增与办结", [Table("本周与上周同期、去年同周比较", _comparison_columns(), compare_rows),
                          Paragraph(note),
                          Paragraph(f"{res.text_zh('本周')}。{sat.text_zh('本周')}。")]),
        Section("等级升降", [Table("本周等级变化", [Col("name", "类别", "text", 12),
                                              Col("up", "升级", "int", 7, total="sum"),
                                              Col("down", "降级", "int", 7, total="sum"),
                                              Col("green", "办结（转绿）", "int", 11, total="sum"),
                                              Col("all", "合计", "int", 7, formula="={up}+{down}+{green}",
                                                  total="sum")], move_rows, totals=True)]),
        Section("近八周走势", [_level_figure(db, m, "week", start8, as_of) for m in MODULES]),
        Section("各队情况", [_team_table(db, period, as_of)]),
    ]
    return report_header(db, "weekly", "每周会商研判报告", period, as_of, sections)


def _rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# -- 3. monthly statistics (月度统计) ----------------------------------------------------------------
def monthly(db: Store, period: T.Period, today: date) -> Report:
    if period.grain != "month":
        raise ValidationError("月度统计的统计期间是一个月，例如 2025-05", "the monthly report covers one month, e.g. 2025-05",
                              "period")
    as_of = report_as_of(period, today)
    h = headline_stats(db, as_of)
    cases = [_comparison_row("受案", T.compare(db, Module.CASE, "new", "month", as_of)),
             _comparison_row("破刑事案件", T.compare(db, Module.CASE, "solved", "month", as_of)),
             _comparison_row("查处行政案件", T.compare(db, Module.CASE, "handled", "month", as_of)),
             _comparison_row("办结", T.compare(db, Module.CASE, "closed", "month", as_of))]
    c0 = T.compare(db, Module.CASE, "solved", "month", as_of)
    d = h["disputes"]
    disputes = [_comparison_row("排查发现", T.compare(db, Module.DISPUTE, "new", "month", as_of)),
                _comparison_row("化解", T.compare(db, Module.DISPUTE, "closed", "month", as_of)),
                ["转为案件", d["converted_to_case"]["current"], d["converted_to_case"]["previous"],
                 d["converted_to_case"]["mom_pct"], d["converted_to_case"]["last_year"], d["converted_to_case"]["yoy_pct"]]]
    ytd_start = date(as_of.year, 1, 1)
    res_m, res_y = data.resolution(db, period.start, period.end, as_of), data.resolution(db, ytd_start, as_of, as_of)
    sat_m, sat_y = data.satisfaction(db, period.start, period.end, as_of), data.satisfaction(db, ytd_start, as_of,
                                                                                             as_of)
    solve_m, solve_y = data.solve_rate(db, period.start, period.end, as_of), data.solve_rate(db, ytd_start, as_of,
                                                                                             as_of)
    rate_cols = [Col("name", "指标", "text", 14), Col("window", "统计区间", "text", 23), Col("part", "分子", "int", 8),
                 Col("whole", "分母", "int", 8), Col("rate", "比率", "rate", 9, formula=_f(SHARE, part="part", whole="whole")),
                 Col("apart", "另计", "int", 8)]

    def span(w) -> str:
        return f"{w.start.isoformat()}至{min(w.end, as_of).isoformat()}"

    rates = Table("化解率与回访满意率", rate_cols, [
        ["化解率（本月）", span(res_m.window), res_m.resolved_of_found, res_m.found, res_m.rate, res_m.resolved_earlier],
        ["化解率（本年累计）", span(res_y.window), res_y.resolved_of_found, res_y.found, res_y.rate, res_y.resolved_earlier],
        ["群众回访满意率（本月）", span(sat_m.window), sat_m.satisfied + sat_m.basic, sat_m.visits, sat_m.rate, None],
        ["群众回访满意率（本年累计）", span(sat_y.window), sat_y.satisfied + sat_y.basic, sat_y.visits, sat_y.rate, None]],
        note="化解率＝本期排查的纠纷中截至统计日已化解的起数（分子）÷ 本期排查起数（分母）；“另计”为往期排查、本期化解的纠纷，"
             "不计入化解率。排查数含重要救助警情（三类纠纷之一）和转为案件的纠纷（调解未成，计入分母、不计为化解）。"
             "回访满意率＝满意（含基本满意）回访起数 ÷ 本期回访起数。")
    solve_table = Table("破案率", rate_cols[:5], [
        ["破案率（本月）", span(solve_m.window), solve_m.solved, solve_m.filed, solve_m.rate],
        ["破案率（本年累计）", span(solve_y.window), solve_y.solved, solve_y.filed, solve_y.rate]],
        note="破案率＝本期破刑事案件起数（破案日期在本期，分子）÷ 本期刑事立案起数（立案日期在本期，分母）；"
             "两者均为本期发生数，往期立案、本期破案的也计入分子，故可能超过100%。")
    persons = [_comparison_row("新列管", T.compare(db, Module.PERSON, "new", "month", as_of)),
               _comparison_row("撤销列管", T.compare(db, Module.PERSON, "closed", "month", as_of))]
    window = T.Window(period.start, as_of)
    speed_rows = []
    for m in MODULES:
        dg = T.days_to_green(db, m, window, as_of=as_of)
        speed_rows.append([m.zh, *(x for lv in ACTIVE for x in dg[lv])])
    speed_cols = [Col("name", "类别", "text", 10)]
    for lv in ACTIVE:
        speed_cols += [Col(f"{lv}_days", f"{_lv(lv)}平均天数", "days", 11, level=lv), Col(f"{lv}_n", "件数", "int", 6)]
    year_start = T.period_of("month", as_of).start.replace(day=1) - timedelta(days=330)
    solved = T.last_year_series(db, Module.CASE, "solved", "month", start=year_start, as_of=as_of)
    flow = T.event_series(db, Module.DISPUTE, ("new", "closed"), "month", start=year_start, as_of=as_of)
    cats = [p.short_label for p in solved.periods]
    sections = [
        Section("案件", [Table("案件主要指标", _comparison_columns(), cases), Paragraph(_windows_note(c0)),
                       solve_table, Paragraph(solve_m.text_zh("本月") + "。"),
                       Figure("破刑事案件（与去年同期对比）", cats,
                              [FigureSeries("本期", solved.series_by_key("current").values),
                               FigureSeries("去年同期", solved.series_by_key("last_year").values)], y_title="件")]),
        Section("矛盾纠纷", [Table("矛盾纠纷主要指标", _comparison_columns(), disputes), rates,
                         Paragraph(f"{res_m.text_zh('本月')}。{sat_m.text_zh('本月')}。"),
                         Figure("矛盾纠纷排查发现与化解", cats,
                                [FigureSeries("排查发现", flow.series_by_key("new").values),
                                 FigureSeries("化解", flow.series_by_key("closed").values)], y_title="件")]),
        Section("重点人员", [Table("重点人员列管", _comparison_columns(), persons)] + _workflow_blocks(db, period, as_of)),
        Section("等级与超期", [_levels_table(db, as_of, "各类预警等级（月末）")]),
        Section("办理时效", [Table("从录入到转绿的平均天数（按录入时等级）", speed_cols, speed_rows,
                               note="本月首次转为绿色的记录，自录入之日至转绿之日的自然日数；录入即为绿色的不计。")]),
    ]
    return report_header(db, "monthly", "月度统计报表", period, as_of, sections)


def _hours_zh(hours: int) -> str:
    """A check cadence in words: whole days from two days on (7天), else hours (24小时)."""
    return f"{hours // 24}天" if hours >= 48 and hours % 24 == 0 else f"{hours}小时"


def _workflow_blocks(db: Store, period: T.Period, as_of: date) -> list:
    """零失控、零非访、零滋事 of the month with its events, and what was overdue at its end
    (app.services.workflow_figures: one definition each)."""
    from app.services import workflow_figures as W
    from app.services.stats import Window

    zero = W.zero_figures(db, Window(period.start, period.end), as_of)
    at = datetime.combine(as_of + timedelta(days=1), datetime.min.time()) - timedelta(seconds=1)
    alerts = W.alert_figures(db, Window(period.start, period.end), as_of)
    cols = [Col("name", "事项", "text", 16), Col("n", "起数/人数", "int", 10), Col("of", "总数", "int", 10),
            Col("note", "说明", "text", 40)]
    rows = [["失控", zero.counts["lost_control"], zero.listed, "在管重点人员中"],
            ["非访", zero.counts["petition"], zero.listed, "中联办、部督、省督"],
            ["滋事", zero.counts["trouble"], zero.listed, ""]]
    from app.domain.workflows import FOLLOWUP_AFTER_DAYS, REPEAT_ALERT_DAYS
    from app.services.settings import get_check_cadence

    cadence = get_check_cadence(db)  # the station's own check cadence, as the overdue count uses it
    within = "、".join(f"{LEVEL_NAMES[lv][0]}{_hours_zh(h)}" for lv, h in cadence.items() if h)
    due = [["在管在控核查超期", W.checks_overdue(db, at), f"{within}内无核查或天网比中"],
           ["移交答复超期", W.answers_overdue(db, as_of), "非公安主责纠纷移交部门，逾期未答复"],
           ["回访超期", W.followups_due(db, as_of), f"调解完成后{FOLLOWUP_AFTER_DAYS}天内应回访"]]
    rows += [[name, fig.overdue, fig.of, note] for name, fig, note in due]
    rows.append(["110警情", alerts.received, None, f"转为纠纷 {alerts.to_disputes} 起；{REPEAT_ALERT_DAYS}日内重复报警地址 "
                                                  f"{alerts.repeated_addresses} 处、报警人 {alerts.repeated_callers} 个"])
    return [Table("在管在控与融调化解", cols, rows,
                  note="失控、非访、滋事：事件发生日期在本月的起数，总数为本月在管重点人员数；超期为统计日的数，总数为应核查、"
                       "待答复、待回访的数。"),
            Paragraph(zero.text_zh("本月") + "。")]


# -- 4. accountability per officer and team (责任落实) ---------------------------------------------------
#: The responsibility a record carries (RecordInfo field) → the trends dimension that groups by it.
RESPONSIBILITY_BY = {"officer_id": "officer", "team_id": "team", "team_leader_id": "team_leader",
                     "leader_id": "leader"}


def _people_rows(db: Store, period: T.Period, as_of: date, key: str, active: dict | None = None) -> dict:
    """Per officer, team, team leader or station leader id (`key`, a RecordInfo field): active by
    level, overdue, new and closed in the period (all modules). Each record counts once for the
    holder of that level of responsibility (三级责任: 民警包案, 队长, 所领导包责). `active`: the
    `_owner_reads` when the caller has read them already."""
    out: dict = {}

    def slot(k):
        return out.setdefault(k, {"red": 0, "orange": 0, "yellow": 0, "overdue": 0, "new": 0, "closed": 0})

    for m in MODULES:
        rows = active[m] if active is not None else T.active_by_owner(db, m, as_of)
        for owners, level, n, n_late in rows:
            owner = owners[key]
            slot(owner)[level] += n
            slot(owner)["overdue"] += n_late
        for event in ("new", "closed"):
            got = (active["events"][(m, event)] if active is not None
                   else T.events_by_owner(db, m, event, period.start, period.end, as_of))
            for owners, n in got:
                slot(owners[key])[event] += n
    return out


def _owner_reads(db: Store, period: T.Period, as_of: date) -> dict:
    """What `_people_rows` reads, once for every owner dimension: the active records per owner
    (trends.active_by_owner) and the period's new and closed records per owner."""
    out: dict = {m: T.active_by_owner(db, m, as_of) for m in MODULES}
    out["events"] = {(m, event): T.events_by_owner(db, m, event, period.start, period.end, as_of)
                     for m in MODULES for event in ("new", "closed")}
    return out


def _accountability_cols(first: list[Col]) -> list[Col]:
    return [*first, *(Col(lv, f"在办{_lv(lv)}", "int", 8, total="sum", level=lv) for lv in ACTIVE),
            Col("active", "在办合计", "int", 9, formula="={red}+{orange}+{yellow}", total="sum"),
            Col("overdue", "超期", "int", 7, total="sum"),
            Col("share", "超期占比", "rate", 9, formula=_f(SHARE, part="overdue", whole="active"),
                total=_f(SHARE, part="overdue", whole="active")),
            Col("new", "本期新增", "int", 9, total="sum"), Col("closed", "本期办结", "int", 9, total="sum")]


def _accountability_row(first: list, v: dict) -> list:
    active = v["red"] + v["orange"] + v["yellow"]
    return [*first, v["red"], v["orange"], v["yellow"], active, v["overdue"], ratio(v["overdue"], active),
            v["new"], v["closed"]]


def _team_table(db: Store, period: T.Period, as_of: date, active: dict | None = None) -> Table:
    per = _people_rows(db, period, as_of, "team_id", active)
    empty = {"red": 0, "orange": 0, "yellow": 0, "overdue": 0, "new": 0, "closed": 0}
    rows = [_accountability_row([name], per.get(tid, empty))
            for tid, name in data.teams(db, with_station=data.scope(db).branch)]
    if None in per:
        rows.append(_accountability_row(["（未指定队组）"], per[None]))
    return Table("各队责任落实情况", _accountability_cols([Col("team", "队组", "text", 14)]), rows, totals=True)


def accountability(db: Store, period: T.Period, today: date) -> Report:
    as_of = report_as_of(period, today)
    active = _owner_reads(db, period, as_of)  # read once for the four tables
    per = _people_rows(db, period, as_of, "officer_id", active)
    empty = {"red": 0, "orange": 0, "yellow": 0, "overdue": 0, "new": 0, "closed": 0}
    from app.domain.levels import ROLE_NAMES

    branch = data.scope(db).branch

    def team_of(o: data.StaffRow) -> str:  # at a branch two stations may have teams of one name
        team = o.team or "（所领导）"
        return f"{o.station}·{team}" if branch else team

    rows = [_accountability_row([team_of(o), o.name, ROLE_NAMES[o.role][0]], per.get(o.id, empty))
            for o in data.officers(db)]
    if None in per:
        rows.append(_accountability_row(["（未指定）", "", ""], per[None]))
    officer_table = Table("民警责任落实情况（民警包案）", _accountability_cols(
        [Col("team", "队组", "text", 14), Col("officer", "姓名", "text", 8), Col("role", "职务", "text", 7)]), rows,
        totals=True, note="在办、超期按统计期末计；新增、办结按本期内日期计；记录归属于其责任民警。")
    staff = data.officers(db)

    def roll_up(key: str, role: str, title: str, note: str) -> Table:
        """One row per holder of `role` with the records they answer for at that level; a row for
        records naming nobody, so the table sums to the same totals as the officers' table."""
        per_holder = _people_rows(db, period, as_of, key, active)
        holders = [o for o in staff if o.role == role or o.id in per_holder]
        first = [Col("team", "队组", "text", 14), Col("officer", "姓名", "text", 8), Col("role", "职务", "text", 7)]
        rows = [_accountability_row([team_of(o), o.name, ROLE_NAMES[o.role][0]], per_holder.get(o.id, empty))
                for o in holders]
        if None in per_holder:
            rows.append(_accountability_row(["（未指定）", "", ""], per_holder[None]))
        return Table(title, _accountability_cols(first), rows, totals=True, note=note)

    leader_table = roll_up("leader_id", "leader", "所领导包责情况",
                           "每条记录计入其包责所领导（所领导包责）；在办、超期按统计期末计，新增、办结按本期内日期计。")
    team_leader_table = roll_up("team_leader_id", "team_leader", "队长责任落实情况",
                                "每条记录计入其所在队的队长；口径同上。三张表（所领导、队长、民警）的合计相同。")
    team_table = _team_table(db, period, as_of, active)
    teams = [r[0] for r in team_table.rows]
    figure = Figure("各队在办与超期", teams, [FigureSeries("在办合计", tuple(r[4] for r in team_table.rows)),
                                          FigureSeries("超期", tuple(r[5] for r in team_table.rows))], y_title="件（人）")
    sections = [Section("所领导", [leader_table]), Section("队长", [team_leader_table]),
                Section("民警", [officer_table]), Section("队组", [team_table, figure])]
    return report_header(db, "accountability", "责任落实情况表", period, as_of, sections,
                   subtitle="所领导包责、民警包案：超期、办结与各等级在办数")


# -- 5. the list of red records (红色记录清单) ---------------------------------------------------------
def red_list(db: Store, period: T.Period, today: date) -> Report:
    as_of = report_as_of(period, today)
    sections = []
    for m in MODULES:
        items = _by_days_at_level([(m, rid, s) for rid, s in T.attention_states(db, m, as_of, "red").items()
                                   if s.level == "red"])
        table = _record_list(db, f"红色{m.zh}（{len(items)}）", items, as_of)
        table.empty_text = "无红色记录"
        sections.append(Section(f"红色{m.zh}", [Paragraph(f"{m.zh}红色等级含义：{_meaning(m)}"), table]))
    return report_header(db, "red", "红色预警记录清单", period, as_of, sections)


def _meaning(m: Module) -> str:
    from app.domain.levels import MEANINGS

    meaning = MEANINGS[m][Level.RED]
    return f"{meaning.zh}（{meaning.action_zh}）"


def _breakdown(db: Store, period: T.Period, today: date) -> Report:
    from app.reports.breakdown import breakdown  # it builds on this module's header

    return breakdown(db, period, today)


# -- the registry ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    build: Callable[[Store, T.Period, date], Report]
    example: str


_BUILDERS: dict[str, Callable[[Store, T.Period, date], Report]] = {
    "morning": morning, "weekly": weekly, "monthly": monthly, "accountability": accountability,
    "red": red_list, "breakdown": _breakdown,
}
REPORTS: dict[str, ReportKind] = {key: ReportKind(key, title, _BUILDERS[key], example)
                                  for key, (title, example) in REPORT_TITLES.items()}


def build_report(db: Store, name: str, period: str | T.Period, today: date | None = None) -> Report:
    """One report of the pack for a period (--period text or a Period), counted as of its end."""
    kind = REPORTS.get(name)
    if kind is None:
        raise ValidationError(f"未知的报表：{name}（可选：{'、'.join(REPORTS)}）",
                              f"unknown report {name}; one of {', '.join(REPORTS)}", "report")
    p = T.parse_period(period) if isinstance(period, str) else period
    return kind.build(db, p, today or date.today())


__all__ = ["REPORTS", "ReportKind", "build_report", "morning", "weekly", "monthly", "accountability", "red_list"]
