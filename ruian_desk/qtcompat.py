"""A guard against a reference-count bug of PySide6 6.12.0 on Python 3.11 ("deallocating None" aborts).

PySide6 6.12.0 (6.11.3 is not affected) returns `None` from every wrapped C++ method that returns void (`widget.update()`,
`label.setText()`, `painter.drawRect()` …), and `True`/`False` from `signal.emit()`, without taking a new
reference. On Python 3.12 and later these objects are immortal and nothing happens; on 3.11 each such call
takes one reference away, and after a few thousand calls the interpreter aborts with "Fatal Python error:
none_dealloc" (or bool_dealloc) — a clerk's window would die after minutes of work. They are given a
reserve of references no session can use up, which is what 3.12 does by design. Nothing else changes:
None, True and False are never freed in a running interpreter anyway.
"""

from __future__ import annotations

import sys

RESERVE = 1 << 40


def guard_none_refcount() -> bool:
    """Give None, True and False a practically infinite reference count on CPython < 3.12. True when it
    changed anything."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    changed = False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython 3.11.
        refcnt = ctypes.c_ssize_t.from_address(id(singleton))
        if refcnt.value < RESERVE:
            refcnt.value += RESERVE
            changed = True
    return changed
