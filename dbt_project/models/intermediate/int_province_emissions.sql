-- Scope-1 CO2 by province-year from the CEADs-style inventories: total, industrial (CEADs
-- sectors 2-41: mining, manufacturing, utilities) and the four key industries, in 10^4 t.
-- Sums are rounded to 10^-6 (0.01 t): a parallel sum of doubles differs in the last bits from
-- run to run, and a rebuild must give identical marts.
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
        {{ co2_sum_10kt('true') }} as co2_total_10kt,
        {{ co2_sum_10kt('sectors.is_industrial') }} as co2_industrial_10kt,
        {{ co2_sum_10kt("coalesce(sectors.key_industry, '') != ''") }} as ce_10kt,
        {{ co2_sum_10kt("sectors.key_industry = 'steel'") }} as ce1_steel_10kt,
        {{ co2_sum_10kt("sectors.key_industry = 'building_materials'") }}
            as ce2_building_materials_10kt,
        {{ co2_sum_10kt("sectors.key_industry = 'nonferrous'") }} as ce3_nonferrous_10kt,
        {{ co2_sum_10kt("sectors.key_industry = 'petrochemical'") }} as ce4_petrochemical_10kt
    from emissions
    inner join sectors on sectors.sector_order = emissions.sector_order
    group by emissions.province_code, emissions.year
)

select * from final
