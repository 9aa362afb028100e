"""The PySide6 GUI. Importing it guards against the PySide6 6.12 / Python 3.11 `None` refcount bug."""

from ruian_desk.qtcompat import guard_none_refcount

guard_none_refcount()
