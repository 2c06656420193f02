-- Carbon-price mapping (Wang and Wu 2017 after Cullen and Mansur 2014; methods README section 3):
-- for each study industry i in the base year and carbon price j = 0..var('carbon_price_max')
-- yuan per t CO2, step 1:
--   UC_i = sum_e ef_e Q_ei / Q_i (t CO2 per tce), P_i = sum_e P_e Q_ei / Q_i (yuan per tce),
--   MC_ij = UC_i / (P_i + j UC_i): the semi-elasticity of the unit energy cost to the carbon
--   price at level j (per yuan per t CO2).
-- Base year: var('carbon_price_base_year'), or the last year of the energy costs when null.
with

costs as (
    select energy.*
    from {{ ref('int_industry_energy_costs') }} as energy
    inner join {{ ref('dim_industry') }} as industries
        on industries.industry_code = energy.industry_code
),

base as (
    select
        {% if var('carbon_price_base_year') is none -%}
        max(year)
        {%- else -%}
        {{ var('carbon_price_base_year') }}
        {%- endif %} as base_year
    from costs
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
        costs.industry_code,
        industries.study_label,
        industries.is_high_energy,
        costs.year as base_year,
        carbon_prices.carbon_price as carbon_price_yuan_per_t,
        costs.carbon_tco2_per_tce as uc_tco2_per_tce,
        costs.unit_energy_cost_yuan_per_tce as p_energy_yuan_per_tce,
        costs.unit_energy_cost_yuan_per_tce
            + carbon_prices.carbon_price * costs.carbon_tco2_per_tce
            as energy_cost_with_carbon_yuan_per_tce,
        round(
            costs.carbon_tco2_per_tce
            / (costs.unit_energy_cost_yuan_per_tce
               + carbon_prices.carbon_price * costs.carbon_tco2_per_tce),
            12
        ) as mc
    from costs
    inner join base on costs.year = base.base_year
    inner join {{ ref('dim_industry') }} as industries
        on industries.industry_code = costs.industry_code
    cross join carbon_prices
)

select * from final
