-- Every region name printed in a raw file maps to a province through ref_province_aliases.
-- A failing row names the file, row and printed name to add as an alias (or to correct).
{{ config(meta={'dagster': {'ref': {'name': 'ref_province_aliases'}}}) }}
{% set sources = ['nbs', 'energy', 'science_tech', 'ofdi', 'ceads'] %}
with

aliases as (
    select replace(alias, ' ', '') as alias_key from {{ ref('ref_province_aliases') }}
),

printed as (
    {% for s in sources %}
    select distinct entity, file, min(row_number) over (partition by entity, file) as first_row
    from {{ source('raw', s ~ '_cells') }}
    where entity != 'China'  -- national inventories are not provinces
        and not {{ is_national_table('file') }}  -- national tables by industry or year
    {{ "union all" if not loop.last }}
    {% endfor %}
)

select printed.entity, printed.file, printed.first_row
from printed
left join aliases on aliases.alias_key = replace(printed.entity, ' ', '')
where aliases.alias_key is null
