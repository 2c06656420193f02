-- Unit energy cost and carbon content of each industry's energy use (methods README section 3),
-- over the fuels of the carbon-price mapping (dim_fuel.carbon_price_fuel not null):
--   Q_ei (tce) = energy (TJ, macro energy_tj) / TJ per tce (kj_per_kgce x 1000 / 10^9)
--   P_e (yuan per tce) = price per NCV unit x 1000 x kj_per_kgce / ncv_kj
--   ef_e (t CO2 per tce) = carbon content (t C/TJ) x oxidation x 44/12 (macro co2_t_per_tj)
--                          x TJ per tce;
--   electricity: the grid factor (t CO2/MWh) of var('carbon_price_grid') x kj_per_kgce / ncv_kj
--   P_i = sum_e P_e Q_ei / Q_i and UC_i = sum_e ef_e Q_ei / Q_i, Q_i = sum_e Q_ei.
-- A fuel used without a price leaves P_i null (the not_null test then fails).
{% set kj = var('kj_per_kgce') %}
with

fuel_use as (
    select * from {{ ref('stg_energy__industry_fuel_use') }}
    where industry_code is not null
),

prices as (
    select * from {{ ref('stg_energy__fuel_prices') }}
),

fuels as (
    select * from {{ ref('dim_fuel') }}
    where carbon_price_fuel is not null
),

grid as (
    select tco2_per_mwh
    from {{ ref('dim_grid') }}
    where grid_code = '{{ var("carbon_price_grid") }}'
    order by factor_year desc
    limit 1
),

by_fuel as (
    select
        fuel_use.industry_code,
        fuel_use.year,
        fuel_use.fuel_code,
        fuel_use.edition,
        {{ energy_tj('fuel_use.quantity', 'fuels') }} / {{ tj_per_tce() }} as quantity_tce,
        prices.price * 1000 * {{ kj }} / fuels.ncv_kj as price_yuan_per_tce,
        case
            when fuels.fuel_code = 'electricity' then grid.tco2_per_mwh * {{ kj }} / fuels.ncv_kj
            else {{ co2_t_per_tj('fuels') }} * {{ tj_per_tce() }}
        end as tco2_per_tce
    from fuel_use
    inner join fuels on fuels.fuel_code = fuel_use.fuel_code
    left join prices on prices.fuel_code = fuel_use.fuel_code and prices.year = fuel_use.year
    cross join grid
),

final as (
    select
        industry_code,
        year,
        round(sum(quantity_tce) / 10000, 6) as energy_use_10k_tce,
        case
            when count(price_yuan_per_tce) = count(*)
                then round(sum(price_yuan_per_tce * quantity_tce) / sum(quantity_tce), 6)
        end as unit_energy_cost_yuan_per_tce,
        round(sum(tco2_per_tce * quantity_tce) / sum(quantity_tce), 9) as carbon_tco2_per_tce,
        max(edition) as edition_max
    from by_fuel
    group by industry_code, year
)

select * from final
