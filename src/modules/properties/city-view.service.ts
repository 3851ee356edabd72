import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { run } from '../../database/sql';
import { type Bbox, CityLayersRepository, WIDENING_PLANS_LAYER, ZONES_LAYER } from './city-layers.repository';
import { LayerDto } from './dto/property.dto';
import { CityLayer } from './entities/city-layer-feature.entity';
import { PropertiesErrors } from './properties.errors';
import { MAP_MAX_FEATURES, parseBbox } from './properties.service';

/** Largest bbox side (degrees) of a city-viewer layer request. */
export const CITY_VIEW_MAX_BBOX_DEGREES = 1;

/** The city viewer's layers, in the order the viewer lists them, with their Persian titles. */
export const CITY_VIEW_LAYERS = {
  [CityLayer.Regions]: 'مناطق شهرداری',
  [CityLayer.Districts]: 'نواحی',
  [CityLayer.Streets]: 'معابر اصلی',
  [CityLayer.Places]: 'اماکن عمومی',
  [ZONES_LAYER]: 'پهنه‌های طرح تفصیلی',
  [WIDENING_PLANS_LAYER]: 'طرح‌های تعریض معابر',
} as const;

export type CityViewLayer = keyof typeof CITY_VIEW_LAYERS;
export const CITY_VIEW_LAYER_NAMES = Object.keys(CITY_VIEW_LAYERS) as CityViewLayer[];

const isLayer = (name: string): name is CityViewLayer => Object.prototype.hasOwnProperty.call(CITY_VIEW_LAYERS, name);

/** The city viewer (شهرنما): its layers as GeoJSON, the SQL in CityLayersRepository. */
@Injectable()
export class CityViewService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: CityLayersRepository,
  ) {}

  async layers(): Promise<LayerDto[]> {
    const counts = await run(this.em, this.repo.counts());
    return CITY_VIEW_LAYER_NAMES.map((layer) => ({ layer, title: CITY_VIEW_LAYERS[layer], features: counts.get(layer) ?? 0 }));
  }

  /** One layer as GeoJSON text, optionally within a bbox (≤ 1° per side), at most MAP_MAX_FEATURES features. */
  layer(layer: string, bbox?: string): Promise<string> {
    if (!isLayer(layer)) throw PropertiesErrors.LAYER_NOT_FOUND();
    const box: Bbox | null = bbox ? parseBbox(bbox, CITY_VIEW_MAX_BBOX_DEGREES) : null;
    if (layer === ZONES_LAYER) return run(this.em, this.repo.zones(box, MAP_MAX_FEATURES));
    if (layer === WIDENING_PLANS_LAYER) return run(this.em, this.repo.wideningPlans(box, MAP_MAX_FEATURES));
    return run(this.em, this.repo.features(layer, box, MAP_MAX_FEATURES));
  }
}
