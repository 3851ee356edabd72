import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { tickBatcher } from '@app/common';
import { run, type SqlRunner } from '../../database/sql';
import { maskMobile } from '@app/iran';
import { JobContext, retryDelaySeconds } from '../jobs/jobs.service';
import { SmsStatus } from './entities/sms-message.entity';
import { type DeliveryMessage, NotificationsRepository } from './notifications.repository';
import { JobParams, SmsParamSealer } from './sms-param-sealer';
import { SmsTemplates } from './sms-templates';
import { SMS_PROVIDER, SmsProvider, SmsProviderError } from './providers/sms-provider';

/** Queue of the delivery job. */
export const SMS_SEND_QUEUE = 'sms.send';

/** Payload of an `sms.send` job: secret parameters are sealed (see SmsParamSealer). */
export interface SmsSendJobPayload {
  messageId: string;
  params: JobParams;
}

/** First retry delay; the job queue doubles it per failure, capped at an hour. */
export const SMS_RETRY_BACKOFF_SECONDS = 15;
/** A provider outage or a configuration problem may last this long without losing a message. */
export const SMS_RETRY_WINDOW_SECONDS = 24 * 3600;

/**
 * The smallest number of attempts whose waits add up to at least `windowSeconds`, with the
 * job queue's backoff at its shortest (jitter −10 %).
 */
export function attemptsCovering(windowSeconds: number, backoffSeconds: number): number {
  let attempts = 1;
  let waited = 0;
  while (waited < windowSeconds) {
    waited += retryDelaySeconds(backoffSeconds, attempts, () => 0);
    attempts++;
  }
  return attempts;
}

/** Attempts of an `sms.send` job: retries span at least 24 hours (35 with a 15 s backoff). */
export const SMS_MAX_ATTEMPTS = attemptsCovering(SMS_RETRY_WINDOW_SECONDS, SMS_RETRY_BACKOFF_SECONDS);

const LAST_ERROR_MAX = 500;

/**
 * The `sms.send` job: hands one outbox message to the configured provider.
 *
 * - sent → `status = sent`, `sentAt`, `providerMessageId`;
 * - retryable failure (outage, timeout, credit, account or configuration) → `lastError`
 *   recorded, the error rethrown so the job queue retries with backoff; on the last attempt
 *   the message is also marked `failed` (an admin can still retry the dead job);
 * - permanent failure (this message can never be delivered) → `failed`, not retried.
 *
 * Idempotent: a message already `sent` is not sent again when its job runs twice.
 */
@Injectable()
export class SmsDeliveryService {
  private readonly logger = new Logger(SmsDeliveryService.name);

  constructor(
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    private readonly templates: SmsTemplates,
    private readonly sealer: SmsParamSealer,
    private readonly em: EntityManager,
    private readonly repository: NotificationsRepository,
  ) {}

  /** Statements straight on the pool: delivery builds no unit of work. */
  private readonly pool: SqlRunner = { execute: (sql: string, params?: unknown[]) => this.em.getConnection().execute(sql, params) };

  /**
   * The messages of the jobs that start together (a claimed batch), read by one statement.
   */
  private readonly readMessage = tickBatcher<string, DeliveryMessage | undefined>(async (ids) => {
    const rows = await run(this.pool, this.repository.forDelivery(ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
  });

  /** The messages the provider accepted in one event-loop turn, marked sent by one statement. */
  private readonly markSent = tickBatcher<{ id: string; providerMessageId: string | null }, void>(async (calls) => {
    await run(this.pool, this.repository.markSent(this.provider.name, calls));
    return calls.map(() => undefined);
  });

  /** One read and one update per message, each shared with the other messages of the same moment. */
  async deliver(payload: SmsSendJobPayload, ctx: JobContext): Promise<void> {
    const message = await this.readMessage(payload.messageId);
    if (!message) {
      this.logger.warn({ jobId: ctx.id, messageId: payload.messageId }, 'sms.send: message no longer exists');
      return;
    }
    if (message.status === SmsStatus.Sent) return;

    let params: Record<string, string>;
    let text: string;
    try {
      params = this.sealer.openParams(payload.params ?? {}, message.id);
      text = this.templates.render(message.template, params);
    } catch (err) {
      // A changed key or a removed template: retrying cannot help.
      await run(this.pool, this.repository.markUnsendable(message.id, `UNREADABLE: ${(err as Error).message}`.slice(0, LAST_ERROR_MAX)));
      this.logger.error({ messageId: message.id, err }, 'sms.send: cannot prepare the message');
      return;
    }

    try {
      const { providerMessageId } = await this.provider.send({
        id: message.id,
        mobile: message.mobile,
        template: message.template,
        text,
        params,
      });
      await this.markSent({ id: message.id, providerMessageId: providerMessageId ?? null });
    } catch (err) {
      const failure =
        err instanceof SmsProviderError
          ? err
          : new SmsProviderError('UNEXPECTED', true, `unexpected ${(err as Error)?.name ?? 'error'} in the SMS provider`);
      if (!(err instanceof SmsProviderError)) this.logger.error({ messageId: message.id, err }, 'sms.send: provider crashed');
      const lastAttempt = ctx.attempt >= ctx.maxAttempts;
      const failed = !failure.retryable || lastAttempt;
      await run(
        this.pool,
        this.repository.recordFailedAttempt(message.id, this.provider.name, `${failure.code}: ${failure.message}`.slice(0, LAST_ERROR_MAX), failed ? SmsStatus.Failed : message.status),
      );
      const log = { messageId: message.id, mobile: maskMobile(message.mobile), code: failure.code, attempt: ctx.attempt };
      if (!failure.retryable) {
        this.logger.warn(log, `SMS refused for good: ${failure.message}`);
        return;
      }
      if (lastAttempt) this.logger.error(log, `SMS given up after ${ctx.attempt} attempts: ${failure.message}`);
      throw failure;
    }
  }
}
