"""The 瑞安市人民政府 2019 sample workspace, built from resources/sample/*.json.

The narrative, title, intro, signature and metrics reproduce the published report. Its tables were lost when
the page was copied, so 表二/表三/表四 come from illustrative units, every one of them and every value marked
示例数据.
"""

from __future__ import annotations

from pathlib import Path

from ruian_desk.exchange.report_json import read_report_file
from ruian_desk.paths import resource
from ruian_desk.storage.workspace import Workspace, WorkspaceError, open_workspace

SAMPLE_SOURCE = "示例数据"
MAIN_ORGAN = "瑞安市人民政府"


def sample_files() -> tuple[Path, list[Path]]:
    base = resource("sample")
    return base / "ruian-2019.json", sorted((base / "units").glob("*.json"))


def build_sample(path: str | Path, force: bool = False) -> Workspace:
    """Write the sample workspace to `path` (refusing to overwrite an existing file unless `force`)."""
    path = Path(path)
    if path.exists():
        if not force:
            raise WorkspaceError(f"文件已存在：{path}（如需覆盖请加 --force）")
        from ruian_desk.storage.lock import hold_lock

        # The writer lock first: never delete a file another program has open (LockError names it).
        with hold_lock(path):
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    main_file, unit_files = sample_files()
    main_report = read_report_file(main_file)
    units = [read_report_file(f) for f in unit_files]
    ws = open_workspace(path, create=True)
    repo = ws.repo
    with ws.db.atomic():
        main_id = repo.save_report(main_report, source=SAMPLE_SOURCE)
        main_unit = repo.unit_by_name(main_report.unit)
        assert main_unit is not None and main_unit.id is not None
        repo.set_main_organ(main_unit.id)
        repo.set_meta("sample", "1")
        repo.set_meta(
            "sample_note",
            "示例工作区：正文、指标与落款取自瑞安市人民政府2019年政府信息公开工作年度报告；"
            "表二、表三、表四的数字为示例数据（原网页缺失表格），不是瑞安市的真实数据。",
        )
        for report in units:
            repo.save_report(report, source=SAMPLE_SOURCE)
            unit = repo.unit_by_name(report.unit)
            assert unit is not None and unit.id is not None
            repo.update_unit(unit.__class__(**{**unit.__dict__, "is_sample": True}))
            repo.set_unit_year(unit.id, report.year, included=True, status="已报")
        repo.set_setting(main_id, "scope.t2", "own")
        repo.set_setting(main_id, "scope.t3", "rollup")
        repo.set_setting(main_id, "scope.t4", "rollup")
    return ws
