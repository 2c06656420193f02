-- A series whose figures come from two origins (e.g. population real from 2015 and synthetic
-- before, when real files cover only recent years): a warning, one row per series with its
-- counts and years by origin, so that results built on it say 'mixed'. reference.data_origin
-- has the counts per mart.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_nbs__province_indicators'}}}) }}
{% set province_models = {
    'nbs': 'stg_nbs__province_indicators', 'energy': 'stg_energy__province_indicators',
    'science_tech': 'stg_science_tech__province_indicators',
    'ofdi': 'stg_ofdi__province_indicators'} %}
with

cells as (
    {% for source, model in province_models.items() %}
    select '{{ source }}' as source, variable as series, year, origin from {{ ref(model) }}
    union all
    {% endfor %}
    select 'ceads' as source, 'co2 ' || fuel as series, year, origin
    from {{ ref('stg_ceads__emissions') }}
    union all
    select 'energy' as source, 'balance ' || fuel_code as series, year, origin
    from {{ ref('stg_energy__balance') }}
),

by_series as (
    select
        source,
        series,
        count(case when origin = 'real' then 1 end) as n_real,
        count(case when origin = 'synthetic' then 1 end) as n_synthetic,
        min(case when origin = 'real' then year end) as first_real_year,
        max(case when origin = 'real' then year end) as last_real_year,
        min(case when origin = 'synthetic' then year end) as first_synthetic_year,
        max(case when origin = 'synthetic' then year end) as last_synthetic_year
    from cells
    group by source, series
)

select * from by_series
where n_real > 0 and n_synthetic > 0
order by source, series
