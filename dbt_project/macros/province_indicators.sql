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
    {{ raw_cells(source_name) }}
        and not {{ is_national_table('file') }}  -- national tables by industry or year
),

aliases as (
    {{ province_aliases() }}
),

indicators as (
    {{ source_indicators(source_name) }}
),

mapped as (
    select
        aliases.province_code,
        cells.year,
        indicators.variable,
        cells.value * units.factor as value,
        indicators.canonical_unit as unit,
        cells.unit as printed_unit,
        {{ cell_provenance('cells') }}
    from cells
    inner join indicators on indicators.indicator = cells.indicator
    left join aliases on aliases.alias_key = replace(cells.entity, ' ', '')
    {{ join_unit_factors('indicators.canonical_unit') }}
    where cells.value is not null
),

studied as (
    {{ studied_provinces('mapped') }}
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
        {{ cell_provenance() }}
    from ranked
)

select * from final
{% endmacro %}
