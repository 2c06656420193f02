"""Scenario tables of a study: counterfactuals computed from fitted results, never refitted.

``run_carbon_price`` takes the source table's rows of ``results.estimates`` and
``results.covariances`` and the carbon-price mapping mart, and returns the long
``results.simulation`` rows (measure ``me``, ``ace``, ``mc`` per industry and carbon price,
statistics estimate, std_error, lower, upper) and ``results.tests`` rows (the high-energy
elasticity b + d with its standard error and z test; the paper's summary of the ACE at the
summary prices for the six high-energy and the most affected other industries).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from models_py.simulation.carbon_price import (
    EnergyCostElasticity,
    carbon_prices,
    counterfactual,
    summary_table,
)
from models_py.studies.frames import tests_frame
from models_py.studies.schema import CarbonPriceTable, StudyDeclaration


def elasticity_from_results(estimates: pd.DataFrame, covariances: pd.DataFrame,
                            table: CarbonPriceTable) -> EnergyCostElasticity:
    """b, d and their covariance from the source table's column ``table.column``."""
    terms = [table.energy_cost, table.interaction]
    rows = estimates[(estimates["table_id"] == table.source)
                     & (estimates["column_order"] == table.column)
                     & (estimates["statistic"] == "estimate")]
    params = rows.set_index("term")["value"]
    cov_rows = covariances[(covariances["table_id"] == table.source)
                           & (covariances["column_order"] == table.column)]
    cov = cov_rows.pivot(index="term", columns="other_term", values="value")
    missing = [t for t in terms if t not in params.index or t not in cov.index]
    if missing:
        raise KeyError(f"results of table '{table.source}', column {table.column}, have no "
                       f"estimate or covariance of {missing} (terms: {sorted(params.index)})")
    return EnergyCostElasticity.from_fit(params, cov, table.energy_cost, table.interaction)


def run_carbon_price(study: StudyDeclaration, table: CarbonPriceTable, estimates: pd.DataFrame,
                     covariances: pd.DataFrame, mapping: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The counterfactual of one FDI measure over carbon prices 0..max_price (see module)."""
    elasticity = elasticity_from_results(estimates, covariances, table)
    prices = carbon_prices(table.max_price, table.step)
    effects = counterfactual(mapping, elasticity, prices, level=table.level,
                             fdi_measure=table.fdi_measure)
    long = effects.melt(id_vars=["measure", "industry_code", "carbon_price"],
                        value_vars=["estimate", "std_error", "lower", "upper"],
                        var_name="statistic", value_name="value")
    mc = effects[effects["measure"] == "me"][["industry_code", "carbon_price", "mc"]]
    mc = mc.rename(columns={"mc": "value"}).assign(measure="mc", statistic="estimate")
    simulation = pd.concat([long, mc], ignore_index=True).rename(
        columns={"industry_code": "unit", "carbon_price": "grid_value"})
    simulation.insert(0, "scenario", f"{table.fdi_measure} FDI")
    simulation.insert(0, "table_id", table.id)
    simulation.insert(0, "study", study.name)

    total, se = elasticity.high_energy_total, elasticity.high_energy_total_se
    z = total / se
    rows = [{"model": table.source, "variant": f"column {table.column}",
             "variable": table.fdi_measure, "test": "b + d = 0 (high-energy elasticity)",
             "statistic": z, "p_value": float(2 * stats.norm.sf(abs(z))),
             "conclusion": f"b + d = {total:.3f} (s.e. {se:.3f}); b = {elasticity.b:.3f}, "
                           f"d = {elasticity.d:.3f}"}]
    summary = summary_table(effects, table.summary_prices, table.most_affected_others)
    for _, r in summary.iterrows():
        rows.append({"model": table.source, "variant": f"{r['group']} #{r['rank']}",
                     "variable": str(r["industry_code"]),
                     "test": f"ACE at {int(r['carbon_price'])} yuan/t, percent",
                     "statistic": r["estimate_percent"], "p_value": np.nan,
                     "conclusion": f"{100 * table.level:.0f} % band "
                                   f"[{r['lower_percent']:.2f}, {r['upper_percent']:.2f}]"})
    return {"simulation": simulation, "tests": tests_frame(study, table.id, rows)}
