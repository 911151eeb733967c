"""The custom item roles every record model and view agrees on (one place, no magic numbers)."""
from __future__ import annotations

from PySide6.QtCore import Qt

_USER = Qt.ItemDataRole.UserRole.value

#: The cell's native value (date, str, int; the level's rank) for anything that orders rows.
SortRole = _USER + 1
#: The whole `app.services.tables.TableRow` of the row.
RowRole = _USER + 2
#: The row's level code ("red", "orange", …) for filters and delegates.
LevelRole = _USER + 3
