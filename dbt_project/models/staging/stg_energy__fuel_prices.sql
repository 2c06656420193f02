-- National fuel prices by year, per unit of the fuel's NCV basis (dim_fuel.ncv_per: 元/千克,
-- 元/立方米, 元/千瓦时; ref_units converts the printed 元/吨 etc.); printed fuel names -> dim_fuel
-- codes; the latest edition up to var('as_of_edition').
with

cells as (
    select *
    from {{ source('raw', 'energy_cells') }}
    where {{ edition_up_to_as_of() }}
        and file like '%/energy_prices%'
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

units as (
    select unit, canonical_unit, factor
    from {{ ref('ref_units') }}
),

mapped as (
    select
        fuels.fuel_code,
        cells.year,
        cells.value * units.factor as price,
        fuels.price_unit as unit,
        cells.unit as printed_unit,
        cells.indicator as printed_fuel,
        cells.edition,
        cells.origin,
        cells.file,
        cells.row_number,
        cells.column_name
    from cells
    left join fuels on fuels.name_zh = cells.indicator
    left join units
        on units.unit = cells.unit
        and units.canonical_unit = fuels.price_unit
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
        edition,
        origin,
        file,
        row_number,
        column_name
    from ranked
)

select * from final
