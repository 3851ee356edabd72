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
import { GatewayErrors } from '../gateways/gateway.errors';
import { GatewayCallback, GatewayName, GatewayVerifyResult, PAYMENT_GATEWAYS, PaymentGateway } from '../gateways/payment-gateway';
import { PaymentStatus } from './payment.entity';
import { AdminPaymentDto, AdminPaymentPageDto, AdminPaymentsQuery, CreatePaymentDto, PaymentStartedDto, PaymentStatusDto, ReceiptDto } from './payments.dto';
import { PaymentErrors } from './payments.errors';
import { allowedReturnOrigins, checkReturnUrl, defaultReturnUrl, publicBaseUrl, returnUrlFor } from './public-url';
import { run, runPage } from '../../../database/sql';
import { PaymentsRepository, type PaymentAdmin, type PaymentPublic, type PaymentState } from './payments.repository';

export const PAYMENT_RECONCILE_QUEUE = 'payments.reconcile';

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
    private readonly payments: PaymentsRepository,
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
    // no return URL: the payer lands on this service's own Persian result page
    const returnUrl = dto.returnUrl === undefined ? defaultReturnUrl(this.config) : checkReturnUrl(dto.returnUrl, allowedReturnOrigins(this.config));
    if (!returnUrl) throw PaymentErrors.RETURN_URL_NOT_ALLOWED();
    await this.limits.consume({ key: `payments:create:${clientKey(ip)}`, limit: this.config.payments.maxPerIpPerHour, windowSeconds: 3600 });

    const em = this.orm.em.fork();
    const bill = await this.billing.getPayableBill(em, dto.billId);
    const paymentId = await em.transactional(async (tx) => {
      const id = await run(tx, this.payments.insert({ billId: bill.billId, billPaymentId: bill.paymentId, gateway: name, amountRials: bill.amountRials, returnUrl }));
      // Every payment gets a reconciliation run after the gateway session is surely over.
      await run(tx, this.jobs.enqueue(PAYMENT_RECONCILE_QUEUE, { paymentId: id }, {
        runAt: new Date(Date.now() + this.config.payments.reconcileAfterSeconds * 1000),
        dedupeKey: `payment-reconcile:${id}`,
        maxAttempts: 12,
        backoffSeconds: 120,
      }));
      return id;
    });

    let started;
    try {
      started = await gateway.start({
        paymentId,
        amountRials: Number(bill.amountRials),
        callbackUrl: `${publicBaseUrl(this.config)}/${API_PREFIX}/payments/callback/${name}`,
        description: `پرداخت قبض ${bill.billId} شهرداری قزوین`,
      });
    } catch (err) {
      const reason = err instanceof DomainError ? err.code : 'gateway start failed';
      await run(em, this.payments.fail(paymentId, reason));
      throw err;
    }
    await run(em, this.payments.setToken(paymentId, started.token));
    return { paymentId, redirectUrl: started.redirectUrl, gateway: name, amountRials: Number(bill.amountRials) };
  }

  /** `GET /payments/{id}`: status only, no personal data. */
  async status(id: string): Promise<PaymentStatusDto> {
    const p = await this.select(id);
    if (!p) throw PaymentErrors.PAYMENT_NOT_FOUND();
    return statusDto(p);
  }

  /** The result page's payment: its status as verified by this server, or null for an unknown or malformed id. */
  async statusOrNull(id: string | undefined): Promise<PaymentStatusDto | null> {
    const p = await this.select(String(id ?? '').trim());
    return p ? statusDto(p) : null;
  }

  /** Staff: payments by status / review flag / bill, newest first. */
  async adminList(query: AdminPaymentsQuery): Promise<AdminPaymentPageDto> {
    const { limit, offset } = pageOffset(query);
    const filter = { status: query.status, needsReview: query.needsReview, billId: query.billId };
    const page = await runPage(this.orm.em.fork(), (l, o) => this.payments.adminPage(filter, l, o), limit, offset);
    return { items: page.items.map(adminDto), meta: pageMeta(query, page.total) };
  }

  /** Staff: verify again now (a pending payment, or a reversal to retry); returns the payment after. */
  async adminReconcile(id: string): Promise<AdminPaymentDto> {
    if (!isUuid(id)) throw PaymentErrors.PAYMENT_NOT_FOUND();
    const em = this.orm.em.fork();
    if (!(await this.load(em, id))) throw PaymentErrors.PAYMENT_NOT_FOUND();
    await this.process(id, null, { anyAge: true });
    return adminDto((await run(em, this.payments.adminById(id)))!);
  }

  /** Receipt of a paid payment. */
  async receipt(id: string): Promise<ReceiptDto> {
    const p = await this.select(id);
    if (!p) throw PaymentErrors.PAYMENT_NOT_FOUND();
    if (p.status !== PaymentStatus.Paid) throw PaymentErrors.PAYMENT_NOT_PAID();
    const items = await this.billing.billItems(p.billId);
    const paidAt = p.paidAt!;
    // the bill was issued for the items' sum rounded down to thousand Rials; the rest is waived
    const due = items.reduce((sum, i) => sum + BigInt(i.amountRials), 0n);
    const payable = BigInt(p.amountRials);
    return {
      paymentId: p.id,
      billId: p.billId,
      billPaymentId: p.billPaymentId,
      amountRials: Number(p.amountRials),
      amountInWords: `${amountToPersianWords(p.amountRials)} ریال`,
      dueRials: Number(due),
      roundedPayableRials: Number(payable),
      roundingWaivedRials: Number(due - payable),
      gateway: p.gateway,
      bankReference: String(p.bankReference),
      rrn: p.rrn,
      traceNo: p.traceNo,
      cardMask: p.cardMask,
      paidAt: paidAt.toISOString(),
      paidAtJalali: formatJalali(paidAt, { time: true }),
      items: items.map((i) => ({ jalaliYear: i.jalaliYear, feeType: i.feeType, subjectCode: i.subjectCode, amountRials: Number(i.amountRials) })),
    };
  }

  private async select(id: string): Promise<PaymentPublic | undefined> {
    if (!isUuid(id)) return undefined;
    return run(this.orm.em.fork(), this.payments.publicById(id.toLowerCase()));
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
    const p = await run(this.orm.em.fork(), this.payments.byToken(gateway.name, cb.token));
    if (!p) throw PaymentErrors.PAYMENT_CALLBACK_INVALID();
    await this.process(p.id, cb);
    return returnUrlFor(p.returnUrl, p.id);
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
      if (p?.recent && p.lastVerifyError) throw new Error(`payment ${paymentId} is ${status} but the gateway did not answer: ${p.lastVerifyError}`);
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
    if (!gateway || !p.gatewayToken) {
      if (!cb && p.status === PaymentStatus.Pending) {
        await run(em, this.payments.fail(p.id, gateway ? 'the gateway session was never opened' : `gateway ${p.gateway} is no longer enabled`, true));
        return PaymentStatus.Failed;
      }
      return p.status;
    }
    const reference = cb?.reference ?? p.gatewayReference ?? undefined;
    // SEP is asked only by the RefNum a paid return carries: a closed SEP payment without one has nothing to ask
    if (closed && !reference && p.gateway === 'sep') return p.status;
    if (cb?.claimed === 'paid') {
      await run(em, this.payments.markCallback(p.id, cb.reference ?? null));
    }
    let result: GatewayVerifyResult;
    try {
      result = await gateway.verify({ token: p.gatewayToken, paymentId: p.id, amountRials: Number(p.amountRials), reference });
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

  private load(em: EntityManager, id: string): Promise<PaymentState | undefined> {
    return run(em, this.payments.state(id, RECHECK_CLOSED_HOURS));
  }

  /**
   * Applies a verify answer under the payment's row lock; settles the bill in the same
   * transaction. On a failed or cancelled payment only a verified payment changes anything:
   * it settles the bill if it still can, else the money goes back and a person is asked to
   * look (`needs_review`).
   */
  private apply(id: string, result: GatewayVerifyResult, reference: string | null, cancelled: boolean): Promise<Applied> {
    return this.orm.em.fork().transactional(async (tx) => {
      const p = (await run(tx, this.payments.lock(id)))!;
      const closed = p.status === PaymentStatus.Failed || p.status === PaymentStatus.Cancelled;
      if (p.status !== PaymentStatus.Pending && !closed) return { status: p.status };
      switch (result.outcome) {
        case 'unknown':
          // an open, unpaid session refutes a claimed payment for now: it must not date a later one
          await run(tx, this.payments.verifyUnknown(id, result.reason.slice(0, 500), result.open === true));
          return { status: p.status };
        case 'not_paid': {
          if (closed) {
            await run(tx, this.payments.verifyStillClosed(id));
            return { status: p.status };
          }
          // callback_at only dates a payment the gateway confirms: a refuted claim must not backdate a later one
          const status = cancelled ? PaymentStatus.Cancelled : PaymentStatus.Failed;
          const reason = cancelled ? `cancelled by the payer; ${result.reason}` : result.reason;
          await run(tx, this.payments.close(id, status, reason.slice(0, 500)));
          return { status };
        }
        case 'amount_mismatch': {
          if (await run(tx, this.payments.referenceTaken(p.gateway, result.bankReference, p.id))) return this.referenceUsed(tx, id);
          await run(
            tx,
            this.payments.startReversal(id, {
              bankReference: result.bankReference,
              gatewayReference: reference,
              failureReason: `AMOUNT_MISMATCH: the gateway confirmed ${result.amountRials} Rials instead of ${p.amountRials}`,
              needsReview: false,
            }),
          );
          return { status: PaymentStatus.Reversing, reverse: true };
        }
        case 'paid': {
          if (await run(tx, this.payments.referenceTaken(p.gateway, result.bankReference, p.id))) return this.referenceUsed(tx, id);
          const now = p.now;
          const paidAt = p.callbackAt && p.callbackAt < now ? p.callbackAt : now;
          try {
            await this.billing.settleBill(tx, p.billId, {
              channel: 'gateway',
              reference: `${p.gateway}:${result.bankReference}`,
              amountRials: p.amountRials,
              paidAt,
            });
          } catch (err) {
            if (err instanceof DomainError && REVERSE_ON.has(err.code)) {
              // paid after it was closed: the payer saw a failure, so a person looks even once it is returned
              await run(
                tx,
                this.payments.startReversal(id, {
                  bankReference: result.bankReference,
                  gatewayReference: reference,
                  failureReason: closed ? `${PAID_AFTER}${p.status.toUpperCase()}: ${err.code}` : err.code,
                  needsReview: closed,
                }),
              );
              if (closed) this.logger.error({ paymentId: id, gateway: p.gateway, was: p.status, reason: err.code }, 'a closed payment was found paid and cannot settle its bill');
              return { status: PaymentStatus.Reversing, reverse: true };
            }
            if (err instanceof DomainError && err.code === 'PAYMENT_REFERENCE_USED') return this.referenceUsed(tx, id);
            throw err;
          }
          await run(
            tx,
            this.payments.markPaid(id, {
              paidAt,
              bankReference: result.bankReference,
              gatewayReference: reference,
              rrn: result.rrn ?? null,
              traceNo: result.traceNo ?? null,
              cardMask: maskCard(result.cardMask),
            }),
          );
          if (closed) this.logger.warn({ paymentId: id, gateway: p.gateway, was: p.status }, 'a closed payment was found paid at the gateway and settled its bill');
          return { status: PaymentStatus.Paid };
        }
      }
    });
  }

  /** The gateway's reference already belongs to another payment: this callback's money is that payment's. */
  private async referenceUsed(tx: EntityManager, id: string): Promise<Applied> {
    await run(tx, this.payments.failReferenceUsed(id));
    return { status: PaymentStatus.Failed };
  }

  /**
   * A reconciliation job for the payment under `key`, unless one was already made (retried
   * with backoff from `delaySeconds`): a job with the same dedupe key makes the insert a
   * no-op (`on conflict do nothing`), so the caller's transaction goes on.
   */
  private async ensureReconcileJob(tx: EntityManager, key: string, paymentId: string, delaySeconds: number): Promise<void> {
    await run(tx, this.jobs.enqueue(PAYMENT_RECONCILE_QUEUE, { paymentId }, {
      runAt: new Date(Date.now() + delaySeconds * 1000),
      dedupeKey: key,
      maxAttempts: 12,
      backoffSeconds: delaySeconds,
    }));
  }

  /** Returns verified money that cannot settle the bill; a refused reversal is flagged for a person and retried. */
  private async reverse(p: PaymentState, scheduleRetry: boolean): Promise<PaymentStatus> {
    const gateway = this.gateways.get(p.gateway);
    let ok = false;
    if (gateway && p.gatewayToken) {
      try {
        ok = await gateway.reverse({
          token: p.gatewayToken,
          paymentId: p.id,
          amountRials: Number(p.amountRials),
          reference: p.gatewayReference ?? undefined,
        });
      } catch {
        ok = false;
      }
    }
    const mismatch = (p.failureReason ?? '').startsWith('AMOUNT_MISMATCH');
    const paidAfterClosed = (p.failureReason ?? '').startsWith(PAID_AFTER);
    const em = this.orm.em.fork();
    if (ok) {
      const final = mismatch ? PaymentStatus.AmountMismatch : PaymentStatus.Reversed;
      await run(em, this.payments.reversed(p.id, final, paidAfterClosed));
      this.logger.warn({ paymentId: p.id, gateway: p.gateway, reason: p.failureReason }, 'verified payment reversed');
      return final;
    }
    await em.transactional(async (tx) => {
      await run(tx, this.payments.reversalRefused(p.id));
      // From a callback: make sure a reconciliation run retries the reversal (the job queue
      // retries it with backoff). From the job itself, its own retry does that.
      if (scheduleRetry) await this.ensureReconcileJob(tx, `payment-reverse:${p.id}`, p.id, 300);
    });
    this.logger.error({ paymentId: p.id, gateway: p.gateway, reason: p.failureReason }, 'reversal of a verified payment failed: needs review');
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
function statusDto(p: PaymentPublic): PaymentStatusDto {
  return {
    paymentId: p.id,
    billId: p.billId,
    billPaymentId: p.billPaymentId,
    gateway: p.gateway,
    amountRials: Number(p.amountRials),
    status: p.status,
    createdAt: p.createdAt.toISOString(),
    paidAt: p.paidAt?.toISOString() ?? null,
    paidAtJalali: p.paidAt ? formatJalali(p.paidAt, { time: true }) : null,
    bankReference: p.status === PaymentStatus.Paid ? String(p.bankReference) : null,
  };
}

function adminDto(p: PaymentAdmin): AdminPaymentDto {
  return {
    ...statusDto(p),
    returnUrl: p.returnUrl,
    gatewayToken: p.gatewayToken,
    gatewayReference: p.gatewayReference,
    verifiedReference: p.bankReference,
    cardMask: p.cardMask,
    failureReason: p.failureReason,
    lastVerifyError: p.lastVerifyError,
    attempts: p.attempts,
    needsReview: p.needsReview,
    reversedAt: p.reversedAt?.toISOString() ?? null,
    updatedAt: p.updatedAt.toISOString(),
  };
}
