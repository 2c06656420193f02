-- Price indices chained into deflators (base year = 1) and real GDP at base-year prices.
-- base year: var('base_year') when the panel covers it, else the panel's first year.
with

wide as (
    select * from {{ ref('int_province_indicators_wide') }}
),

base as (
    {{ price_base_year('wide') }}
),

running as (
    select
        province_code,
        year,
        gdp,
        population,
        {{ running_log_index('gdp_index') }} as log_real_gdp_index,
        {{ running_log_index('fai_price_index') }} as log_fai_price,
        {{ running_log_index('cpi') }} as log_cpi
    from wide
),

at_base as (
    select
        running.province_code,
        running.gdp as gdp_base,
        running.log_real_gdp_index as log_real_gdp_index_base,
        running.log_fai_price as log_fai_price_base,
        running.log_cpi as log_cpi_base
    from running
    inner join base on running.year = base.base_year
),

final as (
    select
        running.province_code,
        running.year,
        base.base_year,
        exp(running.log_fai_price - at_base.log_fai_price_base) as fai_deflator,
        exp(running.log_cpi - at_base.log_cpi_base) as cpi_deflator,
        at_base.gdp_base
            * exp(running.log_real_gdp_index - at_base.log_real_gdp_index_base)
            as gdp_real_100m_yuan,
        running.gdp
            / (at_base.gdp_base * exp(running.log_real_gdp_index - at_base.log_real_gdp_index_base))
            as gdp_deflator
    from running
    cross join base
    inner join at_base on at_base.province_code = running.province_code
)

select * from final
