{#
  The import steps every staging model takes over the raw long cells, written once.
  A staging model reads: cells (raw_cells) -> lookups (province_aliases; industry_aliases of
  industry_tables.sql; source_indicators) -> mapped (join_unit_factors, cell_provenance) ->
  studied (studied_provinces / studied_industries) -> ranked (latest_edition of
  latest_edition.sql) -> final.
#}

{#
  raw_cells(source_name, file_prefix=none): a select of every column of the raw cells of
  `source_name` (source raw.<source_name>_cells) from the editions up to var('as_of_edition'),
  and, given `file_prefix`, only those of the files whose name starts with it
  ('industry_energy' keeps energy/<edition>/industry_energy_<year>.xlsx). It ends inside its
  where clause, so the model may add conditions: `{{ raw_cells('ceads') }} and item != 'Total'`.
#}
{% macro raw_cells(source_name, file_prefix=none) -%}
    select *
    from {{ source('raw', source_name ~ '_cells') }}
    where {{ edition_up_to_as_of() }}
    {%- if file_prefix %}
        and file like '%/{{ file_prefix }}%'
    {%- endif %}
{%- endmacro %}

{#
  province_aliases(): the lookup of printed region names, ref_province_aliases with alias_key
  (the alias without blanks; join on replace(<printed name>, ' ', '')) and province_code.
#}
{% macro province_aliases() -%}
    select replace(alias, ' ', '') as alias_key, province_code
    from {{ ref('ref_province_aliases') }}
{%- endmacro %}

{#
  source_indicators(source_name): the indicators ref_indicators lists for `source_name`:
  indicator (as printed), variable and canonical_unit.
#}
{% macro source_indicators(source_name) -%}
    select indicator, variable, canonical_unit
    from {{ ref('ref_indicators') }}
    where source = '{{ source_name }}'
{%- endmacro %}

{#
  join_unit_factors(canonical_unit): the left join of ref_units (as `units`) that converts the
  unit printed in `cells`.unit to `canonical_unit` (an expression of the model's lookups, e.g.
  'indicators.canonical_unit'): the canonical figure is cells.value * units.factor, null when
  ref_units has no such conversion.
#}
{% macro join_unit_factors(canonical_unit) -%}
    left join {{ ref('ref_units') }} as units
        on units.unit = cells.unit
        and units.canonical_unit = {{ canonical_unit }}
{%- endmacro %}

{#
  cell_provenance(relation=none): the columns that say which printed cell a figure comes from,
  in the order every staging model shows them: edition, origin, file, row_number, column_name
  (prefixed with `relation`. when given).
#}
{% macro cell_provenance(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for column in ['edition', 'origin', 'file', 'row_number', 'column_name'] -%}
        {{ prefix ~ column }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#
  studied_provinces(relation): the rows of `relation` of the studied provinces, Tibet (540000)
  dropped (the studies cover 30 provinces); rows whose region name is unknown (null
  province_code) are kept for the tests to name.
#}
{% macro studied_provinces(relation) -%}
    select *
    from {{ relation }}
    where province_code is null or province_code != '540000'
{%- endmacro %}

{#
  studied_industries(relation): the rows of `relation` of the studied industries (in_study of
  ref_industry_aliases: the four excluded industries 11, 12, 42, 43 dropped); rows whose
  industry name is unknown (null industry_code) are kept for the tests to name.
#}
{% macro studied_industries(relation) -%}
    select *
    from {{ relation }}
    where industry_code is null or in_study
{%- endmacro %}
