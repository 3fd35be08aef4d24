"""The main window: navigation between the four lists, menus, shortcuts, status bar, child windows."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop_app.core import wording
from desktop_app.paths import RESOURCES_DIR
from desktop_app.ui.calls import op
from desktop_app.ui.list_page import ListPage
from desktop_app.ui.pages.get_started import GetStartedPage, basics_present
from desktop_app.ui.pages.participants import ParticipantsPage
from desktop_app.ui.pages.profiles import ProfilesPage
from desktop_app.ui.pages.sessions import SessionsPage
from desktop_app.ui.pages.templates import TemplatesPage
from desktop_app.ui.status import ModelStatusBar
from desktop_app.ui.widgets import fit_to_screen, scaled_font, show_error

BUNDLE_FILTER = "Setup bundles (*.yaml *.yml *.json);;All files (*)"
SHORTCUTS = [
    ("Ctrl+N", "New item in the current list"), ("Enter", "Edit or open the selected item"),
    ("Ctrl+D", "Duplicate the selected item"), ("Del", "Delete the selected item (in a list)"),
    ("Ctrl+Z", "Undo the last change"), ("Ctrl+F", "Search the current list"), ("F5", "Refresh"),
    ("Ctrl+0", "Get started"), ("Ctrl+1 … Ctrl+4", "Go to profiles, templates, participants, sessions"),
    ("Ctrl+,", "Settings"),
]


def import_folder() -> Path:
    """Where the import dialog opens: the bundled example bundles when they are there, else the home folder."""
    presets = RESOURCES_DIR / "presets"
    return presets if presets.is_dir() else Path.home()


class MainWindow(QMainWindow):
    """Lists on the left, the chosen list on the right; interview rooms and reviews open in their own windows."""

    shown = Signal()
    last_dialog: QDialog  # the dialog opened last (tests and screenshots find it here)

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.children_windows: list[QWidget] = []
        self.setWindowTitle("Viva — offline interviews")
        self.setAccessibleName("Viva main window")
        fm = self.fontMetrics()
        fit_to_screen(self, fm.averageCharWidth() * 190, fm.lineSpacing() * 46)

        self.nav = QListWidget()
        self.nav.setAccessibleName("Sections")
        self.nav.setFont(scaled_font(self.nav.font(), 1.1))
        self.nav.setFixedWidth(fm.averageCharWidth() * 26)
        self.nav.setProperty("role", "nav")
        self.pages_stack = QStackedWidget()
        self.start_page = GetStartedPage(ctx)
        profiles_page = ProfilesPage(ctx)  # built in the order the sections are listed
        self.templates_page = TemplatesPage(ctx)
        self.participants_page = ParticipantsPage(ctx)
        self.sessions_page = SessionsPage(ctx)
        self.pages: dict[str, ListPage] = {
            "profile": profiles_page, "template": self.templates_page,
            "participant": self.participants_page, "session": self.sessions_page,
        }
        labels = {"start": "Get started", "profile": "Agent profiles", "template": "Templates",
                  "participant": "Participants", "session": "Sessions"}
        self.sections: list[str] = ["start", *self.pages]
        for kind, page in (("start", self.start_page), *self.pages.items()):
            item = QListWidgetItem(labels[kind])
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, labels[kind])
            self.nav.addItem(item)
            self.pages_stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.pages_stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages_stack, 1)
        self.setCentralWidget(central)
        self.setStatusBar(ModelStatusBar(ctx, self))
        self._wire_pages()
        self._build_menus()
        self.setTabOrder(self.nav, self.pages_stack)
        ctx.ops.undo_available.connect(self._undo_text)
        self.show_page("participant")
        # An empty data folder (or one without the basics) opens on Get started; the answer comes from the worker.
        ctx.ops.query(op("setup_counts"), self._land)

    def _land(self, counts: dict[str, int]) -> None:
        if not basics_present(counts) and self.page() is self.pages["participant"]:
            self.show_page("start")

    # ------------------------------------------------------------ structure

    def _wire_pages(self) -> None:
        self.participants_page.start_interview.connect(self.open_interview)
        self.participants_page.open_session.connect(self.open_review)
        self.sessions_page.start_interview.connect(self.open_interview)
        self.sessions_page.open_session.connect(self.open_review)
        self.templates_page.open_session.connect(self.open_review)
        self.sessions_page.export_requested.connect(self.export_sessions)
        self.start_page.navigate.connect(self.show_page)
        for page in self.pages.values():
            page.navigate.connect(self.show_page)
        self.start_page.examples_loaded.connect(self._examples_loaded)

    def _examples_loaded(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)
        self.show_page("participant")
        self.participants_page.announce(text + " Next: choose a person and press “Schedule session…”.")

    def _action(self, menu, text: str, slot, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Import setup bundle…", self.import_bundle, tip="Profiles, templates, stages, participants")
        self._action(file, "&Export setup bundle…", self.export_bundle)
        file.addSeparator()
        self._action(file, "&Settings…", self.open_settings, "Ctrl+,")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        edit.addSeparator()
        self._action(edit, "&New", lambda: self.page().new(), QKeySequence.StandardKey.New)
        self._action(edit, "&Edit / open", lambda: self.page().edit())
        self._action(edit, "&Duplicate", lambda: self.page().duplicate(), "Ctrl+D")
        delete = self._action(edit, "De&lete", lambda: self.page().delete(), QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # Del acts only in a list, never in a text box
        edit.addSeparator()
        self._action(edit, "&Find", lambda: self.page().focus_search(), QKeySequence.StandardKey.Find)
        self._action(edit, "&Refresh", lambda: self.page().refresh(), QKeySequence.StandardKey.Refresh)
        view = bar.addMenu("&View")
        self._action(view, "&Get started", lambda: self.show_page("start"), "Ctrl+0",
                     tip="Load the examples or build your own setup step by step")
        for i, (kind, title) in enumerate((("profile", "Agent profiles"), ("template", "Templates"),
                                           ("participant", "Participants"), ("session", "Sessions")), start=1):
            self._action(view, title, lambda k=kind: self.show_page(k), f"Ctrl+{i}")
        reports = bar.addMenu("&Reports")
        self._action(reports, "&Calibration against human ratings…", self.open_calibration,
                     tip="How closely the model's ratings agree with people's")
        self._action(reports, "&Fairness: pass rates by group…", self.open_fairness,
                     tip="Adverse impact by group (the four-fifths rule)")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&About Viva", self.show_about)

    # ------------------------------------------------------------ navigation

    def page(self) -> ListPage | GetStartedPage:
        """The page on screen (a list, or Get started, which answers the same menu commands)."""
        return cast("ListPage | GetStartedPage", self.pages_stack.currentWidget())  # the stack holds only those

    def show_page(self, kind: str) -> ListPage | GetStartedPage:
        """Switches to the list of `kind` ("start": the Get started page)."""
        self.nav.setCurrentRow(self.sections.index(kind))
        return self.start_page if kind == "start" else self.pages[kind]

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.shown.emit()

    # ------------------------------------------------------------ commands

    def undo(self) -> None:
        """Reverts the most recent change."""
        self.ctx.ops.undo(lambda name: self.statusBar().showMessage(f"Undone: {name}", 5000),
                          lambda exc: show_error(self, "Cannot undo", exc))

    def _undo_text(self, name: str) -> None:
        self.undo_action.setEnabled(bool(name))
        self.undo_action.setText(f"&Undo {name}" if name else "&Undo")

    def import_bundle(self, path: str | None = None) -> None:
        """Imports a setup bundle file (all of it or nothing)."""
        path = path or QFileDialog.getOpenFileName(self, "Import setup bundle", str(import_folder()), BUNDLE_FILTER)[0]
        if not path:
            return

        def done(counts: dict[str, int]) -> None:
            self.statusBar().showMessage(wording.counts_summary(counts) + f" from {Path(path).name}.", 15000)

        self.ctx.ops.change(op("import_bundle_file", path), done,
                            lambda exc: show_error(self, "Import failed: nothing was imported", exc))

    def export_bundle(self, path: str | None = None) -> None:
        """Writes the whole setup (or the selected template's) as a bundle file."""
        template = None
        row = self.templates_page.current() if self.page() is self.templates_page else None
        if row:
            template = row["id"]
        path = path or QFileDialog.getSaveFileName(self, "Export setup bundle", str(Path.home() / "viva-setup.yaml"),
                                                   BUNDLE_FILTER)[0]
        if not path:
            return
        self.ctx.ops.query(op("export_bundle_file", path, template),
                           lambda counts: self.statusBar().showMessage(f"Exported to {path}", 8000),
                           lambda exc: show_error(self, "Export failed", exc))

    def open_settings(self) -> None:
        """Opens the settings dialog."""
        from desktop_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        self.last_dialog = dialog
        dialog.open()

    def open_interview(self, session_id: str) -> QWidget:
        """Opens the interview room (pre-flight first) for a session."""
        from desktop_app.ui.interview.room import InterviewRoom

        room = InterviewRoom(self.ctx, session_id, self)
        self._keep(room)
        room.show()
        return room

    def open_review(self, session_id: str) -> QWidget:
        """Opens the review window of a session."""
        from desktop_app.ui.review.window import ReviewWindow

        for w in self.children_windows:
            if isinstance(w, ReviewWindow) and w.session_id == session_id:
                w.raise_()
                w.activateWindow()
                return w
        review = ReviewWindow(self.ctx, session_id, self)
        self._keep(review)
        review.show()
        return review

    def export_sessions(self, session_ids: list[str]) -> None:
        """Batch export of scorecards and results, with progress."""
        from desktop_app.ui.review.export import ExportDialog

        dialog = ExportDialog(self.ctx, session_ids, self)
        self.last_dialog = dialog
        dialog.open()

    def open_calibration(self) -> QWidget:
        """Opens the calibration window (model ratings against human ratings)."""
        from desktop_app.ui.calibration_dialog import CalibrationDialog

        dialog = CalibrationDialog(self.ctx, self)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def open_fairness(self) -> QWidget:
        """Opens the fairness window (pass rates by group)."""
        from desktop_app.ui.fairness_dialog import FairnessDialog

        dialog = FairnessDialog(self.ctx, self)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _keep(self, window: QWidget) -> None:
        self.children_windows = [w for w in self.children_windows if w.isVisible()] + [window]
        window.destroyed.connect(lambda *_: self.children_windows.remove(window)
                                 if window in self.children_windows else None)

    def show_shortcuts(self) -> None:
        """Lists the keyboard shortcuts."""
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{t}</td></tr>" for k, t in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table cellpadding='4'>{rows}</table>")

    def show_about(self) -> None:
        """Version and data folder."""
        from desktop_app import __version__

        QMessageBox.about(self, "About Viva", f"<b>Viva {__version__}</b><br>Offline AI-conducted interviews.<br>"
                                              f"Data folder: {self.ctx.paths.root}")

    def closeEvent(self, event: QCloseEvent) -> None:
        from desktop_app.ui.interview.room import InterviewRoom

        live = [w for w in self.children_windows if isinstance(w, InterviewRoom) and w.is_running()]
        if live:
            QMessageBox.warning(self, "Interview in progress",
                                "An interview is running. End it in the interview room before quitting.")
            event.ignore()
            return
        for w in list(self.children_windows):
            w.close()
        super().closeEvent(event)
