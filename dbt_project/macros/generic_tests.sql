{# Rows that share the same values of `columns` (a key that is not unique). #}
{% test unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{# Years in which the panel does not hold every province of dim_province (unbalanced). #}
{% test balanced_panel(model, entity, time) %}
with

provinces_per_year as (
    select {{ time }}, count(distinct {{ entity }}) as n_provinces
    from {{ model }}
    group by {{ time }}
)

select *
from provinces_per_year
where n_provinces != (select count(*) from {{ ref('dim_province') }})
{% endtest %}
