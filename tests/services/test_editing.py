"""services.editing: a block of cells is stored whole or not at all."""

from __future__ import annotations

import pytest

from ruian_desk.services.editing import write_cells
from ruian_desk.services.reports import create_report


def test_a_block_is_one_transaction(empty_ws) -> None:  # noqa: ANN001
    repo = empty_ws.repo
    rid = create_report(repo, "瑞安市人民政府", "county_government", 2020).report_id
    write_cells(repo, rid, {"t3.new.np": 5, "t3.new.ce": 1})
    assert repo.load_report(rid).cells["t3.new.np"] == 5
    with pytest.raises(Exception):  # noqa: B017 - whichever refusal: nothing of the block is stored
        write_cells(repo, rid, {"t3.new.np": 9, "t3.new.ce": "不是数字"})
    assert repo.load_report(rid).cells["t3.new.np"] == 5 and repo.load_report(rid).cells["t3.new.ce"] == 1
    write_cells(repo, rid, {"t3.new.np": 6}, cleared=[])
    assert repo.load_report(rid).cells["t3.new.np"] == 6
