-- Factor-intensity class of every industrial CEADs sector (2-41): dim_industry's class through
-- dim_industry.ceads_sector_order for the 36 industries of the FDI studies, and
-- ref_factor_intensity_other_sectors for the four sectors outside them (GB/T 4754-2002 11, 12,
-- 42, 43). The singular test assert_every_industrial_ceads_sector_has_one_factor_intensity
-- checks that each industrial sector is mapped exactly once.
with

sectors as (
    select sector_order, sector_name, gbt4754_2002_code
    from {{ ref('ref_ceads_sectors') }}
    where is_industrial
),

from_industries as (
    select
        ceads_sector_order as sector_order,
        factor_intensity,
        'dim_industry' as mapped_by
    from {{ ref('dim_industry') }}
),

from_other_sectors as (
    select
        sector_order,
        factor_intensity,
        'ref_factor_intensity_other_sectors' as mapped_by
    from {{ ref('ref_factor_intensity_other_sectors') }}
),

mapped as (
    select * from from_industries
    union all
    select * from from_other_sectors
),

final as (
    select
        sectors.sector_order,
        sectors.sector_name,
        sectors.gbt4754_2002_code,
        mapped.factor_intensity,
        mapped.mapped_by
    from sectors
    inner join mapped on mapped.sector_order = sectors.sector_order
)

select * from final
