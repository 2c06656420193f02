-- Every unit printed for an indicator the warehouse uses converts to its canonical unit
-- (ref_units). A failing row names the file, the printed unit and the canonical unit expected.
{{ config(meta={'dagster': {'ref': {'name': 'stg_nbs__province_indicators'}}}) }}
{% set models = ['stg_nbs__province_indicators', 'stg_energy__province_indicators',
                 'stg_science_tech__province_indicators', 'stg_ofdi__province_indicators'] %}
{% for m in models %}
select variable, printed_unit, unit as canonical_unit, file, row_number
from {{ ref(m) }}
where value is null
{{ "union all" if not loop.last }}
{% endfor %}
