"""A table model over row dicts, with a sorting/filtering proxy, for every list in the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ROW_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ATTENTION = QColor(255, 236, 179)  # amber: this row needs a human (an approval)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: the row key, its title, how to show and sort it."""

    key: str
    title: str
    fmt: Callable[[dict[str, Any]], str] | None = None
    sort: Callable[[dict[str, Any]], Any] | None = None
    numeric: bool = False
    tip: str = ""

    def text(self, row: dict[str, Any]) -> str:
        """The cell text."""
        if self.fmt is not None:
            return self.fmt(row)
        value = row.get(self.key)
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)

    def sort_value(self, row: dict[str, Any]) -> Any:
        """What the column sorts by (numbers as numbers, text case-insensitively)."""
        if self.sort is not None:
            return self.sort(row)
        value = row.get(self.key)
        if self.numeric:
            return float(value) if isinstance(value, (int, float)) else float("-inf")
        return self.text(row).casefold()


class RecordTableModel(QAbstractTableModel):
    """Rows are dicts; archived rows are greyed and italic; rows with `attention` are highlighted.

    A paged list sets `fetch_next`: while there is a next page (`next_cursor`), the view's canFetchMore/fetchMore
    (called as the user scrolls near the end) ask for it once; `append_rows` adds it when it arrives.
    """

    def __init__(self, columns: list[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict[str, Any]] = []
        self.next_cursor: Any = None
        self.fetch_next: Callable[[Any], None] | None = None
        self._fetching = False

    def set_rows(self, rows: list[dict[str, Any]], next_cursor: Any = None) -> None:
        """Replaces all rows; `next_cursor` says where the next page starts (None: there is none)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.next_cursor = next_cursor
        self._fetching = False
        self.endResetModel()

    def append_rows(self, rows: list[dict[str, Any]], next_cursor: Any) -> None:
        """Adds a fetched page at the end."""
        self._fetching = False
        self.next_cursor = next_cursor
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return (not parent.isValid() and self.fetch_next is not None and self.next_cursor is not None
                and not self._fetching)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        fetch = self.fetch_next
        if fetch is not None and self.canFetchMore(parent):
            self._fetching = True  # one request at a time; append_rows or set_rows clears it
            fetch(self.next_cursor)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.title
            if role == Qt.ItemDataRole.ToolTipRole and col.tip:
                return col.tip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return col.text(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return col.sort_value(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.get("archived"):
            font = QFont(QApplication.font())
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.get("archived"):
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.BackgroundRole and row.get("attention"):
            return QBrush(ATTENTION)
        return None

    def row_at(self, row: int) -> dict[str, Any]:
        """The row dict at a source row number."""
        return self.rows[row]


class RecordProxy(QSortFilterProxyModel):
    """Sorts by each column's sort value; hides rows a predicate rejects."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._accept: Callable[[dict[str, Any]], bool] | None = None

    def set_predicate(self, accept: Callable[[dict[str, Any]], bool] | None) -> None:
        """Shows only rows for which accept(row) is true (None shows all)."""
        self.beginFilterChange()
        self._accept = accept
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._accept is None:
            return True
        model = cast(RecordTableModel, self.sourceModel())  # a RecordProxy always wraps a RecordTableModel
        return bool(self._accept(model.row_at(source_row)))

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
