"""The asset key of a study table, shared by the study assets (orchestration/assets/studies.py),
their checks (orchestration/checks.py) and the reports that depend on them, so that the checks
need not import the assets that import them."""

import dagster as dg


def table_asset_key(study: str, table_id: str) -> dg.AssetKey:
    """``results/<study>/<table id>``: one study table (its rows in the ``results`` tables)."""
    return dg.AssetKey(["results", study, table_id])
