{{ province_indicator_staging('energy') }}
