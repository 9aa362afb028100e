"""Labels and figures as printed, compared the same way whichever reader found them."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ruian_desk.domain.report import CellValue

# A blank, "/", "-", "—", "不适用" … is blank, never 0.
BLANK_MARKS = {"", "/", "／", "\\", "-", "－", "—", "——", "–", "一", "不适用", "无", "空", "×", "*", "…"}



def norm_label(text: str | None) -> str:
    """A label as compared: half-width forms, no spaces or line breaks, brackets and list marks unified."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    s = s.replace("(", "（").replace(")", "）").replace("、", "、")
    s = re.sub(r"^(\d{1,2})[、．.，,]", r"\1.", s)
    s = s.replace("“", "").replace("”", "").replace('"', "")
    return s.strip("：:")


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|\d{1,2}\.)")


def label_core(text: str) -> str:
    """A row label without its numbering and without a bracketed remark: "（二）部分公开（区分处理的…）" → 部分公开."""
    s = _NUMBERING.sub("", norm_label(text))
    s = re.sub(r"（[^）]*）$", "", s)
    return s


def parse_figure(text: str | None, cell_type: str) -> tuple[CellValue, str | None]:
    """(value, problem). Blank marks → None; "1,234", "３ １１９", "3\n119" → the number; a decimal stays exact."""
    if text is None:
        return None, None
    s = unicodedata.normalize("NFKC", text).strip()
    if norm_label(s) in BLANK_MARKS or s in BLANK_MARKS:
        return None, None
    s = re.sub(r"\s+", "", s)
    s = s.rstrip("件个次项条万元%")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    if not re.fullmatch(r"[+-]?\d{1,15}(\.\d{1,12})?", s):
        return None, f"“{text.strip()}”不是数字"
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None, f"“{text.strip()}”不是数字"
    if cell_type == "decimal":
        if d < 0:
            return None, f"“{text.strip()}”不应为负数"
        return (d.normalize() if d == d.to_integral_value() and "." not in s else d), None
    if d != d.to_integral_value():
        return None, f"“{text.strip()}”应为整数"
    n = int(d)
    if n < 0 and cell_type != "signed_int":
        return None, f"“{text.strip()}”不应为负数"
    return n, None


def is_figure(text: str | None) -> bool:
    if text is None:
        return False
    s = norm_label(text)
    if s in BLANK_MARKS:
        return True
    return bool(re.fullmatch(r"[+-]?\d[\d,]*(\.\d+)?[件个次项条]?", s))


