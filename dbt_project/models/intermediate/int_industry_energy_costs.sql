-- Unit energy cost of each industry and year (Wang and Wu 2017, section 3.2 (2): the five
-- fuels' prices weighted by their consumption shares; methods README section 3), over the fuels
-- of the carbon-price mapping (dim_fuel.carbon_price_fuel not null):
--   Q_ei (tce) = energy (TJ, macro energy_tj) / TJ per tce (kj_per_kgce x 1000 / 10^9)
--   P_e (yuan per tce) = price per NCV unit x 1000 x kj_per_kgce / ncv_kj
--   EC_i = sum_e P_e Q_ei / sum_e Q_ei (yuan per tce), the regressor of the FDI models.
-- Beside it, the industry's total energy use Q_i (能源消费总量, printed), which the
-- carbon-price mapping divides by (mart_carbon_price_mapping). A fuel used without a price
-- leaves EC_i null (the not_null test then fails).
{% set kj = var('kj_per_kgce') %}
with

fuel_use as (
    select * from {{ ref('stg_energy__industry_fuel_use') }}
    where industry_code is not null
),

totals as (
    select * from {{ ref('stg_energy__industry_energy_total') }}
    where industry_code is not null
),

prices as (
    select * from {{ ref('stg_energy__fuel_prices') }}
),

fuels as (
    select * from {{ ref('dim_fuel') }}
    where carbon_price_fuel is not null
),

by_fuel as (
    select
        fuel_use.industry_code,
        fuel_use.year,
        fuel_use.fuel_code,
        fuel_use.edition,
        {{ energy_tj('fuel_use.quantity', 'fuels') }} / {{ tj_per_tce() }} as quantity_tce,
        prices.price * 1000 * {{ kj }} / fuels.ncv_kj as price_yuan_per_tce
    from fuel_use
    inner join fuels on fuels.fuel_code = fuel_use.fuel_code
    left join prices on prices.fuel_code = fuel_use.fuel_code and prices.year = fuel_use.year
),

by_industry as (
    select
        industry_code,
        year,
        {{ exact_sum('quantity_tce', 6) }} as fuel_tce,
        case
            when count(price_yuan_per_tce) = count(*)
                then {{ exact_sum('price_yuan_per_tce * quantity_tce', 6) }}
        end as energy_cost_yuan,
        max(edition) as edition_max
    from by_fuel
    group by industry_code, year
),

final as (
    select
        by_industry.industry_code,
        by_industry.year,
        round(by_industry.fuel_tce / 10000, 6) as fuel_energy_10k_tce,
        totals.energy_total_10k_tce,
        round(by_industry.energy_cost_yuan / by_industry.fuel_tce, 6)
            as unit_energy_cost_yuan_per_tce,
        greatest(by_industry.edition_max, totals.edition) as edition_max
    from by_industry
    left join totals
        on totals.industry_code = by_industry.industry_code
        and totals.year = by_industry.year
)

select * from final
