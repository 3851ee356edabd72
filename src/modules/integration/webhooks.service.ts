import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { DomainError, isUuid, pageMeta, pageOffset, uuidv7 } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { JobContext, JobsService } from '../jobs/jobs.service';
import { OrganizationsService } from '../membership/organizations.service';
import { CreateWebhookDto, ListDeliveriesQueryDto, WebhookDeliveryDto, WebhookDeliveryPageDto, WebhookDto, WebhookSecretDto } from './dto/webhooks.dto';
import { WebhookAttempt } from './entities/webhook-attempt.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { IntegrationErrors } from './integration.errors';
import type { WebhookEvent } from './webhook-events';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import { checkWebhookUrl, WebhookTarget } from './webhook-url';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { run, runPage } from '../../database/sql';

export const WEBHOOK_QUEUE = 'webhook.deliver';
const FIRST_RETRY_SECONDS = 30;

/** Attempts whose backoff (30 s doubling, capped at the queue's hour) covers `hours`. */
export function attemptsCovering(hours: number): number {
  let total = 0;
  let n = 1;
  while (total < hours * 3600) {
    total += Math.min(3600, FIRST_RETRY_SECONDS * 2 ** (n - 1));
    n++;
  }
  return n;
}

/**
 * Organizations' webhook endpoints and the signed deliveries of events to them.
 *
 * Other modules call `emit(tx, organizationId, event, data)` inside their transaction:
 * one delivery row and one job per subscribed endpoint join the caller's unit of work,
 * so nothing is sent unless the change commits.
 */
@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly organizations: OrganizationsService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly deliveryLog: WebhookDeliveryRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ deliveryId: string }>(WEBHOOK_QUEUE, (payload, ctx) => this.deliver(payload.deliveryId, ctx));
  }

  /** Enqueues the event for every active endpoint of the organization subscribed to it. Returns the event id (or null: nobody listens). */
  async emit(tx: EntityManager, organizationId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<string | null> {
    const endpoints = (await tx.find(WebhookEndpoint, { organization: organizationId, active: true })).filter((e) => e.events.includes(event));
    if (!endpoints.length) return null;
    const eventId = `evt_${uuidv7().replace(/-/g, '')}`;
    const body = JSON.stringify({ id: eventId, type: event, createdAt: new Date().toISOString(), data });
    for (const endpoint of endpoints) await this.enqueueDelivery(tx, endpoint, eventId, event, body, null);
    return eventId;
  }

  async create(organizationId: string, dto: CreateWebhookDto): Promise<WebhookSecretDto> {
    await checkWebhookUrl(dto.url, this.config.integration.webhooksAllowLoopback);
    return this.em.fork().transactional(async (tx) => {
      // serialize creations of one organization so the endpoint limit holds
      await run(tx, this.organizations.lock(organizationId));
      const count = await tx.count(WebhookEndpoint, { organization: organizationId, active: true });
      if (count >= this.config.integration.webhookMaxEndpoints) throw IntegrationErrors.WEBHOOK_LIMIT_REACHED();
      const secret = newSecret();
      const endpoint = tx.create(WebhookEndpoint, {
        organization: organizationId,
        url: dto.url,
        events: [...new Set(dto.events)].sort(),
        description: dto.description ?? null,
        secret,
      });
      tx.persist(endpoint);
      await run(tx, this.audit.record({ action: 'webhook.created', target: { type: 'webhook_endpoint', id: endpoint.id }, after: { url: endpoint.url, events: endpoint.events } }));
      return { ...webhookDto(endpoint), secret };
    });
  }

  async list(organizationId: string): Promise<WebhookDto[]> {
    const rows = await this.em.find(WebhookEndpoint, { organization: organizationId, active: true }, { orderBy: { createdAt: 'asc' } });
    return rows.map(webhookDto);
  }

  /** Deactivates the endpoint (its delivery log stays readable); pending deliveries are dropped. */
  async remove(organizationId: string, id: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const endpoint = await this.findOwn(tx, organizationId, id);
      endpoint.active = false;
      await run(tx, this.audit.record({ action: 'webhook.deleted', target: { type: 'webhook_endpoint', id } }));
    });
  }

  async rotateSecret(organizationId: string, id: string): Promise<WebhookSecretDto> {
    return this.em.fork().transactional(async (tx) => {
      const endpoint = await this.findOwn(tx, organizationId, id);
      const secret = newSecret();
      endpoint.secret = secret;
      await run(tx, this.audit.record({ action: 'webhook.secret_rotated', target: { type: 'webhook_endpoint', id } }));
      return { ...webhookDto(endpoint), secret };
    });
  }

  async deliveries(organizationId: string, q: ListDeliveriesQueryDto): Promise<WebhookDeliveryPageDto> {
    const { limit, offset } = pageOffset(q);
    const filter = { status: q.status, event: q.event, endpointId: q.endpointId };
    const page = await runPage(this.em.fork(), (l, o) => this.deliveryLog.page(organizationId, filter, l, o), limit, offset);
    return {
      items: page.items.map((d) => ({
        ...d,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
        attemptLog: d.attemptLog.map((a) => ({ ...a, at: a.at.toISOString() })),
      })),
      meta: pageMeta(q, page.total),
    };
  }

  /** Sends a delivery's event again as a new delivery (same event id and body, fresh signature). */
  async redeliver(organizationId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    return this.em.fork().transactional(async (tx) => {
      const original = isUuid(deliveryId)
        ? await tx.findOne(WebhookDelivery, { id: deliveryId, organizationId }, { populate: ['endpoint'] })
        : null;
      if (!original) throw IntegrationErrors.WEBHOOK_DELIVERY_NOT_FOUND();
      if (!original.endpoint.active) throw IntegrationErrors.WEBHOOK_NOT_FOUND();
      const copy = await this.enqueueDelivery(tx, original.endpoint, original.eventId, original.event, original.body, original.id);
      await run(tx, this.audit.record({ action: 'webhook.redelivered', target: { type: 'webhook_delivery', id: original.id }, metadata: { newDeliveryId: copy.id } }));
      return deliveryDto(copy, []);
    });
  }

  private async enqueueDelivery(tx: EntityManager, endpoint: WebhookEndpoint, eventId: string, event: string, body: string, redeliveryOf: string | null): Promise<WebhookDelivery> {
    const delivery = tx.create(WebhookDelivery, {
      endpoint,
      organizationId: endpoint.organization.id,
      eventId,
      event,
      body,
      redeliveryOf,
    });
    tx.persist(delivery);
    await run(tx, this.jobs.enqueue(WEBHOOK_QUEUE, { deliveryId: delivery.id }, {
      maxAttempts: attemptsCovering(this.config.integration.webhookRetryHours),
      backoffSeconds: FIRST_RETRY_SECONDS,
    }));
    return delivery;
  }

  /** The job: one signed POST, logged as an attempt; throws to be retried while the retry window lasts. */
  private async deliver(deliveryId: string, ctx: JobContext): Promise<void> {
    const em = ctx.em;
    const delivery = await em.findOne(WebhookDelivery, { id: deliveryId }, { populate: ['endpoint', 'endpoint.secret'] });
    if (!delivery || delivery.status !== WebhookDeliveryStatus.Pending) return;
    const endpoint = delivery.endpoint;
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    let permanent = false;
    if (!endpoint.active) {
      error = 'endpoint deleted';
      permanent = true;
    } else {
      try {
        const target = await checkWebhookUrl(endpoint.url, this.config.integration.webhooksAllowLoopback);
        statusCode = await post(target, delivery.body, {
          'Content-Type': 'application/json',
          'User-Agent': 'Qazvin-Webhooks/1',
          'X-Qazvin-Event': delivery.event,
          'X-Qazvin-Event-Id': delivery.eventId,
          'X-Qazvin-Delivery': delivery.id,
          [SIGNATURE_HEADER]: signWebhook(endpoint.secret, delivery.body),
        }, this.config.integration.webhookTimeoutMs);
        if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
      } catch (err) {
        if (err instanceof DomainError) {
          // a refused URL (no longer public, ...) is final; a host that does not resolve now may again (DNS outage): retried
          error = err.code;
          permanent = err.code !== 'WEBHOOK_URL_UNRESOLVABLE';
        } else {
          error = err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500);
        }
      }
    }
    delivery.attempts += 1;
    delivery.lastStatusCode = statusCode;
    delivery.lastError = error;
    em.persist(em.create(WebhookAttempt, { delivery, attempt: delivery.attempts, statusCode, durationMs: Date.now() - started, error }));
    const expired = Date.now() - delivery.createdAt.getTime() >= this.config.integration.webhookRetryHours * 3600_000;
    if (!error) {
      delivery.status = WebhookDeliveryStatus.Delivered;
      delivery.deliveredAt = new Date();
    } else if (permanent || expired || ctx.attempt >= ctx.maxAttempts) {
      delivery.status = WebhookDeliveryStatus.Failed;
    }
    await em.flush();
    if (delivery.status === WebhookDeliveryStatus.Pending) {
      this.logger.warn({ deliveryId, attempt: delivery.attempts, statusCode }, 'webhook delivery failed; will retry');
      throw new Error(`webhook delivery failed: ${error}`);
    }
  }

  private async findOwn(tx: EntityManager, organizationId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = isUuid(id) ? await tx.findOne(WebhookEndpoint, { id, organization: organizationId, active: true }) : null;
    if (!endpoint) throw IntegrationErrors.WEBHOOK_NOT_FOUND();
    return endpoint;
  }
}

/** POSTs to the checked address only (no second DNS lookup), never follows redirects. */
function post(target: WebhookTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const { address, family } = target.addresses[0];
  const lib = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: false,
        timeout: timeoutMs,
        lookup: ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
          if (options?.all) cb(null, [{ address, family }]);
          else cb(null, address, family);
        }) as never,
      },
      (res) => {
        res.resume(); // the answer's body is not needed
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`;
}

function webhookDto(e: WebhookEndpoint): WebhookDto {
  return { id: e.id, url: e.url, events: e.events, description: e.description ?? null, createdAt: e.createdAt.toISOString() };
}

function deliveryDto(d: WebhookDelivery, attempts: WebhookAttempt[]): WebhookDeliveryDto {
  return {
    id: d.id,
    endpointId: d.endpoint.id,
    eventId: d.eventId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode ?? null,
    lastError: d.lastError ?? null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    redeliveryOf: d.redeliveryOf ?? null,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.createdAt.toISOString(),
      statusCode: a.statusCode ?? null,
      durationMs: a.durationMs,
      error: a.error ?? null,
    })),
  };
}
