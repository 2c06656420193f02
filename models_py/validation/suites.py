"""Reading the expectation suites of expectations/<layer>.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import yaml

from models_py.reference import provinces

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
LAYERS = ("raw", "staging", "marts", "results")


@dataclass(frozen=True)
class TableSuite:
    """The expectations one table must meet (``pattern`` may end in ``*``: every table)."""

    pattern: str
    key: tuple[str, ...]
    expectations: tuple[tuple[str, dict], ...]
    balanced_panel: dict | None = None

    def matches(self, table: str) -> bool:
        return fnmatch(table, self.pattern)


@dataclass(frozen=True)
class LayerSuite:
    layer: str
    tables: tuple[TableSuite, ...] = field(default_factory=tuple)

    def for_table(self, table: str) -> TableSuite | None:
        return next((t for t in self.tables if t.matches(table)), None)


def _substitute(value: object) -> object:
    if value == "$province_codes":
        return provinces()["province_code"].tolist()
    return value


def load_layer_suite(layer: str, folder: Path = EXPECTATIONS_DIR) -> LayerSuite:
    """The suite of one layer; expectation names are GE's snake_case names."""
    raw = yaml.safe_load((folder / f"{layer}.yml").read_text(encoding="utf-8"))
    tables = []
    for pattern, spec in raw["tables"].items():
        expectations = []
        for entry in spec.get("expectations", []):
            ((name, kwargs),) = entry.items()
            expectations.append((name, {k: _substitute(v) for k, v in (kwargs or {}).items()}))
        tables.append(TableSuite(pattern, tuple(spec.get("key", [])), tuple(expectations),
                                 spec.get("balanced_panel")))
    return LayerSuite(layer, tuple(tables))
