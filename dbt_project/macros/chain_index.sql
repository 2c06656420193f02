{#
  Deflator from an index with previous year = 100, rebased so that P = 1 in the base year:
  P_t = prod_{s <= t} (I_s / 100) / prod_{s <= base} (I_s / 100), computed as exp of a running
  sum of logs over the years of each province (or of each `partition_by` group; none for a
  national series). The base year comes from price_base_year below.
#}
{% macro running_log_index(index_column, partition_by='province_code') -%}
sum(ln({{ index_column }} / 100.0)) over (
    {% if partition_by %}partition by {{ partition_by }}{% endif %}
    order by year
    rows between unbounded preceding and current row
)
{%- endmacro %}


{# The base year of the deflators of `relation` (a CTE with a `year` column): `base_year`
   (default var('base_year')) when the series covers it, else the series' first year. One row,
   column base_year. #}
{% macro price_base_year(relation, base_year=none) -%}
    {%- set base = var('base_year') if base_year is none else base_year %}
    select
        case
            when min(year) <= {{ base }} then {{ base }}
            else min(year)
        end as base_year
    from {{ relation }}
{%- endmacro %}
