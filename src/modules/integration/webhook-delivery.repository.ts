import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { query, type Query, type Row } from '../../database/sql';

/** What an organization's delivery list filters on. */
export interface DeliveryFilter {
  status?: string;
  event?: string;
  endpointId?: string;
}

/** One attempt of a delivery. */
export interface AttemptLine {
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** A delivery as its organization sees it, with every attempt (oldest first). */
export interface DeliveryLine {
  id: string;
  endpointId: string;
  eventId: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  redeliveryOf: string | null;
  attemptLog: AttemptLine[];
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const int = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toLine(r: Row): DeliveryLine {
  return {
    id: String(r.id),
    endpointId: String(r.endpoint_id),
    eventId: String(r.event_id),
    event: String(r.event),
    status: String(r.status),
    attempts: Number(r.attempts),
    lastStatusCode: int(r.last_status_code),
    lastError: text(r.last_error),
    createdAt: date(r.created_at)!,
    deliveredAt: date(r.delivered_at),
    redeliveryOf: text(r.redelivery_of),
    attemptLog: jsonValue<Array<Record<string, unknown>>>(r.attempt_log).map((a) => ({
      attempt: Number(a.attempt),
      at: date(a.at)!,
      statusCode: int(a.statusCode),
      durationMs: Number(a.durationMs),
      error: text(a.error),
    })),
  };
}

/** The statements that read `webhook_delivery` and `webhook_attempt` for the organization's delivery log. */
@Injectable()
export class WebhookDeliveryRepository {
  /** A page of an organization's deliveries, newest first, each with its attempts, and the count of all that match. */
  page(organizationId: string, f: DeliveryFilter, limit: number, offset: number): Query<{ items: DeliveryLine[]; total: number }> {
    const where: string[] = ['d.organization_id = ?'];
    const params: unknown[] = [organizationId];
    if (f.status) {
      where.push('d.status = ?');
      params.push(f.status);
    }
    if (f.event) {
      where.push('d.event = ?');
      params.push(f.event);
    }
    if (f.endpointId) {
      where.push('d.endpoint_id = ?');
      params.push(f.endpointId);
    }
    return query(
      `select d.id, d.endpoint_id, d.event_id, d.event, d.status, d.attempts, d.last_status_code, d.last_error, d.created_at,
              d.delivered_at, d.redelivery_of, count(*) over () as total,
              (select coalesce(json_agg(json_build_object('attempt', a.attempt, 'at', a.created_at, 'statusCode', a.status_code,
                        'durationMs', a.duration_ms, 'error', a.error) order by a.attempt), '[]'::json)
                 from webhook_attempt a where a.delivery_id = d.id) as attempt_log
         from webhook_delivery d
        where ${where.join(' and ')}
        order by d.created_at desc, d.id desc limit ? offset ?`,
      [...params, limit, offset],
      (rows) => ({ items: rows.map(toLine), total: rows.length ? Number(rows[0].total) : 0 }),
    );
  }
}
