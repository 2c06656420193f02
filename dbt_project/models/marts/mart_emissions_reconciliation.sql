-- The two emission methods side by side for every province-year where both exist: scope-1
-- energy CO2 (the fuels; CEADs' process emissions have no counterpart in an energy balance),
-- its industrial part, and scope-2 electricity, in Mt, with the relative gap
-- (computed - ceads) / ceads.
with

emissions as (
    select * from {{ ref('fct_emissions') }}
),

by_method as (
    select
        province_code,
        year,
        method,
        -- exact sums (co2_t has 4 decimals): the gaps below are the same in every rebuild
        {{ exact_sum("case when scope = 1 and fuel not in ('process', 'other_energy') "
                     ~ "then co2_t end", 4) }} as scope1_energy_t,
        {{ exact_sum("case when scope = 1 and fuel not in ('process', 'other_energy') "
                     ~ "and is_industrial then co2_t end", 4) }} as scope1_energy_industrial_t,
        {{ exact_sum("case when fuel = 'scope_2_electricity' then co2_t end", 4) }}
            as scope2_electricity_t
    from emissions
    group by province_code, year, method
),

ceads as (
    select * from by_method where method = 'ceads'
),

computed as (
    select * from by_method where method = 'computed'
),

final as (
    select
        ceads.province_code,
        ceads.year,
        round(ceads.scope1_energy_t / 1e6, 6) as scope1_energy_mt_ceads,
        round(computed.scope1_energy_t / 1e6, 6) as scope1_energy_mt_computed,
        round((computed.scope1_energy_t - ceads.scope1_energy_t) / ceads.scope1_energy_t, 8)
            as scope1_energy_gap_rel,
        round(ceads.scope1_energy_industrial_t / 1e6, 6) as industrial_energy_mt_ceads,
        round(computed.scope1_energy_industrial_t / 1e6, 6) as industrial_energy_mt_computed,
        round((computed.scope1_energy_industrial_t - ceads.scope1_energy_industrial_t)
              / ceads.scope1_energy_industrial_t, 8) as industrial_energy_gap_rel,
        round(ceads.scope2_electricity_t / 1e6, 6) as scope2_electricity_mt_ceads,
        round(computed.scope2_electricity_t / 1e6, 6) as scope2_electricity_mt_computed,
        round((computed.scope2_electricity_t - ceads.scope2_electricity_t)
              / nullif(ceads.scope2_electricity_t, 0), 8) as scope2_electricity_gap_rel
    from ceads
    inner join computed
        on computed.province_code = ceads.province_code and computed.year = ceads.year
)

select * from final
