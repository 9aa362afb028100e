"""The Chinese name of each finding, as the clerk reads it in the 审核 list ("表三行合计不符").

The registry's `name` says what a rule checks ("表三各行合计"); a finding says what is wrong. One title per
rule id of both formats (a test holds every registered rule to having one); the rule code itself is shown only
in the tooltip and in the JSON of `check --json`.
"""

from __future__ import annotations

TITLES: dict[str, str] = {
    # 表内
    "T3-ROWSUM": "表三行合计不符",
    "T3-RESULTSUM": "表三办理结果合计不符",
    "T3-BALANCE": "表三收结不平衡",
    "T4-RV": "表四行政复议合计不符",
    "T4-LD": "表四直接起诉合计不符",
    "T4-LA": "表四复议后起诉合计不符",
    "T2-NONNEG": "表二数字不合规",
    "T2-19-NONNEG": "表二数字不合规",
    "T3-NONNEG": "表三数字不是非负整数",
    "T4-NONNEG": "表四数字不是非负整数",
    # 表二
    "T2-COUNTY-RULES": "县级填报了规章",
    "T2-FEE-PRECISION": "收费金额小数位数过多",
    "T2-FEE-UNIT": "收费金额疑以元填写",
    "T2-19-PUBLIC-LE-MADE": "新公开多于新制作",
    "T2-19-TOTAL-GE-NEW": "公开总数少于新公开",
    # 跨年
    "T3-XYEAR-CARRY": "上年结转与上年报告不符",
    "T2-XYEAR-VALID": "现行有效件数与上年不衔接",
    "T2-REPEAL-BOUND": "废止件数超过上年现行有效件数",
    "T2-19-XYEAR-ITEMS": "上一年项目数量与上年报告不符",
    "T-YOY-SPIKE": "与上年相差悬殊",
    "N-UNCHANGED": "表格与上年完全相同",
    # 正文 ↔ 表格
    "X-TEXT-T3": "正文数字与表三不符",
    "X-TEXT-T2": "正文数字与表二不符",
    "T4-TEXT": "正文数字与表四不符",
    "X-TEXT-ALLDONE": "正文称全部办结但表中有未办结",
    "X-FEE-TEXT": "信息处理费未在正文报告",
    "X-FEE-SUM": "信息处理费分项之和不符",
    "X-FEE-NOTICE": "逾期缴费缺少收费说明",
    # 指标
    "X-METRIC-BOUNDS": "指标比率超出范围",
    "X-METRIC-RATE": "指标比率计算不符",
    "X-METRIC-TEXT": "正文与指标不符",
    "X-TEXT-RATE": "正文占比计算不符",
    # 正文
    "N-SIMILAR": "正文与上年雷同",
    "N-SIMILAR-WHOLE": "全文与上年雷同",
    "N-EMPTY-PART": "正文部分未填写",
    "N-PART5-THIN": "问题与改进写得过简",
    "N-LENGTH": "总体情况字数超限",
    "N-PLACEHOLDER": "占位符未替换或不完整",
    "N-DATE": "日期有误",
    "N-PERIOD": "统计期限有误",
    "N-PUNCT": "半角标点",
    "N-DUPWORD": "词语重复",
    "N-BASIS": "编制依据文号有误",
    "N-INTRO-PARTS": "引言所列部分不全",
    "N-TITLE": "标题有误",
    "N-TITLE-FORM": "标题写法不规范",
    "N-SIGNATURE": "落款单位有误",
    # 汇总
    "X-AGG": "本级填写数与汇总数不一致",
    "X-AGG-UNVERIFIED": "汇总含未通过审核的单位",
    "X-AGG-STOCK": "存量汇总可能重复计数",
    "X-AGG-MISSING": "单位尚未报送",
    "X-AGG-FORMAT": "单位格式版本不同",
    "X-AGG-EMPTY": "汇总尚无单位报告",
    # 发布与考核 (rules of the publication checks)
    "W-DEADLINE": "逾期发布",
    "N-SIMILAR-PEER": "与其他单位雷同",
}


def finding_title(rule_id: str) -> str:
    """The Chinese name of a finding of `rule_id`; an id without one (a test's rule) shows as 审核问题, never
    as its code."""
    return TITLES.get(rule_id, "审核问题")
