{{ industry_table_staging('science_tech', 'industry_rd', indicator_source='science_tech') }}
