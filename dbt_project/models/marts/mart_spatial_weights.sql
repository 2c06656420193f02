-- Spatial weight matrices between the 30 provinces, long format (one row per ordered pair i != j
-- with a non-zero weight, per matrix): inverse great-circle distance, inverse squared distance
-- and contiguity (land borders plus the conventional Hainan-Guangdong link), raw and
-- row-standardised (each row sums to 1).
-- Distance: haversine on dim_province centroids, earth radius 6371.0088 km.
with

provinces as (
    select province_code, centroid_lon, centroid_lat
    from {{ ref('dim_province') }}
),

pairs as (
    select
        origin.province_code as province_code_i,
        destination.province_code as province_code_j,
        -- rounded to the millimetre
        round(2 * 6371.0088 * asin(sqrt(
            power(sin(radians(destination.centroid_lat - origin.centroid_lat) / 2), 2)
            + cos(radians(origin.centroid_lat)) * cos(radians(destination.centroid_lat))
            * power(sin(radians(destination.centroid_lon - origin.centroid_lon) / 2), 2)
        )), 6) as distance_km
    from provinces as origin
    cross join provinces as destination
    where origin.province_code != destination.province_code
),

contiguity_links as (
    select province_code_i, province_code_j from {{ ref('ref_province_contiguity') }}
    union
    select province_code_j, province_code_i from {{ ref('ref_province_contiguity') }}
),

raw_weights as (
    select 'inverse_distance' as matrix_name, province_code_i, province_code_j, distance_km,
           1.0 / distance_km as weight
    from pairs
    union all
    select 'inverse_distance_squared', province_code_i, province_code_j, distance_km,
           1.0 / (distance_km * distance_km)
    from pairs
    union all
    select 'contiguity', pairs.province_code_i, pairs.province_code_j, pairs.distance_km, 1.0
    from pairs
    inner join contiguity_links
        on contiguity_links.province_code_i = pairs.province_code_i
        and contiguity_links.province_code_j = pairs.province_code_j
),

final as (
    select
        matrix_name,
        province_code_i,
        province_code_j,
        distance_km,
        weight as weight_raw,
        -- rounded to 10^-12 so that rebuilds are identical (parallel sums of doubles are not)
        round(weight / sum(weight) over (partition by matrix_name, province_code_i), 12)
            as weight_row_standardised
    from raw_weights
)

select * from final
