"""The export dialog and the branch console's freshness view, driven headless."""
from __future__ import annotations

from app.sync.export import list_exports
from tests.sync.helpers import ADMIN, Net, small_station
from tests.ui.conftest import configured_app  # noqa: F401  (the app's locale and translators)


def test_export_dialog_checks_then_exports_with_progress(configured_app, qtbot, tmp_path):
    from app.store import SqliteStore
    from ui.sync.export_dialog import ExportDialog

    net = Net(SqliteStore(tmp_path / "branch.db", create=True), tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    from tests.sync.test_roundtrip import churn

    ids = churn(st, "y")
    with st.raw() as conn:
        conn.execute("UPDATE case_record SET officer_id = NULL WHERE id = ?", (ids["case2"],))
    dlg = ExportDialog(st, ADMIN, folder=tmp_path)
    qtbot.addWidget(dlg)
    texts = [dlg.issues.item(i).text() for i in range(dlg.issues.count())]
    assert any("阻止导出" in t and "责任民警" in t for t in texts)
    assert not dlg.export_button.isEnabled()          # blocked until forced
    dlg.force.setChecked(True)
    assert dlg.export_button.isEnabled()
    with qtbot.waitSignal(dlg.exported, timeout=10000) as sig:
        dlg.export_button.click()
    res = sig.args[0]
    assert res.path.exists() and dlg.progress.value() == 100
    assert list_exports(st)[0].seq == res.seq
    assert net.deliver(res.path).status == "applied"


def test_freshness_view_imports_and_shows_gaps(qtbot, tmp_path):
    from app.store import SqliteStore
    from ui.branch.freshness_view import FreshnessView

    net = Net(SqliteStore(tmp_path / "branch.db", create=True), tmp_path / "carry")
    net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    net.join("s2", small_station(tmp_path / "s2.db", "河西派出所", "S2"))
    first = net.export("s1")
    net.export("s1")                       # never arrives
    third = net.export("s1")
    view = FreshnessView(net.branch, ADMIN)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 2 and view.table.item(0, 2).text() == "尚未收到数据包"
    with qtbot.waitSignal(view.imported):
        results = view.import_paths([first, third])
    assert [r.status for r in results] == ["applied", "applied"]
    row = [f.name for f in view.rows].index("城关派出所")
    assert view.table.item(row, 3).text() == "3"
    assert view.table.item(row, 4).text().startswith("1")
    assert "今天" in view.table.item(row, 2).text()
    assert view.rows[row].state in ("ok", "gap")


def test_export_dialog_registers_the_branch_key_without_a_command_and_has_no_idle_bar(configured_app, qtbot,
                                                                                      tmp_path):
    import json

    from app.store import SqliteStore
    from app.sync import keys as K
    from tests.sync.helpers import small_station
    from ui.sync.export_dialog import ExportDialog

    branch = SqliteStore(tmp_path / "branch.db", create=True)
    K.init_branch(branch, ADMIN, "东湖分局")
    st = small_station(tmp_path / "s1.db", "城关派出所", "S1")
    dlg = ExportDialog(st, ADMIN, folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    text = dlg.branch_label.text()
    assert "命令" not in text and "--branch-key" not in text and "登记分局公钥" in text
    assert not dlg.export_button.isEnabled() and dlg.register_button.isEnabled()
    assert not dlg.progress.isVisible()  # no 0 % bar before anything runs
    bad = tmp_path / "bad.pub"
    bad.write_text(json.dumps({"kind": "station"}), encoding="utf-8")
    assert not dlg.register_branch_file(bad) and "不是分局公钥文件" in dlg.status.text()
    pub = tmp_path / "branch.pub"
    pub.write_text(K.branch_keys(branch).identity.to_json(), encoding="utf-8")  # what branch-init writes
    assert dlg.register_branch_file(pub)
    assert K.registered_branch(st).name == "东湖分局" and "东湖分局" in dlg.branch_label.text()
    assert dlg.export_button.isEnabled()
    with qtbot.waitSignal(dlg.exported, timeout=10000):
        dlg.export_button.click()
    assert dlg.progress.isVisible() and dlg.progress.value() == 100
    branch.close()
    st.close()
