{# 10^4 t of CO2 summed over the sectors meeting `condition` (co2_mt is in Mt), rounded to
   10^-6 (0.01 t) so that rebuilds give identical marts (parallel sums of doubles differ in the
   last bits from run to run). #}
{% macro co2_sum_10kt(condition) -%}
round(100 * sum(case when {{ condition }} then emissions.co2_mt else 0 end), 6)
{%- endmacro %}
