import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, HotRead, PathParam, Principals, Public, Scopes, VerifiedIdentity } from '@app/common';
import { OrgApi } from '../org-api/org-api.module';
import { CitizenAuthService } from '../membership/citizen-auth.service';
import { BankPaymentsService } from './bank-payments.service';
import { BillingService } from './billing.service';
import { BankBillPaymentDto, BankBillPaymentResultDto, StatementDto, StatementQuery } from './dto/bank.dto';
import { DebtsDto, DebtsQuery, PaymentHistoryDto, PublicPaymentHistoryDto, PublicPaymentHistoryQuery } from './dto/debts.dto';
import { RateLimit } from '../rate-limit/rate-limit.guard';

@ApiTags('billing')
@Controller()
export class DebtsController {
  constructor(private readonly billing: BillingService) {}

  @Get('debts')
  @Public()
  @ApiOperation({
    summary: 'Debts of renewal tax and waste fee (by renewal code) or guild fee (by guild code), with a bill to pay them',
    description:
      'Public, no personal data. `?renewalCode=1-2-34-56-0-0-0&region=1` (renewal + waste) or `?guildCode=G-1-000123` (guild fee). ' +
      'Items are the unpaid demands by year and fee type with late penalties and early-payment discounts as of today; ' +
      '`bill` pays them all: bill ID + payment ID (bank standard, service type 6) and a 26-digit barcode, payable in any bank ' +
      'app, ATM or by POST /payments. The amount is the total rounded down to whole thousand Rials. The same unexpired bill ' +
      'is answered while the debts do not change. Errors: `DEBT_QUERY_INVALID`, `RENEWAL_CODE_INVALID`, `REGION_MISMATCH`, ' +
      '`PROPERTY_NOT_FOUND`, `GUILD_NOT_FOUND`.',
  })
  @ApiOkResponse({ type: DebtsDto })
  @ApiProblems(400, 404)
  debts(@Query() query: DebtsQuery): Promise<DebtsDto> {
    return this.billing.debts(query);
  }
}

/** `GET /debts`, answered ahead of Nest's router (`hotReads`, libs/common): the same method, query and errors. */
export function debtsHotReads(debts: DebtsController): HotRead[] {
  return [{ path: 'debts', args: [{ from: 'query', metatype: DebtsQuery }], handle: (query: DebtsQuery) => debts.debts(query) }];
}

/** Per client IP: public payment-history lookups a minute. */
const HISTORY_LIMIT = { limit: 60, windowSeconds: 60 };

@ApiTags('billing')
@Controller()
export class PublicPaymentHistoryController {
  constructor(private readonly billing: BillingService) {}

  @Get('payment-history')
  @Public()
  @RateLimit({ name: 'payment-history', ...HISTORY_LIMIT })
  @ApiOperation({
    summary: 'Public payment history: renewal tax and waste fee (by renewal code + region) or guild fee (by guild code) (سوابق پرداختی)',
    description:
      'Public view, no sign-in: `?renewalCode=1-2-34-56-0-0-0&region=1` (renewal + waste) or `?guildCode=G-1-000123` (guild fee). ' +
      'Each paid bill, newest first, with the amount, date (ISO and Jalali), channel (`bank` or `gateway`), receipt number and the ' +
      'years and fee types it settled. Nothing personal: no owner or payer name, national ID or mobile, and no bill or payment IDs. ' +
      'Owners and staff get the full view (bill and payment IDs, principal, penalty and discount per item) from ' +
      '`GET /properties/{renewalCode}/payments` and `GET /guilds/{guildCode}/payments` with their token. ' +
      `Limited to ${HISTORY_LIMIT.limit} requests per minute per client IP (429 \`RATE_LIMITED\` with Retry-After). ` +
      'Errors: `DEBT_QUERY_INVALID` (neither or both codes, or a renewal code without `region`), `RENEWAL_CODE_INVALID`, ' +
      '`REGION_MISMATCH` (the region is not the renewal code’s), `PROPERTY_NOT_FOUND`, `GUILD_NOT_FOUND`.',
  })
  @ApiOkResponse({ type: PublicPaymentHistoryDto })
  @ApiProblems(400, 404, 429)
  history(@Query() query: PublicPaymentHistoryQuery): Promise<PublicPaymentHistoryDto> {
    return this.billing.publicHistory(query);
  }
}

@ApiTags('billing')
@Principals('citizen', 'staff')
@ApiBearerAuth('citizen')
@ApiBearerAuth('staff')
@VerifiedIdentity()
@Controller()
export class PaymentHistoryController {
  constructor(
    private readonly billing: BillingService,
    private readonly citizens: CitizenAuthService,
  ) {}

  @Get('properties/:renewalCode/payments')
  @ApiOperation({
    summary: 'Renewal-tax and waste-fee payment history of a property (سوابق پرداختی نوسازی)',
    description:
      'Full view (sign-in): bill and payment IDs, receipt number, and principal, penalty and discount per item. ' +
      'Citizens: properties they own. Staff: properties of their regions; finance officers and admins: all. ' +
      'Others get `PROPERTY_NOT_FOUND`, as if the property did not exist. Anyone, without signing in: the public view at ' +
      '`GET /payment-history?renewalCode=…&region=…`.',
  })
  @ApiOkResponse({ type: PaymentHistoryDto })
  @ApiProblems(400, 401, 403, 404)
  async property(@CurrentActor() actor: Actor, @PathParam('renewalCode', { maxLength: 60, example: '1-2-34-56-0-0-0' }) code: string): Promise<PaymentHistoryDto> {
    return this.billing.history(actor, 'property', code, await this.nationalId(actor));
  }

  @Get('guilds/:guildCode/payments')
  @ApiOperation({
    summary: 'Guild-fee payment history of a guild licence (سوابق پرداختی صنفی)',
    description:
      'Full view (sign-in): bill and payment IDs, receipt number, and principal, penalty and discount per item. ' +
      'Citizens: licences they own. Staff: licences in their regions; finance officers and admins: all. ' +
      'Anyone, without signing in: the public view at `GET /payment-history?guildCode=…`.',
  })
  @ApiOkResponse({ type: PaymentHistoryDto })
  @ApiProblems(401, 403, 404)
  async guild(@CurrentActor() actor: Actor, @PathParam('guildCode', { maxLength: 32, example: 'G-1-000123' }) code: string): Promise<PaymentHistoryDto> {
    return this.billing.history(actor, 'guild', code, await this.nationalId(actor));
  }

  private async nationalId(actor: Actor): Promise<string | undefined> {
    return actor.type === 'citizen' ? (await this.citizens.profile(actor.id!)).nationalId : undefined;
  }
}

@ApiTags('bank')
@Scopes('bills:report')
@ApiBearerAuth('organization')
@OrgApi()
@Controller('bank')
export class BankController {
  constructor(private readonly bank: BankPaymentsService) {}

  @Post('bill-payments')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report a bill payment received by the bank (bill ID + payment ID channel)',
    description:
      'Needs an organization token with scope `bills:report`. Check digits of the bill ID and the payment ID are validated ' +
      '(`BILL_ID_INVALID`, `PAYMENT_ID_INVALID`), the payment ID must be the one issued for the bill (`PAYMENT_ID_MISMATCH`), ' +
      'the amount must equal the bill amount (`BILL_AMOUNT_MISMATCH`), `paidAt` must be before the bill expired (`BILL_EXPIRED`), ' +
      'not before the bill was issued (`PAID_AT_BEFORE_BILL`; 5 minutes of clock skew allowed) and not in the future (`PAID_AT_INVALID`). A bill paid by someone else answers `BILL_ALREADY_PAID`; a void bill ' +
      '`BILL_NOT_PAYABLE`. **Idempotent by `bankReference`**: sending the same report again (e.g. after a timeout) answers ' +
      'the same 200 body and settles nothing twice; the same reference with different data answers `PAYMENT_REFERENCE_USED`.',
  })
  @ApiOkResponse({ type: BankBillPaymentResultDto })
  @ApiProblems(400, 401, 403, 404, 409)
  report(@CurrentActor() actor: Actor, @Body() dto: BankBillPaymentDto): Promise<BankBillPaymentResultDto> {
    return this.bank.report(actor, dto);
  }

  @Get('statements')
  @ApiOperation({
    summary: 'Daily statement of this organization’s reported bill payments (reconciliation)',
    description: 'Payments whose `paidAt` falls on the given day in Asia/Tehran; only the calling organization’s reports.',
  })
  @ApiOkResponse({ type: StatementDto })
  @ApiProblems(400, 401, 403)
  statement(@CurrentActor() actor: Actor, @Query() query: StatementQuery): Promise<StatementDto> {
    return this.bank.statement(actor, query.date);
  }
}
