"""AppContext.close(): pages hear `closing` first (typed text stored, timers stopped, signals cut), then the
workspace closes; nothing of a page queries the closed database afterwards."""

from __future__ import annotations

from tests.gui.conftest import db_field
from tests.gui.test_narrative import ime_commit


def test_a_preview_due_when_the_workspace_closes_never_queries_it(app, qtbot, sample_path) -> None:  # noqa: ANN001
    from ruian_desk.gui.context import AppContext
    from ruian_desk.gui.editors.narrative import NarrativeEditor
    from ruian_desk.storage.workspace import open_workspace

    ws = open_workspace(sample_path)
    rid = ws.repo.find_report("瑞安市人民政府", 2019)
    ctx = AppContext(ws, rid)
    page = NarrativeEditor(ctx, "p6", "六、其他需要报告的事项")
    qtbot.addWidget(page)
    page.show()
    heard: list[str] = []
    ctx.closing.connect(lambda: heard.append("closing"))
    ime_commit(page.editor, "补充一句。")  # the preview refresh and the debounced store are now due
    assert page.binding.pending
    ctx.close()
    assert heard == ["closing"] and ctx.closed and ws.closed
    qtbot.wait(800)  # longer than the preview delay and the store delay: any timer left would fire
    assert ctx.report() is None and ctx.issues() == []
    ctx.report_changed.emit(1)  # a late notification reaches no page
    # The typed text was stored before the database closed.
    assert "补充一句。" in (db_field(sample_path, rid, "p6") or "")
    ctx.close()  # twice is harmless
