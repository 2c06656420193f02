-- Every unit printed in the industry tables, the industry energy use (fuels and total) and the fuel prices
-- converts to its canonical unit (ref_units); every printed fuel is a dim_fuel name. A failing
-- row names the file, row, printed unit and the unit expected.
{{ config(meta={'dagster': {'ref': {'name': 'stg_industry__main_indicators'}}}) }}
{% set models = ['stg_industry__main_indicators', 'stg_industry__ppi',
                 'stg_science_tech__industry_rd', 'stg_industry__national_price_indices'] %}
{% for m in models %}
select variable as what, printed_unit, unit as canonical_unit, file, row_number
from {{ ref(m) }}
where value is null
union all
{% endfor %}
select coalesce(fuel_code, printed_fuel), printed_unit, unit, file, row_number
from {{ ref('stg_energy__industry_fuel_use') }}
where quantity is null or fuel_code is null
union all
select printed_indicator, printed_unit, unit, file, row_number
from {{ ref('stg_energy__industry_energy_total') }}
where energy_total_10k_tce is null
union all
select coalesce(fuel_code, printed_fuel), printed_unit, unit, file, row_number
from {{ ref('stg_energy__fuel_prices') }}
where price is null or fuel_code is null
