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

{#
  Several column rules of one model checked in one query (one dbt test node per model instead
  of one per column and rule: dbt's overhead is per node). Arguments, each optional:
    not_null:           [column, ...]            no NULL in the column
    unique:             [column, ...]            no value twice (NULLs ignored, as dbt's unique)
    accepted_values:    {column: [value, ...]}   only these values (NULLs pass, as dbt's)
    unique_combination: [[column, ...], ...]     no two rows share these columns' values
    relationships:      {column: {to: "ref('parent')", field: parent_column}}
                                                 every non-NULL value is a field of the parent
                                                 (as dbt's relationships test)
  Returns one row per broken rule and offending value (key): failed_rule names the rule and its
  column(s), e.g. 'not_null(year)', 'accepted_values(region)', 'relationships(province_code)';
  value is the offending value or key as text (NULL for not_null); n_rows the rows of the model
  that break it. dbt's failure count is the number of offending rows, summed over the rules
  (fail_calc). dbt renders the `to` strings (and records the parents' refs, so the test runs
  after them).
#}
{% test column_rules(model, not_null=[], unique=[], accepted_values={}, unique_combination=[],
                     relationships={}) %}
{{ config(fail_calc='coalesce(sum(n_rows), 0)') }}
{%- set head = "select '{}' as failed_rule, {} as value, count(*) as n_rows from " ~ model -%}
{%- set parts = [] -%}
{%- for column in not_null -%}
{%- do parts.append(head.format('not_null(' ~ column ~ ')', 'cast(null as varchar)')
    ~ ' where ' ~ column ~ ' is null having count(*) > 0') -%}
{%- endfor -%}
{%- for column in unique -%}
{%- do parts.append(head.format('unique(' ~ column ~ ')', 'cast(' ~ column ~ ' as varchar)')
    ~ ' where ' ~ column ~ ' is not null group by ' ~ column ~ ' having count(*) > 1') -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
{%- set quoted = [] -%}
{%- for value in values -%}
{%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
{%- endfor -%}
{%- do parts.append(head.format('accepted_values(' ~ column ~ ')',
    'cast(' ~ column ~ ' as varchar)')
    ~ ' where ' ~ column ~ ' not in (' ~ quoted | join(', ') ~ ') group by ' ~ column) -%}
{%- endfor -%}
{%- for columns in unique_combination -%}
{%- set shown = [] -%}
{%- for column in columns -%}
{%- do shown.append("'" ~ column ~ "=' || coalesce(cast(" ~ column ~ " as varchar), 'NULL')") -%}
{%- endfor -%}
{%- do parts.append(head.format('unique_combination(' ~ columns | join(', ') ~ ')',
    shown | join(" || ', ' || "))
    ~ ' group by ' ~ columns | join(', ') ~ ' having count(*) > 1') -%}
{%- endfor -%}
{%- for column, parent in relationships.items() -%}
{%- do parts.append("select 'relationships(" ~ column ~ ")' as failed_rule, cast(child."
    ~ column ~ " as varchar) as value, count(*) as n_rows from (select * from " ~ model
    ~ ") as child"
    ~ " left join (select distinct " ~ parent.field ~ " as parent_key from " ~ parent.to
    ~ ") as parent on child." ~ column ~ " = parent.parent_key where child." ~ column
    ~ " is not null and parent.parent_key is null group by child." ~ column) -%}
{%- endfor %}
{% if parts %}
{{ parts | join('\nunion all\n') }}
{% else %}
select cast(null as varchar) as failed_rule, cast(null as varchar) as value, 0 as n_rows
where false
{% endif %}
{% endtest %}
