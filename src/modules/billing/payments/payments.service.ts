import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DomainError, isUuid, pageMeta, pageOffset } from '@app/common';
import { amountToPersianWords, formatJalali } from '@app/iran';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { API_PREFIX } from '../../../config/api-prefix';
import { JobsService } from '../../jobs/jobs.service';
import { clientKey, RateLimitService } from '../../rate-limit/rate-limit.service';
import { BillingService } from '../billing.service';
import type { BillItem } from '../entities/bill.entity';
import { GatewayErrors } from '../gateways/gateway.errors';
import { GatewayCallback, GatewayName, GatewayVerifyResult, PAYMENT_GATEWAYS, PaymentGateway } from '../gateways/payment-gateway';
import { Payment, PaymentStatus } from './payment.entity';
import { AdminPaymentDto, AdminPaymentPageDto, AdminPaymentsQuery, CreatePaymentDto, PaymentStartedDto, PaymentStatusDto, ReceiptDto } from './payments.dto';
import { PaymentErrors } from './payments.errors';
import { allowedReturnOrigins, checkReturnUrl, publicBaseUrl, returnUrlFor } from './public-url';
import { jsonValue } from '../../../database/json-value';

export const PAYMENT_RECONCILE_QUEUE = 'payments.reconcile';

type Row = Record<string, unknown>;
/** Errors of settleBill after which the verified money must go back to the payer. */
const REVERSE_ON = new Set(['BILL_EXPIRED', 'BILL_ALREADY_PAID', 'BILL_NOT_PAYABLE', 'BILL_AMOUNT_MISMATCH', 'BILL_NOT_FOUND']);
/**
 * How long after its creation a failed or cancelled payment is still asked about by
 * reconciliation: longer than any gateway session and the reconciliation job's retries
 * (about 6 h), so money a payer paid on a page a callback called closed is found.
 */
export const RECHECK_CLOSED_HOURS = 24;
/** `failure_reason` prefix of money found paid on a payment already failed or cancelled (kept for review). */
const PAID_AFTER = 'PAID_AFTER_';

interface PaymentRow {
  id: string;
  bill_id: string;
  gateway: GatewayName;
  amount: string;
  status: PaymentStatus;
  gateway_token: string | null;
  gateway_reference: string | null;
  failure_reason: string | null;
  callback_at: string | null;
  last_verify_error: string | null;
  /** Created within RECHECK_CLOSED_HOURS. */
  recent: boolean;
}

/** What applying a verify answer decided. */
type Applied = { status: PaymentStatus; reverse?: boolean };

/**
 * Internet payments of bills through the enabled gateways. Nothing a callback says is
 * believed: the gateway is asked server to server with the stored amount; the payment row
 * is locked while the answer is applied and the bill settled (billing's `settleBill` in the
 * same transaction), so a payment settles once however many callbacks and reconciliation
 * runs race. Gateway calls never happen inside a transaction (the sandbox gateway uses the
 * database itself, and a transaction must not wait on the network).
 */
@Injectable()
export class PaymentsService implements OnModuleInit {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly billing: BillingService,
    private readonly jobs: JobsService,
    private readonly limits: RateLimitService,
    @Inject(PAYMENT_GATEWAYS) private readonly gateways: Map<GatewayName, PaymentGateway>,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ paymentId: string }>(PAYMENT_RECONCILE_QUEUE, (payload) => this.reconcile(payload.paymentId));
  }

  /** `POST /payments`: opens a gateway session for a payable bill. Public (like a bank app). */
  async create(dto: CreatePaymentDto, ip: string | undefined): Promise<PaymentStartedDto> {
    const name = (dto.gateway ?? this.config.payments.defaultGateway) as GatewayName;
    const gateway = this.gateways.get(name);
    if (!gateway) throw GatewayErrors.PAYMENT_GATEWAY_NOT_ENABLED({ extensions: { enabled: [...this.gateways.keys()] } });
    const returnUrl = checkReturnUrl(dto.returnUrl, allowedReturnOrigins(this.config));
    if (!returnUrl) throw PaymentErrors.RETURN_URL_NOT_ALLOWED();
    await this.limits.consume({ key: `payments:create:${clientKey(ip)}`, limit: this.config.payments.maxPerIpPerHour, windowSeconds: 3600 });

    const em = this.orm.em.fork();
    const bill = await this.billing.getPayableBill(em, dto.billId);
    const payment = await em.transactional(async (tx) => {
      const p = tx.create(Payment, {
        billId: bill.billId,
        billPaymentId: bill.paymentId,
        gateway: name,
        amountRials: bill.amountRials.toString(),
        returnUrl,
      });
      tx.persist(p);
      // Every payment gets a reconciliation run after the gateway session is surely over.
      this.jobs.enqueue(tx, PAYMENT_RECONCILE_QUEUE, { paymentId: p.id }, {
        runAt: new Date(Date.now() + this.config.payments.reconcileAfterSeconds * 1000),
        dedupeKey: `payment-reconcile:${p.id}`,
        maxAttempts: 12,
        backoffSeconds: 120,
      });
      await tx.flush();
      return p;
    });

    let started;
    try {
      started = await gateway.start({
        paymentId: payment.id,
        amountRials: Number(bill.amountRials),
        callbackUrl: `${publicBaseUrl(this.config)}/${API_PREFIX}/payments/callback/${name}`,
        description: `پرداخت قبض ${bill.billId} شهرداری قزوین`,
      });
    } catch (err) {
      const reason = err instanceof DomainError ? err.code : 'gateway start failed';
      await em.execute(`update billing_payment set status = 'failed', failure_reason = ?, updated_at = now() where id = ?`, [reason, payment.id]);
      throw err;
    }
    await em.execute(`update billing_payment set gateway_token = ?, updated_at = now() where id = ?`, [started.token, payment.id]);
    return { paymentId: payment.id, redirectUrl: started.redirectUrl, gateway: name, amountRials: Number(bill.amountRials) };
  }

  /** `GET /payments/{id}`: status only, no personal data. */
  async status(id: string): Promise<PaymentStatusDto> {
    const [p] = await this.select(id);
    if (!p) throw PaymentErrors.PAYMENT_NOT_FOUND();
    return statusDto(p);
  }

  /** Staff: payments by status / review flag / bill, newest first. */
  async adminList(query: AdminPaymentsQuery): Promise<AdminPaymentPageDto> {
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (query.status) filter('status = ?', query.status);
    if (query.needsReview !== undefined) filter('needs_review = ?', query.needsReview);
    if (query.billId) filter('bill_id = ?', query.billId);
    const { limit, offset } = pageOffset(query);
    const rows = await this.orm.em.fork().execute<Row[]>(
      `select *, amount_rials::text as amount, count(*) over () as total from billing_payment
        ${where.length ? `where ${where.join(' and ')}` : ''} order by created_at desc, id limit ? offset ?`,
      [...params, limit, offset],
    );
    return { items: rows.map(adminDto), meta: pageMeta(query, Number(rows[0]?.total ?? 0)) };
  }

  /** Staff: verify again now (a pending payment, or a reversal to retry); returns the payment after. */
  async adminReconcile(id: string): Promise<AdminPaymentDto> {
    if (!isUuid(id)) throw PaymentErrors.PAYMENT_NOT_FOUND();
    const em = this.orm.em.fork();
    if (!(await this.load(em, id))) throw PaymentErrors.PAYMENT_NOT_FOUND();
    await this.process(id, null, { anyAge: true });
    const [row] = await em.execute<Row[]>(`select *, amount_rials::text as amount from billing_payment where id = ?`, [id]);
    return adminDto(row);
  }

  /** Receipt of a paid payment. */
  async receipt(id: string): Promise<ReceiptDto> {
    const [p] = await this.select(id);
    if (!p) throw PaymentErrors.PAYMENT_NOT_FOUND();
    if (p.status !== PaymentStatus.Paid) throw PaymentErrors.PAYMENT_NOT_PAID();
    const [b] = await this.orm.em.fork().execute<Row[]>(`select items from billing_bill where bill_id = ?`, [p.bill_id]);
    const items = jsonValue<BillItem[] | null>(b?.items ?? null) ?? [];
    const paidAt = new Date(p.paid_at as string);
    return {
      paymentId: String(p.id),
      billId: String(p.bill_id),
      billPaymentId: String(p.bill_payment_id),
      amountRials: Number(p.amount),
      amountInWords: `${amountToPersianWords(BigInt(String(p.amount)))} ریال`,
      gateway: String(p.gateway),
      bankReference: String(p.bank_reference),
      rrn: (p.rrn as string | null) ?? null,
      traceNo: (p.trace_no as string | null) ?? null,
      cardMask: (p.card_mask as string | null) ?? null,
      paidAt: paidAt.toISOString(),
      paidAtJalali: formatJalali(paidAt, { time: true }),
      items: items.map((i) => ({ jalaliYear: i.jalaliYear, feeType: i.feeType, subjectCode: i.subjectCode, amountRials: Number(i.amountRials) })),
    };
  }

  private select(id: string): Promise<Row[]> {
    if (!isUuid(id)) return Promise.resolve([]);
    return this.orm.em.fork().execute<Row[]>(
      `select id, bill_id, bill_payment_id, gateway, amount_rials::text as amount, status, created_at, paid_at, bank_reference, rrn, trace_no, card_mask
         from billing_payment where id = ?`,
      [id.toLowerCase()],
    );
  }

  /**
   * A gateway sent the payer's browser back. Finds the payment by the gateway's token,
   * verifies and applies the answer, and returns where the browser goes: the payment's
   * return URL with only `?paymentId=`.
   */
  async callback(gatewayName: string, params: Record<string, string | undefined>): Promise<string> {
    const gateway = this.gateways.get(gatewayName as GatewayName);
    if (!gateway) throw PaymentErrors.PAYMENT_CALLBACK_INVALID();
    const cb = gateway.parseCallback(params);
    if (!cb.token) throw PaymentErrors.PAYMENT_CALLBACK_INVALID();
    const [p] = await this.orm.em
      .fork()
      .execute<Row[]>(`select id, return_url from billing_payment where gateway = ? and gateway_token = ?`, [gateway.name, cb.token]);
    if (!p) throw PaymentErrors.PAYMENT_CALLBACK_INVALID();
    await this.process(String(p.id), cb);
    return returnUrlFor(String(p.return_url), String(p.id));
  }

  /**
   * The reconciliation job: asks the gateway again about a payment left pending (or a
   * reversal left undone), and about a recent failed or cancelled one (money paid on a page
   * a callback called closed).
   */
  async reconcile(paymentId: string): Promise<void> {
    const status = await this.process(paymentId, null);
    if (status === PaymentStatus.Pending || status === PaymentStatus.Reversing) {
      // The job queue retries with backoff; after the last attempt the job is dead-lettered for a person.
      throw new Error(`payment ${paymentId} is still ${status}`);
    }
    if (status === PaymentStatus.Failed || status === PaymentStatus.Cancelled) {
      const p = await this.load(this.orm.em.fork(), paymentId);
      if (p?.recent && p.last_verify_error) throw new Error(`payment ${paymentId} is ${status} but the gateway did not answer: ${p.last_verify_error}`);
    }
  }

  /**
   * Verifies and applies; `cb` is the callback's claim (null for reconciliation). Returns the
   * status after. A claimed cancel or failure is verified like a claimed payment: while the
   * gateway cannot say the session is over the payment stays pending.
   */
  async process(paymentId: string, cb: GatewayCallback | null, options: { anyAge?: boolean } = {}): Promise<PaymentStatus> {
    const em = this.orm.em.fork();
    const p = await this.load(em, paymentId);
    if (!p) return PaymentStatus.Failed;
    if (p.status === PaymentStatus.Reversing) {
      // Money verified but not settled: return it (reconciliation retries a refused reversal).
      return cb ? p.status : this.reverse(p, false);
    }
    // A failed or cancelled payment is asked again when its gateway's return claims a
    // payment, and by reconciliation while recent (staff: at any age).
    const closed = p.status === PaymentStatus.Failed || p.status === PaymentStatus.Cancelled;
    const recheck = closed && (cb ? cb.claimed === 'paid' : p.recent || options.anyAge === true);
    if (p.status !== PaymentStatus.Pending && !recheck) return p.status;
    const gateway = this.gateways.get(p.gateway);
    if (!gateway || !p.gateway_token) {
      if (!cb && p.status === PaymentStatus.Pending) {
        await em.execute(`update billing_payment set status = 'failed', failure_reason = ?, updated_at = now() where id = ? and status = 'pending'`, [
          gateway ? 'the gateway session was never opened' : `gateway ${p.gateway} is no longer enabled`,
          p.id,
        ]);
        return PaymentStatus.Failed;
      }
      return p.status;
    }
    const reference = cb?.reference ?? p.gateway_reference ?? undefined;
    // SEP is asked only by the RefNum a paid return carries: a closed SEP payment without one has nothing to ask
    if (closed && !reference && p.gateway === 'sep') return p.status;
    if (cb?.claimed === 'paid') {
      await em.execute(
        `update billing_payment set callback_at = coalesce(callback_at, now()), gateway_reference = coalesce(gateway_reference, ?), updated_at = now() where id = ?`,
        [cb.reference ?? null, p.id],
      );
    }
    let result: GatewayVerifyResult;
    try {
      result = await gateway.verify({ token: p.gateway_token, paymentId: p.id, amountRials: Number(p.amount), reference });
    } catch (err) {
      result = { outcome: 'unknown', reason: `verify failed: ${(err as Error)?.name ?? 'error'}` };
    }
    if (result.outcome === 'unknown' && !reference && p.gateway === 'sep' && p.status === PaymentStatus.Pending && !cb) {
      // Reconciliation, after the session: no return brought a RefNum, so SEP can never be
      // asked. SEP reverses an unverified charge within 30 minutes; a later genuine callback
      // with a RefNum reopens the payment.
      result = { outcome: 'not_paid', reason: 'SEP: the session is over and no return brought a RefNum to verify' };
    } else if (result.outcome === 'unknown' && cb && cb.claimed !== 'paid') {
      // The return says nothing was paid, but only the gateway can say the session is over:
      // pending, for a later return or reconciliation.
      result = { ...result, reason: `callback says ${cb.claimed}, not confirmed: ${result.reason}` };
    }
    const applied = await this.apply(p.id, result, reference ?? null, cb?.claimed === 'cancelled');
    if (applied.reverse) return this.reverse((await this.load(em, p.id))!, cb !== null);
    if (closed && cb && result.outcome === 'unknown') {
      // a paid return on a closed payment the gateway could not confirm now: reconciliation asks again
      await em.transactional((tx) => this.ensureReconcileJob(tx, `payment-recheck:${p.id}`, p.id, 120));
    }
    return applied.status;
  }

  private async load(em: EntityManager, id: string): Promise<PaymentRow | undefined> {
    const [p] = await em.execute<PaymentRow[]>(
      `select id, bill_id, gateway, amount_rials::text as amount, status, gateway_token, gateway_reference, failure_reason, callback_at,
              last_verify_error, created_at > now() - make_interval(hours => ?) as recent
         from billing_payment where id = ?`,
      [RECHECK_CLOSED_HOURS, id],
    );
    return p;
  }

  /**
   * Applies a verify answer under the payment's row lock; settles the bill in the same
   * transaction. On a failed or cancelled payment only a verified payment changes anything:
   * it settles the bill if it still can, else the money goes back and a person is asked to
   * look (`needs_review`).
   */
  private apply(id: string, result: GatewayVerifyResult, reference: string | null, cancelled: boolean): Promise<Applied> {
    return this.orm.em.fork().transactional(async (tx) => {
      const [p] = await tx.execute<Array<PaymentRow & { now: string }>>(
        `select id, bill_id, gateway, amount_rials::text as amount, status, callback_at, now() as now from billing_payment where id = ? for update`,
        [id],
      );
      const closed = p.status === PaymentStatus.Failed || p.status === PaymentStatus.Cancelled;
      if (p.status !== PaymentStatus.Pending && !closed) return { status: p.status };
      const set = (sql: string, params: unknown[]) =>
        tx.execute(`update billing_payment set ${sql}, attempts = attempts + 1, updated_at = now() where id = ?`, [...params, id]);
      switch (result.outcome) {
        case 'unknown':
          // an open, unpaid session refutes a claimed payment for now: it must not date a later one
          await set(`last_verify_error = ?${result.open ? ', callback_at = null' : ''}`, [result.reason.slice(0, 500)]);
          return { status: p.status };
        case 'not_paid': {
          if (closed) {
            await set(`last_verify_error = null, callback_at = null`, []);
            return { status: p.status };
          }
          // callback_at only dates a payment the gateway confirms: a refuted claim must not backdate a later one
          const status = cancelled ? PaymentStatus.Cancelled : PaymentStatus.Failed;
          const reason = cancelled ? `cancelled by the payer; ${result.reason}` : result.reason;
          await set(`status = ?, failure_reason = ?, last_verify_error = null, callback_at = null`, [status, reason.slice(0, 500)]);
          return { status };
        }
        case 'amount_mismatch': {
          if (await this.referenceTaken(tx, p, result.bankReference)) return this.referenceUsed(set);
          await set(`status = 'reversing', bank_reference = ?, gateway_reference = coalesce(?, gateway_reference), failure_reason = ?, last_verify_error = null`, [
            result.bankReference,
            reference,
            `AMOUNT_MISMATCH: the gateway confirmed ${result.amountRials} Rials instead of ${p.amount}`,
          ]);
          return { status: PaymentStatus.Reversing, reverse: true };
        }
        case 'paid': {
          if (await this.referenceTaken(tx, p, result.bankReference)) return this.referenceUsed(set);
          const now = new Date(p.now);
          const paidAt = p.callback_at && new Date(p.callback_at) < now ? new Date(p.callback_at) : now;
          try {
            await this.billing.settleBill(tx, p.bill_id, {
              channel: 'gateway',
              reference: `${p.gateway}:${result.bankReference}`,
              amountRials: BigInt(p.amount),
              paidAt,
            });
          } catch (err) {
            if (err instanceof DomainError && REVERSE_ON.has(err.code)) {
              // paid after it was closed: the payer saw a failure, so a person looks even once it is returned
              await set(
                `status = 'reversing', bank_reference = ?, gateway_reference = coalesce(?, gateway_reference), failure_reason = ?, needs_review = ?, last_verify_error = null`,
                [result.bankReference, reference, closed ? `${PAID_AFTER}${p.status.toUpperCase()}: ${err.code}` : err.code, closed],
              );
              if (closed) this.logger.error({ paymentId: id, gateway: p.gateway, was: p.status, reason: err.code }, 'a closed payment was found paid and cannot settle its bill');
              return { status: PaymentStatus.Reversing, reverse: true };
            }
            if (err instanceof DomainError && err.code === 'PAYMENT_REFERENCE_USED') return this.referenceUsed(set);
            throw err;
          }
          await set(
            `status = 'paid', paid_at = ?, bank_reference = ?, gateway_reference = coalesce(?, gateway_reference), rrn = ?, trace_no = ?, card_mask = ?,
             failure_reason = null, last_verify_error = null`,
            [paidAt, result.bankReference, reference, result.rrn ?? null, result.traceNo ?? null, maskCard(result.cardMask)],
          );
          if (closed) this.logger.warn({ paymentId: id, gateway: p.gateway, was: p.status }, 'a closed payment was found paid at the gateway and settled its bill');
          return { status: PaymentStatus.Paid };
        }
      }
    });
  }

  /** The gateway's reference already belongs to another payment: this callback's money is that payment's. */
  private async referenceTaken(tx: EntityManager, p: PaymentRow, bankReference: string): Promise<boolean> {
    const [other] = await tx.execute<Row[]>(`select 1 as x from billing_payment where gateway = ? and bank_reference = ? and id <> ?`, [
      p.gateway,
      bankReference,
      p.id,
    ]);
    return Boolean(other);
  }

  private async referenceUsed(set: (sql: string, params: unknown[]) => Promise<unknown>): Promise<Applied> {
    await set(`status = 'failed', failure_reason = 'PAYMENT_REFERENCE_USED: the gateway reference belongs to another payment'`, []);
    return { status: PaymentStatus.Failed };
  }

  /** A reconciliation job for the payment under `key`, unless one was already made (retried with backoff from `delaySeconds`). */
  private async ensureReconcileJob(tx: EntityManager, key: string, paymentId: string, delaySeconds: number): Promise<void> {
    if ((await tx.execute(`select 1 as x from job where dedupe_key = ?`, [key])).length) return;
    this.jobs.enqueue(tx, PAYMENT_RECONCILE_QUEUE, { paymentId }, {
      runAt: new Date(Date.now() + delaySeconds * 1000),
      dedupeKey: key,
      maxAttempts: 12,
      backoffSeconds: delaySeconds,
    });
    await tx.flush();
  }

  /** Returns verified money that cannot settle the bill; a refused reversal is flagged for a person and retried. */
  private async reverse(p: PaymentRow, scheduleRetry: boolean): Promise<PaymentStatus> {
    const gateway = this.gateways.get(p.gateway);
    let ok = false;
    if (gateway && p.gateway_token) {
      try {
        ok = await gateway.reverse({
          token: p.gateway_token,
          paymentId: p.id,
          amountRials: Number(p.amount),
          reference: p.gateway_reference ?? undefined,
        });
      } catch {
        ok = false;
      }
    }
    const mismatch = (p.failure_reason ?? '').startsWith('AMOUNT_MISMATCH');
    const paidAfterClosed = (p.failure_reason ?? '').startsWith(PAID_AFTER);
    const em = this.orm.em.fork();
    if (ok) {
      const final = mismatch ? PaymentStatus.AmountMismatch : PaymentStatus.Reversed;
      await em.execute(
        `update billing_payment set status = ?, reversed_at = now(), needs_review = ?, updated_at = now() where id = ? and status = 'reversing'`,
        [final, paidAfterClosed, p.id],
      );
      this.logger.warn({ paymentId: p.id, gateway: p.gateway, reason: p.failure_reason }, 'verified payment reversed');
      return final;
    }
    await em.transactional(async (tx) => {
      await tx.execute(
        `update billing_payment set needs_review = true, last_verify_error = 'the gateway refused or did not answer the reversal', updated_at = now()
          where id = ? and status = 'reversing'`,
        [p.id],
      );
      // From a callback: make sure a reconciliation run retries the reversal (the job queue
      // retries it with backoff). From the job itself, its own retry does that.
      if (scheduleRetry) await this.ensureReconcileJob(tx, `payment-reverse:${p.id}`, p.id, 300);
    });
    this.logger.error({ paymentId: p.id, gateway: p.gateway, reason: p.failure_reason }, 'reversal of a verified payment failed: needs review');
    return PaymentStatus.Reversing;
  }
}

/** Keeps a gateway's card mask only when it is a mask (never store a full card number). */
function maskCard(mask: string | undefined): string | null {
  if (!mask) return null;
  const digits = mask.replace(/\D/g, '');
  return digits.length <= 10 && /[*xX]/.test(mask) ? mask.slice(0, 25) : null;
}

/** What anyone holding the payment id may see: status only, no personal data. */
function statusDto(p: Row): PaymentStatusDto {
  const paidAt = p.paid_at ? new Date(p.paid_at as string) : null;
  return {
    paymentId: String(p.id),
    billId: String(p.bill_id),
    billPaymentId: String(p.bill_payment_id),
    gateway: String(p.gateway),
    amountRials: Number(p.amount),
    status: String(p.status),
    createdAt: new Date(p.created_at as string).toISOString(),
    paidAt: paidAt?.toISOString() ?? null,
    paidAtJalali: paidAt ? formatJalali(paidAt, { time: true }) : null,
    bankReference: p.status === PaymentStatus.Paid ? String(p.bank_reference) : null,
  };
}

function adminDto(p: Row): AdminPaymentDto {
  const date = (v: unknown) => (v ? new Date(v as string) : null);
  return {
    ...statusDto(p),
    returnUrl: String(p.return_url),
    gatewayToken: (p.gateway_token as string | null) ?? null,
    gatewayReference: (p.gateway_reference as string | null) ?? null,
    verifiedReference: (p.bank_reference as string | null) ?? null,
    cardMask: (p.card_mask as string | null) ?? null,
    failureReason: (p.failure_reason as string | null) ?? null,
    lastVerifyError: (p.last_verify_error as string | null) ?? null,
    attempts: Number(p.attempts),
    needsReview: p.needs_review === true,
    reversedAt: date(p.reversed_at)?.toISOString() ?? null,
    updatedAt: date(p.updated_at)!.toISOString(),
  };
}
