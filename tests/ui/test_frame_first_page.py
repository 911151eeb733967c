"""The window's frame shows the case table's first page (app.services.first_page, before SQLAlchemy
is imported) exactly as the window's table then shows it: the same texts, colours, fonts, icons,
tool tips, headers and widths; the window takes over with the frame's selection."""
from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

from app.domain.levels import Module

ROLES = {
    "display": Qt.ItemDataRole.DisplayRole,
    "align": Qt.ItemDataRole.TextAlignmentRole,
    "background": Qt.ItemDataRole.BackgroundRole,
    "foreground": Qt.ItemDataRole.ForegroundRole,
    "font": Qt.ItemDataRole.FontRole,
    "decoration": Qt.ItemDataRole.DecorationRole,
    "tooltip": Qt.ItemDataRole.ToolTipRole,
}


def _cell(model, row: int, col: int) -> dict:
    """What a cell shows, in comparable values (colours by name, fonts by description, icons by image)."""
    out = {}
    for name, role in ROLES.items():
        value = model.data(model.index(row, col), role)
        if hasattr(value, "color"):  # a QBrush
            value = value.color().name()
        elif hasattr(value, "toString") and hasattr(value, "pointSizeF"):  # a QFont
            value = value.toString()
        elif hasattr(value, "pixmap"):  # a QIcon
            value = bytes(value.pixmap(12, 12).toImage().constBits())
        out[name] = value
    return out


def _table_look(table) -> dict:
    model, hh = table.model(), table.horizontalHeader()
    return {"headers": [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())],
            "widths": [hh.sectionSize(i) for i in range(hh.count())],
            "order": [hh.logicalIndex(i) for i in range(hh.count())],
            "hidden": [hh.isSectionHidden(i) for i in range(hh.count())],
            "row_height": table.verticalHeader().defaultSectionSize(),
            "sort": (hh.sortIndicatorSection(), hh.sortIndicatorOrder())}


def test_the_frame_shows_the_windows_first_page_as_the_window_shows_it(configured_app, station_path, qtbot):
    from ui.main import open_window
    from ui.window_frame import WindowFrame

    frame = WindowFrame(station_path)
    qtbot.addWidget(frame)
    assert frame.show_first_page()
    assert frame.rows  # the demo station's first page of cases
    window = open_window(str(station_path))
    assert window is not None
    qtbot.addWidget(window)
    try:
        view = window.current_view()
        assert view.module == Module.CASE
        fm, wm = frame.table.model(), view.table.model()
        assert len(frame.rows) == 96 and fm.rowCount() == 96
        assert [fm.row_at(r).id for r in range(96)] == [wm.row_at(r).id for r in range(96)]
        assert fm.columnCount() == wm.columnCount()
        for row in range(fm.rowCount()):
            for col in range(fm.columnCount()):
                assert _cell(fm, row, col) == _cell(wm, row, col), (row, col)
        assert _table_look(frame.table) == _table_look(view.table)
        # Both the red level's colour and an overdue date's red text are among what was compared.
        cells = [_cell(fm, r, 0) for r in range(fm.rowCount())]
        assert {c["background"] for c in cells} >= {"#fce3e1"}
        due = fm.column_of("next_due")
        assert any(_cell(fm, r, due)["foreground"] == "#b3261e" for r in range(fm.rowCount()))
    finally:
        window.close()
        window.database.close()


def test_the_window_takes_over_with_the_frames_selection(configured_app, station_path, qtbot):
    import ui.main as M

    done = {}

    def opened(window) -> None:
        done["window"] = window

    frame = M.show_frame_then_open(str(station_path), opened)
    assert frame is not None and frame.rows is None  # the rows come right after the frame's first paint
    qtbot.waitUntil(lambda: frame.rows is not None, timeout=20000)
    assert "window" not in done  # built only after the rows have painted
    # Chosen in the frame before the window is built.
    model = frame.table.model()
    chosen = QItemSelection()
    for row in (2, 5, 6):
        chosen.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
    flags = QItemSelectionModel.SelectionFlag
    frame.table.selectionModel().select(chosen, flags.ClearAndSelect | flags.Rows)
    frame.table.selectionModel().setCurrentIndex(model.index(5, 0), flags.NoUpdate)
    wanted = [frame.rows[r].id for r in (2, 5, 6)]
    qtbot.waitUntil(lambda: "window" in done, timeout=20000)
    window = done["window"]
    assert window is not None
    qtbot.addWidget(window)
    try:
        view = window.current_view()
        assert view.current_id() == wanted[1]
        assert view.selected_ids() == wanted
        assert not frame.isVisible()
    finally:
        window.close()
        window.database.close()


def test_take_over_scrolls_as_far_as_the_frame(window):
    view = window.current_view()
    first = [view.model.row_at(r).id for r in (0, 1)]
    view.take_over(first, first[1], 3)
    assert view.selected_ids() == first and view.current_id() == first[1]
    assert view.table.verticalScrollBar().value() == min(3, view.table.verticalScrollBar().maximum())


def _rect_in(widget, window) -> tuple[int, int, int, int]:
    from PySide6.QtCore import QPoint

    p = widget.mapTo(window, QPoint(0, 0))
    return p.x(), p.y(), widget.width(), widget.height()


def test_the_frames_rows_sit_where_the_windows_will(configured_app, station_path, qtbot):
    """The window's legend, search and filter bars are not in the frame: the frame's table sits where
    the window's case table sat when it last closed at this size, so the rows do not move when the
    window takes over; at another size (or on a first start) it fills the tab."""
    import ui.main as M
    from ui.window_frame import WindowFrame

    for width, height in ((1366, 768), (1920, 1080)):
        window = M.open_window(str(station_path))
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda w=window: not w.current_view().counts_pending())
        last = _rect_in(window.current_view().table, window)
        window.close()
        window.database.close()

        done: dict = {}
        frame = M.show_frame_then_open(str(station_path), lambda w, d=done: d.setdefault("window", w))
        assert frame is not None
        frame.resize(width, height)  # restoreGeometry keeps a window on the offscreen screen (800x600)
        qtbot.waitUntil(lambda f=frame: f.rows is not None, timeout=20000)
        assert _rect_in(frame.table, frame) == last  # the rows are painted where the window had them
        qtbot.waitUntil(lambda d=done: "window" in d, timeout=20000)
        window = done["window"]
        qtbot.addWidget(window)
        window.show()  # as ui.main.run's `opened` does
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda w=window: not w.current_view().counts_pending())
        assert _rect_in(window.current_view().table, window) == last  # and stay there
        window.close()
        window.database.close()

    # A window closed with a drill-down's line above its table (the next start shows none) leaves
    # the saved place as it was.
    from PySide6.QtCore import QSettings

    from app.services.tables import TableQuery
    from ui.window_frame import CASE_TABLE_KEY

    saved = QSettings().value(CASE_TABLE_KEY)
    window = M.open_window(str(station_path))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.current_view().show_query(TableQuery(levels=frozenset({"red"})), "红色")
    qtbot.waitUntil(lambda w=window: w.current_view().drill_bar.isVisible())
    assert _rect_in(window.current_view().table, window) != last
    window.close()
    window.database.close()
    assert QSettings().value(CASE_TABLE_KEY) == saved

    other = WindowFrame(station_path)  # the window last closed at 1920x1080
    qtbot.addWidget(other)
    other.resize(1000, 700)
    other.show()
    qtbot.waitExposed(other)
    assert not other.place_table()
    assert other.show_first_page()
    assert _rect_in(other.table, other)[1] == _rect_in(other.case_page, other)[1]  # fills the tab
