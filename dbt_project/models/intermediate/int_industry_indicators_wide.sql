-- One row per industry-year of the 36 study industries: the main indicators of each ownership
-- class (<variable>_<ownership>), the PPI (previous year = 100) and R&D expenditure (10^4 yuan),
-- in canonical units.
{% set main = ['gross_output', 'net_fixed_assets', 'total_cost', 'total_profit', 'average_wage'] %}
{% set classes = ['all', 'state_controlled', 'private', 'foreign_funded'] %}
with

indicators as (
    select industry_code, ownership_code, year, variable, value, edition
    from {{ ref('stg_industry__main_indicators') }}
    union all
    select industry_code, ownership_code, year, variable, value, edition
    from {{ ref('stg_industry__ppi') }}
    union all
    select industry_code, ownership_code, year, variable, value, edition
    from {{ ref('stg_science_tech__industry_rd') }}
),

final as (
    select
        industry_code,
        year,
        max(edition) as edition_max,
        {% for v in main -%}
        {% for c in classes -%}
        max(case when variable = '{{ v }}' and ownership_code = '{{ c }}' then value end)
            as {{ v }}_{{ c }},
        {% endfor -%}
        {% endfor -%}
        max(case when variable = 'ppi' then value end) as ppi,
        max(case when variable = 'rd_expenditure' then value end) as rd_expenditure
    from indicators
    where industry_code is not null
    group by industry_code, year
)

select * from final
