import { Body, Controller, Get, Headers, HttpCode, Ip, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CommonErrors, CurrentActor, fieldError, IntPathParam, PageQuery, PathParam, Principals, Public, Roles } from '@app/common';
import { OrgApi } from '../org-api/org-api.module';
import { StaffDto } from './dto/staff-login.dto';
import { OAuthTokenDto, TokenRequestDto } from './dto/citizen-auth.dto';
import {
  ApiClientDto,
  ApiClientSecretDto,
  CreateClientDto,
  CreateOrganizationDto,
  OrganizationDto,
  OrganizationPageDto,
  OrgWhoAmIDto,
  RegionDto,
  UpdateClientDto,
  UpdateOrganizationDto,
  UpdateRegionDto,
} from './dto/organization.dto';
import { MembershipErrors } from './membership.errors';
import { OrganizationsService } from './organizations.service';
import { RegionsService } from './regions.service';

/** `Basic ` and base64 of the longest `client_id:client_secret` the body fields allow (100 + 1 + 200), percent-encoded. */
const BASIC_AUTH_MAX_LENGTH = 1300;
/** A region's number, 1–9 as in the renewal code (a region not configured answers 404). */
const REGION_ID = { min: 1, max: 9, example: 1, description: 'Region number (1–9, as in the renewal code)' };

@ApiTags('oauth')
@Controller('oauth')
export class OAuthController {
  constructor(private readonly orgs: OrganizationsService) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiHeader({
    name: 'Authorization',
    required: false,
    description: 'HTTP Basic base64(client_id:client_secret), instead of the body fields',
    schema: { type: 'string', maxLength: BASIC_AUTH_MAX_LENGTH },
  })
  @ApiOperation({
    summary: 'OAuth 2.0 token for banks, offices and notaries (client credentials)',
    description:
      'Send `grant_type=client_credentials` with `client_id` and `client_secret` (form, JSON or HTTP Basic) and optionally ' +
      '`scope` (a space-separated subset of the client’s scopes). Answers a bearer token valid for 30 minutes. ' +
      'Errors are problem+json with `code` and, for OAuth libraries, `error` (`invalid_client`, `invalid_scope`). ' +
      'In Swagger UI use Authorize → `organization`. Sandbox credentials: `DATA_DIR/demo.json`.',
  })
  @ApiOkResponse({ type: OAuthTokenDto })
  @ApiProblems(400, 401, 429)
  token(@Body() dto: TokenRequestDto, @Headers('authorization') authorization: string | undefined, @Ip() ip: string): Promise<OAuthTokenDto> {
    if (dto.grant_type !== 'client_credentials') throw MembershipErrors.UNSUPPORTED_GRANT_TYPE({ extensions: { error: 'unsupported_grant_type' } });
    let { client_id: clientId, client_secret: clientSecret } = dto;
    if (authorization !== undefined && authorization.length > BASIC_AUTH_MAX_LENGTH) {
      throw CommonErrors.VALIDATION_FAILED({ fieldErrors: [fieldError('Authorization', 'maxLength', `Authorization must be at most ${BASIC_AUTH_MAX_LENGTH} characters`)] });
    }
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        clientId = decodeURIComponent(decoded.slice(0, i));
        clientSecret = decodeURIComponent(decoded.slice(i + 1));
      }
    }
    return this.orgs.token({ clientId, clientSecret, scope: dto.scope, ip });
  }
}

@ApiTags('org')
@ApiBearerAuth('organization')
@Principals('organization')
@OrgApi()
@Controller('org')
export class OrgSelfController {
  constructor(private readonly orgs: OrganizationsService) {}

  @Get('me')
  @ApiOperation({
    summary: 'Who am I: the organization and scopes of this token',
    description: 'A quick check for integrators that the token works and carries the expected scopes.',
  })
  @ApiOkResponse({ type: OrgWhoAmIDto })
  @ApiProblems(401, 403)
  me(@CurrentActor() actor: Actor): Promise<OrgWhoAmIDto> {
    return this.orgs.whoAmI(actor);
  }
}

@ApiTags('admin-organizations')
@ApiBearerAuth('staff')
@Roles('admin')
@Controller('admin')
export class AdminOrganizationsController {
  constructor(private readonly orgs: OrganizationsService) {}

  @Get('organizations')
  @ApiOperation({ summary: 'List organizations (admin)', description: 'By name, a page at a time (`?page=&pageSize=`); `meta.total` counts all organizations.' })
  @ApiOkResponse({ type: OrganizationPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: PageQuery): Promise<OrganizationPageDto> {
    return this.orgs.list(q);
  }

  @Post('organizations')
  @ApiOperation({ summary: 'Register a bank, government office or notary office (admin)', description: 'The legal national ID checksum is validated; notaries need their office number. Audited.' })
  @ApiCreatedResponse({ type: OrganizationDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.orgs.create(dto);
  }

  @Patch('organizations/:id')
  @ApiOperation({
    summary: 'Rename or disable an organization (admin)',
    description: 'Disabling ends the access tokens of all its clients at once (401 TOKEN_REVOKED); re-enabling does not revive them.',
  })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiProblems(400, 401, 403, 404)
  update(@PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string, @Body() dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    return this.orgs.update(id, dto);
  }

  @Get('organizations/:id/clients')
  @ApiOperation({ summary: 'API clients of an organization (admin)' })
  @ApiOkResponse({ type: [ApiClientDto] })
  @ApiProblems(401, 403, 404)
  clients(@PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string): Promise<ApiClientDto[]> {
    return this.orgs.listClients(id);
  }

  @Post('organizations/:id/clients')
  @ApiOperation({ summary: 'Create an API client (admin)', description: 'The client secret is shown once in this answer and stored hashed.' })
  @ApiCreatedResponse({ type: ApiClientSecretDto })
  @ApiProblems(400, 401, 403, 404)
  createClient(@PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string, @Body() dto: CreateClientDto): Promise<ApiClientSecretDto> {
    return this.orgs.createClient(id, dto);
  }

  @Patch('clients/:clientId')
  @ApiOperation({
    summary: 'Change a client’s scopes or disable it (admin)',
    description: 'A change of scopes and disabling end the client’s access tokens at once (401 TOKEN_REVOKED); it asks for a new token.',
  })
  @ApiOkResponse({ type: ApiClientDto })
  @ApiProblems(400, 401, 403, 404)
  updateClient(@PathParam('clientId', { maxLength: 100, example: 'qz_bank_7f3a9c2e41d0' }) clientId: string, @Body() dto: UpdateClientDto): Promise<ApiClientDto> {
    return this.orgs.updateClient(clientId, dto);
  }

  @Post('clients/:clientId/rotate-secret')
  @ApiOperation({
    summary: 'Rotate a client secret (admin)',
    description: 'Answers the new secret once. The previous secret keeps working for CLIENT_SECRET_OVERLAP_HOURS (default 24 h).',
  })
  @ApiCreatedResponse({ type: ApiClientSecretDto })
  @ApiProblems(401, 403, 404)
  rotate(@PathParam('clientId', { maxLength: 100, example: 'qz_bank_7f3a9c2e41d0' }) clientId: string): Promise<ApiClientSecretDto> {
    return this.orgs.rotateSecret(clientId);
  }
}

@ApiTags('regions')
@Controller()
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get('regions')
  @Public()
  @ApiOperation({ summary: 'Regions and their service desks (contact)', description: 'Phone numbers and hours of the service desks of regions 1, 2 and 3.' })
  @ApiOkResponse({ type: [RegionDto] })
  list(): Promise<RegionDto[]> {
    return this.regions.list();
  }

  @Get('desk/regions/:id/team')
  @Roles('admin', 'region_manager', 'region_clerk', 'finance_officer', 'inspector')
  @ApiBearerAuth('staff')
  @ApiOperation({ summary: 'Staff of a region (its own staff and admins only)', description: 'Another region answers 404.' })
  @ApiOkResponse({ type: [StaffDto] })
  @ApiProblems(401, 403, 404)
  team(@CurrentActor() actor: Actor, @IntPathParam('id', REGION_ID) id: number): Promise<StaffDto[]> {
    return this.regions.team(actor, id);
  }

  @Patch('admin/regions/:id')
  @Roles('admin')
  @ApiBearerAuth('staff')
  @ApiOperation({ summary: 'Edit a region’s desk contact details (admin)' })
  @ApiOkResponse({ type: RegionDto })
  @ApiProblems(400, 401, 403, 404)
  update(@IntPathParam('id', REGION_ID) id: number, @Body() dto: UpdateRegionDto): Promise<RegionDto> {
    return this.regions.update(id, dto);
  }
}
