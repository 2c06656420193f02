{#
  Staging of a region-by-year source (nbs, energy, science_tech, ofdi), written once:
  1. keep editions up to var('as_of_edition');
  2. map the printed region name to its GB/T 2260 code through ref_province_aliases (blanks
     removed); Tibet (540000) is dropped: the studies cover 30 provinces;
  3. map the printed indicator to its variable through ref_indicators;
  4. convert the printed unit to the canonical unit through ref_units;
  5. keep, per province, variable and year, the latest edition that prints a value.
#}
{% macro province_indicator_staging(source_name) %}
with

cells as (
    select *
    from {{ source('raw', source_name ~ '_cells') }}
    where {{ edition_up_to_as_of() }}
        and not {{ is_national_table('file') }}  -- national tables by industry or year
),

aliases as (
    select replace(alias, ' ', '') as alias_key, province_code
    from {{ ref('ref_province_aliases') }}
),

indicators as (
    select indicator, variable, canonical_unit
    from {{ ref('ref_indicators') }}
    where source = '{{ source_name }}'
),

units as (
    select unit, canonical_unit, factor
    from {{ ref('ref_units') }}
),

mapped as (
    select
        aliases.province_code,
        cells.year,
        indicators.variable,
        cells.value * units.factor as value,
        indicators.canonical_unit as unit,
        cells.unit as printed_unit,
        cells.edition,
        cells.origin,
        cells.file,
        cells.row_number,
        cells.column_name
    from cells
    inner join indicators on indicators.indicator = cells.indicator
    left join aliases on aliases.alias_key = replace(cells.entity, ' ', '')
    left join units
        on units.unit = cells.unit
        and units.canonical_unit = indicators.canonical_unit
    where cells.value is not null
),

studied as (
    select *
    from mapped
    where province_code is null or province_code != '540000'
),

ranked as (
    {{ latest_edition('studied', ['province_code', 'variable', 'year']) }}
),

final as (
    select
        province_code,
        year,
        variable,
        value,
        unit,
        printed_unit,
        edition,
        origin,
        file,
        row_number,
        column_name
    from ranked
)

select * from final
{% endmacro %}
