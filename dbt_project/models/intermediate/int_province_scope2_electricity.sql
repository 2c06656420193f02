-- Scope-2 electricity CO2 by province-year (10^4 t): computed from the balance sheets where
-- they exist (final electricity consumption x the grid factor), else the inventory's own
-- scope-2 column; the method used is named.
with

scope_2_by_method as (
    select
        province_code,
        year,
        method,
        {{ exact_sum('co2_t / 1e4', 6) }} as co2_scope2_electricity_10kt
    from {{ ref('fct_emissions') }}
    where fuel = 'scope_2_electricity'
    group by province_code, year, method
),

-- computed from the balance sheets where they exist (consumption x grid factor), else the
-- inventory's own scope-2 column
scope_2_ranked as (
    select
        *,
        row_number() over (
            partition by province_code, year
            order by case method when 'computed' then 0 else 1 end
        ) as preference
    from scope_2_by_method
),

scope_2 as (
    select
        province_code,
        year,
        method as co2_scope2_electricity_method,
        co2_scope2_electricity_10kt
    from scope_2_ranked
    where preference = 1
)

select * from scope_2
