"""Hostile and broken report JSON files: every one is refused with exit 2 and one plain line, no traceback, and
the workspace (its exported JSON) is exactly as before — even when a valid file is imported in the same run.

The cases are generated from the sample's own files by a seeded generator (deterministic): byte damage
(truncation, invalid UTF-8, control characters, garbage, other encodings, oversize) and structural damage
(wrong types, deep nesting, huge numbers, unknown and duplicate keys, missing fields, out-of-range values).
Every mutation is invalid by construction, so "refused" is the only right answer.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ruian_desk.cli import main
from ruian_desk.domain.formats import get_format
from ruian_desk.exchange.report_json import MAX_BYTES, report_to_json
from ruian_desk.storage.workspace import open_workspace
from tests.conftest import ROOT, run_cli

SEED = 20250114
SAMPLE = ROOT / "resources" / "sample"
BASES = [SAMPLE / "ruian-2019.json", *sorted((SAMPLE / "units").glob("*.json"))]


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _cell_paths(doc: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """(path in the document, cell type) of every number cell present."""
    fmt = get_format(doc["format"])
    out = []
    for table_id, table in doc["tables"].items():
        nested = fmt.tables[table_id].sections[0].id != table_id
        blocks = table.items() if nested else [(table_id, table)]
        for section_id, rows in blocks:
            for row_id, cols in rows.items():
                for col_id in cols:
                    cell = fmt.cells[f"{section_id}.{row_id}.{col_id}"]
                    prefix = ("tables", table_id, section_id) if nested else ("tables", table_id)
                    out.append(((*prefix, row_id, col_id), cell.type))
    return out


def _set(doc: Any, path: tuple[str | int, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


RAW = "\u0000RAW\u0000"  # placeholder replaced by raw JSON text after dumping


def _with_raw(doc: dict[str, Any], path: tuple[str | int, ...], raw: str) -> bytes:
    _set(doc, path, RAW)
    return _dump(doc).replace(json.dumps(RAW).encode("utf-8"), raw.encode("utf-8"))


# values that no cell of the type may take
BAD_CELL_VALUES: dict[str, list[Any]] = {
    "int": [-1, -907, 1.5, 0.25, "12", "１２", "", True, False, [], [1], {}, {"v": 1}, 10**19, 2**63],
    "signed_int": [1.5, -0.5, "3", True, [], {}, 10**19, -(10**19)],
    "decimal": [-0.01, -3, "1597.88", True, [], {}, {"value": 1}],
}
BAD_CELL_RAW = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999999",
    "-1e400",
    "1" + "0" * 5000,
    "0x10",
    "+5",
    ".5",
    "05",
]
WRONG_FIELD_VALUES: dict[str, list[Any]] = {
    "schema": [None, 1, "ruian-desk/report@2", "", ["ruian-desk/report@1"]],
    "unit": [None, 7, "", "   ", [], {"name": "x"}, "名" * 201],
    "unit_role": [None, "mayor", "", 3, ["department"]],
    "year": [None, "2019", 2019.0, 1989, 2101, -2019, True, [], 10**30],
    "format": [None, "gov-2099", "", 2019, {}],
    "title": [None, 5, [], {}, "题" * 501],
    "intro": [None, 5, [], {}],
    "parts": [None, "p1", [], 5],
    "tables": [None, [], "t3", 5],
    "metrics": [None, {}, "m", 5],
    "signature": [None, [], "瑞安市人民政府", 5],
    "sample_data": [None, "t3", [3], ["t9"], {}],
}


def _structural(rng: random.Random, base: dict[str, Any], kind: str) -> bytes:
    doc = copy.deepcopy(base)
    cells = _cell_paths(doc)
    if kind == "wrong_type_cell":
        path, ctype = rng.choice(cells)
        _set(doc, path, rng.choice(BAD_CELL_VALUES[ctype]))
        return _dump(doc)
    if kind == "bad_raw_number":
        path, _ = rng.choice(cells)
        return _with_raw(doc, path, rng.choice(BAD_CELL_RAW))
    if kind == "wrong_type_field":
        key = rng.choice(sorted(WRONG_FIELD_VALUES))
        doc[key] = rng.choice(WRONG_FIELD_VALUES[key])
        return _dump(doc)
    if kind == "unknown_key":
        name = rng.choice(["extra", "t3", "p7", "np2", "__proto__", "值", "$ref", "total "])
        places: list[Callable[[], None]] = [
            lambda: doc.__setitem__(name, 1),
            lambda: doc["parts"].__setitem__(name if name != "p1" else "p7", "文字"),
            lambda: doc["signature"].__setitem__(name, "x"),
            lambda: doc["tables"]["t3"].__setitem__(name + "_row", {"np": 1}),
            lambda: doc["tables"]["t3"]["new"].__setitem__(name + "_col", 1),
            lambda: doc["tables"].__setitem__("t9", {}),
        ]
        if doc["metrics"]:
            places.append(lambda: doc["metrics"][0].__setitem__(name + "_m", 1))
        rng.choice(places)()
        return _dump(doc)
    if kind == "deep_nesting":
        depth = rng.choice([40, 1000, 50_000, 200_000])
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        inner = "1" if opener == "{" else ""
        raw = opener * depth + inner + closer * depth
        where = rng.choice([rng.choice(cells)[0], ("parts", "p1"), ("tables",), ("signature",), ("title",)])
        return _with_raw(doc, where, raw)
    if kind == "huge_text":
        where, limit = rng.choice(
            [(("unit",), 200), (("title",), 500), (("parts", "p1"), 200_000), (("intro",), 200_000)]
        )
        _set(doc, where, "长" * (limit + 1 + rng.randrange(50)))
        return _dump(doc)
    if kind == "missing_required":
        del doc[rng.choice(["schema", "unit", "unit_role", "year", "format"])]
        return _dump(doc)
    if kind == "duplicate_key":
        text = _dump(doc).decode("utf-8")
        key = rng.choice(['"unit"', '"year"', '"np"', '"organ"', '"p1"', '"format"'])
        i = text.index(key)
        line_end = text.index("\n", i)
        line = text[text.rindex("\n", 0, i) + 1 : line_end].rstrip(",")
        return (text[: line_end + 1] + line + ",\n" + text[line_end + 1 :]).encode("utf-8")
    if kind == "bad_value":
        choice = rng.randrange(8)
        if choice == 0:
            doc["format"] = "gov-2021" if doc["format"] == "gov-2019" else "gov-2019"
        elif choice == 1:
            doc["signature"] = {
                "organ": "x",
                "date": rng.choice(["2020-02-30", "20200219", "2020/02/19", "", 20200219]),
            }
        elif choice == 2:
            doc["metrics"] = [{"key": "rate", "label": "率", "value": 1, "numerator": 1, "denominator": 0}]
        elif choice == 3:
            doc["metrics"] = [
                {"key": rng.choice(["1abc", "", "a-b", "键", "a" * 65]), "label": "x", "value": 1}
            ]
        elif choice == 4:
            doc["metrics"] = [{"key": "k", "label": "x", "value": 1}, {"key": "k", "label": "y", "value": 2}]
        elif choice == 5:
            doc["metrics"] = [{"key": "k", "label": rng.choice(["", "   ", "标" * 101, 5]), "value": 1}]
        elif choice == 6:
            doc["metrics"] = [{"key": "k", "label": "x", "value": rng.choice(["3080", True, [], {}])}]
        else:
            doc["tables"]["t3"]["new"]["np"] = "九百"
        return _dump(doc)
    raise AssertionError(kind)


def _bytes_damage(rng: random.Random, data: bytes, kind: str) -> bytes:
    last = data.rindex(b"}")
    if kind == "truncate":
        return data[: rng.randrange(0, last)]
    if kind == "invalid_utf8":
        pos = rng.randrange(len(data))
        bad = rng.choice([b"\xff", b"\xfe", b"\xc0\x80", b"\x80", b"\xed\xa0\x80", b"\xe4\xb8"])
        return data[:pos] + bad + data[pos:]
    if kind == "control_char":
        pos = rng.randrange(1, last)
        ch = bytes([rng.choice([c for c in range(32) if c not in (9, 10, 13)])])
        return data[:pos] + ch + data[pos:]
    if kind == "garbage_block":
        pos = rng.randrange(len(data))
        block = bytearray(rng.randbytes(rng.randrange(1, 400)))
        block[rng.randrange(len(block))] = 0xFF
        return data[:pos] + bytes(block) + data[pos + rng.randrange(0, 400) :]
    if kind == "random_file":
        size = rng.choice([0, 1, 3, 100, 5000, 60_000])
        junk = bytearray(rng.randbytes(size))
        if junk:
            junk[0] = 0xFF
        return bytes(junk)
    if kind == "other_encoding":
        text = data.decode("utf-8")
        encoded = text.encode(
            rng.choice(["gbk", "gb18030", "utf-16", "utf-16-le", "utf-32", "big5hkscs"]), "replace"
        )
        try:
            encoded.decode("utf-8")
        except UnicodeDecodeError:
            return encoded
        raise AssertionError("re-encoded text happens to be UTF-8")
    if kind == "not_an_object":
        return rng.choice([b"[]", b"null", b"42", b'"report"', b"true", b"[" + data + b"]", b"   \n  "])
    if kind == "oversize":
        return data[:last] + b" " * (MAX_BYTES + 1 - len(data)) + data[last:]
    raise AssertionError(kind)


STRUCTURAL = [
    ("wrong_type_cell", 60),
    ("bad_raw_number", 25),
    ("wrong_type_field", 40),
    ("unknown_key", 25),
    ("deep_nesting", 12),
    ("huge_text", 8),
    ("missing_required", 10),
    ("duplicate_key", 15),
    ("bad_value", 25),
]
BYTES = [
    ("truncate", 30),
    ("invalid_utf8", 20),
    ("control_char", 20),
    ("garbage_block", 20),
    ("random_file", 12),
    ("other_encoding", 12),
    ("not_an_object", 7),
    ("oversize", 2),
]


def json_cases(seed: int = SEED) -> Iterator[Case]:
    rng = random.Random(seed)
    bases = [json.loads(p.read_text(encoding="utf-8")) for p in BASES]
    raw_bases = [p.read_bytes() for p in BASES]
    n = 0
    for kind, count in STRUCTURAL:
        for _ in range(count):
            n += 1
            yield Case(f"{n:03d}-{kind}.json", _structural(rng, rng.choice(bases), kind))
    for kind, count in BYTES:
        for _ in range(count):
            n += 1
            yield Case(f"{n:03d}-{kind}.json", _bytes_damage(rng, rng.choice(raw_bases), kind))


def test_the_generator_is_deterministic_and_large_enough() -> None:
    a = [(c.name, c.data) for c in json_cases()]
    b = [(c.name, c.data) for c in json_cases()]
    assert a == b and len(a) >= 300
    assert len({d for _, d in a}) >= 290  # nearly all distinct


def _exported(path: Path) -> list[str]:
    with open_workspace(path, readonly=True) as ws:
        return [report_to_json(r) for r in ws.repo.iter_all_reports()] + [repr(ws.repo.units())]


@pytest.fixture
def valid_change(tmp_path: Path) -> Path:
    """A valid file that would change the workspace: it rides along with each hostile file and must not be
    stored either (all or nothing)."""
    doc = json.loads(BASES[1].read_text(encoding="utf-8"))
    doc["title"] = "本不该被导入的标题"
    doc["tables"]["t3"]["new"]["np"] = 123
    path = tmp_path / "valid.json"
    path.write_bytes(_dump(doc))
    return path


def test_every_hostile_file_is_refused_in_process(
    sample_path: Path, tmp_path: Path, valid_change: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _exported(sample_path)
    folder = tmp_path / "cases"
    folder.mkdir()
    failures: list[str] = []
    count = 0
    for case in json_cases():
        count += 1
        path = folder / case.name
        path.write_bytes(case.data)
        try:
            rc = main(["import-json", "-w", str(sample_path), str(valid_change), str(path)])
        except BaseException as exc:  # noqa: BLE001 - that is what the test looks for
            failures.append(f"{case.name}: escaped {type(exc).__name__}: {exc}"[:300])
            continue
        out, err = capsys.readouterr()
        lines = err.strip().splitlines()
        if rc != 2:
            failures.append(f"{case.name}: exit {rc} {out[:100]!r}")
        elif len(lines) != 1 or "Traceback" in err or "内部错误" in err:
            failures.append(f"{case.name}: message {err[:300]!r}")
        elif case.name not in err:
            failures.append(f"{case.name}: the message does not name the file: {err[:200]!r}")
        path.unlink()
    assert count >= 300
    assert not failures, "\n".join(failures[:40])
    assert _exported(sample_path) == before
    # the companion file alone is accepted: the comparison above can see a change
    assert main(["import-json", "-w", str(sample_path), str(valid_change)]) == 0
    assert _exported(sample_path) != before


def test_a_handful_through_the_command_line(sample_path: Path, tmp_path: Path, valid_change: Path) -> None:
    before = _exported(sample_path)
    cases = list(json_cases())
    picked = [cases[i] for i in (0, 61, 100, 180, 230, 290, len(cases) - 3)]
    for case in picked:
        path = tmp_path / case.name
        path.write_bytes(case.data)
        r = run_cli("import-json", "-w", str(sample_path), str(valid_change), str(path))
        assert r.returncode == 2, (case.name, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert case.name in r.stderr and "未导入任何文件" in r.stderr
    assert _exported(sample_path) == before


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: _with_raw(d, ("tables", "t2", "t2_9", "central_proc", "proc_amount"), "1e30"),
        lambda d: _with_raw(d, ("metrics",), '[{"key": "k", "label": "x", "value": 1e400}]'),
        lambda d: _with_raw(d, ("metrics",), '[{"key": "k", "label": "x", "value": 1' + "0" * 4000 + "}]"),
        lambda d: _with_raw(d, ("tables", "t3", "new", "np"), "1e999999"),
    ],
    ids=["decimal-cell-1e30", "metric-1e400", "metric-4000-digits", "cell-1e999999-quickly"],
)
def test_absurd_magnitudes_are_refused(tmp_path: Path, mutate: Callable[[dict[str, Any]], bytes]) -> None:
    """Found by this fuzz test: 1e999999 in a cell took 25 s to refuse (its digits were written out), and a
    metric of 1e400 was stored as 400 digits."""
    from ruian_desk.exchange.report_json import ReportFileError, read_report_file

    doc = json.loads(BASES[1].read_text(encoding="utf-8"))
    path = tmp_path / "m.json"
    path.write_bytes(mutate(doc))
    with pytest.raises(ReportFileError, match="数值过大"):
        read_report_file(path)
