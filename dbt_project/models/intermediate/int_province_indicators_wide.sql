-- One row per province-year with every staged province indicator as a column (canonical units).
{% set variables = [
    'gdp', 'gdp_index', 'va_secondary', 'va_tertiary', 'va_industry', 'population',
    'urban_population', 'trade_total', 'fdi_investment', 'fiscal_expenditure',
    'edu_pop_none', 'edu_pop_primary', 'edu_pop_junior', 'edu_pop_senior', 'edu_pop_tertiary',
    'cpi', 'fai_price_index', 'patents_domestic', 'energy_total', 'tech_import_expenditure',
    'rd_expenditure', 'patents_industrial', 'ofdi_flow', 'ofdi_stock'
] %}
with

indicators as (
    select province_code, year, variable, value, edition from {{ ref('stg_nbs__province_indicators') }}
    union all
    select province_code, year, variable, value, edition from {{ ref('stg_energy__province_indicators') }}
    union all
    select province_code, year, variable, value, edition from {{ ref('stg_science_tech__province_indicators') }}
    union all
    select province_code, year, variable, value, edition from {{ ref('stg_ofdi__province_indicators') }}
),

final as (
    select
        province_code,
        year,
        max(edition) as edition_max,
        {% for v in variables -%}
        max(case when variable = '{{ v }}' then value end) as {{ v }}{{ "," if not loop.last }}
        {% endfor %}
    from indicators
    where province_code is not null
    group by province_code, year
)

select * from final
