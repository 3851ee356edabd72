import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { CommonErrors, pageMeta, pageOffset, uuidv7 } from '@app/common';
import { normalizeDigits, normalizeMobile } from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { type Cte, keepTotal, type Query, runAll } from '../../database/sql';
import { type EnqueuedJob, JobsService } from '../jobs/jobs.service';
import { clientKey, RateLimitService } from '../rate-limit/rate-limit.service';
import { AdminSmsOutboxItemDto, AdminSmsOutboxPageDto, AdminSmsOutboxQuery, SandboxSmsOutboxPageDto, SandboxSmsOutboxQuery, SmsOutboxItemDto } from './dto/sms-outbox.dto';
import { SmsMessage } from './entities/sms-message.entity';
import { NotificationsErrors } from './notifications.errors';
import { NotificationsRepository } from './notifications.repository';
import {
  SMS_MAX_ATTEMPTS,
  SMS_RETRY_BACKOFF_SECONDS,
  SMS_SEND_QUEUE,
  SmsSendJobPayload,
} from './sms-delivery.service';
import { SmsParamSealer } from './sms-param-sealer';
import { SmsTemplateKey, SmsTemplates } from './sms-templates';

export interface QueueSmsInput {
  /** Receiver; any accepted spelling (`0912…`, `+98912…`, `98912…`, Persian digits). */
  mobile: string;
  /** Template key; see SMS_TEMPLATES for each key's parameters. */
  template: SmsTemplateKey;
  /** Values of the template's `{placeholders}`: exactly the template's parameters. */
  params: Readonly<Record<string, string>>;
  /**
   * Names of the secret parameters: masked (`••••••`) in the outbox body unless the provider
   * is the sandbox, and encrypted in the job payload. A template's one-time-code parameter
   * (`code` of `otp_login` and `staff_2fa`) is secret even when not listed.
   */
  secretParams?: readonly string[];
}

/** A queued SMS: the message id, and its message and job queries for the caller to run in its transaction. */
export interface QueuedSms {
  id: string;
  queries: [message: Query<void>, job: Query<EnqueuedJob | null>];
}

/** What the outbox shows instead of a secret parameter. */
export const SECRET_MASK = '••••••';

/** The public sandbox outbox: messages of the last hour, at most 10, 60 reads/min per IP. */
const SANDBOX_OUTBOX = { maxAgeSeconds: 3600, perIpPerMinute: 60 };
const SMS_JOB_OPTIONS = { maxAttempts: SMS_MAX_ATTEMPTS, backoffSeconds: SMS_RETRY_BACKOFF_SECONDS };

/**
 * SMS notifications for the other modules: `queueSms` adds a message and its delivery job to
 * the caller's transaction (nothing leaves the process before the commit); the `sms.send`
 * job (SmsDeliveryService) delivers it with retries. Also serves the outbox views.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobsService,
    private readonly repository: NotificationsRepository,
    private readonly templates: SmsTemplates,
    private readonly sealer: SmsParamSealer,
    private readonly rateLimits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /**
   * One SMS: the outbox message and its delivery job, as queries the caller runs in its
   * transaction (`runAll(tx, sms.queries)`) or sends with its own statements (as CTEs of one
   * statement, `withCtes`), so nothing leaves the process before the commit; with `when` both
   * rows are written only when that part of the caller's statement wrote a row. Returns the
   * message id and the queries. Throws `SMS_MOBILE_INVALID` (400) for a bad number, and a
   * plain Error (programming error) for an unknown template or wrong parameters.
   *
   * ```ts
   * await em.transactional(async (tx) => {
   *   // ... create the OTP challenge ...
   *   await runAll(tx, notifications.queueSms({ mobile, template: 'otp_login', params: { code }, secretParams: ['code'] }).queries);
   * });
   * ```
   */
  queueSms(input: QueueSmsInput, when?: Cte): QueuedSms {
    const sms = this.prepareSms(input);
    return {
      id: sms.id,
      queries: [
        this.repository.insertMessage({ id: sms.id, mobile: sms.mobile, template: input.template, body: sms.body, provider: sms.provider }, when),
        this.jobs.enqueue(SMS_SEND_QUEUE, { ...sms.payload }, SMS_JOB_OPTIONS, when),
      ],
    };
  }

  /** Checks the template and parameters, renders what the outbox shows and seals the secrets. */
  private prepareSms(input: QueueSmsInput): { id: string; mobile: string; body: string; provider: string; payload: SmsSendJobPayload } {
    const mobile = normalizeMobile(input.mobile);
    if (!mobile) throw mobileInvalid();
    const definition = this.templates.definition(input.template);
    const values: Record<string, string> = { ...(input.params ?? {}) };
    const allowed: readonly string[] = definition.placeholders;
    for (const [name, value] of Object.entries(values)) {
      if (!allowed.includes(name)) throw new Error(`SMS template "${input.template}" has no parameter "${name}"`);
      if (typeof value !== 'string') throw new Error(`SMS parameter "${name}" must be a string`);
    }
    for (const name of allowed) {
      if (values[name] === undefined) throw new Error(`SMS template "${input.template}" needs the parameter "${name}"`);
    }
    for (const name of input.secretParams ?? []) {
      if (!allowed.includes(name)) throw new Error(`SMS secret parameter "${name}" is not a parameter of "${input.template}"`);
    }

    const secretNames = new Set<string>([...definition.secret, ...(input.secretParams ?? [])]);
    const provider = this.config.sms.provider;
    const shown =
      provider === 'sandbox'
        ? values
        : Object.fromEntries(Object.entries(values).map(([name, value]) => [name, secretNames.has(name) ? SECRET_MASK : value]));
    const id = uuidv7();
    return {
      id,
      mobile,
      body: this.templates.render(input.template, shown),
      provider,
      payload: { messageId: id, params: this.sealer.sealParams(values, secretNames, id) },
    };
  }

  /** The whole outbox, newest first, optionally for one mobile (administrators). */
  async adminOutbox(query: AdminSmsOutboxQuery): Promise<AdminSmsOutboxPageDto> {
    const where: FilterQuery<SmsMessage> = {};
    if (query.mobile !== undefined && query.mobile !== '') {
      const mobile = normalizeMobile(query.mobile);
      if (!mobile) throw mobileInvalid();
      where.mobile = mobile;
    }
    const { limit, offset } = pageOffset(query);
    const [rows, total] = await this.em.findAndCount(SmsMessage, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit,
      offset,
    });
    const items: AdminSmsOutboxItemDto[] = rows.map((m) => ({ ...toItem(m), lastError: m.lastError ?? null }));
    return { items, meta: pageMeta(query, total) };
  }

  /** The sandbox outbox exists only with sandbox conveniences on and the sandbox provider. */
  sandboxOutboxEnabled(): boolean {
    return this.config.sandbox && this.config.sms.provider === 'sandbox';
  }

  /**
   * The last messages to one mobile from the last hour (sandbox only). Anywhere else it answers
   * exactly like an unknown route, before counting the request, so it reveals nothing.
   */
  async sandboxOutbox(q: SandboxSmsOutboxQuery, clientIp: string | undefined): Promise<SandboxSmsOutboxPageDto> {
    if (!this.sandboxOutboxEnabled()) throw CommonErrors.ROUTE_NOT_FOUND();
    const rule = { key: `route:sandbox-sms-outbox:${clientKey(clientIp)}`, limit: SANDBOX_OUTBOX.perIpPerMinute, windowSeconds: 60 };
    const mobile = normalizeMobile(q.mobile);
    const { limit, offset } = pageOffset(q);
    // a bad number is counted too, then refused
    if (!mobile) {
      await this.rateLimits.consume(rule);
      throw mobileInvalid();
    }
    // the count and the read in one round trip: integrators and tests poll this while they
    // wait for a code (an answer over the limit is refused, its read unused)
    const recent = (l: number, o: number) => this.repository.recentTo(mobile, SANDBOX_OUTBOX.maxAgeSeconds, l, o);
    const [counted, read] = await runAll(this.em, [this.rateLimits.hit(rule), recent(limit, offset)]);
    this.rateLimits.assertAllowed(counted!);
    const found = await keepTotal(this.em, read, recent, offset);
    return { items: found.items.map((m) => ({ ...toItem(m), code: oneTimeCode(m.template, m.body) })), meta: pageMeta(q, found.total) };
  }
}

/** Templates whose `{code}` is a one-time code the receiver types back. */
const CODE_TEMPLATES: ReadonlySet<string> = new Set(['otp_login', 'staff_2fa', 'otp_mobile_change']);

/**
 * The one-time code in a sandbox message's text (in clear there), in ASCII digits: the first
 * run of 4–10 digits, Persian or ASCII. Null for other templates.
 */
function oneTimeCode(template: string, body: string): string | null {
  if (!CODE_TEMPLATES.has(template)) return null;
  const match = /[0-9\u06F0-\u06F9\u0660-\u0669]{4,10}/.exec(body);
  return match ? normalizeDigits(match[0]) : null;
}

function toItem(
  m: Pick<SmsMessage, 'id' | 'mobile' | 'template' | 'body' | 'provider' | 'status' | 'attempts' | 'createdAt' | 'sentAt'>,
): SmsOutboxItemDto {
  return {
    id: m.id,
    mobile: m.mobile,
    template: m.template,
    body: m.body,
    provider: m.provider,
    status: m.status,
    attempts: m.attempts,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt ? m.sentAt.toISOString() : null,
  };
}

function mobileInvalid() {
  return NotificationsErrors.SMS_MOBILE_INVALID({
    fieldErrors: [
      {
        field: 'mobile',
        code: 'SMS_MOBILE_INVALID',
        message: { fa: 'شماره همراه معتبر نیست.', en: 'mobile must be an Iranian mobile number' },
      },
    ],
  });
}
