"""The one reader of figures: every input path (typing, paste, JSON, returned templates, documents, what the
workspace holds) turns text or a number into a stored figure here, so that all of them accept and refuse the
same things.

Accepted: what can be a printed figure — ASCII or full-width digits, one decimal point, a sign, thousands
separators where they belong, spaces. Refused, with a Chinese reason: letters (NaN, ∞, Infinity, 1e3), other
scripts' digits (٣, ३), superscripts and circled numbers (², ⑫), underscores (1_000), and numbers no report
prints (more than 15 integer digits, more than `MAX_DECIMALS` decimals, `0E-999999`, which would be written
out as a million digits). Precision itself is never a refusal: any number of decimals a report prints (up to
`MAX_DECIMALS`) is stored as printed, and judged by the checks.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_DECIMALS = 20  # a float read from a spreadsheet has at most 17 significant digits
MAX_INTEGER_DIGITS = 15  # no figure of the report has more; anything longer is a typo or a hostile file
MAX_TEXT = 60  # longer text is no figure (and never worth parsing)


class CellInputError(ValueError):
    """A typed or imported value that is not acceptable for its cell; the message is Chinese."""


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋\u2212\u3000\u00a0\t", "0123456789.,-+-   ")
_ALLOWED = frozenset("0123456789.,+- ")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def with_value(text: str, reason: object) -> str:
    """“text” reason — unless the reason quotes the value already (one message, the value once)."""
    msg = str(reason)
    return msg if f"“{text.strip()}”" in msg else f"“{text}” {msg}"


def named(field: str | None, reason: str) -> str:
    return f"{field}：{reason}" if field else reason


def _why_not(text: str, ch: str) -> str:
    """The reason, worded so that it reads after the quoted input ("“三千” 不是数字：应为数字 0–9 …")."""
    if ch in "eE" and any(c.isdigit() for c in text):
        return f"“{text}” 不是数字：不能用科学计数法，应为写出的完整数字"
    if ch.isdigit() or ch.isnumeric():
        return f"“{text}” 不是数字：应为数字 0–9（“{ch}”不是阿拉伯数字）"
    if ch == "_":
        return f"“{text}” 不是数字：不能含下划线，应为数字"
    return f"“{text}” 不是数字，应为数字"


def normalize_number_text(text: str, field: str | None = None) -> str:
    """The plain ASCII form of a typed or pasted figure ("３,０８０" → "3080"); raises CellInputError for
    anything that is not a printed figure."""
    shown = text.strip()
    if len(shown) > MAX_TEXT:
        raise CellInputError(named(field, "数值过大或位数过多"))
    s = shown.translate(_FULLWIDTH)
    bad = next((ch for ch in s if ch not in _ALLOWED), None)
    if bad is not None:
        raise CellInputError(named(field, _why_not(shown, bad)))
    s = s.replace(" ", "")
    if "," in s:
        if not _GROUPED.match(s):
            raise CellInputError(named(field, "千位分隔符位置不对"))
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        raise CellInputError(named(field, f"“{shown}” 不是数字"))
    return s


def checked_decimal(d: Decimal, field: str | None = None) -> Decimal:
    """A Decimal that can be a printed figure (finite, at most 15 integer digits and `MAX_DECIMALS`
    decimals, whatever its value — `0E-999999` is zero written with a million decimals)."""
    if not d.is_finite():
        raise CellInputError(named(field, "不是数字"))
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_DECIMALS:
        raise CellInputError(named(field, f"小数位数过多（超过{MAX_DECIMALS}位）"))
    if d == 0:
        return Decimal(0)
    if d.adjusted() >= MAX_INTEGER_DIGITS:
        raise CellInputError(named(field, "数值过大"))
    return d


def to_decimal(value: object, field: str | None = None) -> Decimal | None:
    """Any input (text, int, float, Decimal; None or blank → None) as a checked Decimal."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellInputError(named(field, "应为数字"))
    if isinstance(value, int):
        if value.bit_length() > 64:
            raise CellInputError(named(field, "数值过大"))
        return checked_decimal(Decimal(value), field)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellInputError(named(field, "不是数字"))
        # its shortest exact form: Decimal(2.5) is exact, Decimal(0.1) is not
        return checked_decimal(Decimal(repr(value)), field)
    if isinstance(value, Decimal):
        return checked_decimal(value, field)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return checked_decimal(Decimal(normalize_number_text(value, field)), field)
        except InvalidOperation:
            raise CellInputError(named(field, f"“{value.strip()}” 不是数字")) from None
    raise CellInputError(named(field, "应为数字"))


__all__ = [
    "MAX_DECIMALS",
    "MAX_INTEGER_DIGITS",
    "CellInputError",
    "checked_decimal",
    "named",
    "normalize_number_text",
    "to_decimal",
]
