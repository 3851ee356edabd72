import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Actor, canAccessRegion } from '@app/common';
import {
  BILL_MAX_AMOUNT_RIALS,
  BILL_SERVICE_TYPES,
  buildBarcode,
  buildBillId,
  buildPaymentId,
  formatJalali,
  normalizeBillId,
  toJalali,
} from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { preparedRead } from '../../database/prepared-read';
import { AuditService } from '../audit/audit.service';
import { PropertiesService } from '../properties/properties.service';
import { BillingErrors } from './billing.errors';
import { billExpiry, demandSetHash } from './domain/bills';
import { chargeOf, roundDownToThousand } from './domain/charges';
import type { DiscountRule, PenaltyRule } from './domain/tariff';
import { AmendDemandDto, DemandDto } from './dto/admin.dto';
import { BillDto, DebtItemDto, DebtsDto, DebtsQuery, FileStatusDto, PaymentHistoryDto } from './dto/debts.dto';
import { AmendmentKind } from './entities/demand-amendment.entity';
import type { BillItem } from './entities/bill.entity';
import { pgArray, pgArrayOf } from '../../database/pg-array';
import { jsonValue } from '../../database/json-value';
import { run } from '../../database/sql';

/** How a bill was paid: an internet gateway payment (verified) or a bank's bill-payment report. */
export type SettlementChannel = 'gateway' | 'bank';

export interface SettleBillInput {
  channel: SettlementChannel;
  /** Unique per channel (gateway: the verified bank reference; bank: `<organizationId>:<bankReference>`). */
  reference: string;
  /** What was paid, integer Rials; must equal the bill amount. */
  amountRials: bigint | number;
  /** When the payer paid; must not be after the bill's expiry. */
  paidAt: Date;
}

export interface SettledBill {
  billId: string;
  paymentId: string;
  amountRials: bigint;
  paidAt: Date;
  channel: SettlementChannel;
  reference: string;
  /** True when this exact settlement (channel + reference) had already been recorded: nothing changed now. */
  replay: boolean;
  demandIds: string[];
}

export interface PayableBill {
  billId: string;
  paymentId: string;
  amountRials: bigint;
  expiresAt: Date;
  /** `property:<renewalCode>`, `guild:<guildCode>` or `file:<renewalCode>`. */
  scope: string;
  items: BillItem[];
}

type Row = Record<string, unknown>;

interface OpenDemand {
  id: string;
  fee_type: string;
  year: number;
  code: string;
  amount: string;
  penalty: PenaltyRule;
  discount: DiscountRule;
}

interface OpenBill {
  billId: string;
  paymentId: string;
  hash: string;
  amount: string;
  expiresAt: string;
}

export type DebtSubjectKind = 'property' | 'guild' | 'file';

/**
 * The debt lookup's one statement (parameters: the code, then the bill scope
 * `<kind>:<code>`). Exported so the benchmark's bare `node:http` + `pg` server runs exactly
 * the same SQL.
 */
export function debtLookupSql(kind: DebtSubjectKind): string {
  const subject =
    kind === 'guild'
      ? `select g.id, g.guild_code as code, g.region from guild_licence g where g.guild_code = ?`
      : `select p.id, p.renewal_code as code, p.region from property p where p.renewal_code = ?`;
  const match =
    kind === 'guild' ? `d.subject_id = s.id` : kind === 'property' ? `d.property_id = s.id and d.fee_type <> 'guild'` : `d.property_id = s.id`;
  return `with s as (${subject}),
       d as (select count(*)::int as n,
                    coalesce(json_agg(json_build_object('id', d.id, 'fee_type', d.fee_type, 'year', d.jalali_year, 'code', d.subject_code,
                                      'amount', d.amount_rials::text, 'penalty', d.snapshot->'penalty', 'discount', d.snapshot->'discount')
                             order by d.jalali_year, d.fee_type, d.subject_code), '[]'::json) as demands
               from billing_demand d join s on ${match} where d.status = 'open'),
       b as (select count(*)::int as n,
                    coalesce(json_agg(json_build_object('billId', b.bill_id, 'paymentId', b.payment_id, 'hash', b.demand_set_hash,
                                      'amount', b.amount_rials::text, 'expiresAt', b.expires_at)), '[]'::json) as bills
               from billing_bill b where b.scope = ? and b.status = 'open' and b.expires_at > now())
       select s.code, s.region, d.demands, b.bills,
              case when d.n > 0 and b.n = 0 then nextval(pg_get_serial_sequence('billing_bill', 'id'))::text end as next_bill_row
         from s, d, b`;
}

/**
 * Called inside settleBill's transaction after a bill was settled for the first time (never
 * for a replay): listeners use `tx` (e.g. to enqueue a job) so their work commits or rolls
 * back with the settlement. Registered with `BillingService.onSettled` (the desk moves
 * inquiries awaiting payment on).
 */
export type SettlementListener = (tx: EntityManager, settled: SettledBill & { scope: string }) => void | Promise<void>;

/** Clock skew tolerated between a payer's clock (a bank's `paidAt`) and the bill's issue time. */
const PAID_AT_SKEW_MS = 5 * 60_000;

/** Bills expiring within this margin are not offered again (the payer needs time to pay). */
const REUSE_MARGIN_MS = 30 * 60_000;

/**
 * Debts, bills and settlement. The debt lookup is a hot path: one SQL round trip returns the
 * open demands and the subject's open bills (no entity hydration); a second one only when a
 * new bill must be issued.
 */
@Injectable()
export class BillingService {
  private readonly settlementListeners: SettlementListener[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly properties: PropertiesService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /**
   * For the desk's assessment: adds the inquiry's fee (the current Jalali year's tariff,
   * `inquiry.officeRials` / `notaryRials`) to the property's file as an open demand whose
   * subject is the inquiry — once per inquiry and year (a second call changes nothing).
   * Runs in the caller's transaction. Returns the fee in Rials (0 when the tariff has none).
   */
  async addInquiryFee(
    tx: EntityManager,
    input: { inquiryId: string; type: 'office' | 'notary'; propertyId: string; renewalCode: string; region: number },
    now = new Date(),
  ): Promise<number> {
    const year = toJalali(now).jy;
    const [tariff] = await tx.execute<Array<{ id: string; inquiry: unknown }>>(
      `select id, inquiry from billing_tariff where jalali_year = ? order by version desc limit 1`,
      [year],
    );
    const fees = tariff ? jsonValue<{ officeRials?: number; notaryRials?: number } | null>(tariff.inquiry) : null;
    const fee = Number((input.type === 'office' ? fees?.officeRials : fees?.notaryRials) ?? 0);
    if (!tariff || !(fee > 0)) return 0;
    const none = { monthlyBp: 0, maxBp: 0 };
    await tx.execute(
      `insert into billing_demand (id, created_at, updated_at, fee_type, subject_id, subject_code, property_id, region, jalali_year,
                                   amount_rials, assessed_rials, status, tariff_id, snapshot)
       values (gen_random_uuid(), now(), now(), 'inquiry', ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?::jsonb)
       on conflict (subject_id, fee_type, jalali_year) do nothing`,
      [
        input.inquiryId,
        input.renewalCode,
        input.propertyId,
        input.region,
        year,
        String(fee),
        String(fee),
        tariff.id,
        JSON.stringify({ inquiryType: input.type, feeRials: fee, penalty: none, discount: { percentBp: 0, untilMonth: 0 } }),
      ],
    );
    return fee;
  }

  /** Adds a listener called in the transaction of every first settlement of a bill. */
  onSettled(listener: SettlementListener): void {
    this.settlementListeners.push(listener);
  }

  /** `GET /debts`: renewal + waste of a property, or the guild fee of a licence. Public, no personal data. */
  async debts(query: DebtsQuery, now = new Date()): Promise<DebtsDto> {
    const hasCode = query.renewalCode !== undefined && query.renewalCode !== '';
    const hasGuild = query.guildCode !== undefined && query.guildCode !== '';
    if (hasCode === hasGuild) throw BillingErrors.DEBT_QUERY_INVALID();
    if (hasGuild) {
      const row = await this.subjectRow('guild', query.guildCode!.toUpperCase());
      if (!row) throw BillingErrors.GUILD_NOT_FOUND();
      return this.toDebts('guild', row, now);
    }
    const code = this.properties.parseCode(query.renewalCode!, query.region);
    const row = await this.subjectRow('property', code.canonical);
    if (!row) throw BillingErrors.PROPERTY_NOT_FOUND();
    return this.toDebts('property', row, now);
  }

  /**
   * For the inquiry workflow: is the property's file settled (renewal, waste, and the guild
   * fees of the licences in it)? If not, one bill that settles all of it.
   */
  async fileStatus(renewalCode: string, now = new Date()): Promise<FileStatusDto> {
    const code = this.properties.parseCode(renewalCode);
    const row = await this.subjectRow('file', code.canonical);
    if (!row) throw BillingErrors.PROPERTY_NOT_FOUND();
    const debts = await this.toDebts('file', row, now);
    return { renewalCode: code.canonical, settled: debts.settled, totalRials: debts.totalRials, items: debts.items, bill: debts.bill };
  }

  /**
   * One round trip: the subject, its open demands, its open unexpired bills and — only when
   * there are open demands and no open bill at all — a fresh bill row id, so that issuing a
   * bill costs a single further statement.
   */
  private async subjectRow(kind: DebtSubjectKind, code: string): Promise<Row | undefined> {
    const params = [code, `${kind}:${code}`];
    // The public lookup reads on the pool as a prepared statement (src/database/prepared-read.ts);
    // the inquiry workflow's file check stays in its caller's unit of work.
    const [row] =
      kind === 'file'
        ? await this.em.execute<Row[]>(debtLookupSql(kind), params)
        : await preparedRead<Row>(this.em, this.config.database.preparedStatements, `billing.debts.${kind}`, debtLookupSql(kind), params);
    return row;
  }

  private async toDebts(kind: 'property' | 'guild' | 'file', row: Row, now: Date): Promise<DebtsDto> {
    const demands = jsonValue<OpenDemand[]>(row.demands);
    const openBills = jsonValue<OpenBill[]>(row.bills);
    const today = toJalali(now);
    const items: Array<BillItem & { dto: DebtItemDto }> = demands.map((d) => {
      const c = chargeOf(BigInt(d.amount), Number(d.year), today, d.penalty, d.discount);
      return {
        demandId: d.id,
        feeType: d.fee_type,
        jalaliYear: Number(d.year),
        subjectCode: d.code,
        principalRials: c.principal.toString(),
        penaltyRials: c.penalty.toString(),
        discountRials: c.discount.toString(),
        amountRials: c.amount.toString(),
        dto: {
          jalaliYear: Number(d.year),
          feeType: d.fee_type,
          subjectCode: d.code,
          principalRials: Number(c.principal),
          penaltyRials: Number(c.penalty),
          discountRials: Number(c.discount),
          amountRials: Number(c.amount),
        },
      };
    });
    const sum = (k: 'principalRials' | 'penaltyRials' | 'discountRials' | 'amountRials') => items.reduce((s, i) => s + BigInt(i[k]), 0n);
    const total = sum('amountRials');
    const scope = `${kind}:${String(row.code)}`;
    let bill: BillDto | null = null;
    const payable = roundDownToThousand(total);
    if (payable > 0n && payable <= BILL_MAX_AMOUNT_RIALS) {
      const billItems = items.map(({ dto: _dto, ...i }) => i);
      const hash = demandSetHash(scope, billItems);
      const reusable = openBills.find((b) => b.hash === hash && new Date(b.expiresAt).getTime() - now.getTime() > REUSE_MARGIN_MS);
      bill = reusable
        ? billDto(reusable.billId, reusable.paymentId, BigInt(reusable.amount), new Date(reusable.expiresAt))
        : await this.issueBill(scope, billItems, hash, total, payable, today, now, row.next_bill_row as string | null);
    }
    return {
      subjectType: kind === 'guild' ? 'guild' : 'property',
      subjectCode: String(row.code),
      region: Number(row.region),
      items: items.map((i) => i.dto),
      principalRials: Number(sum('principalRials')),
      penaltyRials: Number(sum('penaltyRials')),
      discountRials: Number(sum('discountRials')),
      totalRials: Number(total),
      settled: items.length === 0,
      bill,
    };
  }

  /** A new bill: the file code is the row id, so the bill ID is unique. */
  private async issueBill(
    scope: string,
    items: BillItem[],
    hash: string,
    total: bigint,
    payable: bigint,
    today: { jy: number; jm: number },
    now: Date,
    reservedId: string | null,
  ): Promise<BillDto> {
    const id =
      reservedId ??
      (await this.em.execute<Array<{ id: string }>>(`select nextval(pg_get_serial_sequence('billing_bill', 'id'))::text as id`))[0].id;
    const billId = buildBillId({ fileCode: id, companyCode: this.config.billing.companyCode, serviceType: BILL_SERVICE_TYPES.MUNICIPALITY });
    const paymentId = buildPaymentId({ billId, amountRials: payable, jalaliYear: today.jy, period: today.jm });
    const expiresAt = billExpiry(now, today, this.config.billing.billValidityDays);
    await this.em.execute(
      `insert into billing_bill (id, bill_id, payment_id, scope, demand_ids, demand_set_hash, items, total_rials, amount_rials,
                                 jalali_year, status, created_at, expires_at)
       values (?, ?, ?, ?, ?::uuid[], ?, ?::jsonb, ?, ?, ?, 'open', ?, ?)`,
      [id, billId, paymentId, scope, pgArray(items.map((i) => i.demandId)), hash, JSON.stringify(items), total.toString(), payable.toString(), today.jy, now, expiresAt],
    );
    return billDto(billId, paymentId, payable, expiresAt);
  }

  /**
   * A bill that can be paid now, for the payments flow (before starting a gateway payment).
   * Throws BILL_ID_INVALID, BILL_NOT_FOUND, BILL_ALREADY_PAID, BILL_NOT_PAYABLE or BILL_EXPIRED.
   */
  async getPayableBill(em: EntityManager, billId: string, now = new Date()): Promise<PayableBill> {
    const canonical = normalizeBillId(billId);
    if (!canonical) throw BillingErrors.BILL_ID_INVALID();
    const [b] = await em.execute<Row[]>(
      `select bill_id, payment_id, amount_rials::text as amount, expires_at, status, scope, items from billing_bill where bill_id = ?`,
      [canonical],
    );
    if (!b) throw BillingErrors.BILL_NOT_FOUND();
    if (b.status === 'paid') throw BillingErrors.BILL_ALREADY_PAID();
    if (b.status !== 'open') throw BillingErrors.BILL_NOT_PAYABLE();
    const expiresAt = new Date(b.expires_at as string);
    if (expiresAt.getTime() <= now.getTime()) throw BillingErrors.BILL_EXPIRED();
    return {
      billId: String(b.bill_id),
      paymentId: String(b.payment_id),
      amountRials: BigInt(String(b.amount)),
      expiresAt,
      scope: String(b.scope),
      items: jsonValue<BillItem[]>(b.items),
    };
  }

  /**
   * Settles a bill exactly once: locks the bill row (`select … for update`), checks status,
   * expiry (against `paidAt`) and amount, marks its demands paid and voids other open bills
   * that share them. Idempotent: the same channel + reference again returns the recorded
   * settlement with `replay: true`. Runs in `em`'s transaction when there is one (savepoint),
   * else in its own.
   */
  async settleBill(em: EntityManager, billId: string, input: SettleBillInput): Promise<SettledBill> {
    const canonical = normalizeBillId(billId);
    if (!canonical) throw BillingErrors.BILL_ID_INVALID();
    const amount = BigInt(input.amountRials);
    return em.transactional(async (tx) => {
      const [b] = await tx.execute<Row[]>(
        `select id::text as id, bill_id, payment_id, amount_rials::text as amount, status, created_at, expires_at, paid_at,
                paid_channel, payment_reference, demand_ids::text[] as demand_ids, scope
           from billing_bill where bill_id = ? for update`,
        [canonical],
      );
      if (!b) throw BillingErrors.BILL_NOT_FOUND();
      const demandIds = pgArrayOf(b.demand_ids);
      if (b.status === 'paid') {
        if (b.paid_channel === input.channel && b.payment_reference === input.reference) {
          return {
            billId: canonical,
            paymentId: String(b.payment_id),
            amountRials: BigInt(String(b.amount)),
            paidAt: new Date(b.paid_at as string),
            channel: input.channel,
            reference: input.reference,
            replay: true,
            demandIds,
          };
        }
        throw BillingErrors.BILL_ALREADY_PAID();
      }
      if (b.status !== 'open') throw BillingErrors.BILL_NOT_PAYABLE();
      if (input.paidAt.getTime() < new Date(b.created_at as string).getTime() - PAID_AT_SKEW_MS) throw BillingErrors.PAID_AT_BEFORE_BILL();
      if (input.paidAt.getTime() > new Date(b.expires_at as string).getTime()) throw BillingErrors.BILL_EXPIRED();
      if (amount !== BigInt(String(b.amount))) {
        throw BillingErrors.BILL_AMOUNT_MISMATCH({ extensions: { billAmountRials: Number(b.amount), paidAmountRials: Number(amount) } });
      }
      const [used] = await tx.execute<Row[]>(`select 1 as x from billing_bill where paid_channel = ? and payment_reference = ?`, [
        input.channel,
        input.reference,
      ]);
      if (used) throw BillingErrors.PAYMENT_REFERENCE_USED();
      const settled = await tx.execute<Row[]>(
        `update billing_demand set status = 'paid', paid_bill_id = ?, paid_at = ?, updated_at = now()
          where id = any(?::uuid[]) and status = 'open' returning id`,
        [b.id, input.paidAt, pgArray(demandIds)],
      );
      if (settled.length !== demandIds.length) throw BillingErrors.BILL_NOT_PAYABLE();
      await tx.execute(
        `update billing_bill set status = 'paid', paid_at = ?, paid_channel = ?, payment_reference = ?, paid_amount_rials = ? where id = ?`,
        [input.paidAt, input.channel, input.reference, amount.toString(), b.id],
      );
      await tx.execute(`update billing_bill set status = 'void' where status = 'open' and id <> ? and demand_ids && ?::uuid[]`, [
        b.id,
        pgArray(demandIds),
      ]);
      const result: SettledBill = {
        billId: canonical,
        paymentId: String(b.payment_id),
        amountRials: amount,
        paidAt: input.paidAt,
        channel: input.channel,
        reference: input.reference,
        replay: false,
        demandIds,
      };
      for (const listener of this.settlementListeners) await listener(tx, { ...result, scope: String(b.scope) });
      return result;
    });
  }

  /** Payment history of a property (renewal, waste) or a guild licence. */
  async history(actor: Actor, kind: 'property' | 'guild', code: string, citizenNationalId?: string): Promise<PaymentHistoryDto> {
    let subject: Row | undefined;
    if (kind === 'property') {
      // the property and its owners come from the properties module (billing does not read its tables)
      const records = await this.properties.inquiryRecords(this.properties.parseCode(code).canonical);
      if (!records) throw BillingErrors.PROPERTY_NOT_FOUND();
      subject = {
        id: records.id,
        code: records.summary.renewalCode,
        region: records.summary.region,
        owned: citizenNationalId !== undefined && records.owners.some((o) => o.nationalId === citizenNationalId),
      };
    } else {
      [subject] = await this.em.execute<Row[]>(
        `select g.id, g.guild_code as code, g.region, (g.owner_national_id = ?) as owned from guild_licence g where g.guild_code = ?`,
        [citizenNationalId ?? '', code.toUpperCase()],
      );
      if (!subject) throw BillingErrors.GUILD_NOT_FOUND();
    }
    const allowed = (actor.type === 'citizen' && subject.owned === true) || canStaffSee(actor, Number(subject.region));
    // a subject the caller may not see answers as if it did not exist
    if (!allowed) throw kind === 'property' ? BillingErrors.PROPERTY_NOT_FOUND() : BillingErrors.GUILD_NOT_FOUND();
    const rows = await this.em.execute<Row[]>(
      `select b.bill_id, b.payment_id, b.paid_amount_rials::text as amount, b.paid_at, b.paid_channel,
              json_agg(json_build_object('year', d.jalali_year, 'fee_type', d.fee_type, 'code', d.subject_code,
                                         'item', (select i from jsonb_array_elements(b.items) i where i->>'demandId' = d.id::text))
                       order by d.jalali_year, d.fee_type) as demands
         from billing_demand d join billing_bill b on b.id = d.paid_bill_id
        where ${kind === 'property' ? `d.property_id = ? and d.fee_type <> 'guild'` : `d.subject_id = ?`} and d.status = 'paid'
        group by b.id order by b.paid_at desc`,
      [subject.id],
    );
    return {
      subjectCode: String(subject.code),
      items: rows.map((r) => ({
        billId: String(r.bill_id),
        paymentId: String(r.payment_id),
        amountRials: Number(r.amount),
        paidAt: new Date(r.paid_at as string).toISOString(),
        paidAtJalali: formatJalali(new Date(r.paid_at as string), { time: true }),
        channel: String(r.paid_channel),
        items: jsonValue<Array<{ year: number; fee_type: string; code: string; item: BillItem | null }>>(r.demands).map((d) => ({
          jalaliYear: Number(d.year),
          feeType: d.fee_type,
          subjectCode: d.code,
          principalRials: Number(d.item?.principalRials ?? 0),
          penaltyRials: Number(d.item?.penaltyRials ?? 0),
          discountRials: Number(d.item?.discountRials ?? 0),
          amountRials: Number(d.item?.amountRials ?? 0),
        })),
      })),
    };
  }

  /** Demands of a property (renewal, waste and its guild units) or a guild licence, with amendments (staff). */
  async demands(actor: Actor, query: { renewalCode?: string; guildCode?: string }): Promise<DemandDto[]> {
    if (!query.renewalCode === !query.guildCode) throw BillingErrors.DEBT_QUERY_INVALID();
    const where = query.renewalCode
      ? `d.property_id = (select id from property where renewal_code = ?)`
      : `d.subject_id = (select id from guild_licence where guild_code = ?)`;
    const param = query.renewalCode ? this.properties.parseCode(query.renewalCode).canonical : query.guildCode!.toUpperCase();
    const rows = await this.em.execute<Row[]>(
      `select d.*, d.amount_rials::text as amount, d.assessed_rials::text as assessed,
              (select coalesce(json_agg(json_build_object('kind', a.kind, 'reasonCode', a.reason_code, 'note', a.note,
                        'previousRials', a.previous_rials, 'newRials', a.new_rials, 'at', a.created_at, 'actorType', a.actor_type,
                        'actorId', a.actor_id) order by a.created_at), '[]'::json)
                 from billing_demand_amendment a where a.demand_id = d.id) as amendments
         from billing_demand d where ${where} order by d.jalali_year desc, d.fee_type`,
      [param],
    );
    return rows
      .filter((r) => canStaffSee(actor, Number(r.region)))
      .map((r) => ({
        id: String(r.id),
        feeType: String(r.fee_type),
        subjectCode: String(r.subject_code),
        jalaliYear: Number(r.jalali_year),
        amountRials: Number(r.amount),
        assessedRials: Number(r.assessed),
        status: String(r.status),
        tariffId: String(r.tariff_id),
        snapshot: jsonValue<Record<string, unknown>>(r.snapshot),
        amendments: jsonValue<Array<Record<string, unknown>>>(r.amendments),
      }));
  }

  /**
   * Write-off, correction or court ruling of an open demand: the demand's principal changes,
   * an amendment row keeps the previous amount and reason, open bills that include it are
   * voided, and the change is audited. Nothing is deleted.
   */
  async amend(actor: Actor, demandId: string, dto: AmendDemandDto): Promise<DemandDto> {
    const newAmount = dto.kind === AmendmentKind.WriteOff ? 0n : dto.newAmountRials === undefined ? null : BigInt(dto.newAmountRials);
    if (newAmount === null || (dto.kind === AmendmentKind.WriteOff && dto.newAmountRials !== undefined && dto.newAmountRials !== 0)) {
      throw BillingErrors.AMENDMENT_INVALID();
    }
    const result = await this.em.fork().transactional(async (tx) => {
      const [d] = await tx.execute<Row[]>(
        `select id, status, region, amount_rials::text as amount, subject_code, fee_type, jalali_year from billing_demand where id = ? for update`,
        [demandId],
      );
      if (!d || !canStaffSee(actor, Number(d.region))) throw BillingErrors.DEMAND_NOT_FOUND();
      if (d.status !== 'open') throw BillingErrors.DEMAND_NOT_AMENDABLE();
      const status = newAmount === 0n ? 'written_off' : 'open';
      await tx.execute(`update billing_demand set amount_rials = ?, status = ?, updated_at = now() where id = ?`, [newAmount.toString(), status, demandId]);
      await tx.execute(
        `insert into billing_demand_amendment (id, created_at, updated_at, demand_id, kind, reason_code, note, previous_rials, new_rials, actor_type, actor_id)
         values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?, ?, ?, ?)`,
        [demandId, dto.kind, dto.reasonCode, dto.note ?? null, String(d.amount), newAmount.toString(), actor.type, actor.id],
      );
      const voided = await tx.execute<Row[]>(
        `update billing_bill set status = 'void' where status = 'open' and demand_ids && ?::uuid[] returning bill_id`,
        [pgArray([demandId])],
      );
      await run(tx, this.audit.record({
        action: 'billing.demand.amended',
        target: { type: 'billing_demand', id: demandId },
        before: { amountRials: String(d.amount), status: d.status },
        after: { amountRials: newAmount.toString(), status },
        metadata: { kind: dto.kind, reasonCode: dto.reasonCode, note: dto.note ?? null, voidedBills: voided.map((v) => v.bill_id) },
      }));
      await tx.flush();
      return { code: String(d.subject_code), fee: String(d.fee_type) };
    });
    const list = await this.demands(actor, result.fee === 'guild' ? { guildCode: result.code } : { renewalCode: result.code });
    return list.find((x) => x.id === demandId)!;
  }
}

function canStaffSee(actor: Actor, region: number): boolean {
  return actor.type === 'staff' && (actor.roles?.includes('finance_officer') === true || canAccessRegion(actor, region));
}

export function billDto(billId: string, paymentId: string, amount: bigint, expiresAt: Date): BillDto {
  return {
    billId,
    paymentId,
    barcode: buildBarcode(billId, paymentId),
    amountRials: Number(amount),
    expiresAt: expiresAt.toISOString(),
    expiresAtJalali: formatJalali(expiresAt, { time: true }),
  };
}


