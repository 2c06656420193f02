{#
  Vintages, written once. An edition is a plain four-digit year (models_py/ingest/origin.py
  refuses any other folder name), compared as an integer, never as a string.

  edition_up_to_as_of(): the filter every staging model applies first, editions up to
  var('as_of_edition') ('9999' = all).

  latest_edition(relation, keys): the rows of `relation` from the preferred edition per `keys`
  (a list of column names): a real figure wins over a synthetic one (column `origin`, 'real' or
  'synthetic', from the file's own synthetic-data note) whatever the editions are called; among
  figures of the same origin, the latest edition wins. After edition_up_to_as_of() this gives the
  figures as the yearbooks stood in that edition (design.md, "Vintages"). `edition_rank` is kept
  (always 1) so a model can show it.
#}
{% macro edition_up_to_as_of(column='edition') -%}
cast({{ column }} as integer) <= {{ var('as_of_edition') | int }}
{%- endmacro %}

{% macro origin_rank(column='origin') -%}
case {{ column }} when 'real' then 0 when 'synthetic' then 2 else 1 end
{%- endmacro %}

{% macro latest_edition(relation, keys) %}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ keys | join(', ') }}
                order by {{ origin_rank('origin') }}, cast(edition as integer) desc
            ) as edition_rank
        from {{ relation }}
    ) as ranked_by_edition
    where edition_rank = 1
{% endmacro %}
