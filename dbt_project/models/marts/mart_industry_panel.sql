-- One row per study industry (the 36 of dim_industry) and year: every variable of the
-- industrial FDI study (Wang and Wu 2017; methods README section 3), levels, logs and the
-- one-year lags of the regressors (the paper lags energy, labour and capital cost). Money at
-- base-year prices (var industry_base_year, 1999) uses the national FAI deflator (NFA, R&D) or
-- the industry's PPI deflator (output; 1 in the industry's first year, 1999 in the demo);
-- wages the national CPI deflator.
with

wide as (
    select * from {{ ref('int_industry_indicators_wide') }}
),

energy as (
    select * from {{ ref('int_industry_energy_costs') }}
),

stocks as (
    select * from {{ ref('int_industry_capital_stocks') }}
),

prices as (
    select * from {{ ref('int_national_price_deflators') }}
),

industries as (
    select * from {{ ref('dim_industry') }}
),

joined as (
    select
        wide.industry_code,
        industries.study_label,
        industries.name_en,
        wide.year,
        industries.is_high_energy,
        case when industries.is_high_energy then 1 else 0 end as high_energy,
        industries.factor_intensity,
        prices.base_year,
        wide.net_fixed_assets_all,
        wide.net_fixed_assets_foreign_funded,
        wide.net_fixed_assets_state_controlled,
        wide.net_fixed_assets_private,
        wide.net_fixed_assets_foreign_funded / wide.net_fixed_assets_all as relative_fdi,
        wide.net_fixed_assets_foreign_funded / prices.fai_deflator as absolute_fdi_real,
        wide.net_fixed_assets_state_controlled / prices.fai_deflator as state_nfa_real,
        wide.net_fixed_assets_private / prices.fai_deflator as private_nfa_real,
        energy.fuel_energy_10k_tce,
        energy.energy_total_10k_tce,
        energy.unit_energy_cost_yuan_per_tce,
        wide.average_wage_all,
        wide.average_wage_all / prices.cpi_deflator as real_wage,
        prices.fai_deflator as capital_cost,
        prices.cpi_deflator,
        stocks.rd_expenditure,
        stocks.rd_stock,
        wide.total_profit_foreign_funded,
        wide.total_cost_foreign_funded,
        wide.total_profit_foreign_funded / wide.total_cost_foreign_funded
            as profitability_foreign,
        wide.gross_output_all,
        wide.ppi,
        stocks.ppi_deflator,
        wide.gross_output_all / stocks.ppi_deflator as scale_real,
        greatest(wide.edition_max, energy.edition_max, prices.edition_max) as edition_max
    from wide
    inner join industries on industries.industry_code = wide.industry_code
    inner join energy on energy.industry_code = wide.industry_code and energy.year = wide.year
    inner join stocks on stocks.industry_code = wide.industry_code and stocks.year = wide.year
    inner join prices on prices.year = wide.year
),

logs as (
    select
        *,
        ln(relative_fdi) as ln_relative_fdi,
        ln(absolute_fdi_real) as ln_absolute_fdi,
        ln(unit_energy_cost_yuan_per_tce) as ln_unit_energy_cost,
        ln(unit_energy_cost_yuan_per_tce) * high_energy as ln_unit_energy_cost_x_high_energy,
        ln(real_wage) as ln_real_wage,
        ln(capital_cost) as ln_capital_cost,
        ln(rd_stock) as ln_rd_stock,
        ln(scale_real) as ln_scale,
        ln(state_nfa_real) as ln_nfa_state,
        ln(private_nfa_real) as ln_nfa_private,
        ln(ppi_deflator) as ln_ppi
    from joined
),

lagged as (
    select
        *,
        {% for column in ['ln_unit_energy_cost', 'ln_unit_energy_cost_x_high_energy',
                          'ln_real_wage', 'ln_capital_cost', 'ln_rd_stock',
                          'profitability_foreign', 'ln_scale', 'ln_nfa_state', 'ln_nfa_private',
                          'ln_ppi'] -%}
        case
            when lag(year) over (partition by industry_code order by year) = year - 1
                then lag({{ column }}) over (partition by industry_code order by year)
        end as lag_{{ column }}{{ "," if not loop.last }}
        {% endfor %}
    from logs
),

final as (
    select
        industry_code,
        study_label,
        name_en,
        year,
        is_high_energy,
        high_energy,
        factor_intensity,
        base_year,
        net_fixed_assets_all as nfa_all_100m_yuan,
        net_fixed_assets_foreign_funded as nfa_foreign_100m_yuan,
        net_fixed_assets_state_controlled as nfa_state_100m_yuan,
        net_fixed_assets_private as nfa_private_100m_yuan,
        relative_fdi,
        absolute_fdi_real as absolute_fdi_real_100m_yuan,
        state_nfa_real as nfa_state_real_100m_yuan,
        private_nfa_real as nfa_private_real_100m_yuan,
        fuel_energy_10k_tce,
        energy_total_10k_tce,
        unit_energy_cost_yuan_per_tce,
        average_wage_all as average_wage_yuan,
        real_wage as real_wage_yuan,
        cpi_deflator,
        capital_cost,
        rd_expenditure as rd_expenditure_10k_yuan,
        rd_stock as rd_stock_10k_yuan,
        total_profit_foreign_funded as profit_foreign_100m_yuan,
        total_cost_foreign_funded as cost_foreign_100m_yuan,
        profitability_foreign,
        gross_output_all as gross_output_100m_yuan,
        ppi,
        ppi_deflator,
        scale_real as scale_real_100m_yuan,
        ln_relative_fdi,
        ln_absolute_fdi,
        ln_unit_energy_cost,
        ln_unit_energy_cost_x_high_energy,
        ln_real_wage,
        ln_capital_cost,
        ln_rd_stock,
        ln_scale,
        ln_nfa_state,
        ln_nfa_private,
        ln_ppi,
        lag_ln_unit_energy_cost,
        lag_ln_unit_energy_cost_x_high_energy,
        lag_ln_real_wage,
        lag_ln_capital_cost,
        lag_ln_rd_stock,
        lag_profitability_foreign,
        lag_ln_scale,
        lag_ln_nfa_state,
        lag_ln_nfa_private,
        lag_ln_ppi,
        edition_max
    from lagged
)

-- stored in key order: estimators read the table as stored, so the same files give the same
-- row order and the same results to the last digit
select * from final
order by industry_code, year
