{#
  The emission formula (methods README section 1; IPCC 2006 vol. 2 eq. 2.1), written once:
    energy (TJ)            = AD x ncv_units_per_physical_unit x ncv_kj / 10^9
    CO2 per energy (t/TJ)  = carbon content (t C/TJ) x oxidation rate x 44/12
    CO2 (t)                = energy (TJ) x CO2 per energy
  `quantity` is AD in the fuel's physical unit; `fuel` the alias of a dim_fuel relation.
  Standard coal: 1 kgce = var('kj_per_kgce') kJ (29,307.6, GB/T 2589-2008), so one tce holds
  kj_per_kgce x 1000 / 10^9 TJ.
#}
{% macro energy_tj(quantity, fuel) -%}
({{ quantity }} * {{ fuel }}.ncv_units_per_physical_unit * {{ fuel }}.ncv_kj / 1e9)
{%- endmacro %}

{% macro co2_t_per_tj(fuel) -%}
({{ fuel }}.carbon_content_tc_per_tj * {{ fuel }}.oxidation_rate * 44.0 / 12.0)
{%- endmacro %}

{% macro co2_t_from_energy(quantity, fuel) -%}
({{ energy_tj(quantity, fuel) }} * {{ co2_t_per_tj(fuel) }})
{%- endmacro %}

{% macro tj_per_tce() -%}
({{ var('kj_per_kgce') }} * 1000 / 1e9)
{%- endmacro %}
