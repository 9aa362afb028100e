"""Documents into the workspace: read (no workspace access, safe in a worker), plan (what would change), store
(one transaction per file, a verified backup before the first write of a batch, every file logged)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruian_desk.domain.formats import get_format
from ruian_desk.domain.report import CellValue, Report, Signature, Unit, default_report, format_number
from ruian_desk.exchange.documents.model import DocumentError
from ruian_desk.exchange.documents.readers import KINDS, REFUSED_SUFFIXES, read_document
from ruian_desk.exchange.documents.result import TABLE_NAMES, TABLES, ReadReport
from ruian_desk.exchange.documents.understand import understand
from ruian_desk.exchange.files import collect_files
from ruian_desk.storage.repository import Repository

IMPORT_KIND = "report"
SOURCE_PREFIX = "report:"
KIND_LABELS = {"docx": "Word", "html": "网页", "pdf": "PDF", "txt": "文本"}
PART_LABELS = {"title": "标题", "intro": "引言", "p1": "一、总体情况", "p5": "五、存在的主要问题及改进情况",
               "p6": "六、其他需要报告的事项"}  # fmt: skip


# ---------------------------------------------------------------------------------------------- reading


def collect_documents(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Documents from files and folders (.doc/.wps kept so that each gets its message)."""
    return collect_files(
        paths,
        set(KINDS) | set(REFUSED_SUFFIXES),
        "文件夹中没有可导入的报告文件（.docx、.html、.pdf、.txt）：{path}",
    )


def read_file(path: Path, unit: str | None = None, year: int | None = None) -> ReadReport:
    """One document read; a file that cannot be read gives a ReadReport with `refused` set (never raises for
    what the file holds)."""
    try:
        data_hash = _sha256(path)
    except OSError as exc:
        return ReadReport(str(path), path.name, "", refused=f"{path.name}：无法读取（{exc.strerror or exc}）")
    try:
        doc = read_document(path)
        rr = understand(doc)
    except DocumentError as exc:
        rr = ReadReport(str(path), path.name, KINDS.get(path.suffix.lower(), ""), refused=str(exc))
    except RecursionError:
        rr = ReadReport(str(path), path.name, "", refused=f"{path.name}：文件结构嵌套过深，无法读取")
    rr.path = str(path)
    rr.name = path.name
    rr.sha256 = data_hash
    if rr.ok:
        if unit:
            rr.unit = unit
        if year:
            if rr.year is not None and rr.year != year:
                rr.problems.append(f"文件中的年度为{rr.year}年，按指定的{year}年导入")
            rr.year = year
        if rr.unit is None:
            rr.problems.append("未能从标题或落款读出单位名称（可用 --unit 指定）")
    return rr


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_files(
    files: Sequence[Path],
    unit: str | None = None,
    year: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[ReadReport]:
    out: list[ReadReport] = []
    for i, f in enumerate(files):
        if progress is not None:
            progress(i, len(files), f.name)
        out.append(read_file(f, unit, year))
    if progress is not None:
        progress(len(files), len(files), "")
    by_key: dict[tuple[str, int], list[ReadReport]] = {}
    for rr in out:
        if rr.ok and rr.unit and rr.year:
            by_key.setdefault((rr.unit, rr.year), []).append(rr)
    for (name, y), group in by_key.items():
        if len(group) > 1:
            files_text = "、".join(r.name for r in group)
            for rr in group[1:]:
                rr.problems.append(
                    f"同一批中还有“{name}”{y}年的其他文件（{files_text}），只导入第一个：{group[0].name}"
                )
                rr.duplicate_of = group[0].name
    return out


# ---------------------------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class DocChange:
    target: str  # cell id or part key
    label: str
    old: str
    new: str


@dataclass
class DocPlan:
    read: ReadReport
    unit_name: str = ""
    unit: Unit | None = None  # None: a new unit will be added
    role: str = "department"
    year: int = 0
    report: Report | None = None
    existing: Report | None = None
    changes: list[DocChange] = field(default_factory=list)
    tables: tuple[str, ...] = ()
    take_text: bool = True
    refused: str | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None and self.report is not None

    @property
    def cell_sources(self) -> dict[str, str]:
        fmt = self.report.fmt if self.report else None
        prefix = f"{SOURCE_PREFIX}{self.read.name}"
        return {
            cid: f"{prefix} {where}"
            for cid, where in self.read.sources.items()
            if fmt is not None and cid in fmt.cells and fmt.cells[cid].table in self.tables
        }


def guess_role(name: str) -> str:
    if name.endswith("人民政府办公室") or name.endswith("政府办公室"):
        return "office"
    if any(k in name for k in ("镇人民政府", "乡人民政府", "街道办事处", "街道")) or name.endswith(
        ("镇", "乡")
    ):
        return "township"
    if any(k in name for k in ("管委会", "管理委员会", "新区", "开发区", "功能区", "产业园")):
        return "function_zone"
    if name.endswith("人民政府") and any(k in name for k in ("市人民政府", "县人民政府", "区人民政府")):
        return "county_government"
    return "department"


def plan_document(
    repo: Repository | None, rr: ReadReport, tables: Iterable[str] | None = None, take_text: bool = True
) -> DocPlan:
    """What storing this document would do. `tables` limits the import to some tables (逐表导入)."""
    plan = DocPlan(rr, take_text=take_text)
    if not rr.ok:
        plan.refused = rr.refused
        return plan
    if rr.duplicate_of:
        plan.refused = f"{rr.name}：同一批中已有同一单位同一年度的文件（{rr.duplicate_of}），未导入"
        return plan
    if not rr.unit:
        plan.refused = f"{rr.name}：未能读出单位名称，请指定单位后再导入"
        return plan
    if rr.year is None:
        plan.refused = f"{rr.name}：未能读出年度，请指定年度后再导入"
        return plan
    assert rr.format_id is not None
    fmt = get_format(rr.format_id)
    unit = repo.unit_by_name(rr.unit) if repo is not None else None
    if unit is None and repo is not None and rr.signature_organ and rr.signature_organ != rr.unit:
        # The title names the unit one way, the 落款 the way the workspace knows it.
        unit = repo.unit_by_name(rr.signature_organ)
        if unit is not None:
            rr.problems.append(f"标题中的单位“{rr.unit}”与落款“{rr.signature_organ}”不同，按落款的单位导入")
    plan.unit = unit
    plan.unit_name = unit.name if unit else rr.unit
    plan.role = unit.role if unit else guess_role(rr.unit)
    plan.year = rr.year
    rid = repo.find_report(plan.unit_name, rr.year) if repo is not None and unit is not None else None
    existing = repo.load_report(rid) if rid is not None and repo is not None else None
    plan.existing = existing
    if existing is not None and existing.format_id != fmt.id:
        plan.refused = (
            f"{rr.name}：工作区中“{plan.unit_name}”{rr.year}年的报告使用{existing.format_id}格式，"
            f"与文件的{fmt.id}格式不符，未导入"
        )
        return plan
    chosen = tuple(t for t in TABLES if t in rr.found_tables and (tables is None or t in set(tables)))
    plan.tables = chosen
    base = existing or default_report(Unit(name=plan.unit_name, role=plan.role), rr.year, fmt.id)
    cells: dict[str, CellValue] = {
        cid: v for cid, v in base.cells.items() if cid not in fmt.cells or fmt.cells[cid].table not in chosen
    }
    for cid, v in rr.cells.items():
        if cid in fmt.cells and fmt.cells[cid].table in chosen:
            cells[cid] = v
    parts = dict(base.parts)
    title, intro, signature = base.title, base.intro, base.signature
    if take_text:
        # A text that differs from the stored one only in line breaks and spaces (how Word, PDF and web pages
        # wrap it) is left as stored.
        for key in ("p1", "p5", "p6"):
            if rr.parts.get(key) and _flat(rr.parts[key]) != _flat(parts.get(key, "")):
                parts[key] = rr.parts[key]
        if rr.title and _flat(rr.title) != _flat(title):
            title = rr.title
        if rr.intro and _flat(rr.intro) != _flat(intro):
            intro = rr.intro
        signature = Signature(
            organ=rr.signature_organ or signature.organ or plan.unit_name,
            date=rr.signature_date or signature.date,
        )
    plan.report = replace(
        base,
        unit=plan.unit_name,
        unit_role=plan.role,
        title=title,
        intro=intro,
        parts=parts,
        cells=cells,
        signature=signature,
        sample_tables=frozenset(t for t in base.sample_tables if t not in chosen),
    )
    plan.changes = _changes(existing, plan.report, chosen)
    return plan


def _flat(text: str) -> str:
    return "".join(text.split())


def _changes(existing: Report | None, new: Report, tables: tuple[str, ...]) -> list[DocChange]:
    fmt = new.fmt
    out: list[DocChange] = []
    old_cells = existing.cells if existing is not None else {}
    for cid, cdef in fmt.cells.items():
        if cdef.table not in tables:
            continue
        before, after = old_cells.get(cid), new.cells.get(cid)
        if cdef.derived and existing is not None:
            before = old_cells[cid] if cid in old_cells else existing.values.get(cid)  # a total as shown
        if before == after:
            continue
        if existing is None and after is None:
            continue
        out.append(DocChange(cid, cdef.label, _show(before), _show(after)))
    old_text = {
        "title": existing.title if existing else "",
        "intro": existing.intro if existing else "",
        **({k: existing.part(k) for k in ("p1", "p5", "p6")} if existing else {}),
    }
    new_text = {"title": new.title, "intro": new.intro, **{k: new.part(k) for k in ("p1", "p5", "p6")}}
    for key, label in PART_LABELS.items():
        a, b = old_text.get(key, ""), new_text.get(key, "")
        if a != b:
            out.append(
                DocChange(key, label, f"{len(a)} 字" if a else "空白", f"{len(b)} 字" if b else "空白")
            )
    return out


def _show(value: CellValue) -> str:
    return "空白" if value is None else format_number(value)


# ---------------------------------------------------------------------------------------------- storing


def write_document(repo: Repository, plan: DocPlan) -> int:
    """Store one planned document inside the caller's transaction (`services.imports` opens one per file):
    the report (each cell with its page or row), the import record and the unit's status. Returns the report
    id."""
    from ruian_desk.exchange.tracker import refresh_status

    assert plan.report is not None
    rr = plan.read
    report_id = repo.save_report(
        plan.report, source=f"{SOURCE_PREFIX}{rr.name}", cell_sources=plan.cell_sources
    )
    unit = repo.unit_by_name(plan.unit_name)
    assert unit is not None and unit.id is not None
    if repo.main_organ() is None and unit.role == "county_government":
        repo.set_main_organ(unit.id)
    tables = "、".join(TABLE_NAMES[t] for t in plan.tables) or "无表格"
    repo.record_import(
        unit.id, plan.year, rr.name, rr.sha256, IMPORT_KIND, f"已导入（{tables}）：{len(plan.changes)} 处变化"
    )
    refresh_status(repo, unit.id, plan.year, reset_confirmation=True)
    return report_id


def record_refusal(repo: Repository, plan: DocPlan) -> None:
    if repo.readonly:
        return
    unit = repo.unit_by_name(plan.read.unit) if plan.read.unit else None
    repo.record_import(
        unit.id if unit else None,
        plan.read.year,
        plan.read.name,
        plan.read.sha256,
        IMPORT_KIND,
        f"已拒绝：{plan.refused}"[:2000],
    )


# -------------------------------------------------------------------------------------------- describing


def describe(plan: DocPlan, limit: int = 40) -> list[str]:
    rr = plan.read
    kind = KIND_LABELS.get(rr.kind, rr.kind)
    if not rr.ok:
        return [f"已拒绝：{rr.refused}"]
    head = f"读取：{rr.name}（{kind}）→ {rr.unit or '单位未知'} {rr.year or '年度未知'}年（{rr.format_id}）"
    lines = [head]
    conf = "，".join(
        f"{TABLE_NAMES[t]} {round(rr.confidence[t] * 100)}%"
        if t in rr.found_tables
        else f"{TABLE_NAMES[t]} 未找到"
        for t in TABLES
    )
    numbers = sum(1 for v in rr.cells.values() if v is not None)
    blanks = sum(1 for v in rr.cells.values() if v is None)
    lines.append(f"  表格可信度：{conf}；读出数字 {numbers} 个，空白 {blanks} 格")
    for p in rr.problems:
        lines.append(f"  问题：{p}")
    if plan.refused:
        lines.append(f"  未导入：{plan.refused}")
        return lines
    if plan.existing is None:
        unit_note = "（新单位）" if plan.unit is None else ""
        lines.append(f"  将新建报告：{plan.unit_name}{unit_note} {plan.year}年")
    elif not plan.changes:
        lines.append("  与工作区中的报告相同，无变化")
    else:
        lines.append(f"  将改变 {len(plan.changes)} 处：")
        for c in plan.changes[:limit]:
            lines.append(f"    {c.label}：{c.old} → {c.new}")
        if len(plan.changes) > limit:
            lines.append(f"    ……另有 {len(plan.changes) - limit} 处")
    return lines
