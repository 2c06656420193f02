-- The grid emission factor (t CO2 per MWh) of each province and year with a balance sheet:
-- the province's regional grid (dim_province.power_grid), the factor of the latest factor_year
-- at or before the year; years before the first published factor take the first one.
with

provinces as (
    select province_code, power_grid from {{ ref('dim_province') }}
),

years as (
    select distinct year from {{ ref('stg_energy__balance') }}
),

grid_factors as (
    {{ grid_factors_of_years('years') }}
),

final as (
    select
        provinces.province_code,
        grid_factors.year,
        provinces.power_grid,
        grid_factors.factor_year,
        grid_factors.tco2_per_mwh
    from provinces
    inner join grid_factors on grid_factors.grid_code = provinces.power_grid
)

select * from final
