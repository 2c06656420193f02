{#
  exact_sum(expression, scale): the sum of `expression` rounded to `scale` decimals, computed
  in DECIMAL(38, scale) so that it is exact and the same whatever order a parallel aggregation
  adds the rows in (sums of doubles differ in their last bits from run to run, and a relative
  gap of two nearly equal sums magnifies that); returned as a double.
#}
{% macro exact_sum(expression, scale) -%}
cast(sum(cast(round({{ expression }}, {{ scale }}) as decimal(38, {{ scale }}))) as double)
{%- endmacro %}

{# exact_avg(expression, scale, filter='', window=''): the mean computed the same way,
   optionally over the rows meeting `filter` and as a window function (`window`: 'over (...)'). #}
{% macro exact_avg(expression, scale, filter='', window='') -%}
cast(avg(cast(round({{ expression }}, {{ scale }}) as decimal(38, {{ scale }})))
    {%- if filter %} filter (where {{ filter }}){% endif %} {{ window }} as double)
{%- endmacro %}

{# 10^4 t of CO2 summed over the sectors meeting `condition` (co2_mt is in Mt), exact to
   10^-6 (0.01 t), so that rebuilds give identical marts. #}
{% macro co2_sum_10kt(condition) -%}
{{ exact_sum('100 * case when ' ~ condition ~ ' then emissions.co2_mt else 0 end', 6) }}
{%- endmacro %}
