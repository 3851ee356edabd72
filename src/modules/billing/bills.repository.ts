import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { pgArray, pgArrayOf } from '../../database/pg-array';
import { cte, type Cte, firstRow, query, type Query, type Row, statement, withCtes } from '../../database/sql';
import { PropertyBillingFacts } from '../properties/billing-facts.read-model';
import type { BillItem } from './entities/bill.entity';
import type { DiscountRule, PenaltyRule } from './domain/tariff';
import { GuildLicencesRepository } from './guild-licences.repository';

export type DebtSubjectKind = 'property' | 'guild' | 'file';

/** An open demand of the subject, as the debt lookup returns it. */
export interface OpenDemand {
  id: string;
  feeType: string;
  year: number;
  code: string;
  amount: bigint;
  penalty: PenaltyRule;
  discount: DiscountRule;
}

/** An open, unexpired bill of the subject, as the debt lookup returns it. */
export interface OpenBill {
  billId: string;
  paymentId: string;
  hash: string;
  amount: bigint;
  expiresAt: Date;
}

/** The debt lookup's answer: the subject, its open demands and bills, and a bill row id reserved when one must be issued. */
export interface DebtLookup {
  code: string;
  region: number;
  demands: OpenDemand[];
  bills: OpenBill[];
  nextBillRow: string | null;
}

/** A new bill as inserted. */
export interface NewBill {
  id: string;
  billId: string;
  paymentId: string;
  scope: string;
  items: BillItem[];
  hash: string;
  totalRials: bigint;
  amountRials: bigint;
  jalaliYear: number;
  createdAt: Date;
  expiresAt: Date;
}

/** A bill as the payments flow reads it before starting a payment. */
export interface BillForPayment {
  billId: string;
  paymentId: string;
  amountRials: bigint;
  expiresAt: Date;
  status: string;
  scope: string;
  items: BillItem[];
}

/** A bill locked for settlement. */
export interface LockedBill {
  id: string;
  billId: string;
  paymentId: string;
  amountRials: bigint;
  status: string;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
  paidChannel: string | null;
  paymentReference: string | null;
  demandIds: string[];
  scope: string;
}

/** A paid bill in a subject's payment history, with its demands' items as billed. */
export interface PaidBill {
  billId: string;
  paymentId: string;
  amountRials: bigint;
  paidAt: Date;
  channel: string;
  /** The receipt number: the bank's reference or the gateway's trace number. */
  reference: string | null;
  demands: Array<{ year: number; feeType: string; code: string; item: BillItem | null }>;
}

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/** The subject CTE's fixed name: the public lookup is a prepared statement, its text must not change. */
const SUBJECT = 'subject';

/**
 * Every statement on `billing_bill`, and the debt lookup (the hot path: one statement for
 * the subject, its open demands and bills).
 */
@Injectable()
export class BillsRepository {
  constructor(
    private readonly properties: PropertyBillingFacts,
    private readonly guilds: GuildLicencesRepository,
  ) {}

  /**
   * One statement: the subject (a property by renewal code, from the properties module's
   * read model, or a guild licence), its open demands, its open unexpired bills (of this
   * scope, or a property or file bill sharing a demand: an inquiry's file bill is offered again
   * by the public lookup when it covers the same debt set; guild-scoped bills are not offered
   * across scopes, their settlement does not name the property whose inquiries it moves on) and — only
   * when there are open demands and no open bill at all — a fresh bill row id, so that
   * issuing a bill costs a single further statement. Parameters in order: the code, then the
   * bill scope `<kind>:<code>` (the benchmark's bare server binds them itself).
   */
  debtLookup(kind: DebtSubjectKind, code: string): Query<DebtLookup | undefined> {
    const subject: Cte = cte(kind === 'guild' ? this.guilds.subjectByCode(code) : this.properties.subjectByCode(code), SUBJECT);
    const s = subject.name;
    const match =
      kind === 'guild' ? `d.subject_id = ${s}.id` : kind === 'property' ? `d.property_id = ${s}.id and d.fee_type <> 'guild'` : `d.property_id = ${s}.id`;
    const demands = cte(
      statement(
        `select count(*)::int as n, coalesce(array_agg(d.id), '{}'::uuid[]) as ids,
                coalesce(json_agg(json_build_object('id', d.id, 'fee_type', d.fee_type, 'year', d.jalali_year, 'code', d.subject_code,
                                  'amount', d.amount_rials::text, 'penalty', d.snapshot->'penalty', 'discount', d.snapshot->'discount')
                         order by d.jalali_year, d.fee_type, d.subject_code), '[]'::json) as demands
           from billing_demand d join ${s} on ${match} where d.status = 'open'`,
        [],
      ),
      'open_demands',
    );
    const bills = cte(
      statement(
        `select count(*)::int as n,
                coalesce(json_agg(json_build_object('billId', b.bill_id, 'paymentId', b.payment_id, 'hash', b.demand_set_hash,
                                  'amount', b.amount_rials::text, 'expiresAt', b.expires_at)), '[]'::json) as bills
           from billing_bill b
          where b.status = 'open' and b.expires_at > now()
            and (b.scope = ? or (split_part(b.scope, ':', 1) in ('property', 'file') and b.demand_ids && (select ids from ${demands.name})))`,
        [`${kind}:${code}`],
      ),
      'open_bills',
    );
    return withCtes(
      [subject, demands, bills],
      query(
        `select s.code, s.region, d.demands, b.bills,
                case when d.n > 0 and b.n = 0 then nextval(pg_get_serial_sequence('billing_bill', 'id'))::text end as next_bill_row
           from ${s} s, ${demands.name} d, ${bills.name} b`,
        [],
        firstRow(debtLookupRow),
      ),
    );
  }

  /** A fresh bill row id (also the bill ID's file code). */
  nextId(): Query<string> {
    return query(`select nextval(pg_get_serial_sequence('billing_bill', 'id'))::text as id`, [], (rows) => String(rows[0].id));
  }

  insert(b: NewBill): Query<void> {
    return statement(
      `insert into billing_bill (id, bill_id, payment_id, scope, demand_ids, demand_set_hash, items, total_rials, amount_rials,
                                 jalali_year, status, created_at, expires_at)
       values (?, ?, ?, ?, ?::uuid[], ?, ?::jsonb, ?, ?, ?, 'open', ?, ?)`,
      [
        b.id,
        b.billId,
        b.paymentId,
        b.scope,
        pgArray(b.items.map((i) => i.demandId)),
        b.hash,
        JSON.stringify(b.items),
        b.totalRials.toString(),
        b.amountRials.toString(),
        b.jalaliYear,
        b.createdAt,
        b.expiresAt,
      ],
    );
  }

  /** A bill by its (canonical) bill ID, for paying it. */
  forPayment(billId: string): Query<BillForPayment | undefined> {
    return query(
      `select bill_id, payment_id, amount_rials::text as amount, expires_at, status, scope, items from billing_bill where bill_id = ?`,
      [billId],
      (rows) =>
        rows[0] && {
          billId: String(rows[0].bill_id),
          paymentId: String(rows[0].payment_id),
          amountRials: BigInt(String(rows[0].amount)),
          expiresAt: date(rows[0].expires_at),
          status: String(rows[0].status),
          scope: String(rows[0].scope),
          items: jsonValue<BillItem[]>(rows[0].items),
        },
    );
  }

  /** A bill's payment ID (undefined: no such bill). */
  paymentIdOf(billId: string): Query<string | undefined> {
    return query(`select payment_id from billing_bill where bill_id = ?`, [billId], (rows) => (rows[0] ? String(rows[0].payment_id) : undefined));
  }

  /** A bill's items (empty: no such bill). */
  itemsOf(billId: string): Query<BillItem[]> {
    return query(`select items from billing_bill where bill_id = ?`, [billId], (rows) => (rows[0] ? jsonValue<BillItem[]>(rows[0].items) : []));
  }

  /** The bill, locked until the caller's transaction ends (`for update`). */
  lockForSettlement(billId: string): Query<LockedBill | undefined> {
    return query(
      `select id::text as id, bill_id, payment_id, amount_rials::text as amount, status, created_at, expires_at, paid_at,
              paid_channel, payment_reference, demand_ids::text[] as demand_ids, scope
         from billing_bill where bill_id = ? for update`,
      [billId],
      (rows) => {
        const b = rows[0];
        return (
          b && {
            id: String(b.id),
            billId: String(b.bill_id),
            paymentId: String(b.payment_id),
            amountRials: BigInt(String(b.amount)),
            status: String(b.status),
            createdAt: date(b.created_at),
            expiresAt: date(b.expires_at),
            paidAt: b.paid_at == null ? null : date(b.paid_at),
            paidChannel: (b.paid_channel as string | null) ?? null,
            paymentReference: (b.payment_reference as string | null) ?? null,
            demandIds: pgArrayOf(b.demand_ids),
            scope: String(b.scope),
          }
        );
      },
    );
  }

  /** Whether a bill was already settled with this channel and reference. */
  referenceUsed(channel: string, reference: string): Query<boolean> {
    return query(`select 1 as x from billing_bill where paid_channel = ? and payment_reference = ?`, [channel, reference], (rows) => rows.length > 0);
  }

  markPaid(id: string, paid: { at: Date; channel: string; reference: string; amountRials: bigint }): Query<void> {
    return statement(`update billing_bill set status = 'paid', paid_at = ?, paid_channel = ?, payment_reference = ?, paid_amount_rials = ? where id = ?`, [
      paid.at,
      paid.channel,
      paid.reference,
      paid.amountRials.toString(),
      id,
    ]);
  }

  /** Voids the open bills (other than `exceptId`) that include any of these demands; the voided bill IDs. */
  voidOpenWith(demandIds: string[], exceptId?: string): Query<string[]> {
    return query(
      `update billing_bill set status = 'void' where status = 'open' and demand_ids && ?::uuid[]${exceptId === undefined ? '' : ' and id <> ?'} returning bill_id`,
      exceptId === undefined ? [pgArray(demandIds)] : [pgArray(demandIds), exceptId],
      (rows) => rows.map((r) => String(r.bill_id)),
    );
  }

  /** The paid bills of a subject (a property's renewal and waste, or a guild licence's fee), newest first. */
  paidFor(kind: 'property' | 'guild', subjectId: string): Query<PaidBill[]> {
    return query(
      `select b.bill_id, b.payment_id, b.paid_amount_rials::text as amount, b.paid_at, b.paid_channel, b.payment_reference,
              json_agg(json_build_object('year', d.jalali_year, 'feeType', d.fee_type, 'code', d.subject_code,
                                         'item', (select i from jsonb_array_elements(b.items) i where i->>'demandId' = d.id::text))
                       order by d.jalali_year, d.fee_type) as demands
         from billing_demand d join billing_bill b on b.id = d.paid_bill_id
        where ${kind === 'property' ? `d.property_id = ? and d.fee_type <> 'guild'` : `d.subject_id = ?`} and d.status = 'paid'
        group by b.id order by b.paid_at desc`,
      [subjectId],
      (rows) =>
        rows.map((r) => ({
          billId: String(r.bill_id),
          paymentId: String(r.payment_id),
          amountRials: BigInt(String(r.amount)),
          paidAt: date(r.paid_at),
          channel: String(r.paid_channel),
          reference: (r.payment_reference as string | null) ?? null,
          demands: jsonValue<Array<{ year: number; feeType: string; code: string; item: BillItem | null }>>(r.demands).map((d) => ({
            year: Number(d.year),
            feeType: d.feeType,
            code: d.code,
            item: d.item ?? null,
          })),
        })),
    );
  }
}

function debtLookupRow(r: Row): DebtLookup {
  const demands = jsonValue<Array<{ id: string; fee_type: string; year: number; code: string; amount: string; penalty: PenaltyRule; discount: DiscountRule }>>(
    r.demands,
  );
  const bills = jsonValue<Array<{ billId: string; paymentId: string; hash: string; amount: string; expiresAt: string }>>(r.bills);
  return {
    code: String(r.code),
    region: Number(r.region),
    demands: demands.map((d) => ({
      id: d.id,
      feeType: d.fee_type,
      year: Number(d.year),
      code: d.code,
      amount: BigInt(d.amount),
      penalty: d.penalty,
      discount: d.discount,
    })),
    bills: bills.map((b) => ({ billId: b.billId, paymentId: b.paymentId, hash: b.hash, amount: BigInt(b.amount), expiresAt: new Date(b.expiresAt) })),
    nextBillRow: (r.next_bill_row as string | null) ?? null,
  };
}
