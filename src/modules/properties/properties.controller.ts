import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, HotRead, MaxLengthParamPipe, PathParam, Principals, Public, QueryParam, VerifiedIdentity } from '@app/common';
import { CitizenAuthService } from '../membership/citizen-auth.service';
import {
  BboxQuery,
  FeatureCollectionDto,
  CityLayerCollectionDto,
  LayerDto,
  PointQuery,
  PropertySearchQuery,
  PropertySearchResultDto,
  PropertySummaryDto,
  RegionQuery,
  StreetWideningDto,
  ZoningDto,
} from './dto/property.dto';
import { PropertiesService } from './properties.service';
import { CITY_VIEW_LAYER_NAMES, CityViewService } from './city-view.service';

const GEOJSON = 'application/geo+json; charset=utf-8';

const CODE_PARAM = {
  maxLength: 60,
  example: '1-2-34-56-0-0-0',
  description: 'Renewal code (کد نوسازی): seven numeric parts separated by -, /, . or spaces; Persian digits accepted',
};

@ApiTags('properties')
@Controller('properties')
export class PropertiesController {
  constructor(
    private readonly properties: PropertiesService,
    private readonly citizens: CitizenAuthService,
  ) {}

  @Get('search')
  @Principals('citizen', 'staff')
  @VerifiedIdentity()
  @ApiBearerAuth('citizen')
  @ApiBearerAuth('staff')
  @ApiOperation({
    summary: 'Property search (members)',
    description:
      'Citizens: the properties they own (matched by their national ID; filters are ignored). Staff: properties of ' +
      'their regions by renewal-code prefix, address words, postal code, registration plate or owner national ID. ' +
      'Owner national IDs are masked.',
  })
  @ApiOkResponse({ type: PropertySearchResultDto })
  @ApiProblems(400, 401, 403, 404)
  async search(@CurrentActor() actor: Actor, @Query() query: PropertySearchQuery): Promise<PropertySearchResultDto> {
    const nationalId = actor.type === 'citizen' ? (await this.citizens.profile(actor.id!)).nationalId : undefined;
    return this.properties.search(actor, query, nationalId);
  }

  @Get(':renewalCode')
  @Public()
  @ApiOperation({
    summary: 'Property summary by renewal code (public, no personal data)',
    description: 'With `region`, the region in the code must match it (`REGION_MISMATCH`).',
  })
  @ApiOkResponse({ type: PropertySummaryDto })
  @ApiProblems(400, 404)
  summary(@PathParam('renewalCode', CODE_PARAM) code: string, @Query() query: RegionQuery): Promise<PropertySummaryDto> {
    return this.properties.summary(code, query.region);
  }

  @Get(':renewalCode/zoning')
  @Public()
  @ApiOperation({
    summary: 'Smart zoning announcement (اعلام هوشمند ضابطه)',
    description: 'The detailed-plan rules that apply to the parcel, resolved from the zone polygon containing it.',
  })
  @ApiOkResponse({ type: ZoningDto })
  @ApiProblems(400, 404)
  zoning(@PathParam('renewalCode', CODE_PARAM) code: string, @Query() query: RegionQuery): Promise<ZoningDto> {
    return this.properties.zoning(code, query.region);
  }

  @Get(':renewalCode/street-widening')
  @Public()
  @ApiOperation({
    summary: 'Amount in a street-widening path (اعلام مقدار در مسیر)',
    description: 'Whether approved street lines take part of the parcel, how much (m², computed by PostGIS) and which plans.',
  })
  @ApiOkResponse({ type: StreetWideningDto })
  @ApiProblems(400, 404)
  widening(@PathParam('renewalCode', CODE_PARAM) code: string, @Query() query: RegionQuery): Promise<StreetWideningDto> {
    return this.properties.streetWidening(code, query.region);
  }
}

@ApiTags('map')
@Public()
@Controller()
export class MapController {
  constructor(
    private readonly properties: PropertiesService,
    private readonly cityView: CityViewService,
  ) {}

  @Get('map/parcels')
  @ApiOperation({
    summary: 'Parcels in a bounding box (GeoJSON)',
    description: 'At most 0.05° per side and 2,000 parcels; beyond that `BBOX_TOO_LARGE` or `MAP_TOO_MANY_FEATURES` (zoom in).',
  })
  @Header('Content-Type', GEOJSON)
  @ApiProduces('application/geo+json')
  @ApiOkResponse({ type: FeatureCollectionDto })
  @ApiProblems(400)
  parcels(@Query() query: BboxQuery): Promise<string> {
    return this.properties.parcelsInBbox(query.bbox);
  }

  @Get('map/parcels/at')
  @ApiOperation({
    summary: 'The parcel at a point (find your property on the map)',
    description: 'For citizens without a renewal code: the parcel containing the point, with its renewal code.',
  })
  @ApiOkResponse({ type: PropertySummaryDto })
  @ApiProblems(400, 404)
  at(@Query() query: PointQuery): Promise<PropertySummaryDto> {
    return this.properties.parcelAt(query.lat, query.lon);
  }

  @Get('city-view/layers')
  @ApiOperation({
    summary: 'City viewer (شهرنما) layers',
    description:
      'Every layer with its Persian title and feature count: `regions`, `districts`, `streets` (main streets), `places` (public places), ' +
      '`zones` (detailed-plan zones with their rule summary) and `widening-plans` (street-widening plans with the current and planned width). ' +
      'Open one with `GET /city-view/layers/{layer}`.',
  })
  @ApiOkResponse({ type: [LayerDto] })
  layers(): Promise<LayerDto[]> {
    return this.cityView.layers();
  }

  @Get('city-view/layers/:layer')
  @ApiParam({ name: 'layer', enum: CITY_VIEW_LAYER_NAMES, example: 'zones', description: 'A layer name from `GET /city-view/layers`.' })
  @ApiOperation({
    summary: 'Features of one city-viewer layer (GeoJSON), optionally within a bbox (≤ 1° per side)',
    description:
      'Without `bbox` the whole layer (at most 2,000 features). Feature properties per layer: ' +
      '`regions`/`districts`/`streets`/`places`: `name`, `kind` and the layer\'s own (`region`, `district`, `widthMeters`); ' +
      '`zones`: `code`, `title`, `planName`, `approvalDate`, `allowedUses`, `maxOccupancyPercent`, `baseDensityPercent`, `maxDensityPercent`, `maxFloors`, `minPlotArea`; ' +
      '`widening-plans`: `name`, `streetName`, `currentWidthMeters`, `plannedWidthMeters`, `approvalDate`. ' +
      'An unknown layer is `LAYER_NOT_FOUND` (404).',
  })
  @Header('Content-Type', GEOJSON)
  @ApiProduces('application/geo+json')
  @ApiOkResponse({ type: CityLayerCollectionDto })
  @ApiProblems(400, 404)
  layer(
    @Param('layer') layer: string,
    @QueryParam('bbox', { maxLength: 100, example: '49.995,36.265,50.005,36.275', description: 'Optional. minLon,minLat,maxLon,maxLat (WGS 84), at most 1° per side; omit it for the whole layer.' })
    bbox?: string,
  ): Promise<string> {
    return this.cityView.layer(layer, bbox);
  }
}

/**
 * The property summary, the parcel at a point and the parcels in a bbox, answered ahead of
 * Nest's router (`hotReads`, libs/common): the same methods, arguments and errors.
 * A renewal code starts with a digit, so `properties/search` stays the router's.
 */
export function propertiesHotReads(properties: PropertiesController, map: MapController): HotRead[] {
  return [
    {
      path: 'properties/:renewalCode',
      paramShapes: { renewalCode: /^[0-9۰-۹٠-٩]/ },
      args: [
        { from: 'param', name: 'renewalCode', pipes: [new MaxLengthParamPipe('renewalCode', CODE_PARAM)] },
        { from: 'query', metatype: RegionQuery },
      ],
      handle: (code: string, query: RegionQuery) => properties.summary(code, query),
    },
    { path: 'map/parcels/at', args: [{ from: 'query', metatype: PointQuery }], handle: (query: PointQuery) => map.at(query) },
    { path: 'map/parcels', args: [{ from: 'query', metatype: BboxQuery }], handle: (query: BboxQuery) => map.parcels(query), contentType: GEOJSON },
  ];
}
