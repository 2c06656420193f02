{#
  Vintages, written once: the rows of `relation` from the latest edition per `keys` (a list of
  column names). Staging models filter editions up to var('as_of_edition') first, so this gives
  the figures as the yearbooks stood in that edition (design.md, "Vintages"). `edition_rank`
  is kept (always 1) so a model can show it.
#}
{% macro latest_edition(relation, keys) %}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ keys | join(', ') }}
                order by edition desc
            ) as edition_rank
        from {{ relation }}
    ) as ranked_by_edition
    where edition_rank = 1
{% endmacro %}
