-- Every industry printed in a national industry table maps to a two-digit code through
-- ref_industry_aliases, and a code printed before the name (06 煤炭开采和洗选业) is that code.
-- A failing row names the file, the first row and the printed label to add as an alias (or to
-- correct).
{{ config(meta={'dagster': {'ref': {'name': 'ref_industry_aliases'}}}) }}
with

aliases as (
    select replace(replace(alias, ' ', ''), '　', '') as alias_key, industry_code
    from {{ ref('ref_industry_aliases') }}
),

printed as (
    select distinct entity, file, min(row_number) over (partition by entity, file) as first_row
    from {{ source('raw', 'industry_cells') }}
    where file not like '%/national_price_indices%'
    union all
    select distinct entity, file, min(row_number) over (partition by entity, file) as first_row
    from {{ source('raw', 'energy_cells') }}
    where file like '%/industry_energy%'
    union all
    select distinct entity, file, min(row_number) over (partition by entity, file) as first_row
    from {{ source('raw', 'science_tech_cells') }}
    where file like '%/industry_rd%'
),

checked as (
    select
        printed.entity,
        printed.file,
        printed.first_row,
        aliases.industry_code,
        {{ printed_industry_code('printed.entity') }} as printed_code
    from printed
    left join aliases on aliases.alias_key = {{ industry_alias_key('printed.entity') }}
)

select
    entity,
    file,
    first_row,
    case
        when industry_code is null then 'unknown industry name (ref_industry_aliases)'
        else 'printed code ' || printed_code || ' but the name is industry ' || industry_code
    end as problem
from checked
where industry_code is null or (printed_code is not null and printed_code != industry_code)
