"""The package of a returned template, judged before openpyxl reads a value: zip structure, active content and
what Excel would hide.

Active content is recognised by what the package declares it to be, not only by its part name: Excel runs a
`vbaProject` wherever it lives (`xl/macros.bin` works as well as `xl/vbaProject.bin`), and follows an
external link under any folder. So the content types (`[Content_Types].xml`) and the relationship types of
every `.rels` part are read too. Members compressed with anything but stored/deflate are refused (Excel never
writes them; other readers may see other bytes).

`sheet_facts` reads each worksheet's XML for what the clerk could not see in Excel: hidden rows and columns,
merges laid over cells, and a cell listed twice (Excel shows one copy, openpyxl reads the other).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from ruian_desk.exchange.unit_template import (
    MAX_MEMBER_RATIO,
    MAX_MEMBERS,
    MAX_UNCOMPRESSED_BYTES,
)

_MACRO_TYPES = ("vbaproject", "macroenabled", "activex", "oleobject", "vbadata", "ms-excel.intl.macrosheet")
_LINK_TYPES = ("externallink",)
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def zip_problem(data: bytes) -> str | None:
    """Why the bytes cannot be read as a returned template (None: the package may be opened)."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "文件设置了打开密码或是旧版 .xls 格式，无法读取；请取消密码后另存为 .xlsx 再交回"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return "文件已损坏或不完整（不是有效的 .xlsx 文件），请重新保存后交回"
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        return f"文件结构异常（包含 {len(infos)} 个部件），拒绝读取"
    total = 0
    names = set()
    for info in infos:
        name = info.filename
        # A part name that climbs out of the package, or one listed twice, lets Excel show one copy while
        # openpyxl reads another: refuse the file rather than guess which numbers the clerk saw.
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in re.split(r"[/\\]", name):
            return f"文件结构异常（部件名 “{name[:60]}” 不合法），拒绝读取"
        if name.lower() in names:
            return f"文件结构异常（部件 “{name[:60]}” 重复出现），拒绝读取"
        names.add(name.lower())
        if info.flag_bits & 0x1:
            return "文件已加密，无法读取；请取消密码后交回"
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return f"文件结构异常（部件 “{name[:60]}” 的压缩方式不是 Excel 使用的），拒绝读取"
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            return f"文件解压后异常膨胀（{info.filename}），疑似压缩炸弹，拒绝读取"
    if total > MAX_UNCOMPRESSED_BYTES:
        return f"文件解压后过大（{total / 1048576:.1f} MB，上限 {MAX_UNCOMPRESSED_BYTES // 1048576} MB），拒绝读取"
    if "[content_types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        return "文件不是 Excel 工作簿（.xlsx），请用本程序生成的模板填写"
    return _active_content(zf, names)


def _active_content(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    macro = "文件含有宏，拒绝读取；请另存为不含宏的 .xlsx"
    link = "文件含有外部链接，拒绝读取；请用“选择性粘贴 → 数值”去掉链接后另存"
    if any(n.endswith("vbaproject.bin") or "/macros" in n for n in names):
        return macro
    if any("externallink" in n or n.startswith("xl/links/") for n in names):
        return link
    declared: list[str] = []
    try:
        root = ElementTree.fromstring(_read(zf, "[Content_Types].xml"))
        declared += [
            el.get("ContentType", "")
            for el in root.iter()
            if el.tag in (f"{_CT_NS}Override", f"{_CT_NS}Default")
        ]
        for info in zf.infolist():
            if info.filename.lower().endswith(".rels"):
                rels = ElementTree.fromstring(zf.read(info))
                for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
                    declared.append(rel.get("Type", ""))
                    if rel.get("TargetMode", "").lower() == "external" and "hyperlink" not in rel.get(
                        "Type", ""
                    ):
                        return link
    except Exception:  # noqa: BLE001 - any failure to read these parts (bad CRC, bad XML) is damage
        return "文件已损坏（部件清单无法读取），拒绝读取"
    lowered = [d.lower() for d in declared]
    if any(t in d for d in lowered for t in _MACRO_TYPES):
        return macro
    if any(t in d for d in lowered for t in _LINK_TYPES):
        return link
    return None


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    for info in zf.infolist():
        if info.filename.lower() == name.lower():
            return zf.read(info)
    raise KeyError(name)


@dataclass
class SheetFacts:
    """What Excel hides on one worksheet, by (row, column), 1-based."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # top, left, bottom, right
    duplicates: set[tuple[int, int]] = field(default_factory=set)
    hidden_format: set[tuple[int, int]] = field(default_factory=set)  # filled by the cell reader (;;;)

    def covered_by(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merge that hides (row, col) under another cell (None: visible or the merge's first cell)."""
        for top, left, bottom, right in self.merges:
            if top <= row <= bottom and left <= col <= right and (row, col) != (top, left):
                return (top, left, bottom, right)
        return None


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _ref(text: str) -> tuple[int, int] | None:
    m = _REF.match(text.strip().upper())
    return (int(m[2]), _col_number(m[1])) if m else None


def sheet_facts(data: bytes) -> dict[str, SheetFacts]:
    """Per sheet name: hidden rows/columns, merges, cells listed twice. Best effort: a sheet whose XML cannot
    be read gets no facts (openpyxl then refuses the file as damaged)."""
    out: dict[str, SheetFacts] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        workbook = ElementTree.fromstring(_read(zf, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_read(zf, "xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - damage: openpyxl refuses the file with its own message
        return out
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        if not target:
            continue
        part = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        try:
            out[sheet.get("name", "")] = _facts_of(_read(zf, part))
        except Exception:  # noqa: BLE001 - a damaged sheet part: openpyxl refuses the file
            continue
    return out


def _facts_of(xml: bytes) -> SheetFacts:
    facts = SheetFacts()
    seen: set[tuple[int, int]] = set()
    for _event, el in ElementTree.iterparse(io.BytesIO(xml)):
        tag = el.tag
        if tag == f"{_MAIN_NS}c":
            ref = _ref(el.get("r", ""))
            if ref is not None:
                if ref in seen:
                    facts.duplicates.add(ref)
                seen.add(ref)
            el.clear()
        elif tag == f"{_MAIN_NS}row":
            if el.get("hidden") in ("1", "true") and el.get("r", "").isdigit():
                facts.hidden_rows.add(int(el.get("r", "0")))
            el.clear()
        elif tag == f"{_MAIN_NS}col":
            if el.get("hidden") in ("1", "true"):
                lo, hi = int(el.get("min", "0")), int(el.get("max", "0"))
                facts.hidden_cols.update(range(lo, min(hi, lo + 200) + 1))
        elif tag == f"{_MAIN_NS}mergeCell":
            a, _, b = el.get("ref", "").partition(":")
            first, last = _ref(a), _ref(b or a)
            if first and last:
                facts.merges.append((first[0], first[1], last[0], last[1]))
    return facts


def hides_value(number_format: str) -> bool:
    """A number format that shows nothing (`;;;`, `"";"";""`): the cell looks blank in Excel."""
    sections = [s.replace('""', "").strip() for s in str(number_format or "").split(";")]
    return len(sections) >= 3 and not any(sections[:3])


__all__ = ["SheetFacts", "hides_value", "sheet_facts", "zip_problem"]
