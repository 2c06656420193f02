{#
  Deflator from an index with previous year = 100, rebased so that P = 1 in the base year:
  P_t = prod_{s <= t} (I_s / 100) / prod_{s <= base} (I_s / 100), computed as exp of a running
  sum of logs over the years of each province. `base_cte` must hold (province_code, base_year).
#}
{% macro running_log_index(index_column) -%}
sum(ln({{ index_column }} / 100.0)) over (
    partition by province_code
    order by year
    rows between unbounded preceding and current row
)
{%- endmacro %}
