import { Body, Controller, Get, HttpCode, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, PathParam, Roles } from '@app/common';
import { DeskAnswerService } from './desk-answer.service';
import { DeskDetailService } from './desk-detail.service';
import { DeskFinanceService } from './desk-finance.service';
import { DeskQueueService } from './desk-queue.service';
import { DeskReviewService } from './desk-review.service';
import { DeskVisitService } from './desk-visit.service';
import {
  DeskInquiryDto,
  DeskQueueDto,
  DeskQueueQuery,
  DeskStatsDto,
  DeskVisitDto,
  PrepareAnswerDto,
  ReassignDto,
  RejectDto,
  ReviewDto,
  StatsQuery,
  VisitResultDto,
  VisitsQuery,
} from './dto/desk.dto';
import { ApiDocumentUploadProblems } from '../documents/dto/upload-problems';

const ID_PARAM = { maxLength: 36, example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60', description: 'Inquiry id' };
const DESK = ['region_clerk', 'region_manager', 'admin'];

@ApiTags('desk')
@ApiBearerAuth('staff')
@Controller('desk')
export class DeskController {
  constructor(
    private readonly queueReads: DeskQueueService,
    private readonly detailView: DeskDetailService,
    private readonly reviews: DeskReviewService,
    private readonly finances: DeskFinanceService,
    private readonly siteVisits: DeskVisitService,
    private readonly answers: DeskAnswerService,
  ) {}

  @Get('inquiries')
  @Roles(...DESK)
  @ApiOperation({
    summary: 'The region desk’s queue, ordered by review due time',
    description: 'Inquiries of the caller’s regions (admins: all) filtered by status, type, SLA (`overdue`, `due_today`) or a tracking/renewal code; with counts per status.',
  })
  @ApiOkResponse({ type: DeskQueueDto })
  @ApiProblems(400, 401, 403, 404)
  queue(@CurrentActor() actor: Actor, @Query() query: DeskQueueQuery): Promise<DeskQueueDto> {
    return this.queueReads.queue(actor, query);
  }

  @Get('visits')
  @Roles('inspector', ...DESK)
  @ApiOperation({ summary: 'Site visits of a day (inspectors)', description: 'Notary inquiries of the caller’s regions with a visit booked on that Tehran date, in time order.' })
  @ApiOkResponse({ type: [DeskVisitDto] })
  @ApiProblems(400, 401, 403, 404)
  visits(@CurrentActor() actor: Actor, @Query() query: VisitsQuery): Promise<DeskVisitDto[]> {
    return this.queueReads.visitsOfDay(actor, query);
  }

  @Get('stats')
  @Roles('region_manager', 'admin')
  @ApiOperation({ summary: 'Desk statistics per region', description: 'Received, answered, overdue now, and the median review time in working hours, for a Tehran date range (default the last 30 days).' })
  @ApiOkResponse({ type: DeskStatsDto })
  @ApiProblems(400, 401, 403)
  stats(@CurrentActor() actor: Actor, @Query() query: StatsQuery): Promise<DeskStatsDto> {
    return this.queueReads.stats(actor, query);
  }

  @Get('inquiries/:id')
  @Roles('inspector', ...DESK)
  @ApiOperation({ summary: 'One inquiry for the desk', description: 'Property records, documents with presigned links, history, finances, visit and the desk’s case. Other regions: 404.' })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(401, 403, 404)
  detail(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<DeskInquiryDto> {
    return this.detailView.detail(actor, id);
  }

  @Post('inquiries/:id/claim')
  @Roles(...DESK)
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim an inquiry for review', description: 'submitted → in_review; one clerk at a time (`DESK_CASE_CLAIMED` otherwise; a manager reassigns).' })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(401, 403, 404, 409)
  claim(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<DeskInquiryDto> {
    return this.reviews.claim(actor, id);
  }

  @Post('inquiries/:id/reassign')
  @Roles('region_manager', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reassign an inquiry to another clerk of the region (manager)', description: 'Audited.' })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  reassign(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string, @Body() dto: ReassignDto): Promise<DeskInquiryDto> {
    return this.reviews.reassign(actor, id, dto.staffId);
  }

  @Post('inquiries/:id/review')
  @Roles(...DESK)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Review the documents',
    description: 'One verdict per uploaded document; any rejection (with a reason the citizen sees) → needs_correction and an SMS. The citizen re-uploads and resubmits; the review clock restarts.',
  })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  review(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string, @Body() dto: ReviewDto): Promise<DeskInquiryDto> {
    return this.reviews.review(actor, id, dto.documents);
  }

  @Post('inquiries/:id/assess')
  @Roles(...DESK)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assess the file’s finances',
    description:
      'Asks billing whether the property’s file (renewal, waste, guild fees of its units) is settled. Anything due → awaiting_payment with the bill (SMS); the payment’s settlement moves the inquiry on by itself. Nothing due → notary inquiries go to their site visit.',
  })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(401, 403, 404, 409)
  assess(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<DeskInquiryDto> {
    return this.finances.assess(actor, id);
  }

  @Post('inquiries/:id/visit-result')
  @Roles('inspector', ...DESK)
  @HttpCode(200)
  @UseInterceptors(FilesInterceptor('photos', 4))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: VisitResultDto })
  @ApiOperation({
    summary: 'Record the site visit’s findings (notary)',
    description: 'visit_scheduled → visited. Optional photos (multipart `photos`, up to 4) pass the same checks as documents (PNG/JPEG by content, re-encoded without metadata) and are stored in object storage.',
  })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(401, 403, 404)
  @ApiDocumentUploadProblems({
    400: '`BAD_REQUEST` (a file field other than `photos`, or more than 4 photos: `errors[]` names the field)',
    409: '`INQUIRY_STATUS_CONFLICT` (not a notary inquiry with a booked visit), `VISIT_NOT_STARTED` (before the booked slot’s start)',
  })
  visitResult(
    @CurrentActor() actor: Actor,
    @PathParam('id', ID_PARAM) id: string,
    @Body() dto: VisitResultDto,
    @UploadedFiles() photos: Express.Multer.File[] | undefined,
  ): Promise<DeskInquiryDto> {
    return this.siteVisits.visitResult(actor, id, dto, photos ?? []);
  }

  @Post('inquiries/:id/answer')
  @Roles(...DESK)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Prepare the answer (clerk)',
    description: 'Only when the documents are accepted, the file is settled (`FINANCES_NOT_SETTLED`) and, for notary, the visit is done. A region manager other than the preparer approves it.',
  })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  prepare(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string, @Body() dto: PrepareAnswerDto): Promise<DeskInquiryDto> {
    return this.answers.prepareAnswer(actor, id, dto.note);
  }

  @Post('inquiries/:id/answer/approve')
  @Roles('region_manager', 'admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve and issue the answer (region manager)',
    description: 'Never by whoever prepared it (`FOUR_EYES_REQUIRED`). Signs the certificate (Ed25519 JWS), → answered, SMS, and queues the PDF.',
  })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(401, 403, 404, 409)
  approve(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string): Promise<DeskInquiryDto> {
    return this.answers.approveAnswer(actor, id);
  }

  @Post('inquiries/:id/reject')
  @Roles(...DESK)
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject the inquiry with a reason', description: 'Audited; the citizen gets the reason by SMS; a booked visit is released.' })
  @ApiOkResponse({ type: DeskInquiryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  reject(@CurrentActor() actor: Actor, @PathParam('id', ID_PARAM) id: string, @Body() dto: RejectDto): Promise<DeskInquiryDto> {
    return this.reviews.reject(actor, id, dto.reason);
  }
}
