"""First start: try the demo station, or set up this station with a short wizard.

The wizard makes a new protected station file (never the demo's): station name, 12-digit
organisation code, branch office and the administrator's password; then the teams, the people
(typed in or from the roster file) and their accounts, on the same pages as 系统管理. The file
chosen is remembered, so the next start opens it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.errors import StationError
from ui.common.theme import show_as_error
from ui.records.columns import lang_index
from ui.window_frame import LAST_DB_KEY


def remembered_station() -> Path | None:
    """The station file opened last (set up here, or chosen in File → 打开), when it still exists."""
    value = QSettings().value(LAST_DB_KEY, "")
    path = Path(value) if value else None
    return path if path is not None and path.is_file() else None


def remember_station(path: str | Path) -> None:
    QSettings().setValue(LAST_DB_KEY, str(Path(path).resolve()))


class FirstStartDialog(QDialog):
    """Two ways to begin: the demo station (fictitious data) or setting up this station."""

    DEMO, SETUP, OPEN, SERVER = 1, 2, 3, 4

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.choice = None
        self.setWindowTitle(self.tr("欢迎使用"))
        title = QLabel(self.tr("派出所情报信息分级分类跟踪系统"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        intro = QLabel(self.tr("第一次使用本程序。请选择："))
        self.demo_button = QPushButton(self.tr("试用演示派出所\n（虚构数据，熟悉系统用）"))
        self.setup_button = QPushButton(self.tr("设置本派出所\n（新建正式数据库：派出所、队组、人员、账户）"))
        self.open_button = QPushButton(self.tr("打开已有的派出所数据库…"))
        self.server_button = QPushButton(self.tr("本所数据库在派出所服务器上…"))
        for button, choice in ((self.demo_button, self.DEMO), (self.setup_button, self.SETUP),
                               (self.open_button, self.OPEN), (self.server_button, self.SERVER)):
            button.setMinimumHeight(56 if choice not in (self.OPEN, self.SERVER) else 32)
            button.clicked.connect(lambda _c=False, c=choice: self._choose(c))
        box = QVBoxLayout(self)
        box.setSpacing(12)
        box.addWidget(title)
        box.addWidget(intro)
        box.addWidget(self.setup_button)
        box.addWidget(self.demo_button)
        box.addWidget(self.open_button)
        box.addWidget(self.server_button)
        self.setMinimumWidth(520)

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()


class _StationPage(QWizardPage):
    """Station name, organisation code, branch office, the file, the administrator's password."""

    def __init__(self, wizard: "SetupWizard"):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第一步：派出所与管理员"))
        self.setSubTitle(self.tr("这些信息写入新的派出所数据库。管理员账户用于设置队组、人员和账户，不办理业务。"))
        self.name = QLineEdit()
        self.code = QLineEdit()
        self.code.setMaxLength(12)
        self.code.setPlaceholderText(self.tr("12位数字"))
        self.branch = QLineEdit()
        self.path = QLineEdit(str(wizard.folder / "station-main.db"))
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.username = QLineEdit("admin")
        self.password = QLineEdit()
        self.again = QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("wizardError")
        show_as_error(self.error)
        self.error.setWordWrap(True)
        holder = QWidget()
        holder.setMaximumWidth(820)  # readable on a wide screen
        form = QFormLayout(holder)
        outer = QVBoxLayout(self)
        outer.addWidget(holder)
        outer.addStretch(1)
        form.addRow(self.tr("派出所名称："), self.name)
        form.addRow(self.tr("机构代码："), self.code)
        form.addRow(self.tr("所属分局："), self.branch)
        form.addRow(self.tr("数据库文件："), where)
        form.addRow(self.tr("管理员用户名："), self.username)
        form.addRow(self.tr("管理员密码（至少8位）："), self.password)
        form.addRow(self.tr("再次输入密码："), self.again)
        form.addRow(self.error)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("新的派出所数据库"), self.path.text(),
                                              self.tr("派出所数据库 (*.db)"))
        if path:
            self.path.setText(path)

    def validatePage(self) -> bool:
        """Checked in full, then the database is created and the administrator logged in."""
        from app.domain.rules import require_text
        from app.services import accounts as A, org

        self.error.clear()
        if self._wizard.logged_in is not None:
            return True
        if self.password.text() != self.again.text():
            self.error.setText(self.tr("两次输入的密码不一致"))
            return False
        path = Path(self.path.text().strip())
        created = False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            name = require_text(self.name.text(), "派出所名称", "the station name", "name")
            code = org.validate_org_code(self.code.text())
            path.parent.mkdir(parents=True, exist_ok=True)
            db = A.create_protected_database(path, self.password.text(), self.username.text().strip() or "admin")
            created = True
            try:
                org.init_station(db, name, code, self.branch.text().strip())
            finally:
                db.close()
            self._wizard.logged_in = A.login(path, self.username.text().strip() or "admin", self.password.text())
        except StationError as exc:
            if created and self._wizard.logged_in is None:
                _remove_partial(path)
            self.error.setText(exc.message("zh" if lang_index() == 0 else "en"))
            return False
        except OSError as exc:
            self.error.setText(self.tr("无法创建数据库文件：") + (exc.strerror or str(exc)))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        remember_station(path)
        self._wizard.station_created()
        return True


def _remove_partial(path: Path) -> None:
    """A station file this wizard made but could not finish (its station row failed) goes again."""
    from app.store.keyfile import key_file_for

    for p in (path, key_file_for(path), path.with_name(path.name + ".lock")):
        p.unlink(missing_ok=True)


class _TeamsPage(QWizardPage):
    def __init__(self, wizard: "SetupWizard"):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第二步：队组"))
        self.setSubTitle(self.tr("每行一个队组，如“社区警务一队”。也可在下一步导入民警花名册，其中的队组会自动建立。"))
        self.names = QPlainTextEdit()
        self.error = QLabel()
        show_as_error(self.error)
        self.error.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.names)
        box.addWidget(self.error)

    def validatePage(self) -> bool:
        from app.services import org

        logged = self._wizard.logged_in
        existing = {n for _, n in org.list_teams(logged.db)}
        for line in self.names.toPlainText().splitlines():
            name = line.strip()
            if not name or name in existing:
                continue
            try:
                org.add_team(logged.db, name, actor=logged.actor)
            except StationError as exc:
                self.error.setText(exc.message("zh" if lang_index() == 0 else "en"))
                return False
            existing.add(name)
        self._wizard.officers.reload()
        return True


class _EmbeddedPage(QWizardPage):
    """A page of 系统管理 (people, accounts) inside the wizard."""

    def __init__(self, title: str, subtitle: str, page: QWidget):
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(page)

    def initializePage(self) -> None:
        page = self.layout().itemAt(0).widget()
        if page is not None:
            page.reload()


class SetupWizard(QWizard):
    """设置本派出所: creates the station file and fills it; `logged_in` is the administrator's session."""

    def __init__(self, folder: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        from app.store.paths import default_db_path

        self.folder = Path(folder) if folder is not None else default_db_path().parent
        self.logged_in = None
        self.setWindowTitle(self.tr("设置本派出所"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.station_page = _StationPage(self)
        self.teams_page = _TeamsPage(self)
        self.addPage(self.station_page)
        self.addPage(self.teams_page)
        self.officers = None
        self.accounts = None
        self.resize(1100, 720)

    def station_created(self) -> None:
        """Once the file exists: the people and accounts pages of 系统管理 work on it."""
        from ui.admin.admin_window import AccountsPage, OfficersPage

        if self.officers is not None:
            return
        db, actor = self.logged_in.db, self.logged_in.actor
        self.officers = OfficersPage(db, actor)
        self.accounts = AccountsPage(db, actor)
        self.addPage(_EmbeddedPage(self.tr("第三步：人员"),
                                   self.tr("逐个添加，或“导入花名册”（姓名、警号、所属中队/部门、职务、手机）。"
                                           "职务决定职责：所长/教导员/副所长为所领导，中队长/队长/警长为队长，"
                                           "民警为民警，辅警为辅助人员。"), self.officers))
        self.addPage(_EmbeddedPage(self.tr("第四步：账户"),
                                   self.tr("为每位需要登录的人员建立账户。初始密码只显示一次，可打印密码条；"
                                           "本人首次登录时须修改。"), self.accounts))
        self.officers.changed.connect(self.accounts.reload)

    def reject(self) -> None:
        """Cancelling after the file was made keeps it (it is a valid station); the session closes."""
        if self.logged_in is not None:
            self.logged_in.db.close()
            self.logged_in = None
        super().reject()
