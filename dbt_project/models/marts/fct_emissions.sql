-- Emissions by province, CEADs sector, fuel and year, t CO2, with the accounting method.
-- method 'ceads': from CEADs-style inventories (stg_ceads__emissions, Mt x 10^6). The
-- 'computed' method (energy balance sheets x dim_fuel factors) joins this table when the energy
-- balance layer is built.
with

inventory as (
    select * from {{ ref('stg_ceads__emissions') }}
    where fuel not in ('scope_1_total')
),

final as (
    select
        province_code,
        sector_order,
        fuel,
        case when fuel like 'scope_2_%' then 2 else 1 end as scope,
        year,
        co2_mt * 1e6 as co2_t,
        'ceads' as method,
        edition,
        file,
        sheet,
        row_number
    from inventory
)

select * from final
