"""Screenshots of a plain station file's cold start: the window's frame with the case table's first
page (read before SQLAlchemy is imported, app.services.first_page), then the main window that takes
its place with the same rows and the frame's selection (#21 item 5).

Usage: .venv/bin/python docs/screenshots/cold_start_shots.py [STATION.db]
Without a file, a demo station is made in a temporary folder; with one, a private copy of it is
opened. Writes docs/screenshots/cold_start_1_frame.png and cold_start_2_window.png (1440×900),
after cold_start_0_last_close.png (the window closed once at that size, as on the day before).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shotlib import grab, private_app  # noqa: E402


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="cold-shots-"))
    try:
        app = private_app(tmp / "data")
        path = tmp / "station.db"
        if len(sys.argv) > 1:
            shutil.copyfile(sys.argv[1], path)
        else:
            from tests.qt_models.station_data import make_station_db

            make_station_db(path, scale=0.5)
        from PySide6.QtCore import QItemSelectionModel, QPoint

        from ui import main as M
        from ui.window_frame import WindowFrame

        # The window closed once at this size, as on the day before: the frame then places its table
        # where the window's sits (the legend, search and filter bars fill the room above it).
        before = M.open_window(str(path))
        assert before is not None
        grab(app, before, "cold_start_0_last_close.png", (1440, 900))
        before.close()
        before.database.close()
        frame = WindowFrame(path)
        frame.resize(1440, 900)
        frame.show()
        app.processEvents()
        assert frame.show_first_page(), "the frame did not read the first page"
        selection = frame.table.selectionModel()
        model = frame.table.model()
        selection.setCurrentIndex(model.index(3, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)
        grab(app, frame, "cold_start_1_frame.png", (1440, 900))
        window = M.open_window(str(path))
        assert window is not None
        window.setGeometry(frame.geometry())
        M.hand_over(frame, window)
        frame.close()
        grab(app, window, "cold_start_2_window.png", (1440, 900))
        view = window.current_view()
        same = [view.model.row_at(r).id for r in range(len(frame.rows))] == [r.id for r in frame.rows]
        print(f"the window's first {len(frame.rows)} rows are the frame's: {same}; selected: "
              f"{view.selected_ids()} (frame: {[frame.rows[3].id]}); the table at "
              f"{view.table.mapTo(window, QPoint(0, 0)).toTuple()} in the window, "
              f"{frame.table.mapTo(frame, QPoint(0, 0)).toTuple()} in the frame")
        window.close()
        window.database.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
