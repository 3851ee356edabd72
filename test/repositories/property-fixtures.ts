import type { ParcelRow } from '../../src/modules/properties/property-import.repository';

/** A square parcel (GeoJSON MultiPolygon text) with its south-west corner at (lon, lat) and side `d` degrees. */
export function square(lon: number, lat: number, d = 0.0002): string {
  return JSON.stringify({
    type: 'MultiPolygon',
    coordinates: [[[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]],
  });
}

export function parcel(id: string, code: string, lon: number, lat: number, extra: Partial<ParcelRow> = {}): ParcelRow {
  const [region, district, block, n] = code.split('-').map(Number);
  return {
    id,
    renewal_code: code,
    region,
    district,
    block,
    parcel: n,
    building: 0,
    apartment: 0,
    shop: 0,
    address: `قزوین، خیابان آزمون، پلاک ${n}`,
    postal_code: `34${String(n).padStart(8, '0')}`,
    plate_main: String(100 + n),
    plate_sub: '2',
    land_area: 200,
    building_area: 320,
    use: 'residential',
    floors: 2,
    units: 2,
    construction_year: 1395,
    structure_type: 'concrete',
    access_road_width: 12,
    frontage: 10,
    zone_code: 'R-2',
    geom: square(lon, lat),
    ...extra,
  };
}
