{{ industry_table_staging('industry', 'industry_main_indicators') }}
