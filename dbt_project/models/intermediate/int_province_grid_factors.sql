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
    select grid_code, factor_year, tco2_per_mwh from {{ ref('dim_grid') }}
),

candidates as (
    select
        provinces.province_code,
        years.year,
        provinces.power_grid,
        grid_factors.factor_year,
        grid_factors.tco2_per_mwh,
        row_number() over (
            partition by provinces.province_code, years.year
            order by
                case when grid_factors.factor_year <= years.year then 0 else 1 end,
                abs(years.year - grid_factors.factor_year)
        ) as preference
    from provinces
    cross join years
    inner join grid_factors on grid_factors.grid_code = provinces.power_grid
),

final as (
    select
        province_code,
        year,
        power_grid,
        factor_year,
        tco2_per_mwh
    from candidates
    where preference = 1
)

select * from final
