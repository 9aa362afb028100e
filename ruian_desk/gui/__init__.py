"""The PySide6 GUI. Importing it guards against the PySide6 6.12 / Python 3.11 `None` refcount bug."""

from ruian_desk.gui.none_guard import guard_none_refcount

guard_none_refcount()
