-- National consumer-price and fixed-asset-investment deflators (base year = 1), chained from the
-- previous-year = 100 indices, for the industry panel; base year: var('industry_base_year')
-- (1999, the industrial FDI study's constant prices) when the series covers it, else its first
-- year.
with

indices as (
    select
        year,
        max(case when variable = 'cpi' then value end) as cpi,
        max(case when variable = 'fai_price_index' then value end) as fai_price_index,
        max(edition) as edition_max
    from {{ ref('stg_industry__national_price_indices') }}
    group by year
),

base as (
    {{ price_base_year('indices', var('industry_base_year')) }}
),

running as (
    select
        year,
        cpi,
        fai_price_index,
        edition_max,
        {{ running_log_index('cpi', partition_by=none) }} as log_cpi,
        {{ running_log_index('fai_price_index', partition_by=none) }} as log_fai_price
    from indices
),

at_base as (
    select
        running.log_cpi as log_cpi_base,
        running.log_fai_price as log_fai_price_base
    from running
    inner join base on running.year = base.base_year
),

final as (
    select
        running.year,
        base.base_year,
        running.cpi,
        running.fai_price_index,
        exp(running.log_cpi - at_base.log_cpi_base) as cpi_deflator,
        exp(running.log_fai_price - at_base.log_fai_price_base) as fai_deflator,
        running.edition_max
    from running
    cross join base
    cross join at_base
)

select * from final
