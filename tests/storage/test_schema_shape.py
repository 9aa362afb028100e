"""The shipped reference shape of the schema (resources/schema/shape.json) is exactly what the migrations make,
so the full opening check of a changed file compares against the truth without importing sqlite-utils."""

from __future__ import annotations

import json

from ruian_desk.paths import resource
from ruian_desk.storage.migrations import known_names
from ruian_desk.storage.verified import SHAPE_RESOURCE, build_reference_shape


def test_the_shipped_shape_equals_the_migrations() -> None:
    shipped = json.loads(resource(*SHAPE_RESOURCE).read_text(encoding="utf-8"))
    assert shipped["migrations"] == known_names(), "a migration was added: regenerate resources/schema/shape.json"
    built = {name: [list(col) for col in cols] for name, cols in build_reference_shape().items()}
    assert shipped["shape"] == built
    assert any(name.startswith("表 cells") or name.startswith("表 ") for name in built)
