import { Injectable } from '@nestjs/common';
import { pgArray } from '../../database/pg-array';
import { type Cte, onlyWhenCte, query, type Query, type Row, statement } from '../../database/sql';
import { SmsStatus } from './entities/sms-message.entity';

/** An `sms_message` row as queued. */
export interface NewSmsRow {
  id: string;
  mobile: string;
  template: string;
  body: string;
  provider: string;
}

/** A message as the outbox shows it. */
export interface OutboxMessage {
  id: string;
  mobile: string;
  template: string;
  body: string;
  provider: string;
  status: SmsStatus;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
}

/** A message as its delivery job reads it. */
export interface DeliveryMessage {
  id: string;
  mobile: string;
  template: string;
  status: SmsStatus;
}

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** Every statement on `sms_message`: the outbox (queue, views) and the delivery job's reads and marks. */
@Injectable()
export class NotificationsRepository {
  /** One queued message; with `when`, only when that CTE of the caller's statement has a row. */
  insertMessage(m: NewSmsRow, when?: Cte): Query<void> {
    return statement(
      `insert into sms_message (id, mobile, template, body, provider, status, attempts, created_at, updated_at)
       select ?, ?, ?, ?, ?, ?, 0, now(), now()${onlyWhenCte(when)}`,
      [m.id, m.mobile, m.template, m.body, m.provider, SmsStatus.Queued],
    );
  }

  /** A page of the messages to `mobile` of the last `maxAgeSeconds`, newest first, and the count of all of them. */
  recentTo(mobile: string, maxAgeSeconds: number, limit: number, offset = 0): Query<{ items: OutboxMessage[]; total: number }> {
    return query(
      `select id, mobile, template, body, provider, status, attempts, created_at, sent_at, count(*) over () as total from sms_message
        where mobile = ? and created_at >= now() - make_interval(secs => ?)
        order by created_at desc, id desc limit ? offset ?`,
      [mobile, maxAgeSeconds, limit, offset],
      (rows: Row[]) => ({
        items: rows.map((r) => ({
          id: String(r.id),
          mobile: String(r.mobile),
          template: String(r.template),
          body: String(r.body),
          provider: String(r.provider),
          status: r.status as SmsStatus,
          attempts: Number(r.attempts),
          createdAt: date(r.created_at),
          sentAt: r.sent_at ? date(r.sent_at) : null,
        })),
        total: rows.length ? Number(rows[0].total) : 0,
      }),
    );
  }

  /** The messages with these ids (those that still exist), for their delivery jobs. */
  forDelivery(ids: string[]): Query<DeliveryMessage[]> {
    return query(`select id, mobile, template, status from sms_message where id = any(?::uuid[])`, [pgArray(ids)], (rows: Row[]) =>
      rows.map((r) => ({ id: String(r.id), mobile: String(r.mobile), template: String(r.template), status: r.status as SmsStatus })),
    );
  }

  /** Marks messages the provider accepted as sent (one attempt more each), with the provider's message id. */
  markSent(provider: string, sent: Array<{ id: string; providerMessageId: string | null }>): Query<void> {
    return statement(
      `update sms_message as m set attempts = m.attempts + 1, provider = ?, status = ?, sent_at = now(),
              provider_message_id = v.provider_message_id, last_error = null, updated_at = now()
         from json_to_recordset(?::json) as v(id uuid, provider_message_id text)
        where m.id = v.id`,
      [provider, SmsStatus.Sent, JSON.stringify(sent.map(({ id, providerMessageId }) => ({ id, provider_message_id: providerMessageId })))],
    );
  }

  /** Marks a message failed without an attempt (it could not even be prepared). */
  markUnsendable(id: string, error: string): Query<void> {
    return statement(`update sms_message set status = ?, last_error = ?, updated_at = now() where id = ?`, [SmsStatus.Failed, error, id]);
  }

  /** Records a failed attempt through `provider`: one attempt more, the error, and the status it leaves the message in. */
  recordFailedAttempt(id: string, provider: string, error: string, status: SmsStatus): Query<void> {
    return statement(
      `update sms_message set attempts = attempts + 1, provider = ?, last_error = ?, status = ?, updated_at = now() where id = ?`,
      [provider, error, status, id],
    );
  }
}
