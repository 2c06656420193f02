-- CEADs-style inventories: one row per province, year, sector and fuel column (Mt CO2).
-- Both header styles map to one fuel code; the total row is left out (sectors sum to it), and so
-- are national inventories (entity 'China'), which stay in raw for reconciliation.
with

cells as (
    {{ raw_cells('ceads') }}
      and item != 'Total'
      and entity != 'China'
),

aliases as (
    {{ province_aliases() }}
),

sectors as (
    select sector_order, sector_name
    from {{ ref('ref_ceads_sectors') }}
),

mapped as (
    select
        aliases.province_code,
        cells.year,
        sectors.sector_order,
        cells.item as sector_name_printed,
        -- the parser gives the canonical name whatever variant was printed ('Raw Coal' for
        -- 'Raw_Coal', 'Cleaned Coal' for 'CleanedCoal'): 'Raw Coal' -> raw_coal
        lower(replace(cells.indicator, ' ', '_')) as fuel,
        cells.value as co2_mt,
        cells.edition,
        cells.origin,
        cells.file,
        cells.sheet,
        cells.row_number
    from cells
    left join aliases on aliases.alias_key = replace(cells.entity, ' ', '')
    left join sectors on sectors.sector_name = cells.item
),

ranked as (
    {{ latest_edition('mapped', ['province_code', 'year', 'sector_order', 'fuel']) }}
),

final as (
    select
        province_code,
        year,
        sector_order,
        sector_name_printed,
        fuel,
        co2_mt,
        edition,
        origin,
        file,
        sheet,
        row_number
    from ranked
)

select * from final
