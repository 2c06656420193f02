-- CO2 computed from the provincial energy balance sheets, by province, year, balance sector and
-- fuel (t CO2), on the CEADs boundary (ref_energy_balance_flows): activity = final consumption
-- less non-energy use, plus the fossil inputs to thermal power and heating, plus losses.
-- Scope 1: activity x NCV x carbon content x oxidation x 44/12 (dim_fuel; macro emission_formula).
-- Scope 2: final electricity consumption (亿kWh = 10^5 MWh) x the grid factor (t CO2/MWh).
with

balance as (
    select * from {{ ref('stg_energy__balance') }}
),

flows as (
    select item, balance_sector, emission_role, is_industrial
    from {{ ref('ref_energy_balance_flows') }}
),

fuels as (
    select * from {{ ref('dim_fuel') }}
),

grid as (
    select province_code, year, tco2_per_mwh from {{ ref('int_province_grid_factors') }}
),

activity_rows as (
    select
        balance.province_code,
        balance.year,
        flows.balance_sector,
        flows.is_industrial,
        balance.fuel_code,
        case flows.emission_role
            when 'final' then balance.quantity
            when 'loss' then balance.quantity
            when 'non_energy_use' then -balance.quantity
            when 'transformation_input' then greatest(-balance.quantity, 0)
        end as activity,
        balance.edition
    from balance
    inner join flows on flows.item = balance.flow
),

activity as (
    select
        province_code,
        year,
        balance_sector,
        is_industrial,
        fuel_code,
        sum(activity) as activity,
        max(edition) as edition
    from activity_rows
    group by province_code, year, balance_sector, is_industrial, fuel_code
),

scope_1 as (
    select
        activity.province_code,
        activity.year,
        activity.balance_sector,
        activity.is_industrial,
        activity.fuel_code as fuel,
        1 as scope,
        activity.activity,
        fuels.physical_unit as activity_unit,
        {{ energy_tj('activity.activity', 'fuels') }} as energy_tj,
        {{ co2_t_from_energy('activity.activity', 'fuels') }} as co2_t,
        activity.edition
    from activity
    inner join fuels on fuels.fuel_code = activity.fuel_code
    where fuels.is_scope1_fossil
),

scope_2 as (
    select
        activity.province_code,
        activity.year,
        activity.balance_sector,
        activity.is_industrial,
        'scope_2_electricity' as fuel,
        2 as scope,
        activity.activity,
        '亿千瓦小时' as activity_unit,
        {{ energy_tj('activity.activity', 'fuels') }} as energy_tj,
        activity.activity * 1e5 * grid.tco2_per_mwh as co2_t,
        activity.edition
    from activity
    inner join fuels on fuels.fuel_code = activity.fuel_code
    inner join grid
        on grid.province_code = activity.province_code and grid.year = activity.year
    where activity.fuel_code = 'electricity'
      and activity.balance_sector not in ('power_heat', 'losses')
),

final as (
    select * from scope_1
    union all
    select * from scope_2
)

select * from final
