-- Scope-1 CO2 by province-year from the CEADs-style inventories: total, industrial (CEADs
-- sectors 2-41: mining, manufacturing, utilities) and the four key industries, in 10^4 t.
with

emissions as (
    select province_code, year, sector_order, co2_mt, edition
    from {{ ref('stg_ceads__emissions') }}
    where fuel = 'scope_1_total'
),

sectors as (
    select sector_order, is_industrial, key_industry
    from {{ ref('ref_ceads_sectors') }}
),

final as (
    select
        emissions.province_code,
        emissions.year,
        max(emissions.edition) as ceads_edition,
        100 * sum(emissions.co2_mt) as co2_total_10kt,
        100 * sum(case when sectors.is_industrial then emissions.co2_mt else 0 end)
            as co2_industrial_10kt,
        100 * sum(case when sectors.key_industry != '' and sectors.key_industry is not null
            then emissions.co2_mt else 0 end) as ce_10kt,
        100 * sum(case when sectors.key_industry = 'steel' then emissions.co2_mt else 0 end)
            as ce1_steel_10kt,
        100 * sum(case when sectors.key_industry = 'building_materials' then emissions.co2_mt else 0 end)
            as ce2_building_materials_10kt,
        100 * sum(case when sectors.key_industry = 'nonferrous' then emissions.co2_mt else 0 end)
            as ce3_nonferrous_10kt,
        100 * sum(case when sectors.key_industry = 'petrochemical' then emissions.co2_mt else 0 end)
            as ce4_petrochemical_10kt
    from emissions
    inner join sectors on sectors.sector_order = emissions.sector_order
    group by emissions.province_code, emissions.year
)

select * from final
