-- National price indices by year (entity 全国): CPI and fixed-asset investment price index,
-- previous year = 100; the latest edition up to var('as_of_edition').
with

cells as (
    {{ raw_cells('industry', 'national_price_indices') }}
),

indicators as (
    {{ source_indicators('industry') }}
),

mapped as (
    select
        cells.year,
        indicators.variable,
        cells.value * units.factor as value,
        indicators.canonical_unit as unit,
        cells.unit as printed_unit,
        {{ cell_provenance('cells') }}
    from cells
    inner join indicators on indicators.indicator = cells.indicator
    {{ join_unit_factors('indicators.canonical_unit') }}
    where cells.value is not null
),

ranked as (
    {{ latest_edition('mapped', ['variable', 'year']) }}
),

final as (
    select
        year,
        variable,
        value,
        unit,
        printed_unit,
        {{ cell_provenance() }}
    from ranked
)

select * from final
