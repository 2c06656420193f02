{{ industry_table_staging('industry', 'industry_ppi') }}
