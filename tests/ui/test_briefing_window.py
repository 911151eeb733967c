"""The briefing window offscreen: clicker keys, every slide against the data, masking, the handout."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from sqlalchemy import func, select

from app.domain.levels import LEVEL_ORDER
from app.errors import PermissionDenied, StationError
from app.services import audit, briefing as B, org, records as R
from app.store import SqliteStore
from models import Case, Dispute, Officer, Person
from tests.unit.test_briefing import NAMES, tell_story
from ui.briefing.pages import MODULE_KEYS, level_name, module_name, unit
from ui.briefing.window import BriefingPrefs, BriefingWindow, projector_screen
from ui.common.theme import PALETTES

SIZES = [(1920, 1080), (1280, 720)]
MODELS = {"case": Case, "dispute": Dispute, "person": Person}


@pytest.fixture
def demo(configured_app, station_path):
    database = SqliteStore(station_path)
    yield database
    database.close()


def open_window(qtbot, db, actor, size=(1920, 1080), prefs=None, **kwargs) -> BriefingWindow:
    w = BriefingWindow(db, actor, prefs=prefs or BriefingPrefs(rotate_seconds=0), **kwargs)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def painted(w: BriefingWindow) -> list[str]:
    w.grab()  # paints the slide now
    return list(w.painted_texts)


def all_slides(w: BriefingWindow) -> dict[str, list[str]]:
    out = {}
    for i, page in enumerate(w.pages):
        w.go_to(i)
        out[page.key] = painted(w)
    return out


def is_subsequence(expected: list[str], texts: list[str]) -> bool:
    it = iter(texts)
    return all(any(t == e for t in it) for e in expected)


def leader_of(db):
    return org.default_actor(db)


def officer_of(db):
    with db.read() as session:
        oid = session.scalar(select(Officer.id).where(Officer.role == "officer").order_by(Officer.id))
    return org.actor_for(db, oid)


def unmask_events(db) -> list:
    return [e for e in audit.list_entries(db) if e.action == "unmask"]


# -- paging with the clicker and the content of each slide ----------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=["1920x1080", "1280x720"])
def test_clicker_pages_through_slides_that_match_the_data(qtbot, demo, size):
    w = open_window(qtbot, demo, leader_of(demo), size)
    n = len(w.pages)
    keys = [p.key for p in w.pages]
    assert keys[:2] == ["overview", "changes"] and keys[-4:] == ["overdue", "workflows", "trends", "headline"]
    seen = {}
    for i in range(n):
        assert w.index == i
        seen[keys[i]] = painted(w)
        assert w.painted_elided == [], (keys[i], w.painted_elided)  # nothing on the wall was cut short
        qtbot.keyClick(w, Qt.Key.Key_PageDown)
    assert w.index == n - 1  # stays on the last slide
    for key, expected in ((Qt.Key.Key_PageUp, n - 2), (Qt.Key.Key_Left, n - 3), (Qt.Key.Key_Right, n - 2),
                          (Qt.Key.Key_Space, n - 1), (Qt.Key.Key_Home, 0), (Qt.Key.Key_End, n - 1),
                          (Qt.Key.Key_Up, n - 2), (Qt.Key.Key_Down, n - 1)):
        qtbot.keyClick(w, key)
        assert w.index == expected, key

    today = date.today()
    with demo.read() as session:
        for code in MODULE_KEYS:
            model = MODELS[code]
            by_level = dict(session.execute(select(model.level, func.count()).where(
                model.status.in_(("active", "closed"))).group_by(model.level)).all())
            expected = [module_name(code)]
            for lv in LEVEL_ORDER:
                expected += [level_name(lv), f"{by_level.get(lv.value, 0):,}", unit(code)]
            assert is_subsequence(expected, seen["overview"]), code
            active = sum(n for lv, n in by_level.items() if lv != "green")
            assert f"在办 {active:,} {unit(code)}" in seen["overview"]
            red = by_level.get("red", 0)
            assert f"红色预警 · {module_name(code)}（{red} {unit(code)}）" in " ".join(
                t for k, texts in seen.items() if k.startswith(f"red_{code}") for t in texts)
        overdue = sum(session.scalar(select(func.count()).select_from(m).where(
            m.status == "active", m.next_due < today)) for m in MODELS.values())
    assert f"超期未跟进（共 {overdue} 条）" in seen["overdue"]
    assert any(t.startswith("数据截至 ") and "下次刷新" in t for t in seen["overview"])
    assert "第 1 / %d 页" % n in seen["overview"]


def test_the_picture_scales_with_the_window(qtbot, demo):
    w = open_window(qtbot, demo, leader_of(demo), (1920, 1080))
    big = all_slides(w)
    w.resize(1280, 720)
    small = all_slides(w)
    assert big == small  # the same slide at every size: the canvas scales, nothing reflows
    accent = QColor(PALETTES["projector"]["accent"])
    image = w.grab().toImage()
    assert (image.width(), image.height()) == (1280, 720)
    assert image.pixelColor(5, 5) == accent and image.pixelColor(5, 79) == accent  # 120/1080 of 720 = 80
    assert image.pixelColor(5, 82) != accent
    w.resize(1280, 800)  # a 16:10 projector: bands above and below, the slide itself 16:9
    image = w.grab().toImage()
    assert image.pixelColor(5, 20) != accent and image.pixelColor(5, 42) == accent


def test_blank_escape_and_full_screen(qtbot, demo):
    w = open_window(qtbot, demo, leader_of(demo))
    qtbot.keyClick(w, Qt.Key.Key_PageDown)
    qtbot.keyClick(w, Qt.Key.Key_B)
    assert w.blank and painted(w) == []
    assert w.grab().toImage().pixelColor(960, 540) == QColor(Qt.GlobalColor.black)
    qtbot.keyClick(w, Qt.Key.Key_PageDown)  # any key brings the slide back, without moving on
    assert not w.blank and w.index == 1 and painted(w)
    qtbot.keyClick(w, Qt.Key.Key_Period)  # what many clickers send for "blank"
    assert w.blank
    qtbot.keyClick(w, Qt.Key.Key_Period)
    assert not w.blank
    qtbot.keyClick(w, Qt.Key.Key_F11)
    assert w.isFullScreen()
    qtbot.keyClick(w, Qt.Key.Key_F11)
    assert not w.isFullScreen()
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert not w.isVisible()


def test_slides_rotate_on_their_own(qtbot, demo):
    w = open_window(qtbot, demo, leader_of(demo), prefs=BriefingPrefs(rotate_seconds=1))
    with qtbot.waitSignal(w.page_changed, timeout=5000) as blocker:
        pass
    assert blocker.args == [1]
    qtbot.keyClick(w, Qt.Key.Key_B)  # a blank screen stays blank
    assert not w._rotate.isActive()


def test_reload_shows_new_data(qtbot, demo):
    leader = leader_of(demo)
    w = open_window(qtbot, demo, leader)
    before = w.briefing.overview["case"].by_level["red"]
    R.create_case(demo, leader, R.CaseInput("A-NEW-1", "criminal", "red", date.today(), cause="抢劫",
                                            people=R.Responsibility(officer_id=officer_of(demo).officer_id)))
    with qtbot.waitSignal(w.refreshed, timeout=5000):
        qtbot.keyClick(w, Qt.Key.Key_R)
    assert w.briefing.overview["case"].by_level["red"] == before + 1
    assert is_subsequence(["红色", f"{before + 1:,}"], painted(w))
    assert (w.next_refresh - w.briefing.as_of).total_seconds() == w.prefs.refresh_minutes * 60


def test_a_failed_reload_keeps_the_picture_and_says_why(qtbot, demo, monkeypatch):
    from app.errors import DatabaseError

    w = open_window(qtbot, demo, leader_of(demo))
    before = w.briefing

    def locked(*args, **kwargs):
        raise DatabaseError("数据库正被其他程序使用，请稍后重试", "database is locked")

    monkeypatch.setattr(B, "build_briefing", locked)
    qtbot.keyClick(w, Qt.Key.Key_R)
    assert w.briefing is before
    assert "刷新失败：数据库正被其他程序使用，请稍后重试" in painted(w)


# -- privacy on the wall --------------------------------------------------------------------------
def red_people(db):
    with db.read() as session:
        persons = session.execute(select(Person.name, Person.id_number).where(
            Person.level == "red", Person.status == "active")).all()
        parties = session.scalars(select(Dispute.parties).where(Dispute.level == "red",
                                                                Dispute.status == "active")).all()
        officers = set(session.scalars(select(Officer.name)).all())
    return persons, parties, officers


def test_masking_holds_on_every_slide(qtbot, demo):
    w = open_window(qtbot, demo, leader_of(demo))
    wall = " ".join(t for texts in all_slides(w).values() for t in texts)
    persons, parties, officers = red_people(demo)
    assert persons
    for name, number in persons:
        if name not in officers:  # an officer of the same name is rightly on the wall
            assert name not in wall
        assert not number or number not in wall
    assert any(n[0] + "*" in wall for n, _ in persons)
    for p in parties:
        assert p not in wall
    assert "人员姓名、身份证号已遮挡" in wall


def test_a_leader_unmasks_and_it_is_audited(qtbot, demo):
    w = open_window(qtbot, demo, leader_of(demo))
    w.go_to([p.key for p in w.pages].index("red_person_1"))
    qtbot.keyClick(w, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert w.unmasked
    texts = painted(w)
    first = w.briefing.red["person"].rows[0]
    with demo.read() as session:
        name, number = session.execute(select(Person.name, Person.id_number).where(
            Person.id == first.record_id)).one()
    assert name in texts and number in texts
    assert "实名显示中（已记入审计）" in texts
    events = unmask_events(demo)
    assert len(events) == 1 and events[0].role == "leader" and events[0].detail["view"] == "briefing.daily"
    qtbot.keyClick(w, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)  # and back
    assert not w.unmasked and name not in painted(w)


def test_unmasked_names_hide_again_after_a_while(qtbot, demo):
    w = open_window(qtbot, demo, leader_of(demo), prefs=BriefingPrefs(rotate_seconds=0, unmask_seconds=1))
    assert w.toggle_unmask()
    qtbot.waitUntil(lambda: not w.unmasked, timeout=5000)


def test_an_officer_cannot_unmask(qtbot, demo):
    w = open_window(qtbot, demo, officer_of(demo))
    w.go_to([p.key for p in w.pages].index("red_person_1"))
    qtbot.keyClick(w, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert not w.unmasked
    texts = painted(w)
    assert "仅所领导可查看完整姓名和身份证号" in texts
    persons, _, officers = red_people(demo)
    wall = " ".join(texts)
    assert all(name in officers or name not in wall for name, _ in persons)
    assert unmask_events(demo) == []
    with pytest.raises(PermissionDenied):
        B.build_briefing(demo, unmask_by=officer_of(demo))


# -- the "since the last briefing" slide after a day of changes -----------------------------------
def test_since_last_slide_after_a_day_of_changes(qtbot, configured_app, db, station, monkeypatch):
    story = tell_story(db, station, monkeypatch)
    B.start_briefing(db, station.leader, "daily", story.b1)
    w = open_window(qtbot, db, station.leader, clock=lambda: story.b2)
    assert w.since == story.b1
    w.go_to(1)
    texts = painted(w)
    assert "自上次晨会以来" in texts
    assert f"从 {story.b1.month}月{story.b1.day}日 08:30（上次晨会）到现在 08:30" in texts
    rows = [["新增", "2", "1", "1", "4"], ["升级", "1", "0", "0", "1"], ["降级", "0", "0", "1", "1"],
            ["办结/化解/撤管", "1", "0", "0", "1"], ["纠纷转案件", "0", "1", "0", "1"], ["作废", "0", "2", "0", "2"]]
    for row in rows:
        start = texts.index(row[0])
        assert texts[start:start + 5] == row
    assert "新增中红色 1 条" in texts
    # The list: A raised to red, C new red, E new orange, P3 new orange (masked).
    assert texts.count("盗窃") == 2 and "A0004" in texts
    assert "孙*" in texts and NAMES["p3"] not in " ".join(texts)
    assert "升级 橙→红" in texts


# -- handout, screens, settings -------------------------------------------------------------------
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_handout_pdf_has_one_page_per_slide_with_searchable_text(qtbot, configured_app, db, station, monkeypatch,
                                                                  tmp_path):
    story = tell_story(db, station, monkeypatch)
    B.start_briefing(db, station.leader, "daily", story.b1)
    w = open_window(qtbot, db, station.leader, clock=lambda: story.b2)
    assert w.toggle_unmask()  # on the wall the names are shown; the handout masks them all the same
    path = w.export_handout(tmp_path / "晨会简报.pdf")
    assert path.exists() and not (tmp_path / "晨会简报.pdf.part").exists()
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(len(w.pages))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("城关派出所", "红色", "自上次晨会以来", "民警", "11月", "超期未跟进", "主要指标", "孙*"):
        assert expected in text, expected
    for name in NAMES.values():
        assert name not in text


def test_handout_failure_leaves_no_file(qtbot, demo, tmp_path):
    w = open_window(qtbot, demo, leader_of(demo))
    target = tmp_path / "missing-folder" / "handout.pdf"
    with pytest.raises(StationError):
        w.export_handout(target)
    assert not target.exists() and not target.parent.exists()


def test_projector_screen_is_another_screen_when_there_is_one():
    a, b, c = object(), object(), object()
    assert projector_screen([a], a) is a
    assert projector_screen([a, b], a) is b
    assert projector_screen([a, b, c], b) is a


def test_show_on_projector_goes_full_screen(qtbot, demo):
    w = BriefingWindow(demo, leader_of(demo), prefs=BriefingPrefs(rotate_seconds=0))
    qtbot.addWidget(w)
    w.show_on_projector()
    qtbot.waitExposed(w)
    assert w.isFullScreen() and w.cursor().shape() == Qt.CursorShape.BlankCursor


def test_preferences_come_from_settings():
    s = QSettings()
    s.setValue("briefing/rotate_seconds", 45)
    s.setValue("briefing/refresh_minutes", 0)  # below the floor: one minute
    s.setValue("briefing/unmask_seconds", "x")  # unreadable: the default
    prefs = BriefingPrefs.load()
    assert (prefs.rotate_seconds, prefs.refresh_minutes, prefs.unmask_seconds) == (45, 1, 120)
    BriefingPrefs(10, 3, 60).save()
    assert BriefingPrefs.load() == BriefingPrefs(10, 3, 60)


def test_weekly_mode_by_key(qtbot, demo):
    w = open_window(qtbot, demo, leader_of(demo))
    qtbot.keyClick(w, Qt.Key.Key_W)
    assert w.mode == "weekly" and w.windowTitle() == "每周会商研判"
    w.go_to(1)
    texts = painted(w)
    assert "自上次会商以来" in texts and "上一周" in texts
    assert len(w.briefing.trends["case"].days) == 12
    assert B.last_shown_at(demo, "weekly") is not None
    assert isinstance(w.since, datetime)
