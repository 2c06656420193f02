{#
  Deflator from an index with previous year = 100, rebased so that P = 1 in the base year:
  P_t = prod_{s <= t} (I_s / 100) / prod_{s <= base} (I_s / 100), computed as exp of a running
  sum of logs over the years of each province (or of each `partition_by` group; none for a
  national series). `base_cte` must hold (province_code, base_year).
#}
{% macro running_log_index(index_column, partition_by='province_code') -%}
sum(ln({{ index_column }} / 100.0)) over (
    {% if partition_by %}partition by {{ partition_by }}{% endif %}
    order by year
    rows between unbounded preceding and current row
)
{%- endmacro %}
