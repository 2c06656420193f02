-- A provincial source with no figure at all for a year that other provincial sources have (a
-- missing edition or file, or a source that starts later, as OFDI from 2003): a warning, one row
-- per source and year. The panel keeps such years with NULLs (mart_province_panel.missing_inputs).
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_nbs__province_indicators'}}}) }}
{% set province_models = {
    'nbs': 'stg_nbs__province_indicators', 'energy': 'stg_energy__province_indicators',
    'science_tech': 'stg_science_tech__province_indicators',
    'ofdi': 'stg_ofdi__province_indicators', 'ceads': 'stg_ceads__emissions'} %}
with

years as (
    {% for source, model in province_models.items() %}
    select distinct '{{ source }}' as source, year from {{ ref(model) }}
    {{ "union all" if not loop.last }}
    {% endfor %}
),

sources as (
    select distinct source from years
),

all_years as (
    select distinct year from years
)

select sources.source, all_years.year
from sources
cross join all_years
left join years on years.source = sources.source and years.year = all_years.year
where years.year is null
order by sources.source, all_years.year
