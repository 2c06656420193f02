{{ province_indicator_staging('nbs') }}
