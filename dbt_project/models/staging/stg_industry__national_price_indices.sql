-- National price indices by year (entity 全国): CPI and fixed-asset investment price index,
-- previous year = 100; the latest edition up to var('as_of_edition').
with

cells as (
    select *
    from {{ source('raw', 'industry_cells') }}
    where {{ edition_up_to_as_of() }}
        and file like '%/national_price_indices%'
),

indicators as (
    select indicator, variable, canonical_unit
    from {{ ref('ref_indicators') }}
    where source = 'industry'
),

units as (
    select unit, canonical_unit, factor
    from {{ ref('ref_units') }}
),

mapped as (
    select
        cells.year,
        indicators.variable,
        cells.value * units.factor as value,
        indicators.canonical_unit as unit,
        cells.unit as printed_unit,
        cells.edition,
        cells.origin,
        cells.file,
        cells.row_number,
        cells.column_name
    from cells
    inner join indicators on indicators.indicator = cells.indicator
    left join units
        on units.unit = cells.unit
        and units.canonical_unit = indicators.canonical_unit
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
        edition,
        origin,
        file,
        row_number,
        column_name
    from ranked
)

select * from final
