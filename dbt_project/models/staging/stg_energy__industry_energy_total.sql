-- Total energy use of the two-digit industries (能源消费总量, 万吨标准煤; the carbon-price
-- mapping's Q_i, which the paper calls 综合能源消费量), printed in the industry energy tables
-- beside the fuels (energy/<ed>/industry_energy_<year>.xlsx): one row per industry and year;
-- printed industry -> dim_industry code (ref_industry_aliases; the excluded industries
-- dropped), printed unit -> 10^4 tce (ref_units); the latest edition up to var('as_of_edition').
with

cells as (
    {{ raw_cells('energy', 'industry_energy') }}
),

indicators as (
    select indicator, canonical_unit
    from {{ ref('ref_indicators') }}
    where source = 'energy' and variable = 'energy_total'
),

aliases as (
    {{ industry_aliases() }}
),

mapped as (
    select
        aliases.industry_code,
        aliases.in_study,
        cells.year,
        cells.value * units.factor as energy_total_10k_tce,
        indicators.canonical_unit as unit,
        cells.unit as printed_unit,
        cells.entity as printed_industry,
        cells.indicator as printed_indicator,
        {{ cell_provenance('cells') }}
    from cells
    inner join indicators on indicators.indicator = cells.indicator
    left join aliases on aliases.alias_key = {{ industry_alias_key('cells.entity') }}
    {{ join_unit_factors('indicators.canonical_unit') }}
    where cells.value is not null
),

studied as (
    {{ studied_industries('mapped') }}
),

ranked as (
    {{ latest_edition('studied', ['industry_code', 'year']) }}
),

final as (
    select
        industry_code,
        year,
        energy_total_10k_tce,
        unit,
        printed_unit,
        printed_industry,
        printed_indicator,
        {{ cell_provenance() }}
    from ranked
)

select * from final
