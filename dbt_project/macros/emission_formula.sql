{#
  The emission formula (methods README section 1; IPCC 2006 vol. 2 eq. 2.1), written once:
    energy (TJ) = AD x ncv_units_per_physical_unit x ncv_kj / 10^9
    CO2 (t)     = energy (TJ) x carbon content (t C/TJ) x oxidation rate x 44/12
  `quantity` is AD in the fuel's physical unit; `fuel` the alias of a dim_fuel relation.
  Standard coal: 1 kgce = 29,307.6 kJ, so 1 TJ = 10^9 / 29,307.6 / 1000 tce = 34.1208 tce.
#}
{% macro energy_tj(quantity, fuel) -%}
({{ quantity }} * {{ fuel }}.ncv_units_per_physical_unit * {{ fuel }}.ncv_kj / 1e9)
{%- endmacro %}

{% macro co2_t_from_energy(quantity, fuel) -%}
({{ energy_tj(quantity, fuel) }} * {{ fuel }}.carbon_content_tc_per_tj * {{ fuel }}.oxidation_rate * 44.0 / 12.0)
{%- endmacro %}

{% macro tce_from_tj(tj) -%}
({{ tj }} * 1e9 / 29307.6 / 1000)
{%- endmacro %}
