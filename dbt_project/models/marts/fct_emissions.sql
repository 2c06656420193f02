-- Emissions by province, sector, fuel and year, t CO2, one row per method:
-- 'ceads'    from CEADs-style inventories (stg_ceads__emissions, Mt x 10^6), by CEADs sector;
-- 'computed' from the provincial energy balance sheets x dim_fuel factors and, for scope 2,
--            electricity x the regional grid factor (int_emissions_computed), by balance sector.
-- Both carry the energy-balance sector (ref_ceads_sectors.energy_balance_sector for CEADs) so
-- that the methods can be compared (mart_emissions_reconciliation).
with

inventory as (
    select * from {{ ref('stg_ceads__emissions') }}
    where fuel not in ('scope_1_total')
),

ceads_sectors as (
    select sector_order, sector_name, is_industrial, energy_balance_sector
    from {{ ref('ref_ceads_sectors') }}
),

computed as (
    select * from {{ ref('int_emissions_computed') }}
),

from_inventories as (
    select
        inventory.province_code,
        inventory.sector_order,
        ceads_sectors.sector_name as sector,
        ceads_sectors.energy_balance_sector as balance_sector,
        ceads_sectors.is_industrial,
        inventory.fuel,
        case when inventory.fuel like 'scope_2_%' then 2 else 1 end as scope,
        inventory.year,
        inventory.co2_mt * 1e6 as co2_t,
        'ceads' as method,
        inventory.edition,
        inventory.file,
        inventory.sheet,
        inventory.row_number
    from inventory
    inner join ceads_sectors on ceads_sectors.sector_order = inventory.sector_order
),

from_balance_sheets as (
    select
        province_code,
        cast(null as integer) as sector_order,
        balance_sector as sector,
        balance_sector,
        is_industrial,
        fuel,
        scope,
        year,
        round(co2_t, 4) as co2_t,
        'computed' as method,
        edition,
        cast(null as varchar) as file,
        cast(null as varchar) as sheet,
        cast(null as integer) as row_number
    from computed
),

final as (
    select * from from_inventories
    union all
    select * from from_balance_sheets
)

select * from final
