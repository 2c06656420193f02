"""The synthetic demo yearbook: deterministic, realistic, consistent, marked synthetic."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models_py.demo.generate import MARKER, demo_is_present, revisions, write_demo_yearbook
from models_py.demo.planted import PLANTED
from models_py.demo.structural import simulate_world
from models_py.ingest.discover import discover_raw_files, parse_raw_file

FAST = (2008, 2011)


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def world():
    return simulate_world()


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    write_demo_yearbook(tmp_path / "a", years=FAST)
    write_demo_yearbook(tmp_path / "b", years=FAST)
    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert first == second
    assert {name.split("/")[0] for name in first} >= {"nbs", "ceads", "energy", "science_tech",
                                                       "ofdi", MARKER}
    assert demo_is_present(tmp_path / "a")


def test_every_file_says_it_is_synthetic(tmp_path: Path) -> None:
    write_demo_yearbook(tmp_path, years=FAST)
    for raw_file in discover_raw_files(tmp_path):
        result = parse_raw_file(raw_file)
        if raw_file.source == "ceads":
            import openpyxl

            book = openpyxl.load_workbook(raw_file.path, read_only=True)
            note = " ".join(str(c) for row in book["NOTE"].iter_rows(values_only=True)
                            for c in row if c)
            book.close()
            assert "SYNTHETIC DEMO DATA" in note, raw_file.name
        else:
            assert any("合成演示数据" in n for n in result.notes), raw_file.name
    assert "SYNTHETIC" in (tmp_path / MARKER).read_text(encoding="utf-8")


def test_magnitudes_look_like_the_yearbooks(world) -> None:
    frame = world.province_year
    total_mt = np.exp(frame["true_ln_total"]) / 100
    by_year = total_mt.groupby(frame["year"]).sum()
    assert 2800 < by_year[2000] < 3600
    assert 9300 < by_year[2015] < 10300
    assert 10300 < by_year[2019] < 11200
    peak = total_mt[frame["year"] == 2019]
    assert 10 < peak.min() < 60 and 800 < peak.max() < 1100
    y19 = frame[frame["year"] == 2019].set_index("province_code")
    assert y19.at["440000", "gdp"] == pytest.approx(107671, rel=0.01)
    assert 600_000 < y19.at["440000", "patents_domestic"] < 1_000_000
    assert 4e6 < y19["tech_import_expenditure"].sum() < 6e6  # 万元: 40-60 bn yuan
    assert 1500 < y19["energy_total"].min() and y19["energy_total"].max() < 45000


def test_emission_accounting_identities(world) -> None:
    ceads = world.ceads_mt  # province x year x sector x (17 fuels + process)
    total = np.exp(world.province_year["true_ln_total"].to_numpy()).reshape(30, -1) / 100
    np.testing.assert_allclose(ceads.sum(axis=(2, 3)), total, rtol=1e-10)
    assert (ceads >= 0).all()
    process_by_sector = ceads[..., 17].sum(axis=(0, 1))
    assert process_by_sector[26] > 0 and np.delete(process_by_sector, 26).sum() == 0


def test_planted_values_are_the_papers() -> None:
    """The technology-import study's planted values are the published ones (paper 001), and
    the published total, direct and indirect effects agree: c = c' + a b to rounding."""
    assert PLANTED.tech_on_ce_total == pytest.approx(-0.337, abs=0.001)  # Table 3 col. 4
    assert PLANTED.key_total == pytest.approx((-0.432, -0.637, -0.506, -0.630), abs=0.001)
    assert PLANTED.tis_base_year == 2011
    assert (PLANTED.tis_depreciation, PLANTED.tis_base_growth) == (0.15, 0.05)


def test_newer_edition_revises_census_years_only(world, tmp_path: Path) -> None:
    revised = revisions(world)
    gdp = revised[revised["variable"] == "gdp"]
    assert set(gdp["year"]) == {2018, 2019, 2020} and len(gdp) == 90
    assert (gdp["value_2023"] > gdp["value_2021"]).all()
    write_demo_yearbook(tmp_path, years=(2017, 2020))
    old = pd.read_csv(tmp_path / "nbs" / "2021" / "gdp.csv", encoding="gb18030", skiprows=3,
                      skipfooter=3, engine="python").set_index("地区")
    new = pd.read_csv(tmp_path / "nbs" / "2023" / "gdp.csv", encoding="gb18030", skiprows=3,
                      skipfooter=4, engine="python").set_index("地区")
    assert (old["2017年"] == new["2017年"]).all()
    assert (old.loc["北京市", "2019年"] < new.loc["北京市", "2019年"])
