-- The province panel of the two provincial studies: one row per province-year (30 provinces).
with

provinces as (
    select province_code, name_en, name_zh, region, region_4, is_municipality
    from {{ ref('dim_province') }}
),

indicators as (
    select * from {{ ref('int_province_indicators_wide') }}
),

prices as (
    select * from {{ ref('int_province_prices') }}
),

capital_stocks as (
    select
        province_code,
        year,
        tech_import_stock_sample_base,
        tech_import_stock,
        pim_base_convention,
        rd_stock
    from {{ ref('int_province_capital_stocks') }}
),

scope_2 as (
    select province_code, year, co2_scope2_electricity_10kt
    from {{ ref('int_province_scope2_electricity') }}
),

emissions as (
    select * from {{ ref('int_province_emissions') }}
),

foreign_investment as (
    select * from {{ ref('int_province_foreign_investment') }}
),

-- every province-year that any input has: a province-year missing from one input is kept with
-- NULLs for that input's variables and named in missing_inputs (never dropped by a join)
spine as (
    select province_code, year from indicators
    union
    select province_code, year from emissions
),

levels as (
    select
        provinces.province_code,
        provinces.name_en as province_name_en,
        provinces.name_zh as province_name_zh,
        provinces.region,
        provinces.region_4,
        provinces.is_municipality,
        spine.year,
        greatest(indicators.edition_max, emissions.ceads_edition) as edition_max,
        nullif(concat_ws(', ',
            case when indicators.province_code is null
                then 'indicators (nbs, energy, science_tech, ofdi)' end,
            case when emissions.province_code is null then 'emissions (ceads)' end
        ), '') as missing_inputs,
        emissions.co2_total_10kt,
        scope_2.co2_scope2_electricity_10kt,
        emissions.co2_total_10kt + scope_2.co2_scope2_electricity_10kt
            as co2_total_with_electricity_10kt,
        emissions.co2_industrial_10kt,
        emissions.ce_10kt,
        emissions.ce1_steel_10kt,
        emissions.ce2_building_materials_10kt,
        emissions.ce3_nonferrous_10kt,
        emissions.ce4_petrochemical_10kt,
        indicators.gdp as gdp_nominal_100m_yuan,
        prices.gdp_real_100m_yuan,
        prices.base_year as price_base_year,
        prices.gdp_real_100m_yuan * 1e8 / (indicators.population * 1e4)
            as gdp_per_capita_real_yuan,
        indicators.population as population_10k,
        indicators.tech_import_expenditure as tech_import_expenditure_10k_yuan,
        capital_stocks.tech_import_stock_sample_base as tech_import_stock_10k_yuan,
        capital_stocks.tech_import_stock as tech_import_stock_from_first_year_10k_yuan,
        capital_stocks.pim_base_convention,
        capital_stocks.rd_stock as rd_stock_10k_yuan,
        indicators.rd_expenditure as rd_expenditure_10k_yuan,
        indicators.patents_domestic,
        indicators.patents_industrial,
        foreign_investment.fdi_investment_100m_yuan,
        foreign_investment.ofdi_flow_100m_yuan,
        foreign_investment.ofdi_stock_100m_yuan,
        foreign_investment.trade_100m_yuan,
        indicators.va_tertiary / indicators.gdp as tertiary_share,
        indicators.urban_population / indicators.population as urbanisation_rate,
        indicators.fiscal_expenditure / indicators.gdp as fiscal_expenditure_share,
        indicators.energy_total as energy_total_10k_tce,
        indicators.energy_total / prices.gdp_real_100m_yuan as energy_intensity_tce_per_10k_yuan,
        (6 * indicators.edu_pop_primary + 9 * indicators.edu_pop_junior
            + 12 * indicators.edu_pop_senior + 16 * indicators.edu_pop_tertiary)
            / (indicators.edu_pop_none + indicators.edu_pop_primary + indicators.edu_pop_junior
                + indicators.edu_pop_senior + indicators.edu_pop_tertiary)
            as avg_years_schooling
    from spine
    inner join provinces on provinces.province_code = spine.province_code
    left join indicators
        on indicators.province_code = spine.province_code and indicators.year = spine.year
    left join emissions
        on emissions.province_code = spine.province_code and emissions.year = spine.year
    left join prices
        on prices.province_code = spine.province_code and prices.year = spine.year
    left join capital_stocks
        on capital_stocks.province_code = spine.province_code
        and capital_stocks.year = spine.year
    left join foreign_investment
        on foreign_investment.province_code = spine.province_code
        and foreign_investment.year = spine.year
    left join scope_2
        on scope_2.province_code = spine.province_code and scope_2.year = spine.year
),

with_ratios as (
    select
        *,
        fdi_investment_100m_yuan / gdp_nominal_100m_yuan as fdi_share_gdp,
        ofdi_stock_100m_yuan / gdp_nominal_100m_yuan as ofdi_stock_share_gdp,
        ofdi_flow_100m_yuan / gdp_nominal_100m_yuan as ofdi_flow_share_gdp,
        trade_100m_yuan / gdp_nominal_100m_yuan as trade_openness,
        {% for column, name in [
            ('co2_total_10kt', 'ln_co2_total'),
            ('co2_total_with_electricity_10kt', 'ce'),
            ('co2_industrial_10kt', 'ln_co2_industrial'),
            ('ce_10kt', 'ln_ce'),
            ('ce1_steel_10kt', 'ln_ce1_steel'),
            ('ce2_building_materials_10kt', 'ln_ce2_building_materials'),
            ('ce3_nonferrous_10kt', 'ln_ce3_nonferrous'),
            ('ce4_petrochemical_10kt', 'ln_ce4_petrochemical'),
            ('tech_import_stock_10k_yuan', 'ln_tech_import_stock'),
            ('gdp_per_capita_real_yuan', 'ln_gdp_per_capita_real'),
            ('patents_industrial', 'ln_patents_industrial'),
            ('patents_domestic', 'ln_patents_domestic'),
            ('fdi_investment_100m_yuan', 'ln_fdi'),
            ('ofdi_stock_100m_yuan', 'ln_ofdi_stock'),
            ('energy_intensity_tce_per_10k_yuan', 'ln_energy_intensity')
        ] -%}
        case when {{ column }} > 0 then ln({{ column }}) end as {{ name }},
        {% endfor %}
        -- the technology-import study's variables under the paper's names (paper 001, Table 1)
        case when tech_import_stock_10k_yuan > 0 then ln(tech_import_stock_10k_yuan / 1e4) end
            as tech,
        case when tech_import_stock_from_first_year_10k_yuan > 0
            then ln(tech_import_stock_from_first_year_10k_yuan / 1e4) end
            as tech_from_first_year,
        gdp_nominal_100m_yuan / population_10k as gdp,
        tertiary_share as ind,
        energy_intensity_tce_per_10k_yuan / 10 as ei,
        trade_100m_yuan / gdp_nominal_100m_yuan as tra,
        avg_years_schooling as edu,
        fiscal_expenditure_share as fin
    from levels
),

with_paper_names as (
    select
        *,
        ln_ce1_steel as ce1,
        ln_ce2_building_materials as ce2,
        ln_ce3_nonferrous as ce3,
        ln_ce4_petrochemical as ce4,
        ln_patents_industrial as ino,
        -- two-way FDI study (paper 000): interaction centred on the sample means, so that the
        -- main effects are the effects at the sample-mean of the other variable
        -- (means exact in DECIMAL, so that rebuilds give identical marts)
        {% set fdi_sample = "year between " ~ var('fdi_study_first_year') ~ " and "
            ~ var('fdi_study_last_year') %}
        (ln_fdi - {{ exact_avg('ln_fdi', 12, fdi_sample, 'over ()') }})
            * (ln_ofdi_stock - {{ exact_avg('ln_ofdi_stock', 12, fdi_sample, 'over ()') }})
            as fdi_x_ofdi_centred
    from with_ratios
),

{% set winsorised = [
    'ln_co2_total', 'ln_co2_industrial', 'ln_ce', 'ln_ce1_steel', 'ln_ce2_building_materials',
    'ln_ce3_nonferrous', 'ln_ce4_petrochemical', 'ln_tech_import_stock',
    'ln_gdp_per_capita_real', 'ln_patents_industrial', 'ln_fdi', 'ln_ofdi_stock',
    'ln_energy_intensity', 'tertiary_share', 'urbanisation_rate', 'fdi_share_gdp',
    'trade_openness', 'fiscal_expenditure_share', 'avg_years_schooling',
    'ce', 'ce1', 'ce2', 'ce3', 'ce4', 'tech', 'ino', 'gdp', 'ind', 'ei', 'tra', 'edu', 'fin',
    'fdi_x_ofdi_centred'
] %}
-- 1 % and 99 % percentiles over the whole panel (linear interpolation, percentile_cont)
bounds as (
    select
        {% for v in winsorised -%}
        percentile_cont(0.01) within group (order by {{ v }}) as {{ v }}_p01,
        percentile_cont(0.99) within group (order by {{ v }}) as {{ v }}_p99{{ "," if not loop.last }}
        {% endfor %}
    from with_paper_names
),

final as (
    select
        with_paper_names.*,
        {% for v in winsorised -%}
        -- greatest/least skip nulls in some databases: keep missing values missing
        case when {{ v }} is not null
            then least(greatest({{ v }}, bounds.{{ v }}_p01), bounds.{{ v }}_p99)
        end as {{ v }}_wins1{{ "," if not loop.last }}
        {% endfor %}
    from with_paper_names
    cross join bounds
)

-- stored in key order: estimators read the table as stored, so the same files give the same
-- row order and the same results to the last digit
select * from final
order by province_code, year
