-- Capital stocks by perpetual inventory at base-year prices (10^4 yuan), per province-year:
-- technology-import stock (both base conventions, and the one chosen by var pim_base_convention)
-- and R&D stock. Flows are deflated by the fixed-asset investment deflator (base year = 1).
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

final as (
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
)

select * from final
