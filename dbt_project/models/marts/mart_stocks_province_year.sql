-- Stocks and foreign-investment positions by province-year at base-year prices.
with

provinces as (
    select province_code from {{ ref('dim_province') }}
),

capital_stocks as (
    select * from {{ ref('int_province_capital_stocks') }}
),

foreign_investment as (
    select * from {{ ref('int_province_foreign_investment') }}
),

prices as (
    select province_code, year, base_year from {{ ref('int_province_prices') }}
),

final as (
    select
        capital_stocks.province_code,
        capital_stocks.year,
        prices.base_year as price_base_year,
        capital_stocks.tech_import_stock as tech_import_stock_10k_yuan,
        capital_stocks.tech_import_stock_study as tech_import_stock_study_10k_yuan,
        capital_stocks.tech_import_stock_hall_jones as tech_import_stock_hall_jones_10k_yuan,
        capital_stocks.tech_import_stock_sample_base as tech_import_stock_sample_base_10k_yuan,
        capital_stocks.pim_base_convention,
        capital_stocks.rd_stock as rd_stock_10k_yuan,
        foreign_investment.fdi_investment_real_100m_yuan,
        foreign_investment.ofdi_flow_real_100m_yuan,
        foreign_investment.ofdi_stock_real_100m_yuan
    from capital_stocks
    inner join provinces on provinces.province_code = capital_stocks.province_code
    left join foreign_investment
        on foreign_investment.province_code = capital_stocks.province_code
        and foreign_investment.year = capital_stocks.year
    left join prices
        on prices.province_code = capital_stocks.province_code
        and prices.year = capital_stocks.year
)

select * from final
