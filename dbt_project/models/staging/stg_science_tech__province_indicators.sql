{{ province_indicator_staging('science_tech') }}
