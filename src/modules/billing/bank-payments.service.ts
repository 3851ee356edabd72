import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, CommonErrors } from '@app/common';
import { formatJalali, isValidPaymentId, normalizeBillId, normalizeDigits, parseJalaliDate, fromJalali, tehranDateTimeToUtc } from '@app/iran';
import { BillingErrors } from './billing.errors';
import { BillingService } from './billing.service';
import { BankBillPaymentDto, BankBillPaymentResultDto, StatementDto } from './dto/bank.dto';

type Row = Record<string, unknown>;

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
      const known = await this.findReport(tx, orgId, dto.bankReference);
      if (known) return sameReport(known, billId, paymentId, dto.amount);
      const [bill] = await tx.execute<Row[]>(`select payment_id from billing_bill where bill_id = ?`, [billId]);
      if (!bill) throw BillingErrors.BILL_NOT_FOUND();
      if (bill.payment_id !== paymentId) throw BillingErrors.PAYMENT_ID_MISMATCH();
      await this.billing.settleBill(tx, billId, { channel: 'bank', reference: `${orgId}:${dto.bankReference}`, amountRials: dto.amount, paidAt });
      const inserted = await tx.execute<Row[]>(
        `insert into billing_bank_payment (id, created_at, updated_at, organization_id, bank_reference, bill_id, payment_id, amount_rials, paid_at)
         values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?, ?)
         on conflict (organization_id, bank_reference) do nothing
         returning bill_id, payment_id, amount_rials::text as amount, bank_reference, paid_at, created_at`,
        [orgId, dto.bankReference, billId, paymentId, String(dto.amount), paidAt],
      );
      if (inserted.length) return toResult(inserted[0]);
      // a concurrent identical report won the race (settleBill answered it as a replay)
      const winner = await this.findReport(tx, orgId, dto.bankReference);
      if (!winner) throw BillingErrors.PAYMENT_REFERENCE_USED();
      return sameReport(winner, billId, paymentId, dto.amount);
    });
  }

  /** One day (Asia/Tehran) of this organization's reports, for reconciliation. */
  async statement(actor: Actor, date: string): Promise<StatementDto> {
    if (actor.type !== 'organization' || !actor.id) throw CommonErrors.FORBIDDEN();
    const day = parseDay(date);
    const from = tehranDateTimeToUtc(day.gy, day.gm, day.gd, 0, 0);
    const next = new Date(Date.UTC(day.gy, day.gm - 1, day.gd + 1));
    const to = tehranDateTimeToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0);
    const rows = await this.em.execute<Row[]>(
      `select bill_id, payment_id, amount_rials::text as amount, bank_reference, paid_at, created_at
         from billing_bank_payment where organization_id = ? and paid_at >= ? and paid_at < ? order by paid_at, bank_reference`,
      [actor.id, from, to],
    );
    const items = rows.map(toResult);
    return {
      date: `${day.gy}-${String(day.gm).padStart(2, '0')}-${String(day.gd).padStart(2, '0')}`,
      dateJalali: formatJalali(from),
      count: items.length,
      totalRials: Number(rows.reduce((s, r) => s + BigInt(String(r.amount)), 0n)),
      items,
    };
  }

  private async findReport(em: EntityManager, orgId: string, reference: string): Promise<Row | undefined> {
    const [row] = await em.execute<Row[]>(
      `select bill_id, payment_id, amount_rials::text as amount, bank_reference, paid_at, created_at
         from billing_bank_payment where organization_id = ? and bank_reference = ?`,
      [orgId, reference],
    );
    return row;
  }
}

function sameReport(row: Row, billId: string, paymentId: string, amount: number): BankBillPaymentResultDto {
  if (row.bill_id !== billId || row.payment_id !== paymentId || String(row.amount) !== String(amount)) {
    throw BillingErrors.PAYMENT_REFERENCE_USED();
  }
  return toResult(row);
}

function toResult(r: Row): BankBillPaymentResultDto {
  return {
    status: 'settled',
    billId: String(r.bill_id),
    paymentId: String(r.payment_id),
    amountRials: Number(r.amount),
    bankReference: String(r.bank_reference),
    paidAt: new Date(r.paid_at as string).toISOString(),
    recordedAt: new Date(r.created_at as string).toISOString(),
  };
}

function parseDay(input: string): { gy: number; gm: number; gd: number } {
  const s = normalizeDigits(String(input ?? '')).trim();
  const g = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (g && Number(g[1]) > 1700) {
    const d = new Date(Date.UTC(Number(g[1]), Number(g[2]) - 1, Number(g[3])));
    if (d.getUTCMonth() + 1 === Number(g[2]) && d.getUTCDate() === Number(g[3])) return { gy: Number(g[1]), gm: Number(g[2]), gd: Number(g[3]) };
    throw BillingErrors.STATEMENT_DATE_INVALID();
  }
  try {
    const j = parseJalaliDate(s);
    return fromJalali(j.jy, j.jm, j.jd);
  } catch {
    throw BillingErrors.STATEMENT_DATE_INVALID();
  }
}
