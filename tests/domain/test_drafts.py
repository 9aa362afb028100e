"""Drafts from last year's report: what is carried comes from the format's cross-year rules."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ruian_desk.domain.carry import carried_cells
from ruian_desk.domain.drafts import draft_from_previous
from ruian_desk.domain.report import Metric, Report
from ruian_desk.exchange.report_json import read_report_file
from ruian_desk.paths import resource


def _sample() -> Report:
    return read_report_file(resource("sample", "ruian-2019.json"))


def test_carried_from_2019_to_2020() -> None:
    prev = _sample()
    draft = draft_from_previous(prev, 2020)
    assert draft.format_id == "gov-2019"
    assert draft.cells == {
        "t3.carry_in.np": 94, "t3.carry_in.ce": 10, "t3.carry_in.ri": 0, "t3.carry_in.spo": 1,
        "t3.carry_in.lso": 4, "t3.carry_in.oth": 1,
        "t2_5.license.prev_items": 1468 - 36, "t2_5.other_mgmt.prev_items": 905 + 12,
        # every section with 上一年项目数量, as the check reads the rule (第（六）（八）项 too)
        "t2_6.penalty.prev_items": 6290 - 125, "t2_6.coercion.prev_items": 198 - 4,
        "t2_8.admin_fee.prev_items": 64 - 9,
    }  # fmt: skip
    # The draft starts with no cross-year warning the app made itself.
    from ruian_desk.domain.rules import CheckContext, run_checks

    xyear = [i for i in run_checks(draft, CheckContext(previous=prev)) if "XYEAR" in i.rule]
    assert xyear == []
    assert draft.title == "瑞安市人民政府2020年政府信息公开工作年度报告"
    assert draft.signature.organ == "瑞安市人民政府" and draft.signature.date is None
    online = draft.metric("online_rate")
    assert online is not None and online.value is None and online.note == "上年（2019年）：99.74%"


def test_valid_documents_base_in_the_2021_format() -> None:
    prev = replace(
        draft_from_previous(_sample(), 2021),
        cells={"t2_1.normative.valid": 143, "t2_1.normative.made": 3, "t2_1.normative.repealed": 1,
               "t3.carry_out.total": 5, "t3.carry_out.np": 5},
    )  # fmt: skip
    assert prev.format_id == "gov-2021"
    carried = carried_cells(prev.fmt, prev)
    # 现行有效件数 = last year's + 制发 − 废止, with this year's 制发/废止 still blank: the base is last year's.
    assert carried["t2_1.normative.valid"] == 143
    assert "t2_1.rules.valid" not in carried  # blank last year: nothing carried
    assert carried["t3.carry_in.np"] == 5
    assert "t3.carry_in.total" not in carried  # derived: computed, never stored


def test_metrics_keep_names_and_blank_values() -> None:
    prev = replace(_sample(), metrics=(Metric("x", "新指标", Decimal("3"), "项", source="某局"),))
    draft = draft_from_previous(prev, 2020)
    assert draft.metrics == (Metric("x", "新指标", None, "项", source="某局", note="上年（2019年）：3项"),)
