{#
  grid_factors_of_years(years): for each year of `years` (a relation with a column `year`) and
  each regional grid of dim_grid, the grid's emission factor of that year: the factor of the
  latest factor_year at or before the year; years before the grid's first published factor take
  the first one. Returns year, grid_code, factor_year and tco2_per_mwh (t CO2 per MWh).
#}
{% macro grid_factors_of_years(years) %}
    select
        year,
        grid_code,
        factor_year,
        tco2_per_mwh
    from (
        select
            years.year,
            grid.grid_code,
            grid.factor_year,
            grid.tco2_per_mwh,
            row_number() over (
                partition by years.year, grid.grid_code
                order by
                    case when grid.factor_year <= years.year then 0 else 1 end,
                    abs(years.year - grid.factor_year)
            ) as preference
        from {{ years }} as years
        cross join {{ ref('dim_grid') }} as grid
    ) as factors_by_preference
    where preference = 1
{% endmacro %}
