-- Carbon-price mapping (Wang and Wu 2017, formulas 1-2, after Cullen and Mansur 2014; methods
-- README section 3): for each study industry i in the base year var('carbon_price_base_year')
-- (2013, the paper's; when the printed total energy use does not reach it, as in a vintage
-- before it, the last year printed: column base_year says which) and carbon price j = 0..var('carbon_price_max') yuan per t CO2, step 1:
--   UC_i = sum_e ef_e Q_ei / Q_i (t CO2 per tce), P_i = sum_e P_e Q_ei / Q_i (yuan per tce),
--   MC_ij = UC_i / (P_i + j UC_i): the semi-elasticity of the unit energy cost to the carbon
--   price at level j (per yuan per t CO2).
-- e: the fuels with dim_fuel.carbon_price_fuel (coal = raw coal and coke, gasoline, diesel,
-- natural gas, electricity); Q_i: the industry's total energy use (能源消费总量, printed), not the
-- sum of the mapped fuels; fossil ef_e from dim_fuel (carbon content x oxidation x 44/12);
-- electricity's indirect factor from the regional grid factors of the base year
-- (int_national_grid_factors). Electricity in Q_i: calorific equivalent (0.1229 kgce/kWh, the
-- 当量值 of GB/T 2589-2008 for 综合能源消费量) in the main columns, coal equivalent (var
-- power_kgce_per_kwh_coal_equivalent) in the *_coal_equivalent columns; the printed total is
-- converted from the convention var('industry_energy_total_power_conversion') says it uses.
{% set kj = var('kj_per_kgce') %}
{% set k_cal = 3600 / kj %}
{% set k_ce = var('power_kgce_per_kwh_coal_equivalent') %}
{% set k_printed = k_cal if var('industry_energy_total_power_conversion') == 'calorific' else k_ce %}
with

printed_totals as (
    select * from {{ ref('stg_energy__industry_energy_total') }}
    where industry_code is not null
),

base as (
    select
        case
            when max(year) >= {{ var('carbon_price_base_year') }}
                then {{ var('carbon_price_base_year') }}
            else max(year)
        end as base_year
    from printed_totals
),

fuel_use as (
    select fuel_use.*
    from {{ ref('stg_energy__industry_fuel_use') }} as fuel_use
    inner join base on base.base_year = fuel_use.year
    where fuel_use.industry_code is not null
),

totals as (
    select printed_totals.*
    from printed_totals
    inner join base on base.base_year = printed_totals.year
),

prices as (
    select prices.*
    from {{ ref('stg_energy__fuel_prices') }} as prices
    inner join base on base.base_year = prices.year
),

fuels as (
    select * from {{ ref('dim_fuel') }}
    where carbon_price_fuel is not null
),

grid as (
    select grid_factors.*
    from {{ ref('int_national_grid_factors') }} as grid_factors
    inner join base on base.base_year = grid_factors.year
),

industries as (
    select * from {{ ref('dim_industry') }}
),

by_fuel as (
    select
        fuel_use.industry_code,
        fuel_use.fuel_code,
        fuel_use.quantity,
        {{ energy_tj('fuel_use.quantity', 'fuels') }} / {{ tj_per_tce() }} as quantity_tce,
        prices.price * 1000 * {{ kj }} / fuels.ncv_kj as price_yuan_per_tce,
        case
            -- 10^8 kWh = 10^5 MWh
            when fuels.fuel_code = 'electricity' then fuel_use.quantity * 1e5 * grid.tco2_per_mwh
            else {{ co2_t_from_energy('fuel_use.quantity', 'fuels') }}
        end as co2_t,
        case when fuels.fuel_code = 'electricity' then fuel_use.quantity else 0 end
            as electricity_100m_kwh,
        fuel_use.file || ' row ' || fuel_use.row_number || ' (' || fuel_use.printed_fuel || ')'
            as quantity_source,
        prices.file || ' row ' || prices.row_number || ' (' || prices.printed_fuel || ')'
            as price_source,
        case
            when fuels.fuel_code = 'electricity' then fuels.fuel_code || ': ' || grid.source
            else fuels.fuel_code || ': ' || fuels.carbon_content_source || '; '
                || fuels.oxidation_source || '; NCV ' || fuels.ncv_source
        end as factor_source
    from fuel_use
    inner join fuels on fuels.fuel_code = fuel_use.fuel_code
    left join prices on prices.fuel_code = fuel_use.fuel_code
    cross join grid
),

by_industry as (
    select
        by_fuel.industry_code,
        {{ exact_sum('by_fuel.co2_t', 6) }} as co2_t,
        {{ exact_sum('by_fuel.price_yuan_per_tce * by_fuel.quantity_tce', 6) }} as energy_cost_yuan,
        {{ exact_sum('by_fuel.quantity_tce', 6) }} as fuel_tce,
        {{ exact_sum('by_fuel.electricity_100m_kwh', 9) }} as electricity_100m_kwh,
        string_agg(by_fuel.quantity_source, '; ' order by by_fuel.fuel_code) as quantity_sources,
        string_agg(by_fuel.price_source, '; ' order by by_fuel.fuel_code) as price_sources,
        string_agg(by_fuel.factor_source, ' | ' order by by_fuel.fuel_code) as factor_sources
    from by_fuel
    group by by_fuel.industry_code
),

inputs as (
    select
        by_industry.*,
        -- Q_i in tce, electricity at the calorific and at the coal equivalent
        (totals.energy_total_10k_tce
            - by_industry.electricity_100m_kwh * 10 * ({{ k_printed }} - {{ k_cal }})) * 1e4
            as q_calorific_tce,
        (totals.energy_total_10k_tce
            - by_industry.electricity_100m_kwh * 10 * ({{ k_printed }} - {{ k_ce }})) * 1e4
            as q_coal_equivalent_tce,
        totals.energy_total_10k_tce,
        totals.file || ' row ' || totals.row_number || ' (' || totals.printed_indicator || ', '
            || totals.printed_unit || ')' as q_total_source,
        grid.tco2_per_mwh as grid_tco2_per_mwh,
        grid.source as grid_factor_source
    from by_industry
    inner join totals on totals.industry_code = by_industry.industry_code
    cross join grid
),

mapped as (
    select
        *,
        co2_t / q_calorific_tce as uc,
        energy_cost_yuan / q_calorific_tce as p,
        co2_t / q_coal_equivalent_tce as uc_ce,
        energy_cost_yuan / q_coal_equivalent_tce as p_ce
    from inputs
),

digits as (
    select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
),

carbon_prices as (
    select hundreds.d * 100 + tens.d * 10 + units.d as carbon_price
    from digits as hundreds
    cross join digits as tens
    cross join digits as units
    where hundreds.d * 100 + tens.d * 10 + units.d <= {{ var('carbon_price_max') }}
),

final as (
    select
        mapped.industry_code,
        industries.study_label,
        industries.is_high_energy,
        base.base_year,
        carbon_prices.carbon_price as carbon_price_yuan_per_t,
        round(mapped.energy_total_10k_tce, 6) as q_total_printed_10k_tce,
        round(mapped.q_calorific_tce / 1e4, 6) as q_total_10k_tce,
        round(mapped.fuel_tce / 1e4, 6) as q_mapped_fuels_10k_tce,
        round(mapped.co2_t, 3) as co2_mapped_fuels_t,
        round(mapped.energy_cost_yuan / 1e4, 3) as energy_cost_mapped_fuels_10k_yuan,
        round(mapped.electricity_100m_kwh, 6) as electricity_100m_kwh,
        mapped.grid_tco2_per_mwh,
        round(mapped.uc, 9) as uc_tco2_per_tce,
        round(mapped.p, 6) as p_energy_yuan_per_tce,
        round(mapped.p + carbon_prices.carbon_price * mapped.uc, 6)
            as energy_cost_with_carbon_yuan_per_tce,
        round(mapped.uc / (mapped.p + carbon_prices.carbon_price * mapped.uc), 12) as mc,
        'calorific' as power_conversion,
        round(mapped.q_coal_equivalent_tce / 1e4, 6) as q_total_coal_equivalent_10k_tce,
        round(mapped.uc_ce, 9) as uc_tco2_per_tce_coal_equivalent,
        round(mapped.p_ce, 6) as p_energy_yuan_per_tce_coal_equivalent,
        round(mapped.uc_ce / (mapped.p_ce + carbon_prices.carbon_price * mapped.uc_ce), 12)
            as mc_coal_equivalent,
        mapped.q_total_source,
        mapped.quantity_sources,
        mapped.price_sources,
        mapped.factor_sources,
        mapped.grid_factor_source
    from mapped
    inner join industries on industries.industry_code = mapped.industry_code
    cross join base
    cross join carbon_prices
)

select * from final
