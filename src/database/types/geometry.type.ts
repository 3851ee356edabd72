import { Platform, Type } from '@mikro-orm/core';

/** A GeoJSON geometry object (WGS 84 lon/lat). */
export interface GeoJsonGeometry {
  type: 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon' | 'GeometryCollection';
  coordinates?: unknown;
  geometries?: GeoJsonGeometry[];
}

/**
 * PostGIS geometry (SRID 4326) mapped to GeoJSON objects. Conversion happens in SQL
 * (ST_GeomFromGeoJSON / ST_AsGeoJSON), so the application never parses WKB. Columns using
 * it set `ignoreSchemaChanges: ['type']`, or every schema diff would re-alter them.
 * Hot read paths (map tiles, point lookups) use their own SQL, not entity hydration.
 */
export class GeometryType extends Type<GeoJsonGeometry | null, string | null> {
  constructor(private readonly kind: string = 'Geometry') {
    super();
  }

  override convertToDatabaseValue(value: GeoJsonGeometry | null): string | null {
    return value ? JSON.stringify(value) : null;
  }

  override convertToJSValue(value: string | GeoJsonGeometry | null): GeoJsonGeometry | null {
    if (value === null || value === undefined) return null;
    return typeof value === 'string' ? (JSON.parse(value) as GeoJsonGeometry) : value;
  }

  override convertToDatabaseValueSQL(key: string): string {
    return `ST_SetSRID(ST_GeomFromGeoJSON(${key}), 4326)`;
  }

  override convertToJSValueSQL(key: string): string {
    return `ST_AsGeoJSON(${key}, 7)`;
  }

  override getColumnType(): string {
    return `geometry(${this.kind}, 4326)`;
  }

  override compareAsType(): string {
    return 'string';
  }

  override ensureComparable(): boolean {
    return false;
  }

  static forKind(kind: 'MultiPolygon' | 'Geometry' | 'Point' | 'LineString'): GeometryType {
    return new GeometryType(kind);
  }
}

export type { Platform };
