{#
  Perpetual inventory, K_t = e_t + (1 - d) K_{t-1}, as a closed form over the years of each
  province (or `partition_by` group, e.g. industry_code) (n = t - t0, q = 1 - d):  K_t = q^n [ sum_{s=t0..t} e_s q^-(s-t0) ] + q^n (K_t0 - e_t0)
  with the base stock K_t0 of the named convention:
    'study'      K_t0 = e_t0 (1 + g) / (1 + d)   (the technology-import study)
    'hall_jones' K_t0 = e_t0 / (g + d)            (Hall and Jones 1999)
  `real_flow`, `first_flow` (e_t0) and `n` are columns of the relation; rounded to 10^-6.
#}
{% macro pim_base_stock(first_flow, convention, d, g) -%}
    {%- if convention == 'hall_jones' -%}
    {{ first_flow }} / ({{ g }} + {{ d }})
    {%- elif convention == 'study' -%}
    {{ first_flow }} * (1 + {{ g }}) / (1 + {{ d }})
    {%- else -%}
    {{ exceptions.raise_compiler_error("pim convention must be 'study' or 'hall_jones', not '" ~ convention ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro pim_stock(real_flow, first_flow, n, convention, d, g, partition_by='province_code') -%}
round(
    power(1 - {{ d }}, {{ n }}) * (
        sum({{ real_flow }} * power(1 - {{ d }}, -{{ n }})) over (
            partition by {{ partition_by }}
            order by year
            rows between unbounded preceding and current row
        )
        + {{ pim_base_stock(first_flow, convention, d, g) }}
        - {{ first_flow }}
    ),
    6
)
{%- endmacro %}
