"""Spatial statistics on province panels: weight matrices and Moran's I (pure numerics)."""
