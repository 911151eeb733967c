"""Each role opens on its own work; the language changes without a restart."""
from __future__ import annotations

from datetime import date

import pytest

from app.domain.levels import Module
from app.services import records
from app.services.records import CaseInput, Responsibility
from ui.main_window import MainWindow


@pytest.fixture
def cases(db, station):
    def make(no, actor):
        return records.create_case(db, actor, CaseInput(no, "criminal", "red", date(2026, 3, 1), cause="盗窃",
                                                        people=Responsibility(officer_id=actor.officer_id)))
    return {"mine": make("A1", station.officer), "other": make("A2", station.other_officer)}


def test_an_officer_opens_on_their_own_records(configured_app, qtbot, db, station, cases):
    window = MainWindow(db, actor=station.officer)
    qtbot.addWidget(window)
    view = window.current_view()
    assert list(view.model.ids) == [cases["mine"]]
    assert view.person.currentData() == station.officer.officer_id  # a visible filter…
    view.clear_filters()
    assert sorted(view.model.ids) == sorted(cases.values())  # …that clears like any other


def test_a_team_leader_opens_on_the_team_and_a_leader_on_the_summary(configured_app, qtbot, db, station, cases):
    tl = MainWindow(db, actor=station.team_leader)
    qtbot.addWidget(tl)
    assert tl.current_view().team.currentData() == station.team_id
    assert list(tl.current_view().model.ids) == [cases["mine"]]
    tl.open_on_own_work()
    assert tl.tabs.currentWidget() is tl.current_view()
    leader = MainWindow(db, actor=station.leader)
    qtbot.addWidget(leader)
    assert sorted(leader.current_view().model.ids) == sorted(cases.values())
    leader.open_on_own_work()
    assert leader.tabs.currentWidget() is leader.dashboard


def test_the_level_cards_take_one_line_on_a_short_screen(configured_app, qtbot, db, station, cases):
    window = MainWindow(db, actor=station.leader)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    view = window.current_view()
    qtbot.waitUntil(lambda: all(getattr(c, "compact", False) for c in view.cards.values()), timeout=3000)
    above_table = view.table.mapTo(window, view.table.rect().topLeft()).y()
    assert above_table < 768 * 0.32, above_table  # was 38 % of the height
    assert "有条件破案" in view.cards[next(iter(view.cards))].toolTip()  # the meaning moved to the tip
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: not any(getattr(c, "compact", False) for c in view.cards.values()), timeout=3000)


def test_language_changes_without_a_restart(configured_app, qtbot, db, station, cases):
    from PySide6.QtWidgets import QApplication

    from ui.main import install_translators

    window = MainWindow(db, actor=station.leader)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(1)
    try:
        with qtbot.waitSignal(window.language_switched, timeout=5000) as signal:
            window._set_language("en_US")
        english = signal.args[0]
        qtbot.addWidget(english)
        assert english.isVisible() and not window.isVisible()
        assert [english.tabs.tabText(i) for i in range(3)] == ["Cases", "Disputes", "Key persons"]
        assert english.tabs.currentIndex() == 1
        assert english.menuBar().actions()[0].text() == "&File"
        assert english.views[Module.CASE].action_buttons["new"].text() == "New"
        back = english.switch_language("zh_CN")
        qtbot.addWidget(back)
        assert back.tabs.tabText(0) == "案件"
    finally:
        install_translators(QApplication.instance(), "zh_CN")
