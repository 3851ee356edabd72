import { Body, Controller, Get, HttpCode, Inject, Ip, Param, Post, Put, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, PathParam, Principals, Public, VerifiedIdentity } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { clientKey, RateLimitService } from '../rate-limit/rate-limit.service';
import {
  BookVisitDto,
  CancelInquiryDto,
  CreateInquiryDto,
  DocumentDto,
  DocumentListDto,
  DocumentUrlDto,
  InquiryDto,
  InquiryListDto,
  InquiryListQuery,
  SubmitResultDto,
  TrackingDto,
  UndertakingsDto,
  UndertakingsQuery,
  UploadDocumentDto,
  VisitSlotDto,
  VisitSlotsQuery,
} from './dto/inquiry.dto';
import { DocumentKind } from './entities/inquiry-document.entity';
import { InquiriesService } from './inquiries.service';
import { InquiryDocumentsService } from './inquiry-documents.service';
import { VisitsService } from './visits.service';
import { ApiDocumentUploadProblems } from '../documents/dto/upload-problems';

const ID_PARAM = { maxLength: 36, example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60', description: 'Inquiry id' };
const KIND_PARAM = { name: 'kind', enum: DocumentKind, example: DocumentKind.Deed };

@ApiTags('inquiries')
@VerifiedIdentity()
@Controller('inquiries')
export class InquiriesController {
  constructor(
    private readonly inquiries: InquiriesService,
    private readonly documents: InquiryDocumentsService,
    private readonly visits: VisitsService,
  ) {}

  @Get('undertakings')
  @Public()
  @ApiOperation({
    summary: 'The undertakings (تعهدات) of an inquiry type',
    description: 'Persian text and its version; creating an inquiry needs `undertakingsAccepted: true` with this version.',
  })
  @ApiOkResponse({ type: UndertakingsDto })
  @ApiProblems(400)
  undertakings(@Query() query: UndertakingsQuery): UndertakingsDto {
    return this.inquiries.undertakings(query.type);
  }

  @Get('visit-slots')
  @Principals('citizen', 'staff')
  @ApiBearerAuth('citizen')
  @ApiBearerAuth('staff')
  @ApiOperation({
    summary: 'Bookable site-visit times of a region (notary inquiries)',
    description: 'Slots cut from the working calendar’s opening hours, with the places left (capacity per region and slot).',
  })
  @ApiOkResponse({ type: [VisitSlotDto] })
  @ApiProblems(400, 401, 403)
  visitSlots(@Query() query: VisitSlotsQuery): Promise<VisitSlotDto[]> {
    return this.visits.list(query.region, query.from);
  }

  @Post()
  @Principals('citizen')
  @ApiBearerAuth('citizen')
  @ApiOperation({
    summary: 'Start an inquiry (office or notary): a draft showing the property’s records',
    description:
      'Checks the undertakings, the renewal code and region, that the member owns the property (or acts for an owner as ' +
      'attorney), that the property has an earlier apartment-completion, transfer or inquiry certificate, and the number ' +
      'of its last request (5 wrong tries per member, property and day). Answers the draft with the property summary, ' +
      'owners (masked national IDs), certificate history and debt summary.',
  })
  @ApiCreatedResponse({ type: InquiryDto })
  @ApiProblems(400, 401, 403, 404, 422, 429)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateInquiryDto): Promise<InquiryDto> {
    return this.inquiries.create(actor, dto);
  }

  @Get()
  @Principals('citizen')
  @ApiBearerAuth('citizen')
  @ApiOperation({ summary: 'The member’s inquiries (پیگیری درخواست‌های پیشین), newest first', description: 'Filterable by status.' })
  @ApiOkResponse({ type: InquiryListDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentActor() actor: Actor, @Query() query: InquiryListQuery): Promise<InquiryListDto> {
    return this.inquiries.list(actor, query);
  }

  @Get(':id')
  @Principals('citizen', 'staff')
  @ApiBearerAuth('citizen')
  @ApiBearerAuth('staff')
  @ApiOperation({
    summary: 'One inquiry with its records, documents checklist, visit and history',
    description: 'The applicant, or staff of the property’s region; anyone else gets 404.',
  })
  @ApiOkResponse({ type: InquiryDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<InquiryDto> {
    return this.inquiries.get(actor, id);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Principals('citizen')
  @ApiBearerAuth('citizen')
  @ApiOperation({ summary: 'Confirm the property’s records are right', description: 'Needed before documents, a visit and submission.' })
  @ApiOkResponse({ type: InquiryDto })
  @ApiProblems(401, 403, 404, 409)
  confirm(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<InquiryDto> {
    return this.inquiries.confirm(actor, id);
  }

  @Put(':id/documents/:kind')
  @Principals('citizen')
  @ApiBearerAuth('citizen')
  @ApiParam(KIND_PARAM)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDocumentDto })
  @ApiOperation({
    summary: 'Upload or replace a document (PNG/JPEG scan)',
    description:
      'The type is decided by the file’s bytes (PNG or JPEG only), never by its name; the image is re-encoded to a JPEG ' +
      'of at most ~300 KB without any metadata (EXIF/GPS) and scanned by ClamAV when configured. Replacing deletes the old file.',
  })
  @ApiOkResponse({ type: DocumentDto })
  @ApiProblems(401, 403, 404)
  @ApiDocumentUploadProblems({
    400: '`DOCUMENT_REQUIRED` (no file in the multipart field `file`), `BAD_REQUEST` (a second file or another file field), `DOCUMENT_KIND_INVALID` (an unknown kind in the path), `DOCUMENT_NOT_APPLICABLE` (a kind this inquiry does not take)',
    409: '`INQUIRY_NOT_CONFIRMED` (confirm the records first), `INQUIRY_STATUS_CONFLICT` (the inquiry is no longer a draft or in correction)',
  })
  upload(
    @CurrentActor() actor: Actor,
    @PathParam('id', ID_PARAM) id: string,
    @Param('kind') kind: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<DocumentDto> {
    return this.documents.put(actor, id, kind, file);
  }

  @Get(':id/documents')
  @Principals('citizen', 'staff')
  @ApiBearerAuth('citizen')
  @ApiBearerAuth('staff')
  @ApiOperation({ summary: 'The inquiry’s documents and which are still required' })
  @ApiOkResponse({ type: DocumentListDto })
  @ApiProblems(401, 403, 404)
  listDocuments(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<DocumentListDto> {
    return this.documents.list(actor, id);
  }

  @Get(':id/documents/:kind')
  @Principals('citizen', 'staff')
  @ApiBearerAuth('citizen')
  @ApiBearerAuth('staff')
  @ApiParam(KIND_PARAM)
  @ApiOperation({
    summary: 'A short-lived download link of one document',
    description: 'Presigned GET URL (DOCUMENT_URL_TTL_SECONDS), only for the applicant and staff of the property’s region.',
  })
  @ApiOkResponse({ type: DocumentUrlDto })
  @ApiProblems(400, 401, 403, 404, 503)
  documentUrl(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string, @Param('kind') kind: string): Promise<DocumentUrlDto> {
    return this.documents.url(actor, id, kind);
  }

  @Post(':id/visit')
  @HttpCode(200)
  @Principals('citizen')
  @ApiBearerAuth('citizen')
  @ApiOperation({
    summary: 'Book (or move) the site visit of a notary inquiry',
    description: 'Atomic: a slot’s capacity is never exceeded; moving frees the old place. `VISIT_SLOT_FULL` when taken.',
  })
  @ApiOkResponse({ type: InquiryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  visit(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string, @Body() dto: BookVisitDto): Promise<InquiryDto> {
    return this.inquiries.bookVisit(actor, id, dto.slotId);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Principals('citizen')
  @ApiBearerAuth('citizen')
  @ApiOperation({
    summary: 'Submit the request and get its tracking code',
    description:
      'Checks every required document (and, for notary inquiries, a booked visit) is there; answers the 12-digit tracking ' +
      'code (check digit last) and when the review is due (one working day, ISO and Jalali). An SMS with the code follows.',
  })
  @ApiOkResponse({ type: SubmitResultDto })
  @ApiProblems(401, 403, 404, 409, 422)
  submit(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<SubmitResultDto> {
    return this.inquiries.submit(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Principals('citizen')
  @ApiBearerAuth('citizen')
  @ApiOperation({ summary: 'Cancel the request before review', description: 'From draft, submitted or needs_correction; frees a booked visit.' })
  @ApiOkResponse({ type: InquiryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  cancel(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string, @Body() dto: CancelInquiryDto): Promise<InquiryDto> {
    return this.inquiries.cancel(actor, id, dto.reason);
  }
}

@ApiTags('tracking')
@Controller('tracking')
export class TrackingController {
  constructor(
    private readonly inquiries: InquiriesService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  @Get(':trackingCode')
  @Public()
  @ApiOperation({
    summary: 'Track a request by its tracking code (public)',
    description:
      'Status, current step, dates and what the applicant must do next (with the bill and payment IDs when debts are due). ' +
      'No personal data. Rate-limited per IP (TRACKING_RATE_LIMIT_PER_MINUTE).',
  })
  @ApiOkResponse({ type: TrackingDto })
  @ApiProblems(400, 404, 429)
  async track(@Ip() ip: string, @PathParam('trackingCode', { maxLength: 20, example: '482915736401', description: '12 digits; the last is a check digit (typos answer TRACKING_CODE_INVALID)' }) code: string): Promise<TrackingDto> {
    await this.limits.consume({ key: `route:tracking:${clientKey(ip)}`, limit: this.config.inquiries.trackingRateLimitPerMinute, windowSeconds: 60 });
    return this.inquiries.track(code);
  }
}
