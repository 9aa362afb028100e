"""The 瑞安市人民政府 2019 sample workspace, built from resources/sample/*.json.

The narrative, title, intro, signature and metrics reproduce the published report. Its tables were lost when
the page was copied, so 表二/表三/表四 come from illustrative units, every one of them and every value marked
示例数据.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ruian_desk.domain.report import Report
from ruian_desk.exchange.report_json import read_report_file
from ruian_desk.paths import resource
from ruian_desk.storage.repository import Repository
from ruian_desk.storage.workspace import Workspace, WorkspaceError

SAMPLE_SOURCE = "示例数据"
MAIN_ORGAN = "瑞安市人民政府"


def sample_files() -> tuple[Path, list[Path]]:
    base = resource("sample")
    return base / "ruian-2019.json", sorted((base / "units").glob("*.json"))


DIGEST_META = "sample_digest"  # the content digest of the sample as built (an untouched copy still has it)


def sample_untouched(path: str | Path) -> bool:
    """True when the workspace at `path` is a sample nobody has worked in since it was written (its content
    is still what `services.sample.build_sample` wrote); False for an edited sample, any other workspace, or a
    file that cannot be read."""
    from ruian_desk.storage.digest import file_digest_and_meta

    try:
        digest, built = file_digest_and_meta(path, DIGEST_META)
    except Exception:  # noqa: BLE001 - unreadable or not a workspace: certainly not an untouched sample
        return False
    return built is not None and digest == built


def fresh_sample_path(path: str | Path) -> Path:
    """Where 打开示例 writes its fresh copy: `path` itself when it does not exist or holds an untouched
    sample, else the first free “…（2）.sqlite”, “…（3）.sqlite” beside it — an edited sample is never replaced."""
    path = Path(path)
    if not path.exists() or sample_untouched(path):
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}（{n}）{path.suffix}")
        if not candidate.exists() or sample_untouched(candidate):
            return candidate
        n += 1


def back_up_before_replacing(path: Path) -> Path | None:
    """A verified backup of a workspace about to be replaced (a byte copy when it is not a readable
    database): the path of the copy, or None when the file is an untouched sample (nothing to lose).
    Raises WorkspaceError when no copy could be made: then nothing is replaced."""
    from ruian_desk.storage.backup import BackupError, backup_file, keep_damaged_copy

    if sample_untouched(path):
        return None
    try:
        try:
            return backup_file(path, "replace").path
        except BackupError:
            return keep_damaged_copy(path).path
    except BackupError as exc:
        raise WorkspaceError(f"未覆盖 {path}：无法先备份原文件（{exc}）") from None


def clear_for_sample(path: Path, force: bool = False, backed_up: list[Path] | None = None) -> None:
    """Make way for the sample at `path` (refusing an existing file unless `force`). With `force`, an existing
    file is backed up first (verified, into its backup folder; its path appended to `backed_up`) — unless it
    is an untouched sample — and only then removed."""
    if not path.exists():
        return
    if not force:
        raise WorkspaceError(f"文件已存在：{path}（如需覆盖请加 --force）")
    from ruian_desk.storage.lock import hold_lock

    # The writer lock first: never delete a file another program has open (LockError names it).
    with hold_lock(path):
        copy = back_up_before_replacing(path)
        if copy is not None and backed_up is not None:
            backed_up.append(copy)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def read_sample() -> tuple[Report, list[Report]]:
    """The main organ's report and the illustrative units' reports, read from the bundled JSON files."""
    main_file, unit_files = sample_files()
    return read_report_file(main_file), [read_report_file(f) for f in unit_files]


def write_sample(repo: Repository, main_report: Report, units: Sequence[Report]) -> None:
    """The sample's reports, units, settings and notes, written inside the caller's transaction
    (`services.sample.build_sample` opens it)."""
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


def seal_sample(ws: Workspace) -> None:
    """Store the content digest of the sample as written: an untouched copy still has it."""
    from ruian_desk.storage.digest import content_digest

    ws.repo.set_meta(DIGEST_META, content_digest(ws.db.conn))
