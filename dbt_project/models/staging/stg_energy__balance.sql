-- Provincial energy balance sheets (地区能源平衡表(实物量)): one row per province, year, flow and
-- fuel, in the fuel's physical unit of dim_fuel (万吨, 亿立方米, 亿千瓦小时, 万百万千焦, 万吨标准煤).
-- Balance cells are the energy cells with a flow path in `item` (the other energy tables have
-- none). Latest edition up to var('as_of_edition'); Tibet dropped; '-', '…' and blanks (null
-- values) left out.
with

cells as (
    {{ raw_cells('energy') }}
      and item != ''
      and value is not null
),

aliases as (
    {{ province_aliases() }}
),

fuels as (
    select fuel_code, name_zh, physical_unit
    from {{ ref('dim_fuel') }}
),

mapped as (
    select
        aliases.province_code,
        cells.year,
        cells.item as flow,
        fuels.fuel_code,
        cells.value * units.factor as quantity,
        fuels.physical_unit as unit,
        cells.unit as printed_unit,
        cells.indicator as fuel_printed,
        cells.edition,
        cells.origin,
        cells.file,
        cells.sheet,
        cells.row_number,
        cells.column_name
    from cells
    left join aliases on aliases.alias_key = replace(cells.entity, ' ', '')
    left join fuels on fuels.name_zh = cells.indicator
    {{ join_unit_factors('fuels.physical_unit') }}
),

studied as (
    {{ studied_provinces('mapped') }}
),

ranked as (
    {{ latest_edition('studied', ['province_code', 'year', 'flow', 'fuel_code']) }}
),

final as (
    select
        province_code,
        year,
        flow,
        fuel_code,
        quantity,
        unit,
        printed_unit,
        fuel_printed,
        edition,
        origin,
        file,
        sheet,
        row_number,
        column_name
    from ranked
)

select * from final
