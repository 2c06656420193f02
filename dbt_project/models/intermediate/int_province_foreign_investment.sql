-- Inward FDI and outward FDI by province-year in yuan: current prices (USD converted at the annual
-- average rate, ref_exchange_rate) and base-year prices (deflated by the FAI deflator).
-- 10^4 USD x (yuan per 100 USD) / 10^6 = 10^8 yuan.
with

indicators as (
    select province_code, year, fdi_investment, ofdi_flow, ofdi_stock, trade_total
    from {{ ref('int_province_indicators_wide') }}
),

prices as (
    select province_code, year, fai_deflator from {{ ref('int_province_prices') }}
),

exchange_rates as (
    select year, cny_per_100_usd from {{ ref('ref_exchange_rate') }}
),

converted as (
    select
        indicators.province_code,
        indicators.year,
        indicators.fdi_investment * exchange_rates.cny_per_100_usd / 1e6 as fdi_investment_100m_yuan,
        indicators.ofdi_flow * exchange_rates.cny_per_100_usd / 1e6 as ofdi_flow_100m_yuan,
        indicators.ofdi_stock * exchange_rates.cny_per_100_usd / 1e6 as ofdi_stock_100m_yuan,
        indicators.trade_total * exchange_rates.cny_per_100_usd / 1e6 as trade_100m_yuan,
        prices.fai_deflator
    from indicators
    left join exchange_rates on exchange_rates.year = indicators.year
    left join prices
        on prices.province_code = indicators.province_code and prices.year = indicators.year
),

final as (
    select
        province_code,
        year,
        fdi_investment_100m_yuan,
        ofdi_flow_100m_yuan,
        ofdi_stock_100m_yuan,
        trade_100m_yuan,
        fdi_investment_100m_yuan / fai_deflator as fdi_investment_real_100m_yuan,
        ofdi_flow_100m_yuan / fai_deflator as ofdi_flow_real_100m_yuan,
        ofdi_stock_100m_yuan / fai_deflator as ofdi_stock_real_100m_yuan
    from converted
)

select * from final
