"""Reading the expectation suites of expectations/<layer>.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache
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
    # expectations that warn (listed with the worst rows first) but do not block
    warnings: tuple[tuple[str, dict], ...] = ()
    # an empty table fails its check (marts: a mart without rows is never published)
    require_rows: bool = False

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
    """The suite of one layer; expectation names are GE's snake_case names.

    Read once per version of the file (every check of a refresh asks for its layer's suite)."""
    path = folder / f"{layer}.yml"
    stat = path.stat()
    return _load_layer_suite(layer, path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load_layer_suite(layer: str, path: Path, mtime_ns: int, size: int) -> LayerSuite:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = []
    for pattern, spec in raw["tables"].items():
        tables.append(TableSuite(
            pattern, tuple(spec.get("key", [])), _entries(spec.get("expectations", [])),
            spec.get("balanced_panel"), _entries(spec.get("warnings", [])),
            bool(spec.get("require_rows", raw.get("require_rows", False)))))
    return LayerSuite(layer, tuple(tables))


def _entries(entries: list[dict]) -> tuple[tuple[str, dict], ...]:
    out = []
    for entry in entries:
        ((name, kwargs),) = entry.items()
        out.append((name, {k: _substitute(v) for k, v in (kwargs or {}).items()}))
    return tuple(out)
