import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Actor, ApiProblem, ApiProblems, CurrentActor, MULTIPART_OPTIONS, PathParam, ProblemDto, Roles } from '@app/common';
import {
  CertificateInputDto,
  ImportKindParam,
  ImportMode,
  ImportQuery,
  ImportRejectedProblemDto,
  ImportResultDto,
  PropertyAdminDto,
  ReplaceOwnersDto,
  UpdatePropertyDto,
  UpdateZoneDto,
  ZoneAdminDto,
} from './dto/admin.dto';
import { PropertyAdminService } from './property-admin.service';
import { PropertyImportService, UploadedFileLike } from './property-import.service';

/** Largest GeoJSON upload. */
export const IMPORT_MAX_FILE_BYTES = 50 * 1024 * 1024;

const CODE_PARAM = {
  maxLength: 60,
  example: '1-2-34-56-0-0-0',
  description: 'Renewal code (کد نوسازی): seven numeric parts separated by -, /, . or spaces; Persian digits accepted',
};

const FEATURE_PROPERTIES = [
  '**Feature properties per kind** (unknown members are ignored; Persian digits and Arabic ي/ك are normalized):',
  '- `parcels` — geometry Polygon or MultiPolygon: `renewalCode`, `address`, `landArea`, `use`, optional `postalCode`, ',
  '`plateMain`, `plateSub`, `buildingArea`, `floors`, `units`, `constructionYear` (Jalali), `structureType`, `accessRoadWidth`, ',
  '`frontage`, `zoneCode`, `owners: [{nationalId, fullName, sharePercent}]` (shares add up to 100), ',
  '`certificates: [{kind, requestNumber, jalaliYear, issueDate}]` (issueDate Gregorian `2023-07-12` or Jalali `1402/04/21`).',
  '- `zones` — (Multi)Polygon: `code`, `name`, `rules` (see PATCH /admin/zones/{code}), `planName`, `approvalDate` (Jalali).',
  '- `widening-plans` — (Multi)Polygon: `name`, `streetName?`, `approvalDate` (Jalali).',
  '- `layers` — any geometry: `layer` (regions, districts, streets, places), `name`, `kind?`; other members are kept.',
  '',
  '**Duplicates** (`DUPLICATE`): the same key twice in the file or already in the database — parcels: renewal code (and ',
  'certificate request numbers); zones: code; widening plans: name + approval date; layers: layer + name + identical geometry. ',
  'With `?mode=upsert` a key already in the database is updated instead (parcels: owners and certificate history are ',
  'replaced when the feature lists them, kept otherwise).',
].join('\n');

@ApiTags('admin-properties')
@ApiBearerAuth('staff')
@Roles('admin')
@ApiExtraModels(ProblemDto, ImportRejectedProblemDto)
@Controller('admin')
export class AdminPropertiesController {
  constructor(
    private readonly imports: PropertyImportService,
    private readonly admin: PropertyAdminService,
  ) {}

  @Post('imports/:kind')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { ...MULTIPART_OPTIONS, limits: { fileSize: IMPORT_MAX_FILE_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: 'A GeoJSON FeatureCollection in WGS 84 longitude/latitude (at most 50 MB and 100,000 features)',
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @ApiOperation({
    summary: 'Import parcels, zones, widening plans or map layers from GeoJSON (admin)',
    description: [
      'All or nothing. Every feature is validated — fields, renewal codes, national IDs, owner shares, geometry type and ',
      'PostGIS validity (`ST_IsValid`), duplicates — and **every** rejection is reported with the feature index and reason ',
      '(`GEOMETRY_INVALID`, `RENEWAL_CODE_INVALID`, `DUPLICATE`, `OWNER_SHARES_INVALID`, `NATIONAL_ID_INVALID`, ',
      '`FIELD_INVALID` with the field). If any feature is rejected the answer is 422 `IMPORT_REJECTED` with `rejections[]` ',
      'and nothing is written. Otherwise everything is written in one transaction and audited (`properties.import`, with the ',
      'file name and SHA-256). `?dryRun=true` validates and reports without writing. A malformed file (not JSON, not a ',
      'FeatureCollection) is 400 `IMPORT_FILE_INVALID`; a file over 50 MB is 413.',
    ].join('') + `\n\n${FEATURE_PROPERTIES}`,
  })
  @ApiOkResponse({ type: ImportResultDto, description: 'Every feature accepted and written (or, on a dry run, validated)' })
  @ApiProblems(401, 403)
  @ApiProblem(
    400,
    'Invalid input: `IMPORT_FILE_INVALID` (not UTF-8 JSON, not a FeatureCollection, a projected CRS, or no file in the field ' +
      '`file`), `IMPORT_TOO_MANY_FEATURES` (over 100,000 features: split the file), `BAD_REQUEST` (a second file or another ' +
      'file field), `VALIDATION_FAILED` (an unknown kind, `dryRun` or `mode`)',
  )
  @ApiProblem(413, 'Too large: `PAYLOAD_TOO_LARGE` (the file is over 50 MB, refused while it arrives)')
  @ApiResponse({
    status: 422,
    description: 'Some features are invalid (`IMPORT_REJECTED`); nothing was written. `rejections[]` lists each one.',
    content: {
      'application/problem+json': {
        schema: { allOf: [{ $ref: getSchemaPath(ProblemDto) }, { $ref: getSchemaPath(ImportRejectedProblemDto) }] },
        example: {
          type: 'urn:qazvin:problem:import-rejected',
          title: 'Import rejected: some features are invalid and nothing was written. See the list of rejections.',
          status: 422,
          code: 'IMPORT_REJECTED',
          detail: 'Import rejected: some features are invalid and nothing was written. See the list of rejections.',
          instance: '/api/v1/admin/imports/parcels',
          requestId: '6f1c1f9e-3c1b-4b7e-9a51-0c8f2f3f9b10',
          kind: 'parcels',
          accepted: 0,
          rejected: 2,
          total: 120,
          dryRun: false,
          rejections: [
            { index: 3, id: '1-2-34-5a-0-0-0', reason: 'RENEWAL_CODE_INVALID', field: 'properties.renewalCode', message: 'renewalCode: invalid renewal code: parcel unexpected character "a" (U+0061)' },
            { index: 7, id: '1-2-34-60-0-0-0', reason: 'GEOMETRY_INVALID', field: 'geometry', message: 'PostGIS: Self-intersection' },
          ],
          rejectionsTruncated: false,
        },
      },
    },
  })
  import(
    @Param() params: ImportKindParam,
    @Query() query: ImportQuery,
    @UploadedFile() file: UploadedFileLike | undefined,
  ): Promise<ImportResultDto> {
    return this.imports.import(params.kind, file, { dryRun: query.dryRun ?? false, mode: query.mode ?? ImportMode.Insert });
  }

  @Get('zones/:code')
  @ApiOperation({ summary: 'One detailed-plan zone with its rules (admin)' })
  @ApiOkResponse({ type: ZoneAdminDto })
  @ApiProblems(401, 403, 404)
  zone(@PathParam('code', { maxLength: 32, example: 'R-1', description: 'Zone code of the detailed plan' }) code: string): Promise<ZoneAdminDto> {
    return this.admin.getZone(code);
  }

  @Patch('zones/:code')
  @ApiOperation({
    summary: 'Edit a zone’s name and rules (admin)',
    description:
      '`rules` replaces the rules as a whole and is validated like the zone import: numbers ≥ 0, occupancy ≤ 100 %, ' +
      '`maxDensityPercent` ≥ `baseDensityPercent`, allowed uses among the property uses, and density bands that tile ' +
      'plot area × road width from their smallest minimum to no upper bound without gaps or overlaps ' +
      '(`ZONE_RULES_INVALID` with the offending fields). Audited (`zone.updated`, before/after).',
  })
  @ApiOkResponse({ type: ZoneAdminDto })
  @ApiProblems(400, 401, 403, 404)
  updateZone(@PathParam('code', { maxLength: 32, example: 'R-1', description: 'Zone code of the detailed plan' }) code: string, @Body() dto: UpdateZoneDto): Promise<ZoneAdminDto> {
    return this.admin.updateZone(code, dto);
  }

  @Get('properties/:renewalCode')
  @Roles('admin', 'region_manager')
  @ApiOperation({
    summary: 'A property with owners and certificate history (admin, region manager)',
    description: 'Region managers see the properties of their regions only (others answer 404). National IDs are shown in full.',
  })
  @ApiOkResponse({ type: PropertyAdminDto })
  @ApiProblems(400, 401, 403, 404)
  property(@CurrentActor() actor: Actor, @PathParam('renewalCode', CODE_PARAM) code: string): Promise<PropertyAdminDto> {
    return this.admin.getProperty(actor, code);
  }

  @Patch('properties/:renewalCode')
  @Roles('admin', 'region_manager')
  @ApiOperation({
    summary: 'Edit a property’s attributes (admin, region manager)',
    description:
      'Address, postal code, registration plate, areas, use, floors, units, construction year, structure, access road ' +
      'width, frontage, zone code. Absent members are kept; `null` clears an optional one. Region managers edit the ' +
      'properties of their regions only (others answer 404). Audited (`property.updated`, changed members before/after).',
  })
  @ApiOkResponse({ type: PropertyAdminDto })
  @ApiProblems(400, 401, 403, 404)
  updateProperty(@CurrentActor() actor: Actor, @PathParam('renewalCode', CODE_PARAM) code: string, @Body() dto: UpdatePropertyDto): Promise<PropertyAdminDto> {
    return this.admin.updateProperty(actor, code, dto);
  }

  @Put('properties/:renewalCode/owners')
  @Roles('admin', 'region_manager')
  @ApiOperation({
    summary: 'Replace the owners of a property (admin, region manager)',
    description:
      'The full list of owners: valid national IDs, each person once, shares adding up to 100 (`OWNER_SHARES_INVALID` ' +
      'otherwise). Audited (`property.owners.replaced`, before/after).',
  })
  @ApiOkResponse({ type: PropertyAdminDto })
  @ApiProblems(400, 401, 403, 404)
  replaceOwners(@CurrentActor() actor: Actor, @PathParam('renewalCode', CODE_PARAM) code: string, @Body() dto: ReplaceOwnersDto): Promise<PropertyAdminDto> {
    return this.admin.replaceOwners(actor, code, dto);
  }

  @Post('properties/:renewalCode/certificates')
  @Roles('admin', 'region_manager')
  @ApiOperation({
    summary: 'Add a certificate to a property’s history (admin, region manager)',
    description:
      'An earlier certificate (completion, transfer, inquiry, building permit…). Request numbers are unique across the city ' +
      '(`CERTIFICATE_DUPLICATE`). Audited (`property.certificate.added`).',
  })
  @ApiCreatedResponse({ type: PropertyAdminDto })
  @ApiProblems(400, 401, 403, 404, 409)
  addCertificate(@CurrentActor() actor: Actor, @PathParam('renewalCode', CODE_PARAM) code: string, @Body() dto: CertificateInputDto): Promise<PropertyAdminDto> {
    return this.admin.addCertificate(actor, code, dto);
  }

  @Delete('properties/:renewalCode/certificates/:requestNumber')
  @Roles('admin', 'region_manager')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a certificate from a property’s history (admin, region manager)',
    description: 'For a certificate recorded by mistake (`CERTIFICATE_NOT_FOUND` if the property has none with this number). Audited (`property.certificate.deleted`, with the removed record).',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 401, 403, 404)
  deleteCertificate(
    @CurrentActor() actor: Actor,
    @PathParam('renewalCode', CODE_PARAM) code: string,
    @PathParam('requestNumber', { maxLength: 40, example: '1402001234' }) requestNumber: string,
  ): Promise<void> {
    return this.admin.deleteCertificate(actor, code, requestNumber);
  }
}
