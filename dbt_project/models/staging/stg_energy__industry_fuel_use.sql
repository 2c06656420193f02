-- Final energy use of the two-digit industries by fuel, in each fuel's physical unit
-- (dim_fuel.physical_unit: 万吨, 亿立方米, 亿千瓦小时), one row per industry, fuel and year; printed
-- industry names -> dim_industry codes (ref_industry_aliases; the study's excluded industries
-- dropped), printed fuel names -> dim_fuel codes, printed units -> physical units (ref_units);
-- the latest edition up to var('as_of_edition').
with

cells as (
    {{ raw_cells('energy', 'industry_energy') }}
        -- the total (能源消费总量) printed beside the fuels: stg_energy__industry_energy_total
        and indicator not in (
            select indicator from {{ ref('ref_indicators') }} where variable = 'energy_total'
        )
),

aliases as (
    {{ industry_aliases() }}
),

fuels as (
    select fuel_code, name_zh, physical_unit
    from {{ ref('dim_fuel') }}
),

mapped as (
    select
        aliases.industry_code,
        aliases.in_study,
        fuels.fuel_code,
        cells.year,
        cells.value * units.factor as quantity,
        fuels.physical_unit as unit,
        cells.unit as printed_unit,
        cells.entity as printed_industry,
        cells.indicator as printed_fuel,
        {{ cell_provenance('cells') }}
    from cells
    left join aliases on aliases.alias_key = {{ industry_alias_key('cells.entity') }}
    left join fuels on fuels.name_zh = cells.indicator
    {{ join_unit_factors('fuels.physical_unit') }}
    where cells.value is not null
),

studied as (
    {{ studied_industries('mapped') }}
),

ranked as (
    {{ latest_edition('studied', ['industry_code', 'fuel_code', 'year']) }}
),

final as (
    select
        industry_code,
        fuel_code,
        year,
        quantity,
        unit,
        printed_unit,
        printed_industry,
        printed_fuel,
        {{ cell_provenance() }}
    from ranked
)

select * from final
