-- National fuel prices by year, per unit of the fuel's NCV basis (dim_fuel.ncv_per: 元/千克,
-- 元/立方米, 元/千瓦时; ref_units converts the printed 元/吨 etc.); printed fuel names -> dim_fuel
-- codes; the latest edition up to var('as_of_edition').
with

cells as (
    {{ raw_cells('energy', 'energy_prices') }}
),

fuels as (
    select
        fuel_code,
        name_zh,
        case ncv_per
            when 'kg' then '元/千克'
            when 'm3' then '元/立方米'
            when 'kWh' then '元/千瓦时'
        end as price_unit
    from {{ ref('dim_fuel') }}
),

mapped as (
    select
        fuels.fuel_code,
        cells.year,
        cells.value * units.factor as price,
        fuels.price_unit as unit,
        cells.unit as printed_unit,
        cells.indicator as printed_fuel,
        {{ cell_provenance('cells') }}
    from cells
    left join fuels on fuels.name_zh = cells.indicator
    {{ join_unit_factors('fuels.price_unit') }}
    where cells.value is not null
),

ranked as (
    {{ latest_edition('mapped', ['fuel_code', 'year']) }}
),

final as (
    select
        fuel_code,
        year,
        price,
        unit,
        printed_unit,
        printed_fuel,
        {{ cell_provenance() }}
    from ranked
)

select * from final
