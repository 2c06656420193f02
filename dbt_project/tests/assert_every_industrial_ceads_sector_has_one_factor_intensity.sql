-- Every industrial CEADs sector (2-41) has exactly one factor-intensity class (dim_industry or
-- ref_factor_intensity_other_sectors), and no non-industrial sector has one. A failing row
-- names the sector and how many classes it has.
{{ config(meta={'dagster': {'ref': {'name': 'dim_industry'}}}) }}
with

sectors as (
    select sector_order, sector_name, is_industrial from {{ ref('ref_ceads_sectors') }}
),

mapped as (
    select ceads_sector_order as sector_order from {{ ref('dim_industry') }}
    union all
    select sector_order from {{ ref('ref_factor_intensity_other_sectors') }}
),

counted as (
    select
        sectors.sector_order,
        sectors.sector_name,
        sectors.is_industrial,
        count(mapped.sector_order) as n_classes
    from sectors
    left join mapped on mapped.sector_order = sectors.sector_order
    group by sectors.sector_order, sectors.sector_name, sectors.is_industrial
)

select *
from counted
where (is_industrial and n_classes != 1) or (not is_industrial and n_classes != 0)
