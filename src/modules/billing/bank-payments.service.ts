import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, CommonErrors } from '@app/common';
import { formatJalali, isoDay, isValidPaymentId, normalizeBillId, normalizeDigits, parseTypedDay, tehranDateTimeToUtc } from '@app/iran';
import { BillingErrors } from './billing.errors';
import { run } from '../../database/sql';
import { BankPaymentsRepository, type BankPaymentRecord } from './bank-payments.repository';
import { BillingService } from './billing.service';
import { BillsRepository } from './bills.repository';
import { BankBillPaymentDto, BankBillPaymentResultDto, StatementDto } from './dto/bank.dto';

/** Clock skew tolerated on a bank's `paidAt`. */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * The bank bill-payment channel: banks report payments made with a bill ID + payment ID
 * (any bank app, ATM, USSD). Idempotent by the bank's reference: the same report again
 * answers the same result and settles nothing twice.
 */
@Injectable()
export class BankPaymentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly billing: BillingService,
    private readonly bills: BillsRepository,
    private readonly reports: BankPaymentsRepository,
  ) {}

  async report(actor: Actor, dto: BankBillPaymentDto, now = new Date()): Promise<BankBillPaymentResultDto> {
    if (actor.type !== 'organization' || !actor.id) throw CommonErrors.FORBIDDEN();
    const orgId = actor.id;
    const billId = normalizeBillId(dto.billId);
    if (!billId) {
      throw BillingErrors.BILL_ID_INVALID({ fieldErrors: [{ field: 'billId', code: 'BILL_ID_INVALID', message: BillingErrors.specs.BILL_ID_INVALID.message }] });
    }
    if (!isValidPaymentId(billId, dto.paymentId)) {
      throw BillingErrors.PAYMENT_ID_INVALID({
        fieldErrors: [{ field: 'paymentId', code: 'PAYMENT_ID_INVALID', message: BillingErrors.specs.PAYMENT_ID_INVALID.message }],
      });
    }
    const paymentId = normalizeDigits(dto.paymentId).replace(/^0+/, '');
    const paidAt = new Date(dto.paidAt);
    if (Number.isNaN(paidAt.getTime()) || paidAt.getTime() > now.getTime() + FUTURE_SKEW_MS) throw BillingErrors.PAID_AT_INVALID();

    return this.em.fork().transactional(async (tx) => {
      const known = await run(tx, this.reports.find(orgId, dto.bankReference));
      if (known) return sameReport(known, billId, paymentId, dto.amount);
      const billPaymentId = await run(tx, this.bills.paymentIdOf(billId));
      if (billPaymentId === undefined) throw BillingErrors.BILL_NOT_FOUND();
      if (billPaymentId !== paymentId) throw BillingErrors.PAYMENT_ID_MISMATCH();
      await this.billing.settleBill(tx, billId, { channel: 'bank', reference: `${orgId}:${dto.bankReference}`, amountRials: dto.amount, paidAt });
      const inserted = await run(
        tx,
        this.reports.insert({ organizationId: orgId, bankReference: dto.bankReference, billId, paymentId, amountRials: BigInt(dto.amount), paidAt }),
      );
      if (inserted) return toResult(inserted);
      // a concurrent identical report won the race (settleBill answered it as a replay)
      const winner = await run(tx, this.reports.find(orgId, dto.bankReference));
      if (!winner) throw BillingErrors.PAYMENT_REFERENCE_USED();
      return sameReport(winner, billId, paymentId, dto.amount);
    });
  }

  /** One day (Asia/Tehran) of this organization's reports, for reconciliation. */
  async statement(actor: Actor, date: string): Promise<StatementDto> {
    if (actor.type !== 'organization' || !actor.id) throw CommonErrors.FORBIDDEN();
    const day = parseTypedDay(date)!; // the DTO's @IsCalendarDay() let only a day through
    const from = tehranDateTimeToUtc(day.gy, day.gm, day.gd, 0, 0);
    const next = new Date(Date.UTC(day.gy, day.gm - 1, day.gd + 1));
    const to = tehranDateTimeToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0);
    const rows = await run(this.em, this.reports.paidBetween(actor.id, from, to));
    const items = rows.map(toResult);
    return {
      date: isoDay(day),
      dateJalali: formatJalali(from),
      count: items.length,
      totalRials: Number(rows.reduce((s, r) => s + r.amountRials, 0n)),
      items,
    };
  }
}

function sameReport(row: BankPaymentRecord, billId: string, paymentId: string, amount: number): BankBillPaymentResultDto {
  if (row.billId !== billId || row.paymentId !== paymentId || row.amountRials.toString() !== String(amount)) {
    throw BillingErrors.PAYMENT_REFERENCE_USED();
  }
  return toResult(row);
}

function toResult(r: BankPaymentRecord): BankBillPaymentResultDto {
  return {
    status: 'settled',
    billId: r.billId,
    paymentId: r.paymentId,
    amountRials: Number(r.amountRials),
    bankReference: r.bankReference,
    paidAt: r.paidAt.toISOString(),
    recordedAt: r.recordedAt.toISOString(),
  };
}

