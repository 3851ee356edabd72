import { Body, Controller, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems, PathParam, PERSIAN_PAGE_CSP, Public, Roles } from '@app/common';
import { RateLimit } from '../../rate-limit/rate-limit.guard';
import { renderReceipt } from './html';
import { paymentResultPage } from './result-page';
import { AdminPaymentDto, AdminPaymentPageDto, AdminPaymentsQuery, CreatePaymentDto, PaymentStartedDto, PaymentStatusDto, ReceiptDto, ReceiptQuery } from './payments.dto';
import { PaymentErrors } from './payments.errors';
import { PaymentsService } from './payments.service';

/** Links inside pages are relative to this service's API root. */
const API_BASE = '/api/v1';
const uuidPipe = new ParseUUIDPipe({ exceptionFactory: () => PaymentErrors.PAYMENT_NOT_FOUND() });
/** A payment id; one too long to be an id answers like any unknown id. */
const PAYMENT_ID = { maxLength: 36, format: 'uuid', tooLong: () => PaymentErrors.PAYMENT_NOT_FOUND() };

@ApiTags('payments')
@Public()
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @RateLimit({ name: 'payments.create', limit: 30, windowSeconds: 60 })
  @ApiOperation({
    summary: 'Start an internet payment of a bill (پرداخت اینترنتی قبض)',
    description:
      'Public, like paying by bill ID in a bank app: anyone holding the bill ID may pay it. Opens a session at the gateway ' +
      '(`gateway`, default PAYMENT_DEFAULT_GATEWAY) for the bill amount, stored with the payment; send the browser to ' +
      '`redirectUrl`. The gateway sends it back to `/payments/callback/{gateway}`, which verifies the payment with the gateway ' +
      'server to server and then redirects (303) to `returnUrl?paymentId=…` (no `returnUrl`: the Persian result page ' +
      '`/payments/result?paymentId=…`): read the result with GET /payments/{id}. ' +
      'Errors: `BILL_ID_INVALID`, `BILL_NOT_FOUND`, `BILL_ALREADY_PAID`, `BILL_NOT_PAYABLE`, `BILL_EXPIRED`, ' +
      '`RETURN_URL_NOT_ALLOWED`, `PAYMENT_GATEWAY_NOT_ENABLED`, `PAYMENT_GATEWAY_UNAVAILABLE` (503, try again or another ' +
      'gateway), `PAYMENT_GATEWAY_REJECTED`, `RATE_LIMITED` (per client IP).',
  })
  @ApiCreatedResponse({ type: PaymentStartedDto })
  @ApiProblems(400, 404, 409, 429, 502, 503)
  create(@Body() dto: CreatePaymentDto, @Ip() ip: string): Promise<PaymentStartedDto> {
    return this.payments.create(dto, ip);
  }

  @Get('result')
  @RateLimit({ name: 'payments.result', limit: 120, windowSeconds: 60 })
  @ApiProduces('text/html')
  @ApiQuery({ name: 'paymentId', required: false, schema: { type: 'string', maxLength: 100, example: '1b4e28ba-2fa1-4d3b-9c5e-5f0d3a1c2b7e' }, description: 'The payment id the return added; other parameters are ignored' })
  @ApiOperation({
    summary: 'Payment result page (Persian, for the payer’s browser)',
    description:
      'Where the payer lands after the gateway when the payment gave no `returnUrl` (the sandbox gateway’s pay and cancel ' +
      'end here through the callback). A Persian RTL page: پرداخت موفق / ناموفق / در انتظار تأیید بانک with the amount, ' +
      'bill ID, receipt number (the bank’s reference) and date. It shows the status this server verified with the gateway ' +
      '(server to server, in the callback or the reconciliation job), never what the browser’s return claimed; nothing ' +
      'personal. An unknown or malformed `paymentId` shows “not found” (404). Rate-limited per client IP (`RATE_LIMITED`).',
  })
  @ApiResponse({ status: 200, description: 'The Persian result page', content: { 'text/html': { schema: { type: 'string', example: '<!doctype html><html lang="fa" dir="rtl">…' } } } })
  @ApiResponse({ status: 404, description: 'The page saying the payment was not found', content: { 'text/html': { schema: { type: 'string', example: '<!doctype html><html lang="fa" dir="rtl">…' } } } })
  @ApiProblems(429)
  async result(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    // read by hand: whatever else a return URL carries (a gateway's or a forged `status=OK`) is ignored, not refused
    const raw = req.query.paymentId;
    const payment = await this.payments.statusOrNull(typeof raw === 'string' ? raw.slice(0, 100) : undefined);
    res.status(payment ? 200 : 404);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', PERSIAN_PAGE_CSP);
    res.type('text/html; charset=utf-8');
    return paymentResultPage(payment, payment ? `${API_BASE}/payments/${payment.paymentId}/receipt?format=html` : null);
  }

  @Get('callback/:gateway')
  @RateLimit({ name: 'payments.callback', limit: 600, windowSeconds: 60 })
  @ApiParam({ name: 'gateway', enum: ['sandbox', 'sep', 'zarinpal'] })
  @ApiOperation({
    summary: 'Gateway callback (where the gateway sends the payer’s browser back)',
    description:
      'Called by the gateway’s redirect, not by API clients. Proves nothing: the payment is found by the gateway’s token, ' +
      'verified with the gateway server to server using the stored amount and settled once; then 303 to the payment’s ' +
      '`returnUrl` with only `?paymentId=`. An unknown token answers `PAYMENT_CALLBACK_INVALID`.',
  })
  @ApiResponse({ status: 303, description: 'Redirect to the payment’s returnUrl with ?paymentId=' })
  @ApiProblems(404, 429)
  async callbackGet(@Param('gateway') gateway: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.redirect(303, await this.payments.callback(gateway, flat(req.query)));
  }

  @Post('callback/:gateway')
  @RateLimit({ name: 'payments.callback', limit: 600, windowSeconds: 60 })
  @ApiParam({ name: 'gateway', enum: ['sandbox', 'sep', 'zarinpal'] })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    // the gateway's own fields; each is read up to 500 characters (flat), and the form parser refuses more than 1000 fields (413)
    schema: { type: 'object', maxProperties: 1000, additionalProperties: { type: 'string', maxLength: 500 } },
  })
  @ApiOperation({ summary: 'Gateway callback as a form POST (SEP posts its result)', description: 'Same as the GET callback; form fields and query parameters are read together.' })
  @ApiResponse({ status: 303, description: 'Redirect to the payment’s returnUrl with ?paymentId=' })
  @ApiProblems(404, 429)
  async callbackPost(@Param('gateway') gateway: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    res.redirect(303, await this.payments.callback(gateway, { ...flat(req.query), ...flat(body) }));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Status of a payment',
    description: 'No personal data: the bill, amount, gateway, status and, once paid, the time and the gateway reference.',
  })
  @ApiOkResponse({ type: PaymentStatusDto })
  @ApiProblems(404)
  status(@PathParam('id', PAYMENT_ID, uuidPipe) id: string): Promise<PaymentStatusDto> {
    return this.payments.status(id);
  }

  @Get(':id/receipt')
  @ApiProduces('application/json', 'text/html')
  @ApiOperation({
    summary: 'Receipt of a paid payment (رسید پرداخت)',
    description:
      'JSON by default; `?format=html` or `Accept: text/html` gives a printable Persian (RTL) page: bill ID, payment ID, ' +
      'amount in digits and words, bank reference, date and time (Jalali, Tehran) and the items paid. ' +
      '`PAYMENT_NOT_PAID` (409) for a payment that did not succeed.',
  })
  @ApiOkResponse({ type: ReceiptDto })
  @ApiProblems(400, 404, 409)
  async receipt(
    @PathParam('id', PAYMENT_ID, uuidPipe) id: string,
    @Query() query: ReceiptQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReceiptDto | string> {
    const receipt = await this.payments.receipt(id);
    const html = query.format === 'html' || (query.format === undefined && wantsHtml(req));
    res.setHeader('Cache-Control', 'no-store');
    if (!html) return receipt;
    res.type('html');
    return renderReceipt(receipt);
  }
}

@ApiTags('admin-billing')
@ApiBearerAuth('staff')
@Roles('admin', 'finance_officer')
@Controller('admin/billing/payments')
export class AdminPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiOperation({
    summary: 'Internet payments, newest first (admin, finance)',
    description:
      '`?needsReview=true` lists the payments a person must handle: verified money the gateway would not take back ' +
      '(amount mismatch, or a bill that expired or was paid another way), and money found paid on a payment already ' +
      'failed or cancelled that could not settle its bill (`failureReason` `PAID_AFTER_…`). `status=pending` shows payments still waiting ' +
      'for the gateway’s answer (the reconciliation job keeps asking).',
  })
  @ApiOkResponse({ type: AdminPaymentPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() query: AdminPaymentsQuery): Promise<AdminPaymentPageDto> {
    return this.payments.adminList(query);
  }

  @Post(':id/reconcile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask the gateway again now (admin, finance)',
    description:
      'What the reconciliation job does: verify a pending payment (settle, fail or reverse it), verify a failed or cancelled one again ' +
      '(money paid after all settles the bill, or is reversed and flagged for review), or retry a refused reversal.',
  })
  @ApiOkResponse({ type: AdminPaymentDto })
  @ApiProblems(401, 403, 404)
  reconcile(@PathParam('id', PAYMENT_ID, uuidPipe) id: string): Promise<AdminPaymentDto> {
    return this.payments.adminReconcile(id);
  }
}

/** Query or form parameters as single strings (the first of repeated ones). */
/** The gateway's fields as single strings of at most 500 characters (the contract's bound on them). */
function flat(input: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string') out[k] = value.slice(0, 500);
    else if (typeof value === 'number') out[k] = String(value);
  }
  return out;
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}
