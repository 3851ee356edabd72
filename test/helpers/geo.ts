import { latOf, lonOf } from '../../src/cli/demo/demo-city';

/**
 * Test geometry on a local metre grid around the demo city's centre (50.00°E, 36.27°N),
 * through the generator's own metre ↔ degree conversion (WGS 84 at 36.27°N).
 */
export type Position = [number, number];

export const pos = (x: number, y: number): Position => [lonOf(x), latOf(y)];

/** Rectangle x0..x1, y0..y1 (metres east/north of the centre) as a GeoJSON Polygon. */
export function rectPolygon(x0: number, y0: number, x1: number, y1: number): { type: 'Polygon'; coordinates: Position[][] } {
  return { type: 'Polygon', coordinates: [[pos(x0, y0), pos(x1, y0), pos(x1, y1), pos(x0, y1), pos(x0, y0)]] };
}

/** The same rectangle as WKT MULTIPOLYGON, for SQL fixtures. */
export function rectWkt(x0: number, y0: number, x1: number, y1: number): string {
  const ring = rectPolygon(x0, y0, x1, y1).coordinates[0].map(([lon, lat]) => `${lon} ${lat}`).join(', ');
  return `MULTIPOLYGON(((${ring})))`;
}
