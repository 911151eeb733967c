"""The colour tokens: level rows stay readable with black text, overdue text stands out, every theme complete."""
from __future__ import annotations

import pytest

from app.domain.levels import LEVEL_ORDER
from ui.common.resources import resource_path
from ui.common.theme import PALETTES, Theme


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance."""
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_row_text_is_readable_on_every_level_background(name):
    tokens = PALETTES[name]
    for level in LEVEL_ORDER:
        bg = tokens[f"level.{level.value}.bg"]
        assert contrast(tokens["level.fg"], bg) >= 7.0, (name, level)  # WCAG AAA for body text
        assert contrast(tokens["overdue.fg"], bg) >= 4.5, (name, level)  # AA; bold, with an icon too
        if name != "dark":
            assert contrast("#000000", bg) >= 12.0, (name, level)  # "black text stays readable"


def test_every_theme_has_the_same_tokens():
    keys = {name: set(tokens) for name, tokens in PALETTES.items()}
    assert keys["dark"] == keys["light"] == keys["projector"]


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_the_stylesheet_uses_only_known_tokens(name):
    qss = Theme(name).apply_tokens(resource_path("styles", "app.qss").read_text(encoding="utf-8"))
    assert "{{" not in qss and PALETTES[name]["selection.bg"] in qss


def test_colours_and_brushes_are_cached(qapp):
    theme = Theme("light")
    assert theme.brush("level.red.bg") is theme.brush("level.red.bg")
    assert theme.level_background("red").color().name().upper() == PALETTES["light"]["level.red.bg"].upper()
    assert theme.chip_icon("red") is theme.chip_icon("red")
    assert theme.font().families()[:2] == ["Microsoft YaHei", "Noto Sans CJK SC"]


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_text_on_every_level_colour_meets_wcag_aa(name):
    """Badges, report headers and level cells print text on the saturated chip colour."""
    from ui.common.theme import contrast_ratio

    tokens = PALETTES[name]
    for level in LEVEL_ORDER:
        chip, on = tokens[f"level.{level.value}.chip"], tokens[f"level.{level.value}.on"]
        assert contrast_ratio(on, chip) >= 4.5, (name, level, on, chip, contrast_ratio(on, chip))
        assert abs(contrast_ratio(on, chip) - contrast(on, chip)) < 1e-9  # the app's formula is WCAG's
    assert contrast_ratio("#FFFFFF", "#E6B000") < 2.1  # the old white-on-yellow badge fails, as it should


def test_the_record_badge_uses_the_readable_text_colour(configured_app, qtbot, db, station):
    from datetime import date

    from app.services.records import CaseInput, Responsibility, create_case
    from ui.common.theme import contrast_ratio
    from ui.records.record_view import Loader, RecordView

    o = station.officer
    rid = create_case(db, o, CaseInput("A9", "criminal", "yellow", date(2026, 3, 1), cause="盗窃",
                                       people=Responsibility(officer_id=o.officer_id)))
    view = RecordView(Loader(db), o)
    qtbot.addWidget(view)
    view.open_record("case", rid)
    qss = view.level_badge.styleSheet()
    fg = qss.split("color:")[1].split(";")[0].strip()
    bg = qss.split("background:")[1].split(";")[0].strip()
    assert contrast_ratio(fg, bg) >= 4.5, qss


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_error_messages_are_readable_in_every_theme(name, qapp):
    from PySide6.QtWidgets import QLabel

    from ui.common import theme

    tokens = PALETTES[name]
    for bg in ("window.bg", "panel.bg"):
        assert contrast(tokens["error.fg"], tokens[bg]) >= 4.5, (name, bg)  # AA for body text
    previous = theme.current().name
    theme.set_current(name)
    try:
        label = QLabel("密码错误")
        theme.show_as_error(label)
        assert tokens["error.fg"].lower() in label.styleSheet().lower()
        theme.show_as_error(label, bold=True)
        assert "font-weight: bold" in label.styleSheet()
    finally:
        theme.set_current(previous)


def test_no_window_writes_its_own_error_red():
    """Every error label takes its colour from the theme (show_as_error); a hard-coded red stays
    light-theme red on the dark set's background."""
    from pathlib import Path

    ui = Path(__file__).resolve().parents[2] / "ui"
    reds = {v.lower() for tokens in PALETTES.values() for v in (tokens["error.fg"], tokens["overdue.fg"])}
    offenders = [f"{p.relative_to(ui.parent)}" for p in ui.rglob("*.py") if p.name != "theme.py"
                 and any(red in p.read_text(encoding="utf-8").lower() for red in reds)]
    assert offenders == []
