-- The three factor-intensity groups of mart_emissions_factor_intensity add up to the industrial
-- CO2 of each province-year. Tolerance: 10^-5 x 10^4 t = 0.1 t (each of the four sums is
-- rounded to 10^-6 x 10^4 t). A failing row names the province-year and the gap.
{{ config(meta={'dagster': {'ref': {'name': 'mart_emissions_factor_intensity'}}}) }}
select
    province_code,
    year,
    co2_industrial_10kt,
    co2_resource_10kt + co2_labour_10kt + co2_capital_technology_10kt as groups_10kt,
    co2_resource_10kt + co2_labour_10kt + co2_capital_technology_10kt - co2_industrial_10kt
        as gap_10kt
from {{ ref('mart_emissions_factor_intensity') }}
where abs(co2_resource_10kt + co2_labour_10kt + co2_capital_technology_10kt
          - co2_industrial_10kt) > 1e-5
