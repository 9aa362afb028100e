"""Issue #19, hole 7: a write-protected file or a read-only folder is opened read-only (offered at once), never
as writable; CLI check/export there work, and include the edits still in the -wal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ruian_desk.storage.errors import WriteProtectedError
from ruian_desk.storage.workspace import open_workspace
from tests.conftest import run_cli
from tests.storage.conftest import _chattr, sha256


@pytest.fixture
def protect_file():  # noqa: ANN201
    done: list[Path] = []

    def make(path: Path) -> None:
        if not _chattr("+i", path):
            pytest.skip("chattr +i not available on this file system")
        done.append(path)

    yield make
    for path in done:
        _chattr("-i", path)


def test_a_write_protected_file_is_offered_read_only(sample_path: Path, protect_file, tmp_path: Path) -> None:
    open_workspace(sample_path, daily_backup=False).close()
    protect_file(sample_path)
    digest = sha256(sample_path)
    with pytest.raises(WriteProtectedError) as caught:
        open_workspace(sample_path)
    err = caught.value
    assert err.can_open_readonly and err.kind == "readonly_file"
    assert "只读" in str(err) and "空间" not in str(err)
    from ruian_desk.gui.backup_page import recover_open_error

    asked: list[list[str]] = []
    ws = recover_open_error(None, sample_path, err, ask=lambda t, text, choices: asked.append(choices) or 0)
    assert ws is not None and ws.readonly and asked[0][0] == "以只读方式打开"
    ws.close()
    r = run_cli("check", "-w", str(sample_path), "--year", "2019", "--json")
    assert r.returncode == 0, r.stderr
    r = run_cli("import-json", "-w", str(sample_path), str(tmp_path / "none.json"))
    assert r.returncode == 2
    assert sha256(sample_path) == digest


def test_a_read_only_folder_reads_and_exports_the_edits_still_in_the_wal(
    sample_path: Path, tmp_path: Path, make_readonly_dir
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    writer = open_workspace(sample_path, daily_backup=False)
    try:
        rid = writer.repo.find_report("瑞安市人民政府", 2019)
        assert rid is not None
        writer.repo.set_field(rid, "p6", "只在 WAL 里的修改")
        # copied while the app had it open (a stick pulled out, a folder copied): the edit is in the -wal
        shutil.copyfile(sample_path, media / "ws.sqlite")
        shutil.copyfile(f"{sample_path}-wal", media / "ws.sqlite-wal")
    finally:
        writer.close()
    path = media / "ws.sqlite"
    assert Path(f"{path}-wal").stat().st_size > 0
    make_readonly_dir(media)
    before = sorted(p.name for p in media.iterdir())
    with pytest.raises(WriteProtectedError):
        open_workspace(path)
    with open_workspace(path, readonly=True) as ws:
        assert ws.repo.load_report(rid).part("p6") == "只在 WAL 里的修改"
        assert any("临时副本" in n for n in ws.notes)
    out = tmp_path / "o"
    r = run_cli("export", "-w", str(path), "--year", "2019", "--format", "json", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "临时副本" in r.stderr  # told as a warning, not silently
    doc = json.loads((out / "瑞安市人民政府2019年政府信息公开工作年度报告.json").read_text(encoding="utf-8"))
    assert doc["parts"]["p6"] == "只在 WAL 里的修改"
    assert sorted(p.name for p in media.iterdir()) == before
