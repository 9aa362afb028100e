"""The reader on documents made like the real ones (tests/documents: the national template filled in by hand, a
unit's own Word file, a GBK portal page, a flattened republished page, a LibreOffice PDF with 表三 over two
pages, traditional-character and simplified text copies, a defective report): every cell against the truth
file, the parts at least 95 % as printed, the problems named; the refusals with their advice."""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from pathlib import Path

import pytest

from ruian_desk.domain.formats import get_format
from ruian_desk.exchange.documents.importer import read_file

FILES = Path(__file__).resolve().parents[1] / "documents" / "files"
TRUTHS = sorted(FILES.glob("*.expected.json"))


def _document(truth: Path) -> Path:
    stem = truth.name.removesuffix(".expected.json")
    (found,) = [p for p in FILES.iterdir() if p.stem == stem and not p.name.endswith(".json")]
    return found


def _value(v):  # noqa: ANN001, ANN202
    return Decimal(v) if isinstance(v, str) else v


def _similar(a: str, b: str) -> float:
    a, b = "".join(a.split()), "".join(b.split())
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.mark.parametrize("truth_file", TRUTHS, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_document_reads_to_its_truth(truth_file: Path) -> None:
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    rr = read_file(_document(truth_file))
    assert rr.ok, rr.refused
    assert (rr.unit, rr.year, rr.format_id) == (truth["unit"], truth["year"], truth["format"])
    fmt = get_format(truth["format"])
    expected = {cid: _value(v) for cid, v in truth["cells"].items()}
    expected |= {cid: _value(v) for cid, v in truth.get("stated_totals", {}).items()}
    assert set(expected) >= set(fmt.input_cells)
    wrong = {cid: (v, rr.cells.get(cid, "absent")) for cid, v in expected.items() if rr.cells.get(cid, "absent") != v}
    assert wrong == {}
    parts = {"title": rr.title, "intro": rr.intro, **rr.parts, "signature": rr.signature_text}
    for key, printed in truth["parts"].items():
        assert _similar(parts[key], printed) >= 0.95, (key, parts[key][:80], printed[:80])
    joined = " ".join(rr.problems)
    for keyword in truth["problems_expected"]:
        assert keyword in joined, (keyword, rr.problems)


def test_the_pdf_cells_say_their_page() -> None:
    rr = read_file(FILES / "libreoffice-2021.pdf")
    pages = {rr.sources[c].split("页")[0] for c in rr.cells if c.startswith("t3.")}
    assert len(pages) == 2  # 表三 read across its page break
    assert rr.cells["t2_5.license.decisions"] == 3119  # printed "3 119"


REFUSALS = json.loads((FILES / "refusals.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refused_with_advice(name: str) -> None:
    rr = read_file(FILES / name)
    assert not rr.ok
    assert name in rr.refused and REFUSALS[name] in rr.refused, rr.refused
