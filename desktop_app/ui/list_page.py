"""The common shape of every list screen: title, actions, search, filters, a sortable table, an empty state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.calls import later
from desktop_app.ui.changes import OpChanges
from desktop_app.ui.ops import message_of
from desktop_app.ui.table_model import ROW_ROLE, Column, RecordProxy, RecordTableModel
from desktop_app.ui.vocab import enum_choices
from desktop_app.ui.widgets import EmptyState, InlineMessage, SearchField, heading, hint


class RecordTable(QTableView):
    """A sortable, single-row-selecting table over RecordTableModel."""

    def __init__(self, columns: list[Column], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = RecordTableModel(columns, self)
        self.proxy = RecordProxy(self)
        self.proxy.setSourceModel(self.source)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setAccessibleName(name)
        self.setTabKeyNavigation(False)

    def set_rows(self, rows: list[dict[str, Any]], keep_id: str | None = None, next_cursor: Any = None) -> None:
        """Replaces rows, keeping (or moving to) the selection of `keep_id`; `next_cursor` marks a further page."""
        selected = keep_id or (self.current_row() or {}).get("id")
        self.source.set_rows(rows, next_cursor)
        self.resizeColumnsToContents()
        for c in range(self.source.columnCount() - 1):
            self.setColumnWidth(c, min(self.columnWidth(c) + 12, self.fontMetrics().averageCharWidth() * 40))
        if not (selected and self.select_id(selected)) and self.proxy.rowCount():
            self.selectRow(0)

    def select_id(self, record_id: str) -> bool:
        """Selects the row whose id is `record_id`."""
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if (index.data(ROW_ROLE) or {}).get("id") == record_id:
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.scrollTo(index)
                return True
        return False

    def current_row(self) -> dict[str, Any] | None:
        """The row with keyboard focus / selection."""
        rows = self.selected_rows()
        if rows:
            return rows[0]
        index = self.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def selected_rows(self) -> list[dict[str, Any]]:
        """Every selected row, top to bottom."""
        indexes = sorted(self.selectionModel().selectedRows(), key=lambda i: i.row()) if self.selectionModel() else []
        return [i.data(ROW_ROLE) for i in indexes]


class ListPage(QWidget):
    """Base for the four main lists; subclasses name their columns, fetch and actions."""

    title = ""
    singular = ""
    subtitle = ""
    kind = ""
    columns: list[Column] = []
    empty_title = "Nothing here yet"
    empty_text = ""
    refresh_on: tuple[str, ...] = ()
    default_sort: tuple[int, str] = (0, "ascending")
    selection_changed = Signal()
    navigate = Signal(str)  # another page's kind: "take me there"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filters: dict[str, QComboBox] = {}
        self._loaded_once = False
        self._pending_select: str | None = None
        self._generation = 0  # bumped by every refresh, so a page that arrives after a newer refresh is dropped
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.title))
        if self.subtitle:
            layout.addWidget(hint(self.subtitle))
        self.notice = InlineMessage()
        self.notice.setAccessibleName("Notice")
        layout.addWidget(self.notice)
        self.actions_row = QHBoxLayout()
        layout.addLayout(self.actions_row)
        self.filter_row = QHBoxLayout()
        self.search = SearchField(f"Search {self.title.lower()}…")
        self.search.setAccessibleName(f"Search {self.title.lower()}")
        self.search.search_changed.connect(lambda _t: self.refresh())
        self.filter_row.addWidget(self.search, 2)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setAccessibleName("Show archived")
        self.show_archived.toggled.connect(lambda _c: self.refresh())
        layout.addLayout(self.filter_row)
        self.table = RecordTable(self.columns, f"{self.title} list")
        column, order = self.default_sort
        self.table.sortByColumn(column, Qt.SortOrder.DescendingOrder if order == "descending"
                                else Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        for keys, slot in ((QKeySequence.StandardKey.Delete, self.delete), (Qt.Key.Key_Return, self.edit),
                           (Qt.Key.Key_Enter, self.edit)):
            shortcut = QShortcut(QKeySequence(keys), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.count_label = QLabel("")
        self.count_label.setProperty("role", "hint")
        self.count_label.setAccessibleName("Row count")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(EmptyState(self.empty_title, self.empty_text, self.empty_actions()))
        self.body = QVBoxLayout()
        self.body.addWidget(self.stack, 1)
        self.body.addWidget(self.count_label)
        layout.addLayout(self.body, 1)
        self.build_actions()
        self.build_filters()
        if self.has_archive():
            self.filter_row.addWidget(self.show_archived)
        else:
            self.show_archived.hide()
        self.table.source.fetch_next = self._fetch_next
        ctx.ops.changed.connect(self._on_changed)
        self._selection_changed()

    # ------------------------------------------------------------ hooks for subclasses

    def build_actions(self) -> None:
        """Adds buttons to self.actions_row."""

    def build_filters(self) -> None:
        """Adds filter combos with add_filter()."""

    def empty_actions(self) -> list[QPushButton]:
        """Buttons shown in the empty state."""
        return []

    def has_archive(self) -> bool:
        """Whether records of this list can be archived."""
        return False

    def fetch(self) -> Callable[[Any], list[dict[str, Any]]]:
        """A read fn(store) -> rows for the current search and filters."""
        raise NotImplementedError

    def fetch_page(self, after: Any) -> Callable[[Any], dict[str, Any]] | None:
        """A paged list's read fn(store) -> {"rows", "next" cursor, and on the first page (after None) "total"}.

        None (the default) means the list is small and loads whole through fetch(). The store's order is the
        list's default sort; a click on another column header sorts the rows loaded so far.
        """
        return None

    def accept_row(self, row: dict[str, Any]) -> bool:
        """Client-side filter applied to fetched rows (archived rows only on request)."""
        return not row.get("archived") or self.show_archived.isChecked()

    def update_actions(self) -> None:
        """Enables buttons for the current selection."""

    def new(self) -> None:
        """Ctrl+N."""

    def edit(self) -> None:
        """Enter / double-click."""

    def duplicate(self) -> None:
        """Ctrl+D."""

    def delete(self) -> None:
        """Del."""

    # ------------------------------------------------------------ common behaviour

    def add_filter(self, key: str, label: str, items: Sequence[tuple[str, object]] | None = None, *,
                   vocabulary: str | None = None) -> QComboBox:
        """A filter combo whose first item means 'any'; `vocabulary` names a core.models enum filled later."""
        box = QComboBox()
        box.setAccessibleName(f"Filter by {label.lower()}")
        box.setToolTip(f"Show only rows with this {label.lower()}")
        box.addItem(f"Any {label.lower()}", None)
        for text, value in items or []:
            box.addItem(text, value)
        if vocabulary:
            # The enums live with the domain models, which load on the worker after the window is up.
            self.ctx.ops.query(later(lambda: enum_choices(vocabulary)), lambda found: self.set_filter_items(key, found))
        box.currentIndexChanged.connect(lambda _i: self.refresh())
        caption = QLabel(label + ":")
        caption.setBuddy(box)
        self.filter_row.addWidget(caption)
        self.filter_row.addWidget(box, 1)
        self.filters[key] = box
        return box

    def set_filter_items(self, key: str, items: list[tuple[str, object]]) -> None:
        """Refills a filter combo keeping the current choice when it still exists."""
        box = self.filters[key]
        current = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for text, value in items:
            box.addItem(text, value)
        index = box.findData(current)
        box.setCurrentIndex(index if index >= 0 else 0)
        box.blockSignals(False)

    def filter_value(self, key: str) -> Any:
        """The chosen value of a filter (None for 'any')."""
        box = self.filters.get(key)
        return box.currentData() if box is not None else None

    def refresh(self, select_id: str | None = None) -> None:
        """Reloads rows on the store worker (F5)."""
        if select_id:
            self._pending_select = select_id
        self._generation += 1
        generation = self._generation
        first_page = self.fetch_page(None)
        if first_page is None:
            self.ctx.ops.query(self.fetch(), self._show_rows)
        else:
            self.ctx.ops.query(first_page, lambda page: self._show_page(generation, page))

    def _show_rows(self, rows: list[dict[str, Any]]) -> None:
        rows = [r for r in rows if self.accept_row(r)]
        self._loaded_once = True
        self.table.set_rows(rows, keep_id=self._pending_select)
        self._pending_select = None
        self._show_count(len(rows))
        self._selection_changed()

    def _show_page(self, generation: int, page: dict[str, Any]) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self._loaded_once = True
        self.table.set_rows(page["rows"], keep_id=self._pending_select, next_cursor=page["next"])
        self._pending_select = None
        self._show_count(page["total"])
        self._selection_changed()

    def _fetch_next(self, after: Any) -> None:
        """The model asks for the page after `after` (the user scrolled near the end)."""
        generation = self._generation
        fetch = self.fetch_page(after)
        if fetch is None:
            return

        def failed(exc: Exception) -> None:
            self.table.source.append_rows([], after)  # scrolling to the end again retries
            self.ctx.ops.failed.emit(message_of(exc))

        self.ctx.ops.query(fetch, lambda page: self._append_page(generation, page), failed)

    def _append_page(self, generation: int, page: dict[str, Any]) -> None:
        if generation == self._generation:
            self.table.source.append_rows(page["rows"], page["next"])

    def _show_count(self, total: int) -> None:
        """The row count under the table (of every match, not only the rows loaded) and the empty state."""
        filtered = bool(self.search.text().strip()) or any(b.currentIndex() > 0 for b in self.filters.values())
        self.stack.setCurrentIndex(0 if total or filtered else 1)
        noun = self.title.lower() if total != 1 else self.singular
        self.count_label.setText(f"{total:,} {noun}" + (" match the search and filters" if filtered else ""))

    def _on_changed(self, changes: OpChanges, initiator: object) -> None:
        if changes.touches(self.kind, *self.refresh_on):
            self.refresh(select_id=changes.ids[0] if initiator is self and changes.ids else None)

    def _selection_changed(self) -> None:
        self.update_actions()
        self.selection_changed.emit()

    def current(self) -> dict[str, Any] | None:
        """The selected row."""
        return self.table.current_row()

    def announce(self, text: str) -> None:
        """A confirmation above the list (what was just added), until the user leaves the page."""
        self.notice.show_ok(text)

    def hideEvent(self, event) -> None:
        self.notice.clear_message()
        super().hideEvent(event)

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self.refresh()
