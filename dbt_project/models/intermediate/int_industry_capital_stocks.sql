-- Per industry-year: the PPI deflator (first year of the industry = 1, chained from the
-- previous-year = 100 PPI) and the R&D stock by perpetual inventory at base-year prices
-- (10^4 yuan): e_t = R&D_t / P_t with P the national FAI deflator, K_t = e_t + (1 - d) K_{t-1},
-- base stock by var pim_base_convention (macro pim_stock; d, g as for the provinces).
{% set d = var('tis_depreciation') %}
{% set g = var('tis_growth') %}
with

flows as (
    select
        wide.industry_code,
        wide.year,
        wide.ppi,
        wide.rd_expenditure,
        wide.rd_expenditure / prices.fai_deflator as rd_real_flow
    from {{ ref('int_industry_indicators_wide') }} as wide
    inner join {{ ref('int_national_price_deflators') }} as prices on prices.year = wide.year
),

chained as (
    select
        *,
        {{ running_log_index('ppi', partition_by='industry_code') }} as log_ppi
    from flows
),

indexed as (
    select
        *,
        year - min(year) over (partition by industry_code) as n,
        first_value(rd_real_flow) over (partition by industry_code order by year)
            as first_rd_flow,
        first_value(log_ppi) over (partition by industry_code order by year) as first_log_ppi
    from chained
),

final as (
    select
        industry_code,
        year,
        exp(log_ppi - first_log_ppi) as ppi_deflator,
        rd_expenditure,
        rd_real_flow,
        {{ pim_stock('rd_real_flow', 'first_rd_flow', 'n', var('pim_base_convention'), d, g,
                     partition_by='industry_code') }} as rd_stock,
        '{{ var("pim_base_convention") }}' as pim_base_convention
    from indexed
)

select * from final
