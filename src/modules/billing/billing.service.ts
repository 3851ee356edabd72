import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Actor, canAccessRegion, pageMeta, pageOffset } from '@app/common';
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
import { AuditService } from '../audit/audit.service';
import { PropertiesService } from '../properties/properties.service';
import { BillingErrors } from './billing.errors';
import { billExpiry, demandSetHash } from './domain/bills';
import { chargeOf, roundDownToThousand } from './domain/charges';
import { AmendDemandDto, DemandDto, DemandPageDto, DemandsQuery } from './dto/admin.dto';
import { BillDto, DebtItemDto, DebtsDto, DebtsQuery, FileStatusDto, PaymentHistoryDto, PublicPaymentHistoryDto, PublicPaymentHistoryQuery } from './dto/debts.dto';
import { AmendmentKind } from './entities/demand-amendment.entity';
import type { BillItem } from './entities/bill.entity';
import { ReadPool } from '../../database/read-pool';
import { type Query, run, runAll, runPage } from '../../database/sql';
import { BillsRepository, type DebtLookup, type DebtSubjectKind } from './bills.repository';
import { type DemandRecord, DemandsRepository } from './demands.repository';
import { GuildLicencesRepository } from './guild-licences.repository';
import { TariffsRepository } from './tariffs.repository';

export type { DebtSubjectKind } from './bills.repository';

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

/**
 * Asked inside settleBill's transaction after a bill was settled for the first time (never
 * for a replay): a listener returns its writes as queries (e.g. a job, `JobsService.enqueue`),
 * which settleBill runs in its transaction, so they commit or roll back with the settlement
 * (the same shape as the inquiry workflow's `TransitionListener`). Registered with
 * `BillingService.onSettled` (the desk moves inquiries awaiting payment on; the organization
 * API tells the organizations following them).
 */
export type SettlementListener = (settled: SettledBill & { scope: string }) => Query<unknown>[];

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
    private readonly reads: ReadPool,
    private readonly properties: PropertiesService,
    private readonly audit: AuditService,
    private readonly bills: BillsRepository,
    private readonly demandsRepo: DemandsRepository,
    private readonly guilds: GuildLicencesRepository,
    private readonly tariffs: TariffsRepository,
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
    const tariff = await run(tx, this.tariffs.latestInquiryFees(year));
    const fee = Number((input.type === 'office' ? tariff?.officeRials : tariff?.notaryRials) ?? 0);
    if (!tariff || !(fee > 0)) return 0;
    const none = { monthlyBp: 0, maxBp: 0 };
    await run(
      tx,
      this.demandsRepo.insertInquiryFee({
        inquiryId: input.inquiryId,
        renewalCode: input.renewalCode,
        propertyId: input.propertyId,
        region: input.region,
        jalaliYear: year,
        feeRials: BigInt(fee),
        tariffId: tariff.tariffId,
        snapshot: { inquiryType: input.type, feeRials: fee, penalty: none, discount: { percentBp: 0, untilMonth: 0 } },
      }),
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
  private async subjectRow(kind: DebtSubjectKind, code: string): Promise<DebtLookup | undefined> {
    const q = this.bills.debtLookup(kind, code);
    // the public lookup reads on the read pool; the inquiry workflow's file check stays in its caller's unit of work
    return kind === 'file' ? run(this.em, q) : this.reads.run(q);
  }

  private async toDebts(kind: 'property' | 'guild' | 'file', row: DebtLookup, now: Date): Promise<DebtsDto> {
    const today = toJalali(now);
    const items: Array<BillItem & { dto: DebtItemDto }> = row.demands.map((d) => {
      const c = chargeOf(d.amount, d.year, today, d.penalty, d.discount);
      return {
        demandId: d.id,
        feeType: d.feeType,
        jalaliYear: d.year,
        subjectCode: d.code,
        principalRials: c.principal.toString(),
        penaltyRials: c.penalty.toString(),
        discountRials: c.discount.toString(),
        amountRials: c.amount.toString(),
        dto: {
          jalaliYear: d.year,
          feeType: d.feeType,
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
    const scope = `${kind}:${row.code}`;
    let bill: BillDto | null = null;
    const payable = roundDownToThousand(total);
    if (payable > 0n && payable <= BILL_MAX_AMOUNT_RIALS) {
      const billItems = items.map(({ dto: _dto, ...i }) => i);
      const hash = demandSetHash(billItems);
      const reusable = row.bills.find((b) => b.hash === hash && b.expiresAt.getTime() - now.getTime() > REUSE_MARGIN_MS);
      bill = reusable
        ? billDto(reusable.billId, reusable.paymentId, reusable.amount, reusable.expiresAt)
        : await this.issueBill(scope, billItems, hash, total, payable, today, now, row.nextBillRow);
    }
    return {
      subjectType: kind === 'guild' ? 'guild' : 'property',
      subjectCode: row.code,
      region: row.region,
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
    const id = reservedId ?? (await run(this.em, this.bills.nextId()));
    const billId = buildBillId({ fileCode: id, companyCode: this.config.billing.companyCode, serviceType: BILL_SERVICE_TYPES.MUNICIPALITY });
    const paymentId = buildPaymentId({ billId, amountRials: payable, jalaliYear: today.jy, period: today.jm });
    const expiresAt = billExpiry(now, today, this.config.billing.billValidityDays);
    await run(
      this.em,
      this.bills.insert({ id, billId, paymentId, scope, items, hash, totalRials: total, amountRials: payable, jalaliYear: today.jy, createdAt: now, expiresAt }),
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
    const b = await run(em, this.bills.forPayment(canonical));
    if (!b) throw BillingErrors.BILL_NOT_FOUND();
    if (b.status === 'paid') throw BillingErrors.BILL_ALREADY_PAID();
    if (b.status !== 'open') throw BillingErrors.BILL_NOT_PAYABLE();
    if (b.expiresAt.getTime() <= now.getTime()) throw BillingErrors.BILL_EXPIRED();
    return { billId: b.billId, paymentId: b.paymentId, amountRials: b.amountRials, expiresAt: b.expiresAt, scope: b.scope, items: b.items };
  }

  /** The items of a bill as issued (empty: no such bill), e.g. for a payment's receipt. */
  billItems(billId: string): Promise<BillItem[]> {
    return run(this.em, this.bills.itemsOf(billId));
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
      const b = await run(tx, this.bills.lockForSettlement(canonical));
      if (!b) throw BillingErrors.BILL_NOT_FOUND();
      const demandIds = b.demandIds;
      if (b.status === 'paid') {
        if (b.paidChannel === input.channel && b.paymentReference === input.reference) {
          return {
            billId: canonical,
            paymentId: b.paymentId,
            amountRials: b.amountRials,
            paidAt: b.paidAt!,
            channel: input.channel,
            reference: input.reference,
            replay: true,
            demandIds,
          };
        }
        throw BillingErrors.BILL_ALREADY_PAID();
      }
      if (b.status !== 'open') throw BillingErrors.BILL_NOT_PAYABLE();
      if (input.paidAt.getTime() < b.createdAt.getTime() - PAID_AT_SKEW_MS) throw BillingErrors.PAID_AT_BEFORE_BILL();
      if (input.paidAt.getTime() > b.expiresAt.getTime()) throw BillingErrors.BILL_EXPIRED();
      if (amount !== b.amountRials) {
        throw BillingErrors.BILL_AMOUNT_MISMATCH({ extensions: { billAmountRials: Number(b.amountRials), paidAmountRials: Number(amount) } });
      }
      if (await run(tx, this.bills.referenceUsed(input.channel, input.reference))) throw BillingErrors.PAYMENT_REFERENCE_USED();
      const settled = await run(tx, this.demandsRepo.markPaid(demandIds, b.id, input.paidAt));
      if (settled.length !== demandIds.length) throw BillingErrors.BILL_NOT_PAYABLE();
      await run(tx, this.bills.markPaid(b.id, { at: input.paidAt, channel: input.channel, reference: input.reference, amountRials: amount }));
      await run(tx, this.bills.voidOpenWith(demandIds, b.id));
      const result: SettledBill = {
        billId: canonical,
        paymentId: b.paymentId,
        amountRials: amount,
        paidAt: input.paidAt,
        channel: input.channel,
        reference: input.reference,
        replay: false,
        demandIds,
      };
      const writes = this.settlementListeners.flatMap((listener) => listener({ ...result, scope: b.scope }));
      if (writes.length) await runAll(tx, writes);
      return result;
    });
  }

  /**
   * The public payment history (the guides' public service): by renewal code + region or by
   * guild code, as for `/debts`; amounts, dates, channel and receipt numbers, nothing about
   * who paid or owns the subject.
   */
  async publicHistory(query: PublicPaymentHistoryQuery): Promise<PublicPaymentHistoryDto> {
    const hasCode = query.renewalCode !== undefined && query.renewalCode !== '';
    const hasGuild = query.guildCode !== undefined && query.guildCode !== '';
    if (hasCode === hasGuild || (hasCode && query.region === undefined)) throw BillingErrors.DEBT_QUERY_INVALID();
    let subject: { kind: 'property' | 'guild'; id: string; code: string; region: number };
    if (hasCode) {
      const records = await run(this.em, this.properties.inquiryRecords(this.properties.parseCode(query.renewalCode!, query.region).canonical));
      if (!records) throw BillingErrors.PROPERTY_NOT_FOUND();
      subject = { kind: 'property', id: records.id, code: records.summary.renewalCode, region: records.summary.region };
    } else {
      const guild = await run(this.em, this.guilds.withOwnership(query.guildCode!.toUpperCase(), ''));
      if (!guild) throw BillingErrors.GUILD_NOT_FOUND();
      subject = { kind: 'guild', id: guild.id, code: guild.code, region: guild.region };
    }
    const paid = await run(this.em, this.bills.paidFor(subject.kind, subject.id));
    return {
      subjectType: subject.kind,
      subjectCode: subject.code,
      region: subject.region,
      items: paid.map((p) => ({
        amountRials: Number(p.amountRials),
        paidAt: p.paidAt.toISOString(),
        paidAtJalali: formatJalali(p.paidAt, { time: true }),
        channel: p.channel,
        receiptNumber: receiptNumberOf(p.reference),
        items: p.demands.map((d) => ({ jalaliYear: d.year, feeType: d.feeType, subjectCode: d.code, amountRials: Number(d.item?.amountRials ?? 0) })),
      })),
    };
  }

  /** Payment history of a property (renewal, waste) or a guild licence. */
  async history(actor: Actor, kind: 'property' | 'guild', code: string, citizenNationalId?: string): Promise<PaymentHistoryDto> {
    let subject: { id: string; code: string; region: number; owned: boolean } | undefined;
    if (kind === 'property') {
      // the property and its owners come from the properties module (billing does not read its tables)
      const records = await run(this.em, this.properties.inquiryRecords(this.properties.parseCode(code).canonical));
      if (!records) throw BillingErrors.PROPERTY_NOT_FOUND();
      subject = {
        id: records.id,
        code: records.summary.renewalCode,
        region: records.summary.region,
        owned: citizenNationalId !== undefined && records.owners.some((o) => o.nationalId === citizenNationalId),
      };
    } else {
      subject = await run(this.em, this.guilds.withOwnership(code.toUpperCase(), citizenNationalId ?? ''));
      if (!subject) throw BillingErrors.GUILD_NOT_FOUND();
    }
    const allowed = (actor.type === 'citizen' && subject.owned === true) || canStaffSee(actor, subject.region);
    // a subject the caller may not see answers as if it did not exist
    if (!allowed) throw kind === 'property' ? BillingErrors.PROPERTY_NOT_FOUND() : BillingErrors.GUILD_NOT_FOUND();
    const paid = await run(this.em, this.bills.paidFor(kind, subject.id));
    return {
      subjectCode: subject.code,
      items: paid.map((p) => ({
        billId: p.billId,
        paymentId: p.paymentId,
        amountRials: Number(p.amountRials),
        paidAt: p.paidAt.toISOString(),
        paidAtJalali: formatJalali(p.paidAt, { time: true }),
        channel: p.channel,
        receiptNumber: receiptNumberOf(p.reference),
        items: p.demands.map((d) => ({
          jalaliYear: d.year,
          feeType: d.feeType,
          subjectCode: d.code,
          principalRials: Number(d.item?.principalRials ?? 0),
          penaltyRials: Number(d.item?.penaltyRials ?? 0),
          discountRials: Number(d.item?.discountRials ?? 0),
          amountRials: Number(d.item?.amountRials ?? 0),
        })),
      })),
    };
  }

  /** A page of the demands of a property (renewal, waste and its guild units) or a guild licence, with amendments (staff: those of their regions). */
  async demands(actor: Actor, query: DemandsQuery): Promise<DemandPageDto> {
    if (!query.renewalCode === !query.guildCode) throw BillingErrors.DEBT_QUERY_INVALID();
    const { limit, offset } = pageOffset(query);
    const subject = query.renewalCode ? { renewalCode: this.properties.parseCode(query.renewalCode).canonical } : { guildCode: query.guildCode!.toUpperCase() };
    const regions = visibleRegions(actor);
    const page = await runPage(this.em, (l, o) => this.demandsRepo.pageForSubject(subject, regions, l, o), limit, offset);
    return { items: page.items.map(demandDto), meta: pageMeta(query, page.total) };
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
    await this.em.fork().transactional(async (tx) => {
      const d = await run(tx, this.demandsRepo.lockForAmendment(demandId));
      if (!d || !canStaffSee(actor, d.region)) throw BillingErrors.DEMAND_NOT_FOUND();
      if (d.status !== 'open') throw BillingErrors.DEMAND_NOT_AMENDABLE();
      const status = newAmount === 0n ? 'written_off' : 'open';
      const [, , voided] = await runAll(tx, [
        this.demandsRepo.setAmount(demandId, newAmount, status),
        this.demandsRepo.insertAmendment({
          demandId,
          kind: dto.kind,
          reasonCode: dto.reasonCode,
          note: dto.note ?? null,
          previousRials: d.amountRials,
          newRials: newAmount,
          actorType: actor.type,
          actorId: actor.id,
        }),
        this.bills.voidOpenWith([demandId]),
      ]);
      await run(tx, this.audit.record({
        action: 'billing.demand.amended',
        target: { type: 'billing_demand', id: demandId },
        before: { amountRials: d.amountRials.toString(), status: d.status },
        after: { amountRials: newAmount.toString(), status },
        metadata: { kind: dto.kind, reasonCode: dto.reasonCode, note: dto.note ?? null, voidedBills: voided },
      }));
      await tx.flush();
    });
    return demandDto((await run(this.em, this.demandsRepo.byId(demandId)))!);
  }
}

/** The regions whose demands the staff member sees (null: every region; finance officers and admins). */
function visibleRegions(actor: Actor): number[] | null {
  if (actor.type !== 'staff') return [];
  if (actor.roles?.includes('finance_officer') || actor.roles?.includes('admin')) return null;
  return actor.regions ?? [];
}

function demandDto(r: DemandRecord): DemandDto {
  return {
    id: r.id,
    feeType: r.feeType,
    subjectCode: r.subjectCode,
    jalaliYear: r.jalaliYear,
    amountRials: Number(r.amountRials),
    assessedRials: Number(r.assessedRials),
    status: r.status,
    tariffId: r.tariffId,
    snapshot: r.snapshot,
    amendments: r.amendments,
  };
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

/**
 * The receipt number a payer sees: the stored reference is `<source>:<reference>` (the
 * reporting organization's id or the gateway's name, then the bank's reference or trace
 * number), unique per source; the source is internal and is left out.
 */
export function receiptNumberOf(reference: string | null): string | null {
  if (reference === null) return null;
  const at = reference.indexOf(':');
  return at < 0 ? reference : reference.slice(at + 1);
}
