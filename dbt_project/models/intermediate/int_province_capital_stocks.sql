-- Capital stocks by perpetual inventory at base-year prices (10^4 yuan), per province-year:
-- technology-import stock accumulated from the first year of the data (both base conventions,
-- and the one chosen by var pim_base_convention), the technology-import stock based at the
-- study's first sample year (var tis_base_year, or the first year of the data when later; null
-- before it), and R&D stock. Flows are deflated by the fixed-asset investment deflator.
{% set d = var('tis_depreciation') %}
{% set g = var('tis_growth') %}
with

flows as (
    select
        wide.province_code,
        wide.year,
        wide.tech_import_expenditure,
        wide.rd_expenditure,
        wide.tech_import_expenditure / prices.fai_deflator as tech_import_real_flow,
        wide.rd_expenditure / prices.fai_deflator as rd_real_flow
    from {{ ref('int_province_indicators_wide') }} as wide
    inner join {{ ref('int_province_prices') }} as prices
        on prices.province_code = wide.province_code and prices.year = wide.year
),

indexed as (
    select
        *,
        year - min(year) over (partition by province_code) as n,
        first_value(tech_import_real_flow) over (partition by province_code order by year)
            as first_tech_import_flow,
        first_value(rd_real_flow) over (partition by province_code order by year)
            as first_rd_flow
    from flows
),

-- the technology-import study's stock: K_base = e_base (1 + g)/(1 + d) at its first sample year
sample_base as (
    select
        province_code,
        year,
        year - min(year) over (partition by province_code) as n,
        first_value(tech_import_real_flow) over (partition by province_code order by year)
            as first_tech_import_flow,
        tech_import_real_flow
    from flows
    where year >= greatest(
        {{ var('tis_base_year') }},
        (select min(year) from flows)
    )
),

sample_based as (
    select
        province_code,
        year,
        {{ pim_stock('tech_import_real_flow', 'first_tech_import_flow', 'n',
                     var('pim_base_convention'), d, g) }} as tech_import_stock_sample_base
    from sample_base
),

first_year_based as (
    select
        province_code,
        year,
        tech_import_expenditure,
        tech_import_real_flow,
        {{ pim_stock('tech_import_real_flow', 'first_tech_import_flow', 'n',
                     var('pim_base_convention'), d, g) }} as tech_import_stock,
        {{ pim_stock('tech_import_real_flow', 'first_tech_import_flow', 'n', 'study', d, g) }}
            as tech_import_stock_study,
        {{ pim_stock('tech_import_real_flow', 'first_tech_import_flow', 'n', 'hall_jones', d, g) }}
            as tech_import_stock_hall_jones,
        '{{ var("pim_base_convention") }}' as pim_base_convention,
        rd_expenditure,
        rd_real_flow,
        {{ pim_stock('rd_real_flow', 'first_rd_flow', 'n', var('pim_base_convention'), d, g) }}
            as rd_stock
    from indexed
),

final as (
    select
        first_year_based.province_code,
        first_year_based.year,
        first_year_based.tech_import_expenditure,
        first_year_based.tech_import_real_flow,
        first_year_based.tech_import_stock,
        first_year_based.tech_import_stock_study,
        first_year_based.tech_import_stock_hall_jones,
        sample_based.tech_import_stock_sample_base,
        first_year_based.pim_base_convention,
        first_year_based.rd_expenditure,
        first_year_based.rd_real_flow,
        first_year_based.rd_stock
    from first_year_based
    left join sample_based
        on sample_based.province_code = first_year_based.province_code
        and sample_based.year = first_year_based.year
)

select * from final
