import { Injectable } from '@nestjs/common';
import { query, type Query, type Row } from '../../database/sql';

/** An envelope in WGS 84: minLon, minLat, maxLon, maxLat. */
export type Bbox = readonly [number, number, number, number];

/** How many features each stored layer holds (`zones`, `widening-plans` and the `city_layer_feature` layers). */
export type LayerCounts = Map<string, number>;

/** The layer names this repository answers besides the `city_layer_feature` ones. */
export const ZONES_LAYER = 'zones';
export const WIDENING_PLANS_LAYER = 'widening-plans';

const envelope = (box: Bbox | null) => (box ? ' and geom && st_makeenvelope(?, ?, ?, ?, 4326)' : '');
const params = (first: unknown[], box: Bbox | null, limit: number) => [...first, ...(box ?? []), limit];
const featureCollection = (rows: Row[]): string => String(rows[0].fc);

/**
 * A GeoJSON FeatureCollection built by PostgreSQL from `rows` (a select ending in a where
 * clause, its parameters `first`), each feature's `id` and `properties` as SQL expressions,
 * kept to those meeting `box`, in `orderBy` order, at most `limit`.
 */
function featureCollectionOf(
  layer: { id: string; properties: string; rows: string; orderBy?: string },
  first: unknown[],
  box: Bbox | null,
  limit: number,
): Query<string> {
  const order = layer.orderBy ? ` order by ${layer.orderBy}` : '';
  return query(
    `select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
              'type', 'Feature', 'id', ${layer.id},
              'properties', ${layer.properties},
              'geometry', st_asgeojson(geom, 7)::json)${order}), '[]'::json))::text as fc
       from (${layer.rows}${envelope(box)}${order}
              limit ?) f`,
    params(first, box, limit),
    featureCollection,
  );
}

/**
 * Every statement of the city viewer (شهرنما): the drawn layers (`city_layer_feature`),
 * the detailed-plan zones (`zone`) and the street-widening plans (`widening_plan`), each
 * answered as GeoJSON text built by PostgreSQL (passed through without a parse in Node).
 * A bbox keeps the features whose bounding box meets it; `limit` caps the features.
 */
@Injectable()
export class CityLayersRepository {
  /** Feature counts per layer, in one statement. */
  counts(): Query<LayerCounts> {
    return query(
      `select layer, count(*)::int as n from city_layer_feature group by layer
       union all select '${ZONES_LAYER}', count(*)::int from zone
       union all select '${WIDENING_PLANS_LAYER}', count(*)::int from widening_plan`,
      [],
      (rows) => new Map(rows.map((r) => [String(r.layer), Number(r.n)])),
    );
  }

  /** One drawn layer (regions, districts, streets, places): name, kind and the feature's own properties. */
  features(layer: string, box: Bbox | null, limit: number): Query<string> {
    return featureCollectionOf(
      {
        id: 'id',
        properties: `jsonb_build_object('name', name, 'kind', kind) || coalesce(properties::jsonb, '{}'::jsonb)`,
        rows: 'select * from city_layer_feature where layer = ?',
      },
      [layer],
      box,
      limit,
    );
  }

  /** Detailed-plan zones (طرح تفصیلی) with their rule summary, by zone code. */
  zones(box: Bbox | null, limit: number): Query<string> {
    return featureCollectionOf(
      {
        id: 'code',
        properties: `json_build_object(
                  'code', code, 'title', name, 'planName', plan_name, 'approvalDate', approval_date,
                  'allowedUses', rules->'allowedUses',
                  'maxOccupancyPercent', rules->'maxOccupancyPercent',
                  'baseDensityPercent', rules->'baseDensityPercent',
                  'maxDensityPercent', rules->'maxDensityPercent',
                  'maxFloors', rules->'maxFloors',
                  'minPlotArea', rules->'minPlotArea')`,
        rows: 'select code, name, plan_name, approval_date, rules::json as rules, geom from zone where true',
        orderBy: 'code',
      },
      [],
      box,
      limit,
    );
  }

  /** Street-widening plans (طرح تعریض): the street, its width today and the approved width. */
  wideningPlans(box: Bbox | null, limit: number): Query<string> {
    return featureCollectionOf(
      {
        id: 'id',
        properties: `json_build_object(
                  'name', name, 'streetName', street_name,
                  'currentWidthMeters', current_width, 'plannedWidthMeters', planned_width,
                  'approvalDate', approval_date)`,
        rows: 'select id, name, street_name, current_width, planned_width, approval_date, geom from widening_plan where true',
        orderBy: 'approval_date, id',
      },
      [],
      box,
      limit,
    );
  }
}
