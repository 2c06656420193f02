"""Size and power of the spatial Hausman test (FE vs RE) by pairing of covariances, and of the
Mundlak form, on seeded synthetic random-effects panels.

Panels from ``synthetic.simulate_random_effects_panel`` (rho = 0.3, phi = 1, b = (1, -0.5),
theta = (0.5, 0.2) in the SDM) on a k-nearest-neighbour W (k = 6, ``random_knn_weights``);
under the null the random effects are independent of the regressors (``correlation = 0``), under
the alternative every regressor gets ``correlation`` times the standardised effect added.
Printed: the share of replications rejecting at 5 % and the mean statistic (its null mean is the
degrees of freedom) for
  fe/splm         uncorrected entity FE with splm's RE covariance (R splm's sphtest),
  fe/information  uncorrected entity FE with the RE expected information,
  leeyu/information  the Lee-Yu corrected FE (sigma^2 T/(T-1)) with the RE expected information,
  mundlak         the Wald test of the unit means in the RE model (``spatial_mundlak_test``),
and the share of replications where V_FE - V_RE was positive definite.

Run: .venv/bin/python benchmarks/spatial_hausman_size.py [--reps 200]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models_py.spatial.eigen import weights_eigenvalues  # noqa: E402
from models_py.spatial.hausman import spatial_hausman, spatial_mundlak_test  # noqa: E402
from models_py.spatial.panel_ml import fit_spatial_panel  # noqa: E402
from models_py.spatial.random_effects import fit_spatial_random_effects  # noqa: E402
from models_py.spatial.synthetic import (  # noqa: E402
    random_knn_weights,
    simulate_random_effects_panel,
)

SETTINGS = [("sar", 48, 17), ("sar", 120, 6), ("sdm", 48, 17), ("sdm", 120, 6)]


def replicate(model: str, n: int, t: int, correlation: float, reps: int) -> pd.DataFrame:
    w = random_knn_weights(n, seed=21)
    order, eig = list(range(n)), weights_eigenvalues(w)
    theta = (0.5, 0.2) if model == "sdm" else ()
    rows = []
    for seed in range(reps):
        frame = simulate_random_effects_panel(w, t, beta=(1.0, -0.5), theta=theta, rho=0.3,
                                              phi=1.0, correlation=correlation,
                                              seed=1000 + seed)
        args = (frame, "y", ["x1", "x2"], "i", "t", w, order, model)
        fixed = fit_spatial_panel(*args, "entity", eigenvalues=eig)
        tests = {
            "fe/splm": (fixed, fit_spatial_random_effects(*args, covariance="splm",
                                                          eigenvalues=eig)),
            "fe/information": (fixed, fit_spatial_random_effects(*args, eigenvalues=eig)),
        }
        tests["leeyu/information"] = (fixed.lee_yu, tests["fe/information"][1])
        for name, (fe, re) in tests.items():
            result = spatial_hausman(fe, re)
            rows.append({"test": name, "reject": result.p_value < 0.05, "chi2": result.chi2,
                         "positive_definite": result.positive_definite})
        mundlak = spatial_mundlak_test(*args)
        rows.append({"test": "mundlak", "reject": mundlak.p_value < 0.05, "chi2": mundlak.chi2,
                     "positive_definite": True})
    table = pd.DataFrame(rows).groupby("test", sort=False).mean()
    return table.assign(model=model, n=n, t=t, correlation=correlation)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--correlation", type=float, default=0.2,
                        help="strength of the alternative")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the indefinite differences are counted, not printed
    tables = [replicate(model, n, t, correlation, args.reps)
              for model, n, t in SETTINGS for correlation in (0.0, args.correlation)]
    table = pd.concat(tables).reset_index()
    print(table[["model", "n", "t", "correlation", "test", "reject", "chi2",
                 "positive_definite"]].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
