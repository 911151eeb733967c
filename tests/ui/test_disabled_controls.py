"""Disabled controls look disabled (the stylesheet's text colour must not override the Disabled
palette) and say why they are disabled."""
from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMenu, QPushButton

from app.domain.rules import Actor
from ui.main_window import MainWindow


def darkest(image: QImage, rect=None) -> float:
    """The lightness (0–255) of the darkest pixel in `rect`: the text's ink on a light control."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    r = rect if rect is not None else image.rect()
    best = 255.0
    for y in range(max(r.top(), 0), min(r.bottom(), image.height() - 1) + 1):
        for x in range(max(r.left() + 6, 0), min(r.right() - 6, image.width() - 1) + 1):
            best = min(best, QColor(image.pixel(x, y)).lightnessF() * 255)
    return best


def test_a_disabled_button_is_drawn_lighter_than_an_enabled_one(configured_app, qtbot):
    enabled, disabled = QPushButton("新建记录"), QPushButton("新建记录")
    disabled.setEnabled(False)
    for b in (enabled, disabled):
        qtbot.addWidget(b)
        b.resize(160, 34)
        b.show()
    qtbot.waitExposed(disabled)
    on, off = darkest(enabled.grab().toImage()), darkest(disabled.grab().toImage())
    assert on < 80, on  # the enabled label is near-black ink
    assert off > on + 60, (on, off)  # the disabled one is visibly grey
    # and the palette the style draws with says the same
    assert disabled.palette().color(disabled.palette().ColorGroup.Disabled,
                                    disabled.palette().ColorRole.ButtonText).lightness() > 120


def test_a_disabled_menu_item_is_drawn_lighter_than_an_enabled_one(configured_app, qtbot):
    menu = QMenu()
    qtbot.addWidget(menu)
    enabled = menu.addAction("导出数据包（报送分局）")
    disabled = menu.addAction("导出数据包（报送分局）")
    disabled.setEnabled(False)
    menu.popup(menu.pos())
    qtbot.waitExposed(menu)
    image = menu.grab().toImage()
    on = darkest(image, menu.actionGeometry(enabled))
    off = darkest(image, menu.actionGeometry(disabled))
    assert on < 80 and off > on + 60, (on, off)
    menu.close()


def test_an_analyst_sees_why_new_and_reassign_are_disabled(configured_app, qtbot, db, station):
    analyst = Actor(None, "研判员", "analyst", account="analyst")
    window = MainWindow(db, actor=analyst)
    qtbot.addWidget(window)
    view = window.current_view()
    for key in ("new", "reassign", "bulk_level"):
        button = view.action_buttons[key]
        assert not button.isEnabled()
        assert "分局研判员无权" in button.toolTip(), (key, button.toolTip())
    assert view.action_buttons["export"].isEnabled() and view.action_buttons["export"].toolTip() == ""
    assert not window.new_record_action.isEnabled() and "无权" in window.new_record_action.toolTip()
    assert "无权" in window.export_package_action.statusTip()


def test_an_officer_sees_why_another_teams_record_cannot_be_changed(configured_app, qtbot, db, station):
    from datetime import date

    from app.services.records import CaseInput, Responsibility, create_case
    from ui.records.record_view import Loader, RecordView

    other = station.other_officer
    rid = create_case(db, other, CaseInput("A1", "criminal", "red", date(2026, 3, 1), cause="盗窃",
                                           place="丁公路", people=Responsibility(officer_id=other.officer_id)))
    view = RecordView(Loader(db), station.officer)
    qtbot.addWidget(view)
    view.open_record("case", rid)
    for key in ("edit", "level", "action"):
        assert not view.buttons[key].isEnabled()
        assert "只能" in view.buttons[key].toolTip() and "本队" in view.buttons[key].toolTip()
