"""Screenshots of the administration window (系统管理) and the first-log-in dialogs, in Chinese and
English at 1920×1080 and 1366×768.

    .venv/bin/python docs/screenshots/admin_shots.py

Builds a small protected station in a temporary folder (teams, people from a roster, accounts,
one locked and one disabled) and saves admin_<page>_<lang>_<width>.png, admin_slip_<lang>.png,
admin_retire_<lang>.png and password_first_login_<lang>.png; then the first start:
first_start_<lang>.png and the set-up wizard's pages wizard_<step>_<lang>_<width>.png. Needs a CJK font.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from shotlib import grab, private_app  # noqa: E402

SIZES = ((1920, 1080), (1366, 768))


def build_station(folder: Path):
    from openpyxl import Workbook

    from app.ledger.roster import import_roster
    from app.services import accounts as A, org, records as R

    path = folder / "城关派出所.db"
    db = A.create_protected_database(path, "admin-pass-1")
    org.init_station(db, "城关派出所", "360102001001", "东湖分局")
    db.close()
    logged = A.login(path, "admin", "admin-pass-1")
    db, admin = logged.db, logged.actor
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "警号", "所属中队/部门", "职务", "手机"])
    for row in (("王建国", "010001", "所领导", "所长", "13800000001"), ("赵立新", "010002", "所领导", "教导员", ""),
                ("李强", "010011", "社区警务一队", "中队长", "13800000011"),
                ("张伟", "010012", "社区警务一队", "民警", "13800000012"),
                ("周敏", "010013", "社区警务一队", "民警", ""), ("孙立", "", "社区警务一队", "辅警", ""),
                ("陈刚", "010021", "案件办理队", "中队长", ""), ("刘洋", "010022", "案件办理队", "民警", ""),
                ("吴昊", "010023", "案件办理队", "民警", "13800000023"), ("郑佳", "", "案件办理队", "辅警", "")):
        ws.append(row)
    wb.save(folder / "花名册.xlsx")
    import_roster(db, admin, folder / "花名册.xlsx")
    org.add_team(db, "巡逻防控队", actor=admin)
    people = {o.name: o.id for o in org.list_officers(db)}
    for user, name in (("wangjianguo", "王建国"), ("liqiang", "李强"), ("zhangwei", "张伟"), ("liuyang", "刘洋"),
                       ("chengang", "陈刚")):
        A.create_account(db, admin, user, officer_id=people[name], password="first-pass-1")
    A.create_account(db, admin, "fenju", role="analyst", password="first-pass-1")
    A.disable_account(db, admin, "liuyang")
    me = org.actor_for(db, people["张伟"])
    from datetime import date

    for n, level in ((1, "red"), (2, "yellow")):
        R.create_dispute(db, me, R.DisputeInput(f"JF2026{n:03d}", "police_primary", "110", level, date.today(),
                                                parties="邻里甲、邻里乙", people=R.Responsibility(officer_id=me.officer_id)))
    R.create_case(db, me, R.CaseInput("A2026001", "criminal", "orange", date.today(), cause="盗窃",
                                      people=R.Responsibility(officer_id=me.officer_id)))
    db.close()
    for _ in range(5):  # 周敏 has no account; 陈刚 mistypes five times and is locked out
        try:
            A.login(path, "chengang", "wrong-password")
        except A.LoginFailed:
            pass
    zw = A.login(path, "zhangwei", "first-pass-1")
    A.change_password(zw.db, zw.actor, "zhangwei", "first-pass-1", "zhangwei-own-1")
    zw.db.close()
    return path


def main() -> int:
    from app.services import accounts as A, org
    from ui.admin.admin_window import AdminWindow, RetireDialog
    from ui.admin.dialogs import ChangePasswordDialog, PasswordSlipDialog
    from ui.main import install_translators

    with tempfile.TemporaryDirectory() as tmp:
        app = private_app(tmp)
        path = build_station(Path(tmp))
        logged = A.login(path, "admin", "admin-pass-1")
        for lang in ("zh", "en"):
            install_translators(app, "zh_CN" if lang == "zh" else "en_US")
            for width, height in SIZES:
                w = AdminWindow(logged.db, logged.actor)
                for index, page in enumerate(("station", "teams", "officers", "accounts", "settings")):
                    if page in ("station", "teams", "settings") and width == 1366:
                        continue
                    w.tabs.setCurrentIndex(index)
                    grab(app, w, f"admin_{page}_{lang}_{width}.png", (width, height))
                w.close()
                w.deleteLater()
            slip = PasswordSlipDialog("城关派出所", A.NewPassword("zhouming", "h7KpR2xWq9", True, "周敏", "officer"))
            grab(app, slip, f"admin_slip_{lang}.png")
            slip.close()
            person = next(o for o in org.list_officers(logged.db) if o.name == "张伟")
            retire = RetireDialog(logged.db, person)
            grab(app, retire, f"admin_retire_{lang}.png")
            retire.close()
            change = ChangePasswordDialog(logged.db, logged.actor, forced=True)
            grab(app, change, f"password_first_login_{lang}.png")
            change.close()
        logged.db.close()
        for lang in ("zh", "en"):
            install_translators(app, "zh_CN" if lang == "zh" else "en_US")
            wizard_shots(app, Path(tmp) / lang, lang)
    return 0


def wizard_shots(app, folder: Path, lang: str) -> None:
    from ui.admin.first_start import FirstStartDialog, SetupWizard

    folder.mkdir()
    first = FirstStartDialog()
    grab(app, first, f"first_start_{lang}.png")
    first.close()
    for width, height in SIZES:
        sub = folder / str(width)
        sub.mkdir()
        wizard = SetupWizard(sub)
        wizard.resize(width, height)
        page = wizard.station_page
        page.name.setText("城关派出所")
        page.code.setText("36010200100")
        page.branch.setText("东湖分局")
        page.password.setText("admin-pass-1")
        page.again.setText("admin-pass-1")
        wizard.show()
        wizard.next()  # refused: 11 digits
        grab(app, wizard, f"wizard_1_station_{lang}_{width}.png")
        page.code.setText("360102001001")
        wizard.next()
        wizard.teams_page.names.setPlainText("社区警务一队\n案件办理队\n巡逻防控队")
        grab(app, wizard, f"wizard_2_teams_{lang}_{width}.png")
        wizard.next()
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(["姓名", "警号", "所属中队/部门", "职务", "手机"])
        for row in (("王建国", "010001", "所领导", "所长", ""), ("李强", "010011", "社区警务一队", "中队长", ""),
                    ("张伟", "010012", "社区警务一队", "民警", ""), ("孙立", "", "社区警务一队", "辅警", ""),
                    ("陈刚", "010021", "案件办理队", "中队长", ""), ("刘洋", "010022", "案件办理队", "民警", "")):
            ws.append(row)
        wb.save(sub / "花名册.xlsx")
        from app.ledger.roster import import_roster

        import_roster(wizard.logged_in.db, wizard.logged_in.actor, sub / "花名册.xlsx")
        wizard.officers.reload()
        grab(app, wizard, f"wizard_3_people_{lang}_{width}.png")
        wizard.next()
        from app.services import accounts as A, org

        people = {o.name: o.id for o in org.list_officers(wizard.logged_in.db)}
        for user, name in (("wangjianguo", "王建国"), ("liqiang", "李强"), ("zhangwei", "张伟")):
            A.create_account(wizard.logged_in.db, wizard.logged_in.actor, user, officer_id=people[name])
        wizard.accounts.reload()
        grab(app, wizard, f"wizard_4_accounts_{lang}_{width}.png")
        wizard.reject()
        wizard.deleteLater()


if __name__ == "__main__":
    sys.exit(main())
