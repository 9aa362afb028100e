"""The reference .docx (like pandoc's reference-doc): page setup, footer page number and the styles the DOCX
export uses. `resources/reference.docx` ships with the app; a clerk may replace it (or put their own
`reference.docx` in the user data folder) to change fonts, sizes or margins without touching code.

Run `python -m ruian_desk.export.reference [OUT]` to write the default file again.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from ruian_desk.paths import resource, user_data_dir

REFERENCE_NAME = "reference.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# GB/T 9704 公文 page: A4, margins top 37 / bottom 35 / left 28 / right 26 mm, in twips (1 mm = 56.69 twips).
PAGE_TWIPS = {"w": 11906, "h": 16838}
MARGIN_TWIPS = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474, "header": 851, "footer": 1304}

# Style ids the exporter writes; each is defined below and added to a replaced reference that lacks it.
TITLE, HEADING1, HEADING2, BODY, NOTE, TABLE_TEXT, SIGNATURE, CAPTION, FOOTER, TABLE = (
    "Title",
    "Heading1",
    "Heading2",
    "BodyText",
    "SampleNote",
    "TableText",
    "Signature",
    "ImageCaption",
    "Footer",
    "ReportTable",
)

LATIN = "Times New Roman"


def _fonts(east_asia: str, latin: str = LATIN) -> str:
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}" '
        f'w:hint="eastAsia"/>'
    )


def _rpr(east_asia: str, half_points: int, latin: str = LATIN) -> str:
    return (
        f'<w:rPr>{_fonts(east_asia, latin)}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        f'<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
    )


def _exact(twips: int) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{twips}" w:lineRule="exact"/>'


_NO_GRID = '<w:snapToGrid w:val="0"/>'
_INDENT_2 = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'


def _pstyle(
    style_id: str, name: str, ppr: str, rpr: str, based_on: str | None = "Normal", extra: str = ""
) -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="{0 if name[0].islower() or name in _BUILTIN else 1}" '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/>{based}<w:next w:val="{BODY}"/>'
        f"<w:qFormat/>{extra}<w:pPr>{ppr}</w:pPr>{rpr}</w:style>"
    )


_BUILTIN = {"Normal", "Title", "Body Text", "Signature", "Footer"}

_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
TABLE_BORDERS = (
    "<w:tblBorders>"
    + "".join(_BORDER.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders>"
)
TABLE_CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
)

STYLE_XML: dict[str, str] = {
    "Normal": _pstyle(
        "Normal",
        "Normal",
        f'<w:widowControl/>{_NO_GRID}{_exact(560)}<w:jc w:val="both"/>',
        _rpr("仿宋_GB2312", 32),
        based_on=None,
    ),
    BODY: _pstyle(BODY, "Body Text", f"{_INDENT_2}", _rpr("仿宋_GB2312", 32)),
    TITLE: _pstyle(
        TITLE,
        "Title",
        f'{_NO_GRID}<w:spacing w:before="0" w:after="560" w:line="700" w:lineRule="exact"/>'
        '<w:ind w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
        _rpr("方正小标宋简体", 44),
    ),
    HEADING1: _pstyle(
        HEADING1,
        "heading 1",
        f'<w:keepNext/>{_INDENT_2}<w:outlineLvl w:val="0"/>',
        _rpr("黑体", 32),
    ),
    HEADING2: _pstyle(
        HEADING2,
        "heading 2",
        f'<w:keepNext/>{_INDENT_2}<w:outlineLvl w:val="1"/>',
        _rpr("楷体_GB2312", 32),
    ),
    NOTE: _pstyle(
        NOTE,
        "示例数据标注",
        f'<w:keepNext/>{_NO_GRID}<w:spacing w:before="0" w:after="60" w:line="360" w:lineRule="exact"/>'
        '<w:ind w:firstLine="0"/><w:jc w:val="center"/>',
        _rpr("楷体_GB2312", 24),
    ),
    TABLE_TEXT: _pstyle(
        TABLE_TEXT,
        "表格文字",
        f'{_NO_GRID}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:firstLine="0"/><w:jc w:val="center"/>',
        _rpr("仿宋_GB2312", 21),
    ),
    SIGNATURE: _pstyle(
        SIGNATURE,
        "Signature",
        '<w:keepNext/><w:ind w:firstLine="0" w:right="640"/><w:jc w:val="right"/>',
        _rpr("仿宋_GB2312", 32),
    ),
    CAPTION: _pstyle(
        CAPTION,
        "图解标题",
        f'<w:keepNext/>{_NO_GRID}<w:spacing w:before="240" w:after="60" w:line="400" w:lineRule="exact"/>'
        '<w:ind w:firstLine="0"/><w:jc w:val="center"/>',
        _rpr("黑体", 24),
    ),
    FOOTER: _pstyle(
        FOOTER,
        "footer",
        f'{_NO_GRID}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:firstLine="0"/><w:jc w:val="center"/>',
        _rpr("宋体", 28, latin="宋体"),
    ),
    TABLE: (
        f'<w:style w:type="table" w:customStyle="1" w:styleId="{TABLE}"><w:name w:val="年报表格"/>'
        f'<w:uiPriority w:val="59"/><w:pPr>{_NO_GRID}'
        '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/>'
        f'<w:jc w:val="center"/></w:pPr>{_rpr("仿宋_GB2312", 21)}'
        f'<w:tblPr><w:jc w:val="center"/>{TABLE_BORDERS}{TABLE_CELL_MARGINS}</w:tblPr>'
        '<w:tcPr><w:vAlign w:val="center"/></w:tcPr></w:style>'
    ),
}

DOC_DEFAULTS = (
    f"<w:docDefaults><w:rPrDefault>{_rpr('仿宋_GB2312', 32)}</w:rPrDefault>"
    '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
)

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def styles_xml() -> str:
    return (
        f'{_XML_HEAD}<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">{DOC_DEFAULTS}'
        + "".join(STYLE_XML.values())
        + "</w:styles>"
    )


PAGE_NUMBER_INDENT_TWIPS = 280  # one character of 四号 (14 pt)


def page_number_paragraph(even: bool = False) -> str:
    """GB/T 9704 page numbers: "— 1 —" (the number between two 一字线) with a PAGE field, 四号 宋体, odd
    pages on the right and even pages on the left, one character in from the type area's edge."""
    rpr = _rpr("宋体", 28, latin="宋体")

    def run(inner: str) -> str:
        return f"<w:r>{rpr}{inner}</w:r>"

    side = "left" if even else "right"
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{FOOTER}"/><w:ind w:{side}="{PAGE_NUMBER_INDENT_TWIPS}" '
        f'w:firstLine="0"/><w:jc w:val="{side}"/></w:pPr>'
        + run('<w:t xml:space="preserve">— </w:t>')
        + run('<w:fldChar w:fldCharType="begin"/>')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>')
        + run(f"<w:t>{2 if even else 1}</w:t>")
        + run('<w:fldChar w:fldCharType="end"/>')
        + run('<w:t xml:space="preserve"> —</w:t>')
        + "</w:p>"
    )


def section_properties(footer_rid: str = "rIdFooter1", even_footer_rid: str = "rIdFooter2") -> str:
    m = MARGIN_TWIPS
    return (
        f'<w:sectPr><w:footerReference w:type="even" r:id="{even_footer_rid}"/>'
        f'<w:footerReference w:type="default" r:id="{footer_rid}"/>'
        f'<w:pgSz w:w="{PAGE_TWIPS["w"]}" w:h="{PAGE_TWIPS["h"]}"/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}" '
        f'w:header="{m["header"]}" w:footer="{m["footer"]}" w:gutter="0"/>'
        '<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>'
    )


def _demo_body() -> str:
    """Sample paragraphs in each style, so a clerk opening the file in Word sees what to restyle."""

    def p(style: str, text: str) -> str:
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'

    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="2200" w:type="dxa"/></w:tcPr>{p(TABLE_TEXT, t)}</w:tc>'
        for t in ("表格文字（TableText）", "0", "0", "0")
    )
    table = (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE}"/><w:tblW w:w="8800" w:type="dxa"/></w:tblPr>'
        "<w:tblGrid>" + '<w:gridCol w:w="2200"/>' * 4 + f"</w:tblGrid><w:tr>{cells}</w:tr></w:tbl>"
    )
    return (
        p(TITLE, "标题样式（Title）：方正小标宋简体 二号")
        + p(BODY, "正文样式（Body Text）：仿宋_GB2312 三号，首行缩进2字符，固定行距28磅。")
        + p(HEADING1, "一、一级标题（heading 1）：黑体 三号")
        + p(HEADING2, "（一）二级标题（heading 2）：楷体_GB2312 三号")
        + p(NOTE, "【示例数据】表格上方的示例数据标注（SampleNote）")
        + table
        + p(CAPTION, "图解标题（ImageCaption）")
        + p(SIGNATURE, "落款（Signature）")
        + p(
            BODY,
            "本文件是导出 Word 文档的参考样式：修改这里的页面设置、页脚和样式后保存，导出的报告即采用新样式。",
        )
    )


def _document_xml() -> str:
    return (
        f'{_XML_HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
        f"{_demo_body()}{section_properties()}</w:body></w:document>"
    )


def _footer_xml(even: bool = False) -> str:
    return f'{_XML_HEAD}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{page_number_paragraph(even)}</w:ftr>'


# Fonts the styles name, with the usual fallbacks (Word substitutes altName when the font is missing).
_FONT_TABLE = (
    ("仿宋_GB2312", "仿宋", "02010609030101010101", "86", "modern"),
    ("方正小标宋简体", "宋体", "02000000000000000000", "86", "auto"),
    ("黑体", "SimHei", "02010609060101010101", "86", "modern"),
    ("楷体_GB2312", "楷体", "02010609030101010101", "86", "modern"),
    ("宋体", "SimSun", "02010600030101010101", "86", "auto"),
    (LATIN, "", "02020603050405020304", "00", "roman"),
)


def _font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}">'
        + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
        "</w:font>"
        for name, alt, panose, charset, family in _FONT_TABLE
    )
    return f'{_XML_HEAD}<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">{fonts}</w:fonts>'


_SETTINGS = (
    f'{_XML_HEAD}<w:settings xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:drawingGridVerticalSpacing w:val="579"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>'
)

_CT = "application/vnd.openxmlformats-officedocument"
_CONTENT_TYPES = (
    f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}.wordprocessingml.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}.wordprocessingml.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_CT}.wordprocessingml.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}.wordprocessingml.fontTable+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_CT}.wordprocessingml.footer+xml"/>'
    f'<Override PartName="/word/footer2.xml" ContentType="{_CT}.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
    "</Types>"
)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_DOC_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFontTable" Type="{_REL}/fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooter1" Type="{_REL}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooter2" Type="{_REL}/footer" Target="footer2.xml"/>'
    "</Relationships>"
)
_CORE = (
    f"{_XML_HEAD}<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>政府信息公开工作年度报告 参考样式</dc:title><dc:creator>瑞安年报助手</dc:creator>"
    "</cp:coreProperties>"
)
_APP = (
    f"{_XML_HEAD}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>瑞安年报助手</Application></Properties>"
)


def build_reference_docx(path: str | Path) -> Path:
    """Write the default reference document. Fixed timestamps keep the file byte-identical between runs."""
    path = Path(path)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PKG_RELS,
        "word/document.xml": _document_xml(),
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": _SETTINGS,
        "word/fontTable.xml": _font_table_xml(),
        "word/footer1.xml": _footer_xml(),
        "word/footer2.xml": _footer_xml(even=True),
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    tmp.replace(path)
    return path


def reference_docx_path() -> Path:
    """The clerk's own reference (user data folder) if present, else the bundled one; the bundled one is
    rebuilt (in the user data folder) if it went missing."""
    own = user_data_dir() / REFERENCE_NAME
    if own.is_file():
        return own
    try:
        bundled = resource(REFERENCE_NAME)
    except FileNotFoundError:
        bundled = None
    if bundled is not None and bundled.is_file():
        return bundled
    fallback = user_data_dir() / "cache" / REFERENCE_NAME
    if not fallback.is_file():
        build_reference_docx(fallback)
    return fallback


if __name__ == "__main__":  # pragma: no cover
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else resource(REFERENCE_NAME)
    print(build_reference_docx(out))
