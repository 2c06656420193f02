-- What each mart is built from: the figures (cells) its staging inputs select, counted by
-- source, edition and origin ('real' yearbook files or the 'synthetic' demo yearbook; see
-- models_py/ingest/origin.py). A result can then say 'synthetic demo', 'real' or
-- 'mixed (n real, m synthetic)' from the rows of its mart.
-- Which staging models feed which mart is read from the dbt graph when the model runs, so it
-- follows the SQL; the staging models themselves are listed once here (tests/dbt checks the
-- list covers every stg_ model).
{% set staging_models = [
    'stg_ceads__emissions', 'stg_energy__balance', 'stg_energy__fuel_prices',
    'stg_energy__industry_energy_total', 'stg_energy__industry_fuel_use',
    'stg_energy__province_indicators',
    'stg_industry__main_indicators', 'stg_industry__national_price_indices', 'stg_industry__ppi',
    'stg_nbs__province_indicators', 'stg_ofdi__province_indicators',
    'stg_science_tech__industry_rd', 'stg_science_tech__province_indicators',
] %}

{% set feeds = [] %}
{% if execute %}
    {% for node in graph.nodes.values() %}
        {% if node.resource_type == 'model' and node.fqn[1] == 'marts' %}
            {% set upstream = [] %}
            {% for uid in node.depends_on.nodes %}{% do upstream.append(uid) %}{% endfor %}
            {% for depth in range(20) %}
                {% for uid in upstream[:] %}
                    {% if uid in graph.nodes %}
                        {% for up in graph.nodes[uid].depends_on.nodes %}
                            {% if up not in upstream %}{% do upstream.append(up) %}{% endif %}
                        {% endfor %}
                    {% endif %}
                {% endfor %}
            {% endfor %}
            {% for uid in upstream %}
                {% set name = uid.split('.')[-1] %}
                {% if name in staging_models %}{% do feeds.append((node.name, name)) %}{% endif %}
            {% endfor %}
        {% endif %}
    {% endfor %}
{% endif %}

with

cells_by_staging_model as (
    {% for model in staging_models %}
    select
        '{{ model }}' as staging_model,
        '{{ model.split("__")[0][4:] }}' as source,
        edition,
        coalesce(origin, 'unknown') as origin,
        count(*) as n_cells
    from {{ ref(model) }}
    group by edition, origin
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

mart_inputs (mart, staging_model) as (
    {% if feeds %}
    values
    {% for mart, model in feeds | sort %}
        ('{{ mart }}', '{{ model }}'){% if not loop.last %},{% endif %}
    {% endfor %}
    {% else %}
    select null::varchar, null::varchar where false
    {% endif %}
),

final as (
    select
        mart_inputs.mart,
        cells.source,
        cells.edition,
        cells.origin,
        sum(cells.n_cells)::bigint as n_cells
    from mart_inputs
    inner join cells_by_staging_model as cells
        on cells.staging_model = mart_inputs.staging_model
    group by all
)

select * from final
order by mart, source, edition, origin
