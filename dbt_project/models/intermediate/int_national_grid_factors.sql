-- The indirect CO2 factor of electricity used by national industries, per year with energy
-- balance sheets: the regional grid factors of the year (dim_grid's NDRC series, one per
-- regional grid; each province takes its grid's factor of the latest factor_year at or before
-- the year, int_province_grid_factors) weighted by the provinces' industrial final
-- electricity consumption of the year (balance sheets, int_emissions_computed scope 2):
--   ef_elec,y = sum_p ef_grid(p),y E_p,y / sum_p E_p,y   (t CO2 per MWh).
with

scope_2 as (
    select province_code, year, activity, co2_t
    from {{ ref('int_emissions_computed') }}
    where scope = 2 and is_industrial
),

factors as (
    select province_code, year, power_grid, factor_year
    from {{ ref('int_province_grid_factors') }}
),

final as (
    select
        scope_2.year,
        round(sum(scope_2.co2_t) / sum(scope_2.activity * 1e5), 9) as tco2_per_mwh,
        round(sum(scope_2.activity), 6) as industrial_electricity_100m_kwh,
        count(distinct scope_2.province_code) as n_provinces,
        min(factors.factor_year) as factor_year_min,
        max(factors.factor_year) as factor_year_max,
        'dim_grid regional grid factors (NDRC) of factor year '
            || min(factors.factor_year)
            || case when max(factors.factor_year) != min(factors.factor_year)
                then '-' || max(factors.factor_year) else '' end
            || ', weighted by the industrial final electricity use of '
            || count(distinct scope_2.province_code)
            || ' provinces in the energy balance sheets of ' || scope_2.year as source
    from scope_2
    inner join factors
        on factors.province_code = scope_2.province_code
        and factors.year = scope_2.year
    group by scope_2.year
)

select * from final
