-- Technology-import stock by perpetual inventory, at base-year prices (10^4 yuan):
--   e_t = E_t / P_t   (E: technology-import expenditure, 10^4 yuan; P: FAI deflator, base = 1)
--   K_t = e_t + (1 - d) K_{t-1}
--   base stock in the first year t0: 'study'      K_t0 = e_t0 (1 + g) / (1 + d)
--                                    'hall_jones' K_t0 = e_t0 / (g + d)
-- Closed form used here (n = t - t0, q = 1 - d):
--   K_t = q^n [ sum_{s=t0..t} e_s q^-(s - t0) ] + q^n (K_t0 - e_t0)
{% set d = var('tis_depreciation') %}
{% set g = var('tis_growth') %}
with

flows as (
    select
        wide.province_code,
        wide.year,
        wide.tech_import_expenditure,
        wide.tech_import_expenditure / prices.fai_deflator as real_flow
    from {{ ref('int_province_indicators_wide') }} as wide
    inner join {{ ref('int_province_prices') }} as prices
        on prices.province_code = wide.province_code and prices.year = wide.year
),

indexed as (
    select
        *,
        year - min(year) over (partition by province_code) as n,
        first_value(real_flow) over (partition by province_code order by year) as first_flow
    from flows
),

discounted as (
    select
        *,
        sum(real_flow * power(1 - {{ d }}, -n)) over (
            partition by province_code
            order by year
            rows between unbounded preceding and current row
        ) as discounted_sum,
        {% if var('pim_base_convention') == 'hall_jones' -%}
        first_flow / ({{ g }} + {{ d }})
        {%- else -%}
        first_flow * (1 + {{ g }}) / (1 + {{ d }})
        {%- endif %} as base_stock
    from indexed
),

final as (
    select
        province_code,
        year,
        tech_import_expenditure,
        real_flow as tech_import_real_flow,
        -- rounded to 10^-6 (0.01 yuan): the closed form's last-bit noise does not reach users
        round(power(1 - {{ d }}, n) * (discounted_sum + base_stock - first_flow), 6)
            as tech_import_stock,
        '{{ var("pim_base_convention") }}' as pim_base_convention
    from discounted
)

select * from final
