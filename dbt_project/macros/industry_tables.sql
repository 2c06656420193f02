{#
  National tables of industries (or of the whole country) printed inside sources whose other
  tables are by province: the file-name prefixes of models_py/ingest/discover.py LAYOUTS whose
  rows are not provinces (tests/dbt/test_industry_marts.py keeps the two lists equal).
#}
{% macro national_table_prefixes() -%}
{{ return(['industry_energy', 'energy_prices', 'industry_rd', 'national_price_indices']) }}
{%- endmacro %}

{# True for a raw row from a national table (by its file name, column `file_column`). #}
{% macro is_national_table(file_column='file') -%}
(
    {%- for prefix in national_table_prefixes() %}
    {{ file_column }} like '%/{{ prefix }}%'{{ " or" if not loop.last }}
    {%- endfor %}
)
{%- endmacro %}

{# A printed industry label without a leading two-digit code and blanks ('06 煤炭开采和洗选业'
   -> '煤炭开采和洗选业'): the key into ref_industry_aliases. #}
{% macro industry_alias_key(label) -%}
replace(replace(regexp_replace(trim({{ label }}), '^[0-9]{2}[ 　]*', ''), ' ', ''), '　', '')
{%- endmacro %}

{# The lookup of printed industry names: ref_industry_aliases with alias_key (the alias without
   blanks, to join with industry_alias_key), industry_code and in_study. #}
{% macro industry_aliases() -%}
    select
        replace(replace(alias, ' ', ''), '　', '') as alias_key,
        industry_code,
        in_study
    from {{ ref('ref_industry_aliases') }}
{%- endmacro %}

{# The two-digit code printed before an industry label, null when none is printed. #}
{% macro printed_industry_code(label) -%}
case
    when regexp_replace(trim({{ label }}), '^[0-9]{2}[ 　]*', '') != trim({{ label }})
        then substr(trim({{ label }}), 1, 2)
end
{%- endmacro %}

{#
  Staging of a national table by two-digit industry (industry main indicators, PPI, R&D):
  1. keep editions up to var('as_of_edition') and the files named `file_prefix`;
  2. map the printed industry (with or without its code) to dim_industry.industry_code through
     ref_industry_aliases; the four industries the study excludes (11, 12, 42, 43) are dropped,
     unknown names are kept with a null code (assert_raw_industry_names_are_known names them);
  3. map the printed indicator to its variable (ref_indicators) and the unit to the canonical
     unit (ref_units); the ownership class (item) to its code (ref_ownership_classes) if any;
  4. keep, per industry, ownership, variable and year, the latest edition that prints a value.
#}
{% macro industry_table_staging(source_name, file_prefix, indicator_source='industry') %}
with

cells as (
    {{ raw_cells(source_name, file_prefix) }}
),

aliases as (
    {{ industry_aliases() }}
),

indicators as (
    {{ source_indicators(indicator_source) }}
),

ownership as (
    select ownership_class, ownership_code
    from {{ ref('ref_ownership_classes') }}
),

mapped as (
    select
        aliases.industry_code,
        aliases.in_study,
        case when cells.item = '' then 'all' else ownership.ownership_code end as ownership_code,
        cells.year,
        indicators.variable,
        cells.value * units.factor as value,
        indicators.canonical_unit as unit,
        cells.unit as printed_unit,
        cells.entity as printed_industry,
        {{ cell_provenance('cells') }}
    from cells
    inner join indicators on indicators.indicator = cells.indicator
    left join aliases on aliases.alias_key = {{ industry_alias_key('cells.entity') }}
    left join ownership on ownership.ownership_class = cells.item
    {{ join_unit_factors('indicators.canonical_unit') }}
    where cells.value is not null
),

studied as (
    {{ studied_industries('mapped') }}
),

ranked as (
    {{ latest_edition('studied', ['industry_code', 'ownership_code', 'variable', 'year']) }}
),

final as (
    select
        industry_code,
        ownership_code,
        year,
        variable,
        value,
        unit,
        printed_unit,
        printed_industry,
        {{ cell_provenance() }}
    from ranked
)

select * from final
{% endmacro %}

{# Years in which the industry panel does not hold every industry of dim_industry. #}
{% test balanced_industry_panel(model, entity, time) %}
with

industries_per_year as (
    select {{ time }}, count(distinct {{ entity }}) as n_industries
    from {{ model }}
    group by {{ time }}
)

select *
from industries_per_year
where n_industries != (select count(*) from {{ ref('dim_industry') }})
{% endtest %}
