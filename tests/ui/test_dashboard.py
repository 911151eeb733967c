"""The dashboard: clicking a bar gives the query of exactly its records (checked against SQL), hover, period switch, PNG."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from sqlalchemy import text

from app.services import tables
from app.store import SqliteStore, Store
from ui.common.theme import PALETTES, current

LEVELS = ("red", "orange", "yellow", "green")


@pytest.fixture
def station_database(station_path):
    db = SqliteStore(station_path)
    yield db
    db.close()


@pytest.fixture
def dashboard(configured_app, station_database, qtbot):
    from ui.dashboard.dashboard import DashboardView

    view = DashboardView(station_database)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def _click(qtbot, chart, index: int, key: str) -> None:
    vb = chart.plot.getViewBox()
    scene = vb.mapViewToScene(chart.centre_of(index, key))
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=chart.plot.mapFromScene(scene))


def _levels_at_sql(db: Store, module_table: str, module: str, day: date, level: str) -> list[int]:
    """The records at `level` at the end of `day`, written out in SQL apart from the services."""
    end = datetime.combine(day + timedelta(days=1), time())
    sql = text(f"""
        WITH last AS (
            SELECT record_id, to_level,
                   ROW_NUMBER() OVER (PARTITION BY record_id ORDER BY changed_at DESC, id DESC) AS rn
            FROM level_change
            WHERE module = :module AND changed_at < :end
              AND NOT (outcome IN ('voided', 'converted') AND from_level IS NOT NULL AND from_level = to_level))
        SELECT r.id FROM {module_table} r JOIN last ON last.record_id = r.id AND last.rn = 1
        WHERE r.created_at < :end AND (r.voided_at IS NULL OR r.voided_at >= :end) AND last.to_level = :level
        {"AND (r.converted_at IS NULL OR r.converted_at >= :end)" if module == "dispute" else ""}
        ORDER BY r.id""")
    with db.read() as s:
        return [i for (i,) in s.execute(sql, {"module": module, "end": end, "level": level})]


def test_clicking_a_stacked_bar_filters_the_table_to_exactly_its_records(dashboard, station_database, qtbot):
    dashboard.set_choice("levels", "dispute", "month", 6)
    chart = dashboard.chart
    index = 3
    key = max(LEVELS[:3], key=lambda k: chart.data.series[LEVELS.index(k)][2][index])  # a non-empty active level
    with qtbot.waitSignal(dashboard.drill_down, timeout=5000) as blocker:
        _click(qtbot, chart, index, key)
    module, query, caption = blocker.args
    assert module == "dispute" and "矛盾纠纷" in caption
    day = dashboard.trend.windows[index].end
    expected = _levels_at_sql(station_database, "dispute", "dispute", day, key)
    assert expected and len(expected) == chart.data.series[LEVELS.index(key)][2][index]
    assert sorted(tables.list_ids(station_database, "dispute", query)) == expected
    # The records table itself, given the query, shows exactly those rows.
    from functools import partial

    from ui.common.table_model import RecordTableModel
    from ui.records.columns import model_columns

    model = RecordTableModel(model_columns("dispute"), partial(tables.list_ids, station_database, "dispute"),
                             partial(tables.fetch_rows, station_database, "dispute"), query)
    assert sorted(model.ids) == expected and model.rowCount() == len(expected)


def test_clicking_a_grouped_bar_gives_the_records_found_in_that_week(dashboard, station_database, qtbot):
    dashboard.set_choice("disputes", grain="week", count=10)
    chart = dashboard.chart
    index = next(i for i in range(9, -1, -1) if chart.data.series[0][2][i])  # the latest week with finds
    with qtbot.waitSignal(dashboard.drill_down, timeout=5000) as blocker:
        _click(qtbot, chart, index, "new")
    _module, query, _caption = blocker.args
    w = dashboard.trend.windows[index]
    with station_database.read() as s:
        expected = [i for (i,) in s.execute(text(
            "SELECT id FROM dispute WHERE found_on BETWEEN :a AND :b AND (voided_at IS NULL) ORDER BY id"),
            {"a": w.start, "b": w.end})]
    assert sorted(tables.list_ids(station_database, "dispute", query)) == expected
    assert w.start.weekday() == 0


def test_hover_reads_out_the_period_and_every_value(dashboard, qtbot):
    dashboard.set_choice("levels", "case", "month", 4)
    chart = dashboard.chart
    vb = chart.plot.getViewBox()
    key = next(k for k, *_ in chart.data.series if k in chart._geometry[1])
    with qtbot.waitSignal(chart.hovered, timeout=3000) as blocker:
        chart._on_scene_mouse_moved(vb.mapViewToScene(chart.centre_of(1, key)))
    values = {k: v[1] for k, _lab, v, _lv in (*chart.data.series, *chart.data.apart)}
    assert "green" not in chart._bars  # green is told apart, not drawn over the active levels
    expected = (f"{dashboard.trend.periods[1].label_zh}：红色 {values['red']}，橙色 {values['orange']}，"
                f"黄色 {values['yellow']}，绿色 {values['green']}")
    assert blocker.args == [expected] and chart.readout.text() == expected


def test_period_switch_and_bar_colours_follow_the_theme(dashboard, qtbot):
    dashboard.grain_box.setCurrentIndex(dashboard.grain_box.findData("quarter"))
    assert dashboard.trend.spec.grain == "quarter" and len(dashboard.trend.periods) == 8
    assert all(p.start.month in (1, 4, 7, 10) for p in dashboard.trend.periods)
    dashboard.set_choice("levels", "dispute", "month", 12)
    dashboard.chart_box.setCurrentIndex(dashboard.chart_box.findData("solved"))  # a cases-only chart
    assert dashboard.module_box.currentData() == "case" and not dashboard.module_box.isEnabled()
    dashboard.chart_box.setCurrentIndex(dashboard.chart_box.findData("levels"))  # back: the free choice
    assert dashboard.module_box.currentData() == "dispute" and dashboard.module_box.isEnabled()
    dashboard.set_choice("levels", "person", "month", 12)
    bar = dashboard.chart._bars["red"]
    assert bar.opts["brush"].color() == current().level_chip("red")


def test_export_png(dashboard, tmp_path):
    dashboard.set_choice("solved", grain="month", count=12)
    out = tmp_path / "chart.png"
    dashboard.export_png(str(out), width=1280)
    image = QImage(str(out))
    assert image.width() == 1280 and image.height() > 300


def test_excel_level_colours_are_the_theme_tokens():
    from app.reports.xlsx import LEVEL_COLOURS

    light = PALETTES["light"]
    for lv in LEVELS:
        assert "#" + LEVEL_COLOURS[lv]["bg"] == light[f"level.{lv}.bg"]
        assert "#" + LEVEL_COLOURS[lv]["chip"] == light[f"level.{lv}.chip"]


def test_the_main_window_module_does_not_import_pyqtgraph():
    code = "import sys, ui.main_window; print('pyqtgraph' in sys.modules, 'ui.dashboard.charts' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout.split()
    assert out == ["False", "False"]


@pytest.mark.parametrize("chart_key, module, column", [
    ("by_focus_area", "dispute", "focus_area"), ("by_case_category", "case", "category"),
    ("by_dispute_category", "dispute", "category"), ("by_kind", "case", "kind")])
def test_a_breakdown_bar_opens_exactly_the_records_of_its_group(dashboard, station_database, qtbot, chart_key,
                                                                module, column):
    dashboard.set_choice(chart_key, grain="month", count=6)
    chart = dashboard.chart
    # The latest month's biggest group.
    index = 5
    key, label, values, _lv = max(chart.data.series, key=lambda s: s[2][index])
    assert values[index] > 0
    with qtbot.waitSignal(dashboard.drill_down, timeout=5000) as blocker:
        _click(qtbot, chart, index, key)
    got_module, query, caption = blocker.args
    assert got_module == module and label in caption
    w = dashboard.trend.windows[index]
    table, day = ("dispute", "found_on") if module == "dispute" else ("case_record", "accepted_on")
    with station_database.read() as s:
        expected = [i for (i,) in s.execute(text(
            f"SELECT id FROM {table} WHERE {day} BETWEEN :a AND :b AND voided_at IS NULL AND {column} = :k "
            "ORDER BY id"), {"a": w.start, "b": w.end, "k": key})]
    assert len(expected) == values[index]
    assert sorted(tables.list_ids(station_database, module, query)) == expected
    # The groups of a month sum to the month's total (the headline 受案 / 排查 of that month).
    event_total = sum(s[2][index] for s in chart.data.series)
    with station_database.read() as s:
        total = s.execute(text(f"SELECT count(*) FROM {table} WHERE {day} BETWEEN :a AND :b AND voided_at IS NULL"),
                          {"a": w.start, "b": w.end}).scalar()
    assert event_total == total


@pytest.mark.parametrize("grain, count", [("day", 30), ("week", 12), ("month", 12), ("quarter", 8), ("year", 5)])
def test_every_period_has_a_tick_at_its_slot_and_counts_tick_at_integers(dashboard, qtbot, grain, count):
    from ui.dashboard.charts import ts

    dashboard.resize(1280, 760)
    dashboard.set_choice("flow", "case", grain, count)
    chart = dashboard.chart
    periods = dashboard.trend.periods
    labelled, unlabelled = chart.plot.getAxis("bottom")._tickLevels
    ticks = {round(x): t for x, t in labelled} | {round(x): "" for x, _ in unlabelled}
    assert len(ticks) == len(periods)  # one tick per period…
    for i, p in enumerate(periods):
        width = chart._period_width(i, chart.data)
        centre = round(ts(p.start) + width / 2)
        assert centre in ticks  # …at the middle of its own slot (weeks and quarters line up)
        if i % chart.tick_step == 0:
            assert ticks[centre] == p.short_label
    if grain in ("week", "month", "quarter", "year"):
        assert chart.tick_step == 1  # these fit: every period is labelled
    assert chart.tick_step <= 2  # 30 days: at least every other day
    left = chart.plot.getAxis("left")
    lo, hi = chart.plot.getViewBox().viewRange()[1]
    values = [v for level in left.tickValues(lo, hi, 500) for v in level[1]]
    assert values and all(float(v).is_integer() for v in values), values


def test_the_level_chart_shows_red_apart_from_green_and_the_legend_covers_no_bar(dashboard, qtbot):
    dashboard.resize(1280, 760)
    dashboard.set_choice("levels", "dispute", "month", 12)
    chart = dashboard.chart
    assert set(chart._bars) == {"red", "orange", "yellow"} and [k for k, *_ in chart.data.apart] == ["green"]
    red = chart._bars["red"].opts
    assert all(y0 == 0 for y0 in red["y0"])  # side by side from zero, never stacked on green
    legend = chart.legend.mapRectToScene(chart.legend.boundingRect())
    vb = chart.plot.getViewBox()
    for key, geometry in ((k, g) for per in chart._geometry for k, g in per.items()):
        x0, x1, y0, y1 = geometry
        bar = vb.mapViewToScene(pg_rect(x0, y0, x1, y1)).boundingRect()
        assert not bar.intersects(legend), (key, bar, legend)
    assert chart.plot.getAxis("left").label.isVisible() is False  # no rotated axis title
    assert chart.plot.getPlotItem().titleLabel.text == "件"


def pg_rect(x0, y0, x1, y1):
    from PySide6.QtCore import QRectF

    return QRectF(x0, y0, x1 - x0, y1 - y0)


def test_the_status_bar_speaks_of_the_chart_on_the_chart_tab(qtbot, db, configured_app):
    from app.demo import generate_demo
    from app.services.org import default_actor
    from ui.main_window import MainWindow

    generate_demo(db, seed=5, scale=0.05)
    window = MainWindow(db, actor=default_actor(db))
    qtbot.addWidget(window)
    assert "显示" in window.count_label.text()
    window.show_dashboard()
    assert window.count_label.text().startswith("统计分析：") and "案件：显示" not in window.count_label.text()
    window.dashboard.set_choice("flow", "dispute", "week", 12)
    assert "新增与办结" in window.count_label.text()
