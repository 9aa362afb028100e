"""Hostile and broken returned templates (.xlsx): every one is refused, no traceback escapes, the command exits
2, and the workspace (its exported JSON) is exactly as before.

The cases start from a real template written by the app's own template writer for one of the sample's
units (with numbers that differ from the stored ones, so a wrongly accepted file would show), then damage it:
bytes (truncation, garbage in the parts that are read, wrong file kinds), the zip (bombs, too many parts,
macros, external-link parts, encryption flags, path-traversal and duplicate part names, missing parts), and
the cells (text, negatives, fractions, huge numbers, formulas incl. external references, errors, booleans,
dates), labels, titles, sheets and the hidden meta sheet. Seeded and deterministic; every mutation is
invalid by construction.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import random
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

if importlib.util.find_spec("ruian_desk.exchange.unit_template") is None:
    pytest.skip(
        "ruian_desk.exchange.unit_template (the Excel hand-off) is not on this branch yet",
        allow_module_level=True,
    )

from ruian_desk.exchange.report_json import report_to_json  # noqa: E402
from ruian_desk.storage.workspace import open_workspace  # noqa: E402

unit_template: Any = importlib.import_module("ruian_desk.exchange.unit_template")
from ruian_desk.services import imports as importer  # noqa: E402

SEED = 20250115
YEAR = 2019
STAMP = (2025, 1, 15, 9, 0, 0)  # fixed part dates: the cases are byte-for-byte reproducible


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes


# --------------------------------------------------------------------------------- zip helpers


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info.filename)) for info in zf.infolist()]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore", UserWarning)  # duplicate part names are one of the mutations
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    return buf.getvalue()


def _set_encrypted(data: bytes, name: str) -> bytes:
    """Mark one part as encrypted (general-purpose flag bit 0) in its local header and central directory
    entry, as a password-protected zip would."""
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    raw[info.header_offset + 6] |= 0x1
    encoded = name.encode("utf-8")
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(raw[pos + 28 : pos + 30], "little")
        if bytes(raw[pos + 46 : pos + 46 + name_len]) == encoded:
            raw[pos + 8] |= 0x1
            break
        pos = raw.find(b"PK\x01\x02", pos + 4)
    return bytes(raw)


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    return _zip([(i.filename, content if i.filename == name else c) for i, c in _members(data)])


def _sheet_part(data: bytes, sheet: str) -> str:
    """The zip part holding the named sheet (via workbook.xml and its relationships)."""
    parts = dict((i.filename, c) for i, c in _members(data))
    wb = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    m = re.search(r'<sheet [^>]*name="' + re.escape(sheet) + r'"[^>]*r:id="(rId\d+)"', wb)
    assert m, sheet
    target = re.search(r'<Relationship [^>]*Id="' + m.group(1) + r'"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="' + m.group(1) + '"', rels)
    assert target
    t = target.group(1).lstrip("/")
    return t if t.startswith("xl/") else "xl/" + t


def _set_cell_xml(sheet_xml: str, ref: str, element: str) -> str:
    """Replace cell `ref` (or add it to its row) with the raw `<c>` element given."""
    pattern = re.compile(r'<c r="' + ref + r'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    if pattern.search(sheet_xml):
        return pattern.sub(lambda _: element, sheet_xml, count=1)
    row = int(re.sub(r"[A-Z]+", "", ref))
    row_pattern = re.compile(r'(<row r="' + str(row) + r'"[^>]*>)(.*?)(</row>)', re.S)
    if row_pattern.search(sheet_xml):
        return row_pattern.sub(lambda m: m.group(1) + element + m.group(2) + m.group(3), sheet_xml, count=1)
    return sheet_xml.replace("</sheetData>", f'<row r="{row}">{element}</row></sheetData>')


def _inline(ref: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def _edit_sheet(data: bytes, sheet: str, edit: Callable[[str], str]) -> bytes:
    part = _sheet_part(data, sheet)
    xml = dict((i.filename, c) for i, c in _members(data))[part].decode("utf-8")
    changed = edit(xml)
    assert changed != xml, f"mutation of {sheet} changed nothing"
    return _replace_member(data, part, changed.encode("utf-8"))


# ------------------------------------------------------------------------------------ the cases


def _input_cells(format_id: str) -> list[tuple[str, str, str, str]]:
    """(sheet, cell ref, cell id, cell type) of every number cell the filler types into."""
    from ruian_desk.domain.formats import get_format

    fmt = get_format(format_id)
    out = []
    for table in unit_template.TEMPLATE_TABLES:
        if table not in fmt.tables:
            continue
        layout = unit_template.sheet_layout(format_id, table)
        for cid, (r, c) in layout.positions.items():
            if not fmt.cells[cid].derived:
                out.append((layout.sheet, unit_template.coordinate(r, c), cid, fmt.cells[cid].type))
    return out


def _labels(format_id: str) -> list[tuple[str, str, str]]:
    out = []
    for table in unit_template.TEMPLATE_TABLES:
        layout = unit_template.sheet_layout(format_id, table)
        for r, c, text in layout.labels:
            if str(text).strip():
                out.append((layout.sheet, unit_template.coordinate(r, c), str(text)))
    return out


def _bad_cell(rng: random.Random, ref: str, ctype: str) -> str:
    choices = [
        _inline(ref, rng.choice(["abc", "十二", "12件", "0x1F", "1e999999", "9" * 400, "=1+1", "@SUM(1)"])),
        f'<c r="{ref}"><v>1E+20</v></c>',
        f'<c r="{ref}"><v>1E+300</v></c>',
        f'<c r="{ref}"><f>1+1</f><v>2</v></c>',
        f"<c r=\"{ref}\"><f>'C:\\secret\\[budget.xlsx]Sheet1'!A1</f><v>5</v></c>",
        f'<c r="{ref}"><f>[1]Sheet1!A1</f><v>5</v></c>',
        f'<c r="{ref}"><f>WEBSERVICE("http://example.invalid/x")</f><v>5</v></c>',
        f'<c r="{ref}"><f>HYPERLINK("http://example.invalid","5")</f><v>5</v></c>',
        f'<c r="{ref}" t="e"><v>#REF!</v></c>',
        f'<c r="{ref}" t="b"><v>1</v></c>',
        f'<c r="{ref}" t="d"><v>2020-01-01T00:00:00</v></c>',
        f'<c r="{ref}"><v>NaN</v></c>',
    ]
    if ctype != "signed_int":
        choices.append(f'<c r="{ref}"><v>{-rng.randrange(1, 500)}</v></c>')
    if ctype != "decimal":
        choices.append(f'<c r="{ref}"><v>{rng.randrange(1, 99)}.{rng.randrange(1, 9)}</v></c>')
    return rng.choice(choices)


META_BAD = {
    "schema": ["ruian-desk/other", "", "RUIAN-DESK/UNIT-TEMPLATE"],
    "template_version": ["99", "", "0"],
    "unit_id": ["999999", "-1", "abc", ""],
    "unit_name": ["别的单位", ""],
    "year": ["1999", "2100", "二〇一九", ""],
    "format": ["gov-2099", "", "gov-2021"],
}


def _meta_edit(rng: random.Random, data: bytes) -> bytes:
    key = rng.choice(sorted(META_BAD))
    value = rng.choice(META_BAD[key])

    def edit(xml: str) -> str:
        rows = re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', xml, re.S)
        for r, body in rows:
            texts = re.findall(r"<t[^>]*>(.*?)</t>", body, re.S)
            if texts and texts[0] == key:
                return _set_cell_xml(xml, f"B{r}", _inline(f"B{r}", value) if value else f'<c r="B{r}"/>')
        raise AssertionError(f"meta key {key} not found")

    return _edit_sheet(data, unit_template.META_SHEET, edit)


def _drop_sheet(data: bytes, sheet: str) -> bytes:
    part = _sheet_part(data, sheet)
    out = []
    for info, content in _members(data):
        if info.filename == part:
            continue
        if info.filename == "xl/workbook.xml":
            content = re.sub(
                r'<sheet [^>]*name="' + re.escape(sheet) + r'"[^>]*/>', "", content.decode()
            ).encode()
        out.append((info.filename, content))
    return _zip(out)


def _rename_sheet(data: bytes, sheet: str, new: str) -> bytes:
    return _zip(
        [
            (
                i.filename,
                c.decode().replace(f'name="{sheet}"', f'name="{new}"').encode()
                if i.filename == "xl/workbook.xml"
                else c,
            )
            for i, c in _members(data)
        ]
    )


def _garble_read_part(rng: random.Random, data: bytes) -> bytes:
    """Flip bytes inside the compressed data of a part the importer must read (a table or meta sheet, the
    workbook): the zip's CRC or the inflater catches it."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    sheets = [_sheet_part(data, s) for s in ("表二", "表三", "表四", unit_template.META_SHEET)]
    name = rng.choice([*sheets, "xl/workbook.xml"])
    info = zf.getinfo(name)
    raw = bytearray(data)
    header = info.header_offset
    name_len = int.from_bytes(raw[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(raw[header + 28 : header + 30], "little")
    start = header + 30 + name_len + extra_len
    for _ in range(rng.randrange(1, 6)):
        pos = start + rng.randrange(info.compress_size)
        raw[pos] ^= rng.randrange(1, 256)
    return bytes(raw)


def _structural(rng: random.Random, base: bytes, kind: str, cells: list, labels: list) -> bytes:
    if kind == "cell_value":
        sheet, ref, _cid, ctype = rng.choice(cells)
        return _edit_sheet(base, sheet, lambda xml: _set_cell_xml(xml, ref, _bad_cell(rng, ref, ctype)))
    if kind == "label":
        sheet, ref, text = rng.choice(labels)
        new = rng.choice([text + "（改）", text[:-1] or "x", "", "=" + text, text.replace("（", "(")])
        if new == text:
            new = text + "x"
        element = _inline(ref, new) if new else f'<c r="{ref}"/>'
        return _edit_sheet(base, sheet, lambda xml: _set_cell_xml(xml, ref, element))
    if kind == "title":
        sheet = rng.choice(["表二", "表三", "表四"])
        return _edit_sheet(
            base, sheet, lambda xml: _set_cell_xml(xml, "A1", _inline("A1", "别的单位2019年填报表"))
        )
    if kind == "meta":
        return _meta_edit(rng, base)
    if kind == "sheets":
        choice = rng.randrange(3)
        sheet = rng.choice(["表二", "表三", "表四", unit_template.META_SHEET])
        if choice == 0:
            return _drop_sheet(base, sheet)
        return _rename_sheet(base, sheet, sheet + rng.choice(["1", "（副本）", " "]))
    raise AssertionError(kind)


def _zip_level(rng: random.Random, base: bytes, kind: str) -> bytes:
    members = [(i.filename, c) for i, c in _members(base)]
    if kind == "bomb":
        size = rng.choice([70, 100]) * 1024 * 1024
        where = rng.choice(["xl/media/image1.png", "xl/worksheets/sheet9.xml", "customXml/item1.xml"])
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in members:
                zf.writestr(zipfile.ZipInfo(name, date_time=STAMP), content, zipfile.ZIP_DEFLATED)
            info = zipfile.ZipInfo(where, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as f:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(size // len(chunk)):
                    f.write(chunk)
        return buf.getvalue()
    if kind == "ratio_bomb":  # below the total limit, but one part inflates thousands of times
        return _zip([*members, ("xl/media/image1.png", b"\0" * (rng.randrange(3, 8) * 1024 * 1024))])
    if kind == "many_parts":
        return _zip(
            [*members, *((f"customXml/item{i}.xml", b"<a/>") for i in range(rng.randrange(400, 900)))]
        )
    if kind == "macro":
        return _zip(
            [
                *members,
                (rng.choice(["xl/vbaProject.bin", "xl/VBAPROJECT.BIN"]), b"\xd0\xcf\x11\xe0" + b"\0" * 500),
            ]
        )
    if kind == "external_link":
        part = f"xl/externalLinks/externalLink{rng.randrange(1, 4)}.xml"
        xml = b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook/></externalLink>'
        return _zip([*members, (part, xml)])
    if kind == "encrypted_flag":
        return _set_encrypted(base, rng.choice([n for n, _ in members]))
    if kind == "path_traversal":
        name = rng.choice(
            [
                "../evil.xml",
                "../../../../tmp/ruian-evil.txt",
                "/etc/ruian-evil",
                "xl/../../evil.xml",
                "..\\..\\evil.xml",
                "C:/evil.xml",
            ]
        )
        return _zip([*members, (name, b"<evil/>")])
    if kind == "duplicate_part":
        name = rng.choice(["xl/workbook.xml", _sheet_part(base, "表三"), "[Content_Types].xml"])
        content = dict(members)[name]
        return _zip([*members, (name, content.replace(b"<", b"<!-- dup --><", 1))])
    if kind == "missing_part":
        # parts without which there is no workbook to read (a missing styles part alone is tolerable)
        name = rng.choice(
            [
                "[Content_Types].xml",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                _sheet_part(base, "表三"),
            ]
        )
        return _zip([(n, c) for n, c in members if n != name])
    raise AssertionError(kind)


def _bytes_level(rng: random.Random, base: bytes, kind: str) -> bytes:
    if kind == "truncate":
        return base[: rng.randrange(0, len(base) - 22)]  # the end-of-central-directory record goes
    if kind == "garble":
        return _garble_read_part(rng, base)
    if kind == "not_a_zip":
        return rng.choice(
            [
                b"",
                rng.randbytes(rng.randrange(1, 5000)),
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(2000),  # encrypted / old .xls
                b"<html><body>1</body></html>",
                b"PK\x03\x04" + rng.randbytes(300),
                "表三,1,2,3\n".encode("gbk"),
            ]
        )
    raise AssertionError(kind)


PLAN: list[tuple[str, str, int]] = [
    ("structural", "cell_value", 130),
    ("structural", "label", 30),
    ("structural", "title", 6),
    ("structural", "meta", 30),
    ("structural", "sheets", 12),
    ("zip", "bomb", 3),
    ("zip", "ratio_bomb", 4),
    ("zip", "many_parts", 3),
    ("zip", "macro", 4),
    ("zip", "external_link", 5),
    ("zip", "encrypted_flag", 6),
    ("zip", "missing_part", 10),
    ("bytes", "truncate", 25),
    ("bytes", "garble", 25),
    ("bytes", "not_a_zip", 12),
]


def xlsx_cases(base: bytes, format_id: str, seed: int = SEED) -> Iterator[Case]:
    rng = random.Random(seed)
    cells, labels = _input_cells(format_id), _labels(format_id)
    n = 0
    for level, kind, count in PLAN:
        for _ in range(count):
            n += 1
            if level == "structural":
                data = _structural(rng, base, kind, cells, labels)
            elif level == "zip":
                data = _zip_level(rng, base, kind)
            else:
                data = _bytes_level(rng, base, kind)
            yield Case(f"{n:03d}-{kind}.xlsx", data)


# -------------------------------------------------------------------------------------- the tests


def _exported(path: Path) -> list[str]:
    with open_workspace(path, readonly=True) as ws:
        return [report_to_json(r) for r in ws.repo.iter_all_reports()] + [repr(ws.repo.units())]


@pytest.fixture(scope="module")
def base_template(tmp_path_factory: pytest.TempPathFactory, sample_template: Path) -> tuple[bytes, str]:
    """A template written by the app for the sample's first illustrative unit, every number doubled (still
    consistent), so that accepting it would change the workspace."""
    folder = tmp_path_factory.mktemp("tpl")
    with open_workspace(sample_template, readonly=True) as ws:
        unit = next(u for u in ws.repo.units() if u.is_sample)
        rid = ws.repo.find_report(unit.name, YEAR)
        assert rid is not None
        report = ws.repo.load_report(rid)
    values = {k: (None if v is None else v * 2) for k, v in report.cells.items()}
    path = folder / "base.xlsx"
    unit_template.write_template(path, unit, YEAR, report.format_id, values)
    return path.read_bytes(), report.format_id


def test_the_generator_is_deterministic_and_large_enough(base_template: tuple[bytes, str]) -> None:
    base, fmt = base_template
    a = [(c.name, c.data) for c in xlsx_cases(base, fmt)]
    b = [(c.name, c.data) for c in xlsx_cases(base, fmt)]
    assert [n for n, _ in a] == [n for n, _ in b] and len(a) >= 300
    assert [d for _, d in a] == [d for _, d in b]


def test_every_hostile_template_is_refused(
    sample_path: Path, tmp_path: Path, base_template: tuple[bytes, str]
) -> None:
    base, fmt = base_template
    before = _exported(sample_path)
    folder = tmp_path / "cases"
    folder.mkdir()
    failures: list[str] = []
    count = 0
    ws = open_workspace(sample_path)
    try:
        for case in xlsx_cases(base, fmt):
            count += 1
            path = folder / case.name
            path.write_bytes(case.data)
            try:
                results, problems = importer.import_files(ws, [path])
            except BaseException as exc:  # noqa: BLE001 - that is what the test looks for
                failures.append(f"{case.name}: escaped {type(exc).__name__}: {exc}"[:300])
                continue
            finally:
                path.unlink()
            if problems or len(results) != 1:
                failures.append(f"{case.name}: {len(results)} results, {problems}")
            elif results[0].ok:
                failures.append(f"{case.name}: accepted")
            else:
                line = results[0].line()
                if "\n" in line or "Traceback" in line or not results[0].problems:
                    failures.append(f"{case.name}: message {line[:200]!r}")
    finally:
        ws.close()
    assert count >= 300
    assert not failures, f"{len(failures)} of {count}:\n" + "\n".join(failures[:40])
    assert _exported(sample_path) == before
    # the undamaged template is accepted: the comparison above can see a change
    good = tmp_path / "good.xlsx"
    good.write_bytes(base)
    with open_workspace(sample_path) as ws:
        results, _ = importer.import_files(ws, [good])
    assert results[0].ok, results[0].problems
    assert _exported(sample_path) != before


def test_a_handful_through_the_command_line(
    sample_path: Path, tmp_path: Path, base_template: tuple[bytes, str]
) -> None:
    base, fmt = base_template
    before = _exported(sample_path)
    cases = list(xlsx_cases(base, fmt))
    picked = [cases[i] for i in (0, 115, 160, 200, 230, 260, 290)]
    for case in picked:
        path = tmp_path / case.name
        path.write_bytes(case.data)
        r = run_cli("import-xlsx", "-w", str(sample_path), str(path))
        assert r.returncode == 2, (case.name, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and case.name in r.stderr, r.stderr
        assert "内部错误" not in r.stderr
    assert _exported(sample_path) == before


SMUGGLING = [("zip", "path_traversal", 12), ("zip", "duplicate_part", 6)]


def test_smuggled_part_names_are_refused(
    sample_path: Path, tmp_path: Path, base_template: tuple[bytes, str]
) -> None:
    """Part names that climb out of the package ("../x", "/etc/x", "C:/x") and parts present twice (Excel
    and openpyxl may each read a different copy, so the clerk would check other numbers than are imported)
    are refused like any damaged file. The reader needs, in its zip checks: a name that is absolute, has a
    drive or a ".." segment is refused; as is a name listed twice."""
    base, _fmt = base_template
    rng = random.Random(SEED + 1)
    before = _exported(sample_path)
    accepted = []
    with open_workspace(sample_path) as ws:
        for _level, kind, count in SMUGGLING:
            for i in range(count):
                path = tmp_path / f"{kind}-{i}.xlsx"
                path.write_bytes(_zip_level(rng, base, kind))
                results, _ = importer.import_files(ws, [path])
                if results[0].ok:
                    accepted.append(path.name)
    assert not accepted, accepted
    assert _exported(sample_path) == before


def test_nothing_is_written_outside_the_workspace(
    tmp_path: Path, sample_path: Path, base_template: tuple[bytes, str]
) -> None:
    """Path-traversal part names are refused, and reading never extracts anything to disk."""
    base, _ = base_template
    members = [(i.filename, c) for i, c in _members(base)]
    evil = tmp_path / "evil-target.txt"
    rel = "../" * 12 + str(evil).lstrip("/")
    path = tmp_path / "traversal.xlsx"
    path.write_bytes(_zip([*members, (rel, b"pwned")]))
    with open_workspace(sample_path) as ws:
        results, _ = importer.import_files(ws, [path])
    assert not results[0].ok
    assert not evil.exists()


def test_import_is_refused_while_another_program_holds_the_workspace(
    sample_path: Path, tmp_path: Path, base_template: tuple[bytes, str]
) -> None:
    from tests.storage.conftest import Holder

    base, _ = base_template
    path = tmp_path / "good.xlsx"
    path.write_bytes(base)
    before = _exported(sample_path)
    holder = Holder(sample_path)
    try:
        r = run_cli("import-xlsx", "-w", str(sample_path), str(path))
    finally:
        holder.quit()
    assert r.returncode == 2 and f"进程 {holder.pid}" in r.stderr and "Traceback" not in r.stderr
    assert _exported(sample_path) == before


def test_generated_cases_cover_every_kind(base_template: tuple[bytes, str]) -> None:
    base, fmt = base_template
    kinds = {c.name.split("-", 1)[1].removesuffix(".xlsx") for c in xlsx_cases(base, fmt)}
    assert kinds == {kind for _, kind, _ in PLAN}
    assert sum(count for *_, count in PLAN + SMUGGLING) >= 300
    # the summary of what was generated is readable (for the README)
    assert json.dumps(sorted(kinds))
