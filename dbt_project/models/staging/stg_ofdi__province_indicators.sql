{{ province_indicator_staging('ofdi') }}
