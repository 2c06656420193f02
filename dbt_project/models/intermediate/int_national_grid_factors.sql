-- The indirect CO2 factor of electricity used by national industries, per year of the industry
-- energy tables: the regional grid factors of the year (dim_grid's NDRC series: each grid's
-- factor of the latest factor_year at or before the year, else its first) weighted by the
-- regional grids' shares of industrial final electricity consumption (the provinces' energy
-- balance sheets, int_emissions_computed scope 2, summed by dim_province.power_grid):
--   ef_elec,y = sum_g ef_g,y E_g,w / sum_g E_g,w   (t CO2 per MWh),
-- w = the year itself when its balance sheets are loaded, else the nearest year that has them
-- (the earlier one on a tie); weights_year and source say which.
with

years as (
    select distinct year from {{ ref('stg_energy__industry_fuel_use') }}
),

electricity as (
    select
        emissions.year,
        provinces.power_grid as grid_code,
        {{ exact_sum('emissions.activity', 9) }} as electricity_100m_kwh,
        count(distinct emissions.province_code) as n_provinces
    from {{ ref('int_emissions_computed') }} as emissions
    inner join {{ ref('dim_province') }} as provinces
        on provinces.province_code = emissions.province_code
    where emissions.scope = 2 and emissions.is_industrial
    group by emissions.year, provinces.power_grid
),

weight_years as (
    select distinct year as weights_year from electricity
),

nearest_weights as (
    select
        years.year,
        weight_years.weights_year,
        row_number() over (
            partition by years.year
            order by abs(years.year - weight_years.weights_year), weight_years.weights_year
        ) as preference
    from years
    cross join weight_years
),

grid_factors as (
    {{ grid_factors_of_years('years') }}
),

weighted as (
    select
        nearest_weights.year,
        nearest_weights.weights_year,
        grid_factors.grid_code,
        grid_factors.factor_year,
        grid_factors.tco2_per_mwh,
        electricity.electricity_100m_kwh,
        electricity.n_provinces
    from nearest_weights
    inner join electricity on electricity.year = nearest_weights.weights_year
    inner join grid_factors
        on grid_factors.year = nearest_weights.year
        and grid_factors.grid_code = electricity.grid_code
    where nearest_weights.preference = 1
),

final as (
    select
        year,
        round({{ exact_sum('tco2_per_mwh * electricity_100m_kwh', 9) }}
            / {{ exact_sum('electricity_100m_kwh', 9) }}, 9)
            as tco2_per_mwh,
        min(factor_year) as factor_year_min,
        max(factor_year) as factor_year_max,
        max(weights_year) as weights_year,
        round({{ exact_sum('electricity_100m_kwh', 9) }}, 6) as industrial_electricity_100m_kwh,
        sum(n_provinces) as n_provinces,
        'dim_grid regional grid factors (NDRC) of factor year ' || min(factor_year)
            || case when max(factor_year) != min(factor_year)
                then '-' || max(factor_year) else '' end
            || ', weighted by the regional grids'' industrial final electricity use in the '
            || sum(n_provinces) || ' provinces'' energy balance sheets of ' || max(weights_year)
            as source
    from weighted
    group by year
)

select * from final
