"""The breakdowns a station sends upward (分类统计表): cases by 案别 and by 刑事/行政 (受案、立案、破案、
查处), disputes by category and by focus area, key persons by category with 在管 / 撤销列管; each
figure in the current window with 环比 and 同比 on labelled windows, for a month or a week.

Every table ends with its 合计 row, and each 合计 is the headline figure of the same window
(trends.compare / stats.headline_stats): a breakdown splits the total, it never counts apart.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.levels import DISPUTE_CATEGORY_NAMES, FOCUS_AREA_NAMES, PERSON_RISK_CATEGORIES, Level, Module
from app.errors import ValidationError
from app.reports.model import Col, Figure, FigureSeries, Paragraph, Report, Section, Table
from app.services import trends as T
from app.services.stats import change_pct
from app.store import Store
from models import Person

CHANGE = '=IF({base}=0,"—",({cur}-{base})/{base})'
#: Rows of a table, then its 合计 row (the headline figure).
TOTAL = "合计"
NO_CATEGORY = "（未填案别）"
NO_RISK = "（未分类）"


def _f(template: str, **keys: str) -> str:
    return template.format(**{k: "{" + v + "}" for k, v in keys.items()})


def _cols(first: str, extra: list[Col] = ()) -> list[Col]:
    """The name, then 本期 / 上期 / 环比 / 去年同期 / 同比, then `extra`."""
    return [Col("name", first, "text", 18), Col("cur", "本期", "int", 8), Col("prev", "上期", "int", 8),
            Col("mom", "环比", "pct", 9, formula=_f(CHANGE, cur="cur", base="prev")),
            Col("ly", "去年同期", "int", 9), Col("yoy", "同比", "pct", 9, formula=_f(CHANGE, cur="cur", base="ly")),
            *extra]


def _row(name: str, cur: int, prev: int, ly: int, *extra) -> list:
    return [name, cur, prev, change_pct(cur, prev), ly, change_pct(cur, ly), *extra]


def _comparison_row(name: str, c: T.Comparison, *extra) -> list:
    return _row(name, c.current, c.previous, c.last_year, *extra)


def _total_row(rows: list[list], extra_count: int = 0) -> list:
    """The 合计 of rows built by _row: sums of the counts, the changes of the sums."""
    cur, prev, ly = (sum(r[i] for r in rows) for i in (1, 2, 4))
    extra = [sum(r[6 + i] or 0 for r in rows) for i in range(extra_count)]
    return _row(TOTAL, cur, prev, ly, *extra)


def _windows_note(windows: dict[str, T.Window]) -> str:
    labels = "；".join(f"{T.WINDOW_NAMES[k][0]} {T.window_label(w)}" for k, w in windows.items())
    return labels + "。环比以上期为基数、同比以去年同期为基数，基数为0时记为“—”。"


def _figure(title: str, table: Table, unit: str) -> Figure:
    rows = [r for r in table.rows if r[0] != TOTAL]
    return Figure(title, [r[0] for r in rows], [FigureSeries("本期", tuple(r[1] for r in rows)),
                                                FigureSeries("上期", tuple(r[2] for r in rows)),
                                                FigureSeries("去年同期", tuple(r[4] for r in rows))], y_title=unit)


def _names(codes: dict, keys, empty: str = "") -> dict[str, str]:
    return {k: (codes[k][0] if k in codes else (k or empty)) for k in keys}


def _ordered(found: dict, order) -> list[str]:
    """Known codes in their defined order, then the others alphabetically (an empty one last)."""
    known = [k for k in order if k in found]
    return known + sorted((k for k in found if k not in known), key=lambda k: (k == "", k))


# -- cases ------------------------------------------------------------------------------------------
def kind_table(db: Store, grain: str, as_of: date) -> Table:
    """刑事/行政: 受案、立案 of each kind, 破刑事案件, 查处行政案件, and 受案 in all (the headline)."""
    new = T.compare_by(db, Module.CASE, "new", grain, as_of, "kind")
    filed = T.compare_by(db, Module.CASE, "filed", grain, as_of, "kind")
    solved = T.compare(db, Module.CASE, "solved", grain, as_of)
    handled = T.compare(db, Module.CASE, "handled", grain, as_of)
    zero = T.Comparison(0, 0, 0, None, None, solved.windows)
    rows = [_comparison_row("刑事案件受案", new.get("criminal", zero)),
            _comparison_row("刑事案件立案", filed.get("criminal", zero)),
            _comparison_row("破刑事案件", solved),
            _comparison_row("行政案件受案", new.get("administrative", zero)),
            _comparison_row("查处行政案件", handled)]
    accepted = [rows[0], rows[3]]
    rows.append(["受案合计", *_total_row(accepted)[1:]])
    return Table("刑事、行政案件（受案、立案、破案、查处）", _cols("项目"), rows,
                 note="受案合计＝刑事案件受案＋行政案件受案。立案按立案日期、破案按破案日期、查处按办结日期计入统计区间。")


def category_table(db: Store, grain: str, as_of: date) -> Table:
    """案别: cases accepted per category, with the criminal cases solved of each in the window."""
    new = T.compare_by(db, Module.CASE, "new", grain, as_of, "case_category")
    solved = T.compare_by(db, Module.CASE, "solved", grain, as_of, "case_category")
    keys = _ordered({**new, **solved}, ())
    zero = T.Comparison(0, 0, 0, None, None, T.compare_windows(grain, as_of))
    rows = [_comparison_row(k or NO_CATEGORY, new.get(k, zero), solved.get(k, zero).current) for k in keys]
    rows = [r for r in rows if any(r[i] for i in (1, 2, 4, 6))]  # a 案别 with nothing in the three windows
    rows.append(_total_row(rows, 1))
    return Table("案件按案别（受案）", _cols("案别", [Col("solved", "本期破刑事案件", "int", 12)]), rows,
                 note="每起案件按其案别计入一行；未填案别的计入“（未填案别）”。合计即受案总数、破刑事案件总数。")


# -- disputes ---------------------------------------------------------------------------------------
def dispute_table(db: Store, grain: str, as_of: date, by: str) -> Table:
    """Disputes found per category or focus area, with those resolved in the window."""
    found = T.compare_by(db, Module.DISPUTE, "new", grain, as_of, by)
    resolved = T.compare_by(db, Module.DISPUTE, "closed", grain, as_of, by)
    codes = DISPUTE_CATEGORY_NAMES if by == "dispute_category" else FOCUS_AREA_NAMES
    keys = _ordered({**found, **resolved}, codes)
    names = _names(codes, keys, "（未填）")
    zero = T.Comparison(0, 0, 0, None, None, T.compare_windows(grain, as_of))
    rows = [_comparison_row(names[k], found.get(k, zero), resolved.get(k, zero).current) for k in keys]
    rows.append(_total_row(rows, 1))
    title, first = (("矛盾纠纷按类别（排查）", "纠纷类别") if by == "dispute_category"
                    else ("矛盾纠纷按重点领域（排查）", "重点领域"))
    return Table(title, _cols(first, [Col("resolved", "本期化解", "int", 9)]), rows,
                 note="排查按发现日期计（含后来转为案件的）；本期化解按化解日期计，含往期排查、本期化解的纠纷。")


# -- key persons ------------------------------------------------------------------------------------
def primary_category(codes: str) -> str:
    """The category a key person is counted under: of the categories listed, the first in the
    table's order (the most serious: red categories first), so that each person counts once."""
    listed = set(filter(None, (codes or "").split(",")))
    return next((c for c in PERSON_RISK_CATEGORIES if c in listed), "")


def person_table(db: Store, grain: str, as_of: date) -> Table:
    """Key persons per category: 在管 at the end of each window, 新列管 and 撤销列管 in the current one."""
    windows = T.compare_windows(grain, as_of)
    with db.read() as session:
        category = {pid: primary_category(codes) for pid, codes in session.execute(
            select(Person.id, Person.risk_categories))}
    listed: dict[str, dict[str, int]] = {}
    for name, w in windows.items():
        for pid, st in T.states_at(db, Module.PERSON, min(w.end, as_of)).items():
            if st.level != Level.GREEN.value:
                slot = listed.setdefault(category.get(pid, ""), dict.fromkeys(windows, 0))
                slot[name] += 1
    cur = windows["current"]
    moves: dict[str, list[int]] = {}
    for event, i in (("new", 0), ("closed", 1)):
        ids = _event_ids(db, event, cur, as_of)
        for pid in ids:
            moves.setdefault(category.get(pid, ""), [0, 0])[i] += 1
    keys = _ordered({**listed, **moves}, PERSON_RISK_CATEGORIES)
    names = _names(PERSON_RISK_CATEGORIES, keys, NO_RISK)
    rows = []
    for k in keys:
        n = listed.get(k, dict.fromkeys(windows, 0))
        rows.append(_row(names[k], n["current"], n["previous"], n["last_year"], *moves.get(k, [0, 0])))
    rows.append(_total_row(rows, 2))
    return Table("重点人员按人员类别（在管）", _cols("人员类别", [Col("listed", "本期新列管", "int", 10),
                                                       Col("delisted", "本期撤销列管", "int", 11)]), rows,
                 note="在管：各统计区间末日仍在管（未撤销列管）的人数；一人列有多个类别的，计入其中最严重的一类"
                      "（红色类别在前）。新列管、撤销列管按列管日期、撤销列管日期计。")


def _event_ids(db: Store, event: str, w: T.Window, as_of: date) -> list[int]:
    """Key persons listed (new) or de-listed (closed) in `w`, as known at `as_of`."""
    from app.services.stats import end_of, known_at

    col = Person.listed_on if event == "new" else Person.delisted_on
    with db.read() as session:
        return list(session.scalars(select(Person.id).where(col.between(w.start, min(w.end, as_of)),
                                                            *known_at(Person, end_of(as_of)))))


# -- the report -------------------------------------------------------------------------------------
def breakdown(db: Store, period: T.Period, today: date) -> Report:
    """分类统计表 for a month (2025-05) or an ISO week (2025-W19)."""
    from app.reports.pack import report_as_of, report_header

    if period.grain not in ("month", "week"):
        raise ValidationError("分类统计表的统计期间是一个月或一周，例如 2025-05 或 2025-W19",
                              "the breakdown covers a month or an ISO week, e.g. 2025-05 or 2025-W19", "period")
    as_of = report_as_of(period, today)
    grain = period.grain
    windows = T.compare_windows(grain, as_of)
    note = Paragraph(_windows_note(windows))
    kinds, cats = kind_table(db, grain, as_of), category_table(db, grain, as_of)
    by_cat, by_area = dispute_table(db, grain, as_of, "dispute_category"), dispute_table(db, grain, as_of,
                                                                                            "focus_area")
    persons = person_table(db, grain, as_of)
    unit = "月" if grain == "month" else "周"
    sections = [
        Section("刑事、行政案件", [note, kinds]),
        Section("案别", [cats, _figure(f"各案别受案（本{unit}、上期、去年同期）", cats, "起")]),
        Section("纠纷类别", [by_cat, _figure("各类矛盾纠纷排查发现", by_cat, "起")]),
        Section("重点领域", [by_area, _figure("各重点领域矛盾纠纷排查发现", by_area, "起")]),
        Section("人员类别", [persons, _figure("各类重点人员在管人数（期末）", persons, "人")]),
    ]
    title = "月度分类统计表" if grain == "month" else "每周分类统计表"
    return report_header(db, "breakdown", title, period, as_of, sections,
                   subtitle="按案别、刑事/行政、纠纷类别、重点领域、人员类别，同比、环比")


__all__ = ["breakdown", "kind_table", "category_table", "dispute_table", "person_table", "primary_category"]
