-- Industrial scope-1 CO2 by province-year and factor-intensity group (resource-, labour- and
-- capital/technology-intensive), from the CEADs sectors through
-- int_ceads_sector_factor_intensity (dim_industry.factor_intensity), in 10^4 t. The three
-- groups add up to the industrial total (CEADs sectors 2-41) of int_province_emissions.
with

emissions as (
    select province_code, year, sector_order, co2_mt
    from {{ ref('stg_ceads__emissions') }}
    where fuel = 'scope_1_total'
),

groups as (
    select sector_order, factor_intensity from {{ ref('int_ceads_sector_factor_intensity') }}
),

industrial as (
    select province_code, year, co2_industrial_10kt
    from {{ ref('int_province_emissions') }}
),

by_group as (
    select
        emissions.province_code,
        emissions.year,
        {{ co2_sum_10kt("groups.factor_intensity = 'resource'") }} as co2_resource_10kt,
        {{ co2_sum_10kt("groups.factor_intensity = 'labour'") }} as co2_labour_10kt,
        {{ co2_sum_10kt("groups.factor_intensity = 'capital_technology'") }}
            as co2_capital_technology_10kt
    from emissions
    inner join groups on groups.sector_order = emissions.sector_order
    group by emissions.province_code, emissions.year
),

final as (
    select
        by_group.province_code,
        by_group.year,
        by_group.co2_resource_10kt,
        by_group.co2_labour_10kt,
        by_group.co2_capital_technology_10kt,
        industrial.co2_industrial_10kt,
        case when by_group.co2_resource_10kt > 0 then ln(by_group.co2_resource_10kt) end
            as ln_co2_resource,
        case when by_group.co2_labour_10kt > 0 then ln(by_group.co2_labour_10kt) end
            as ln_co2_labour,
        case when by_group.co2_capital_technology_10kt > 0
            then ln(by_group.co2_capital_technology_10kt) end
            as ln_co2_capital_technology,
        by_group.co2_resource_10kt / nullif(industrial.co2_industrial_10kt, 0)
            as resource_share_of_industrial,
        by_group.co2_labour_10kt / nullif(industrial.co2_industrial_10kt, 0)
            as labour_share_of_industrial,
        by_group.co2_capital_technology_10kt / nullif(industrial.co2_industrial_10kt, 0)
            as capital_technology_share_of_industrial
    from by_group
    inner join industrial
        on industrial.province_code = by_group.province_code
        and industrial.year = by_group.year
    inner join {{ ref('dim_province') }} as provinces
        on provinces.province_code = by_group.province_code
)

select * from final
