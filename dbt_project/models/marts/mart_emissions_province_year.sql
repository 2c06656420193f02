-- Emissions by province-year (10^4 t CO2 and Mt): total, industrial, the four key industries,
-- scope-2 electricity, and total energy consumption (10^4 tce).
with

provinces as (
    select province_code from {{ ref('dim_province') }}
),

scope_1 as (
    select * from {{ ref('int_province_emissions') }}
),

scope_2 as (
    select * from {{ ref('int_province_scope2_electricity') }}
),

energy as (
    select province_code, year, energy_total
    from {{ ref('int_province_indicators_wide') }}
),

final as (
    select
        scope_1.province_code,
        scope_1.year,
        scope_1.ceads_edition,
        scope_1.co2_total_10kt,
        scope_1.co2_total_10kt / 100 as co2_total_mt,
        scope_1.co2_industrial_10kt,
        scope_1.ce_10kt,
        scope_1.ce1_steel_10kt,
        scope_1.ce2_building_materials_10kt,
        scope_1.ce3_nonferrous_10kt,
        scope_1.ce4_petrochemical_10kt,
        scope_2.co2_scope2_electricity_10kt,
        scope_2.co2_scope2_electricity_method,
        energy.energy_total as energy_total_10k_tce
    from scope_1
    inner join provinces on provinces.province_code = scope_1.province_code
    left join scope_2
        on scope_2.province_code = scope_1.province_code and scope_2.year = scope_1.year
    left join energy
        on energy.province_code = scope_1.province_code and energy.year = scope_1.year
)

select * from final
