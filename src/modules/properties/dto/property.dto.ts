import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches } from 'class-validator';
import { Between, MaxChars, PageMeta, PageQuery } from '@app/common';

export class RegionQuery {
  @ApiPropertyOptional({ example: 1, description: 'Region (منطقه) the user selected; must match the renewal code' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Between(1, 9)
  region?: number;
}

export class PropertySummaryDto {
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: 2 }) district: number;
  @ApiProperty({ example: 34 }) block: number;
  @ApiProperty({ example: 56 }) parcel: number;
  @ApiProperty({ example: 'قزوین، منطقه ۱، خیابان شهید بابایی، کوچه ۱۲، پلاک ۵۶' }) address: string;
  @ApiProperty({ example: 'residential' }) use: string;
  @ApiProperty({ example: 250.5, description: 'Land area in the deed (m²)' }) landArea: number;
  @ApiProperty({ example: 420, description: 'Building area (m²)' }) buildingArea: number;
  @ApiProperty({ example: 248.7, nullable: true, type: Number, description: 'Area of the parcel geometry (m², geodesic)' })
  parcelAreaM2: number | null;
  @ApiProperty({ example: 3 }) floors: number;
  @ApiProperty({ example: 3 }) units: number;
  @ApiProperty({ example: 1392, nullable: true, type: Number, description: 'Jalali construction year' }) constructionYear: number | null;
  @ApiProperty({ example: 'concrete' }) structureType: string;
  @ApiProperty({ example: 12, nullable: true, type: Number, description: 'Access road width (m)' }) accessRoadWidth: number | null;
  @ApiProperty({ example: 10, nullable: true, type: Number, description: 'Frontage (m)' }) frontage: number | null;
  @ApiProperty({ example: 'R-2', nullable: true, type: String }) zoneCode: string | null;
  @ApiProperty({ example: { type: 'Point', coordinates: [50.0012, 36.2711] }, nullable: true, description: 'A point inside the parcel' })
  location: { type: 'Point'; coordinates: [number, number] } | null;
}

export class ZoneRulesDto {
  @ApiProperty({ example: ['residential'] }) allowedUses: string[];
  @ApiProperty({ example: 60 }) maxOccupancyPercent: number;
  @ApiProperty({ example: 120 }) baseDensityPercent: number;
  @ApiProperty({ example: 180 }) maxDensityPercent: number;
  @ApiProperty({ example: 4 }) maxFloors: number;
  @ApiProperty({ example: 200 }) minPlotArea: number;
  @ApiProperty({ example: { front: 0, back: 3, side: 0 } }) setbacks: { front: number; back: number; side: number };
  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [{ minPlotArea: 200, maxPlotArea: 500, minRoadWidth: 8, maxRoadWidth: 12, densityPercent: 150 }] })
  bands: unknown[];
  @ApiProperty({ example: { perUnit: 1, perCommercialM2: 50 } }) parkingRule: { perUnit: number; perCommercialM2: number };
}

export class ZoningDto {
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: 'R-2' }) zoneCode: string;
  @ApiProperty({ example: 'مسکونی تراکم متوسط' }) zoneName: string;
  @ApiProperty({ type: ZoneRulesDto }) rules: ZoneRulesDto;
  @ApiProperty({ example: 'طرح تفصیلی شهر قزوین' }) planName: string;
  @ApiProperty({ example: '1396/05/10', description: 'Jalali approval date of the plan' }) approvalDate: string;
}

export class WideningPlanHitDto {
  @ApiProperty({ example: 'تعریض خیابان شهید بابایی' }) planName: string;
  @ApiProperty({ example: 'خیابان شهید بابایی', nullable: true, type: String }) streetName: string | null;
  @ApiProperty({ example: '1398/02/15' }) approvalDate: string;
  @ApiProperty({ example: 24.5, description: 'Area of the parcel this plan takes (m²)' }) affectedAreaM2: number;
}

export class StreetWideningDto {
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: true }) affected: boolean;
  @ApiProperty({ example: 24.5, description: 'Total area in street-widening paths (m², geodesic, computed by PostGIS)' })
  affectedAreaM2: number;
  @ApiProperty({ example: 248.7, description: 'Parcel area (m²)' }) parcelAreaM2: number;
  @ApiProperty({ example: 9.85, description: 'Share of the parcel in the path (%)' }) sharePercent: number;
  @ApiProperty({ type: [WideningPlanHitDto] }) plans: WideningPlanHitDto[];
}

export class BboxQuery {
  @ApiProperty({ example: '49.995,36.265,50.005,36.275', description: 'minLon,minLat,maxLon,maxLat (WGS 84)' })
  @IsString()
  @Matches(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, { message: 'bbox must be minLon,minLat,maxLon,maxLat' })
  @MaxChars(100)
  bbox: string;
}

export class PointQuery {
  @ApiProperty({ example: 36.2705 }) @Type(() => Number) @IsNumber() @Between(-90, 90) lat: number;
  @ApiProperty({ example: 50.0005 }) @Type(() => Number) @IsNumber() @Between(-180, 180) lon: number;
}

export class FeatureCollectionDto {
  @ApiProperty({ example: 'FeatureCollection' }) type: 'FeatureCollection';
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [{ type: 'Feature', id: '1-2-34-56-0-0-0', properties: { renewalCode: '1-2-34-56-0-0-0', use: 'residential', zoneCode: 'R-2' }, geometry: { type: 'MultiPolygon', coordinates: [] } }],
  })
  features: unknown[];
}

/** A city-viewer layer (GeoJSON); the example is a `zones` feature. */
export class CityLayerCollectionDto {
  @ApiProperty({ example: 'FeatureCollection' }) type: 'FeatureCollection';
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [
      {
        type: 'Feature',
        id: 'R-2',
        properties: {
          code: 'R-2',
          title: 'مسکونی با تراکم متوسط',
          planName: 'طرح تفصیلی شهر قزوین',
          approvalDate: '1396/05/10',
          allowedUses: ['residential', 'office', 'educational', 'health', 'green'],
          maxOccupancyPercent: 60,
          baseDensityPercent: 180,
          maxDensityPercent: 300,
          maxFloors: 5,
          minPlotArea: 150,
        },
        geometry: { type: 'MultiPolygon', coordinates: [] },
      },
      {
        type: 'Feature',
        id: '0193a1c2-7d4e-7f00-8a00-000000000001',
        properties: { name: 'طرح تعریض خیابان فردوسی', streetName: 'خیابان فردوسی', currentWidthMeters: 16, plannedWidthMeters: 20, approvalDate: '1399/02/11' },
        geometry: { type: 'MultiPolygon', coordinates: [] },
      },
    ],
  })
  features: unknown[];
}

export class LayerDto {
  @ApiProperty({ example: 'zones', description: 'regions, districts, streets, places, zones or widening-plans' }) layer: string;
  @ApiProperty({ example: 'معابر اصلی' }) title: string;
  @ApiProperty({ example: 42 }) features: number;
}

export class PropertySearchQuery extends PageQuery {
  @ApiPropertyOptional({ example: '1-2-34', description: 'Staff: renewal-code prefix (1 to 7 parts)' })
  @IsOptional() @IsString() @MaxChars(60) renewalCodePrefix?: string;
  @ApiPropertyOptional({ example: 'بابایی', description: 'Staff: words of the address (Persian-normalized, fuzzy)' })
  @IsOptional() @IsString() @MaxChars(100) q?: string;
  @ApiPropertyOptional({ example: '3413645185', description: 'Staff: postal code' })
  @IsOptional() @IsString() @Matches(/^\d{10}$/, { message: 'postalCode must be 10 digits' }) @MaxChars(10) postalCode?: string;
  @ApiPropertyOptional({ example: '1234', description: 'Staff: registration plate main number (پلاک اصلی)' })
  @IsOptional() @IsString() @MaxChars(20) plateMain?: string;
  @ApiPropertyOptional({ example: '56', description: 'Staff: registration plate sub number (پلاک فرعی)' })
  @IsOptional() @IsString() @MaxChars(20) plateSub?: string;
  @ApiPropertyOptional({ example: '0499370899', description: 'Staff: owner national ID' })
  @IsOptional() @IsString() @Matches(/^\d{10}$/, { message: 'ownerNationalId must be 10 digits' }) @MaxChars(10) ownerNationalId?: string;
  @ApiPropertyOptional({ example: 2, description: 'Staff: one of your regions' })
  @IsOptional() @Type(() => Number) @IsInt() @Between(1, 9) region?: number;
}

export class PropertySearchItemDto extends PropertySummaryDto {
  @ApiProperty({ example: '3413645185', nullable: true, type: String }) postalCode: string | null;
  @ApiProperty({ example: '1234', nullable: true, type: String }) plateMain: string | null;
  @ApiProperty({ example: '56', nullable: true, type: String }) plateSub: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [{ nationalId: '049****899', fullName: 'علی محمدی', sharePercent: 100 }] })
  owners: Array<{ nationalId: string; fullName: string; sharePercent: number }>;
}

export class PropertySearchResultDto {
  @ApiProperty({ type: [PropertySearchItemDto] }) items: PropertySearchItemDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}
