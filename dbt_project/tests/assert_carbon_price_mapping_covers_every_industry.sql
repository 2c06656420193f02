-- Every study industry is in the carbon-price mapping. An industry goes missing when the base
-- year (var carbon_price_base_year) has no printed total energy use for it, or when there is no
-- grid factor (int_national_grid_factors needs the provinces' energy balance sheets of some
-- year for its weights): load them, or choose a base year that has the energy table.
{{ config(meta={'dagster': {'ref': {'name': 'mart_carbon_price_mapping'}}}) }}
select
    industries.industry_code,
    industries.name_en,
    {{ var('carbon_price_base_year') }} as base_year,
    'missing from mart_carbon_price_mapping: no printed total energy use or no grid factor '
        || '(no energy balance sheets loaded)' as problem
from {{ ref('dim_industry') }} as industries
where industries.industry_code not in (
    select industry_code from {{ ref('mart_carbon_price_mapping') }}
)
