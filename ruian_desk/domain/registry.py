"""The rule registry: every rule the checker can run, in one table (id, severity, Chinese name, what it needs).

The rule modules are imported here by name in plain `import` statements, so a missing or broken module is an
import error at start, never a check that quietly reports "未发现问题". A rule whose id the format data lists
(`gate`) runs only on the formats that list it; the others run on every format. The arithmetic rules of the
format data (lhs/rhs) are run by the sum engine of `rules.py`; they are listed here all the same, so that
`rules_run` counts them and a format naming a rule this table does not know is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ruian_desk.domain import deadlines, peers, rollup
from ruian_desk.domain.checks import cell_rules, data_rules, form, metrics, tables, text, writing
from ruian_desk.domain.formats import get_format
from ruian_desk.domain.issues import RuleFn

# What a rule reads besides the report's own tables.
NEEDS_LABELS = {
    "tables": "表格",
    "text": "正文",
    "metrics": "指标",
    "previous": "上年报告",
    "units": "各单位报告",
    "settings": "报告设置",
}


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: str  # the most serious severity the rule emits
    name: str  # Chinese name, as the check panel and the README show it
    needs: tuple[str, ...]  # keys of NEEDS_LABELS
    fn: RuleFn | None  # None: an arithmetic rule of the format data, run by the sum engine
    gate: str = ""  # a rule id: the rule runs only on formats whose data list it ("" = every format)


def _data(rule_id: str, severity: str, name: str, fn: RuleFn | None = None, *needs: str) -> RuleSpec:
    """A rule the format data lists: it runs where the data lists it."""
    return RuleSpec(rule_id, severity, name, needs or ("tables",), fn, gate=rule_id)


RULES: tuple[RuleSpec, ...] = (
    # 表内 (format data: arithmetic)
    _data("T3-ROWSUM", "error", "表三各行合计"),
    _data("T3-RESULTSUM", "error", "表三办理结果合计"),
    _data("T3-BALANCE", "error", "表三收结平衡"),
    _data("T4-RV", "error", "表四行政复议合计"),
    _data("T4-LD", "error", "表四直接起诉合计"),
    _data("T4-LA", "error", "表四复议后起诉合计"),
    _data("T2-NONNEG", "error", "表二数值类型", cell_rules.nonneg),
    _data("T2-19-NONNEG", "error", "表二数值类型（2019）", cell_rules.nonneg),
    _data("T3-NONNEG", "error", "表三非负整数", cell_rules.nonneg),
    _data("T4-NONNEG", "error", "表四非负整数", cell_rules.nonneg),
    # 表二
    RuleSpec("T2-COUNTY-RULES", "warning", "县级无规章制定权", ("tables",), cell_rules.t2_county_rules),
    _data("T2-FEE-PRECISION", "info", "收费金额小数位数", cell_rules.t2_fee_precision),
    RuleSpec(
        "T2-FEE-UNIT",
        "info",
        "收费金额疑以元填写",
        ("tables",),
        cell_rules.t2_fee_unit,
        gate="T2-FEE-PRECISION",
    ),
    _data("T2-19-PUBLIC-LE-MADE", "warning", "新公开不多于新制作", data_rules.data_rules),
    _data("T2-19-TOTAL-GE-NEW", "warning", "公开总数不少于新公开", data_rules.data_rules),
    # 跨年
    _data("T3-XYEAR-CARRY", "warning", "上年结转衔接", data_rules.data_rules, "tables", "previous"),
    _data("T2-XYEAR-VALID", "warning", "现行有效件数衔接", data_rules.data_rules, "tables", "previous"),
    _data("T2-REPEAL-BOUND", "warning", "废止件数上限", data_rules.data_rules, "tables", "previous"),
    _data("T2-19-XYEAR-ITEMS", "warning", "上一年项目数量衔接", data_rules.data_rules, "tables", "previous"),
    RuleSpec("T-YOY-SPIKE", "info", "主要数字与上年相差悬殊", ("tables", "previous"), tables.yoy_spike),
    RuleSpec("N-UNCHANGED", "warning", "表格沿用上年", ("tables", "previous"), tables.unchanged),
    # 正文 ↔ 表格
    _data("X-TEXT-T3", "warning", "正文与表三一致", text.text_tables, "text", "tables"),
    _data("X-TEXT-T2", "warning", "正文与表二一致", text.text_tables, "text", "tables"),
    _data("T4-TEXT", "warning", "正文与表四一致", text.text_tables, "text", "tables"),
    RuleSpec("X-TEXT-ALLDONE", "warning", "正文称全部办结", ("text", "tables"), text.all_done),
    _data("X-FEE-TEXT", "info", "信息处理费的报告", text.fee_text, "text", "tables"),
    RuleSpec("X-FEE-SUM", "warning", "信息处理费分项之和", ("text",), text.fee_text, gate="X-FEE-TEXT"),
    RuleSpec("X-FEE-NOTICE", "warning", "逾期缴费与收费说明", ("text", "tables"), text.fee_notice),
    # 指标
    RuleSpec("X-METRIC-BOUNDS", "error", "指标比率范围", ("metrics",), metrics.metric_bounds),
    RuleSpec("X-METRIC-RATE", "warning", "指标比率计算", ("metrics", "text"), metrics.metric_rate),
    RuleSpec("X-METRIC-TEXT", "warning", "正文与指标一致", ("metrics", "text"), metrics.metric_text),
    RuleSpec("X-TEXT-RATE", "warning", "正文占比计算", ("text",), metrics.text_rate),
    # 正文
    RuleSpec("N-SIMILAR", "warning", "正文内容雷同（一、五、六）", ("text", "previous"), writing.similar),
    RuleSpec(
        "N-SIMILAR-WHOLE",
        "warning",
        "全文与上年雷同",
        ("text", "previous", "settings"),
        writing.similar_whole,
    ),
    RuleSpec("N-EMPTY-PART", "error", "正文未填写", ("text",), form.empty_part),
    RuleSpec("N-PART5-THIN", "warning", "五、问题与改进过简", ("text",), writing.part5_thin),
    RuleSpec("N-LENGTH", "warning", "一、总体情况字数", ("text", "settings"), writing.length),
    RuleSpec("N-PLACEHOLDER", "error", "模板占位符", ("text",), form.placeholders),
    RuleSpec("N-DATE", "error", "日期", ("text",), form.dates),
    RuleSpec("N-PERIOD", "error", "统计期限", ("text",), form.period),
    RuleSpec("N-PUNCT", "warning", "半角标点", ("text",), form.punct),
    RuleSpec("N-DUPWORD", "warning", "词语重复", ("text",), writing.dup_word),
    RuleSpec("N-BASIS", "warning", "编制依据文号", ("text",), form.basis),
    RuleSpec("N-INTRO-PARTS", "warning", "引言所列部分", ("text",), writing.intro_parts),
    RuleSpec("N-TITLE", "warning", "标题", ("text",), form.title),
    RuleSpec("N-TITLE-FORM", "warning", "标题写法", ("text",), writing.title_form),
    RuleSpec("N-SIGNATURE", "warning", "落款单位", ("text",), form.signature),
    # 发布与单位间比对 (#12)
    RuleSpec("W-DEADLINE", "warning", "逾期发布或未发布", ("settings",), deadlines.w_deadline),
    RuleSpec("N-SIMILAR-PEER", "warning", "单位之间正文雷同", ("text", "units"), peers.similar_peer),
    # 汇总
    _data("X-AGG", "warning", "本级填写数与汇总数不一致", rollup.aggregation_checks, "tables", "units"),
    RuleSpec("X-AGG-UNVERIFIED", "warning", "汇总含未通过审核的单位", ("units",), rollup.aggregation_checks),
    RuleSpec("X-AGG-STOCK", "warning", "存量汇总可能重复计数", ("units",), rollup.aggregation_checks),
    RuleSpec("X-AGG-MISSING", "warning", "单位尚未报送", ("units",), rollup.aggregation_checks),
    RuleSpec("X-AGG-FORMAT", "error", "单位格式版本不同", ("units",), rollup.aggregation_checks),
    RuleSpec("X-AGG-EMPTY", "info", "汇总尚无单位报告", ("units",), rollup.aggregation_checks),
)

BY_ID: dict[str, RuleSpec] = {spec.id: spec for spec in RULES}
assert len(BY_ID) == len(RULES), "a rule id is listed twice"


class UnknownRule(LookupError):
    """The format data names a rule this registry does not have (a rule that would silently not run)."""


@cache
def rules_for(format_id: str) -> tuple[RuleSpec, ...]:
    """The rules that run on reports of the format, in the registry's order."""
    fmt = get_format(format_id)
    listed = {r.id for r in fmt.rules + fmt.cross_rules}
    unknown = sorted(listed - set(BY_ID))
    if unknown:
        raise UnknownRule(f"格式 {format_id} 的规则 {'、'.join(unknown)} 没有对应的审核程序")
    return tuple(spec for spec in RULES if not spec.gate or spec.gate in listed)


def rules_run(format_id: str) -> tuple[str, ...]:
    """Ids of the rules a check of the format runs (what `check` reports as `rules_run`)."""
    return tuple(spec.id for spec in rules_for(format_id))


@cache
def functions_for(format_id: str) -> tuple[RuleFn, ...]:
    """Each rule function to call for the format once (one function may emit several ids)."""
    return tuple(dict.fromkeys(spec.fn for spec in rules_for(format_id) if spec.fn is not None))


@cache
def error_functions_for(format_id: str) -> tuple[RuleFn, ...]:
    """The rule functions of the format that can emit an error (what `rules.error_checks` runs)."""
    specs = [spec for spec in rules_for(format_id) if spec.fn is not None and spec.severity == "error"]
    return tuple(dict.fromkeys(spec.fn for spec in specs if spec.fn is not None))


def rule_name(rule_id: str) -> str:
    """The Chinese name of a rule id ("" for an id the registry does not know, e.g. a test's rule)."""
    spec = BY_ID.get(rule_id)
    return spec.name if spec else ""
