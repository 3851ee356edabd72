import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AnswerDto } from '../certificates/dto/certificate.dto';
import { Actor, ApiProblems, CurrentActor, PageQuery, PathParam, Principals, Scopes, VerifiedIdentity } from '@app/common';
import { BulkVerifyDto, BulkVerifyResponseDto, ConsentDto, ConsentRequestDto, ConsentRequestPageDto, OrgAnswerQuery, CreateOrgInquiryDto, OrgInquiryDto, OrgInquiryListDto, OrgInquiryListQuery } from './dto/org-inquiries.dto';
import { OrgApi } from '../org-api/org-api.module';
import { OrgInquiriesService } from './org-inquiries.service';
import { IDEMPOTENCY_HEADER } from './webhooks.controller';

@ApiTags('org-inquiries')
@ApiBearerAuth('organization')
@Principals('organization')
@OrgApi()
@Controller('org/inquiries')
export class OrgInquiriesController {
  constructor(private readonly service: OrgInquiriesService) {}

  @Post()
  @Scopes('inquiries:write')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Ask for a property inquiry about a named citizen',
    description:
      'The citizen (national ID + mobile) gets an SMS asking for consent; they consent as a member ' +
      '(`POST /api/v1/me/organization-requests/{id}/consent`), which creates their inquiry addressed to this organization, and complete it ' +
      '(documents, visit, submission). Follow it with `GET /org/inquiries/{id}` or the `inquiry.*` webhooks. Scope `inquiries:write`. ' +
      'Before any SMS the mobile is checked against the national ID in the mobile-ownership registry: a mismatch is refused ' +
      '(422 IDENTITY_MOBILE_MISMATCH, nothing sent), a registry outage answers 503 IDENTITY_SERVICE_UNAVAILABLE with Retry-After. ' +
      'Every such request, refused ones included, counts towards the client’s daily cap of SMS-sending requests (ORG_SMS_REQUESTS_PER_DAY; 429 RATE_LIMITED beyond).',
  })
  @ApiCreatedResponse({ type: OrgInquiryDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgInquiryDto): Promise<OrgInquiryDto> {
    return this.service.create(actor, dto);
  }

  @Get()
  @Scopes('inquiries:read')
  @ApiOperation({
    summary: 'This organization’s inquiries',
    description:
      'Only inquiries this organization asked for, newest first; filter by consent or inquiry status and by request time. Scope `inquiries:read`.\n\n' +
      'Paginated like every open-ended list of this API: `?page=` (from 1) and `?pageSize=` (1–100, default 20); the answer is ' +
      '`{items, meta}` where `meta.total` counts every inquiry that matches the filters (not only this page). Read the next page ' +
      'while `meta.page × meta.pageSize < meta.total`. Example: `GET /api/v1/org/inquiries?status=answered&page=2&pageSize=20` → ' +
      '`{"items": [{"id": "…", "trackingCode": "104512345678", "status": "answered", …}], "meta": {"page": 2, "pageSize": 20, "total": 57}}`.',
  })
  @ApiOkResponse({ type: OrgInquiryListDto, description: 'One page: `items` (newest first) and `meta` (`page`, `pageSize`, `total`)' })
  @ApiProblems(400, 401, 403, 429)
  list(@CurrentActor() actor: Actor, @Query() q: OrgInquiryListQuery): Promise<OrgInquiryListDto> {
    return this.service.list(actor.id!, q);
  }

  @Get(':ref')
  @Scopes('inquiries:read')
  @ApiOperation({
    summary: 'One of this organization’s inquiries',
    description: 'By tracking code or request id. Another organization’s inquiry answers 404, exactly like an unknown one. Scope `inquiries:read`.',
  })
  @ApiOkResponse({ type: OrgInquiryDto })
  @ApiProblems(401, 403, 404, 429)
  get(@CurrentActor() actor: Actor, @PathParam('ref', { maxLength: 36, description: 'The tracking code (12 digits) or the request id', example: '104512345678' }) ref: string): Promise<OrgInquiryDto> {
    return this.service.get(actor.id!, ref);
  }

  @Get(':ref/answer')
  @Scopes('inquiries:read')
  @ApiProduces('application/json', 'application/pdf')
  @ApiOperation({
    summary: 'The answer to one of this organization’s inquiries (JSON with JWS, or PDF)',
    description:
      '`format=json` (default): the answer certificate with its canonical content, SHA-256 content hash and compact JWS (EdDSA); verify the JWS ' +
      'offline with the keys at `GET /api/v1/certificates/keys` (JWKS). `format=pdf`: the Persian letter; 503 `PDF_UNAVAILABLE`/`PDF_NOT_READY` while it ' +
      'cannot be served. 409 `ANSWER_NOT_READY` before the answer. Scope `inquiries:read`.',
  })
  @ApiOkResponse({ type: AnswerDto })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503)
  answer(@CurrentActor() actor: Actor, @PathParam('ref', { maxLength: 36, description: 'The tracking code (12 digits) or the request id', example: '104512345678' }) ref: string, @Query() q: OrgAnswerQuery): Promise<AnswerDto | StreamableFile> {
    return this.service.answer(actor.id!, ref, q.format);
  }
}

@ApiTags('org-inquiries')
@ApiBearerAuth('organization')
@Principals('organization')
@OrgApi()
@Controller('org/certificates')
export class OrgCertificatesController {
  constructor(private readonly service: OrgInquiriesService) {}

  @Post('verify')
  @HttpCode(200)
  @Scopes('certificates:verify')
  @ApiOperation({
    summary: 'Verify answer certificates in bulk',
    description:
      'Up to 100 certificates, each by its JWS or by number + verification code; each result is what the public verification answers ' +
      '(valid, revoked, expired, unknown, or invalid with a reason). Counted against this client’s rate limit, not the public per-IP one. Scope `certificates:verify`.',
  })
  @ApiOkResponse({ type: BulkVerifyResponseDto })
  @ApiProblems(400, 401, 403, 429)
  verify(@Body() dto: BulkVerifyDto): Promise<BulkVerifyResponseDto> {
    return this.service.bulkVerify(dto);
  }
}

@ApiTags('inquiries')
@ApiBearerAuth('citizen')
@Principals('citizen')
@VerifiedIdentity()
@Controller('me/organization-requests')
export class ConsentRequestsController {
  constructor(private readonly service: OrgInquiriesService) {}

  @Get()
  @ApiOperation({
    summary: 'Organizations’ requests for an inquiry about my property',
    description: 'Requests made by banks, offices and notaries naming the signed-in member (their mobile and national ID), newest first, a page at a time (`?page=&pageSize=`).',
  })
  @ApiOkResponse({ type: ConsentRequestPageDto, description: 'One page: `items` (newest first) and `meta` (`page`, `pageSize`, `total`)' })
  @ApiProblems(400, 401, 403)
  list(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<ConsentRequestPageDto> {
    return this.service.consentRequests(actor, q);
  }

  @Post(':id/consent')
  @ApiOperation({
    summary: 'Consent to an organization’s request',
    description:
      'Creates the member’s draft inquiry addressed to the organization, with the same checks as `POST /inquiries` (undertakings, ownership, ' +
      'eligibility, last request number). Continue it with confirm, documents and submit.',
  })
  @ApiCreatedResponse({ type: ConsentRequestDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  consent(@CurrentActor() actor: Actor, @PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f90' }) id: string, @Body() dto: ConsentDto): Promise<ConsentRequestDto> {
    return this.service.consent(actor, id, dto);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline an organization’s request', description: 'The organization sees `declined`.' })
  @ApiOkResponse({ type: ConsentRequestDto })
  @ApiProblems(401, 403, 404, 409)
  decline(@CurrentActor() actor: Actor, @PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f90' }) id: string): Promise<ConsentRequestDto> {
    return this.service.decline(actor, id);
  }
}
