"""Bundled files (SVG icons, stylesheets) found next to the package, loaded through one helper."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon

from ui.common.theme import Theme

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """resources/icons/<name>.svg as a QIcon (SVG scales with the screen's DPI)."""
    path = resource_path("icons", f"{name}.svg")
    if not path.is_file():
        raise FileNotFoundError(path)
    return QIcon(str(path))


def stylesheet(theme: Theme, name: str = "app") -> str:
    """resources/styles/<name>.qss with the theme's colour tokens filled in."""
    return theme.apply_tokens(resource_path("styles", f"{name}.qss").read_text(encoding="utf-8"))
