import { Injectable } from '@nestjs/common';
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

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** Every statement on `sms_message` outside its delivery job. */
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

  /** The newest messages to `mobile` of the last `maxAgeSeconds`, at most `limit`. */
  recentTo(mobile: string, maxAgeSeconds: number, limit: number): Query<OutboxMessage[]> {
    return query(
      `select id, mobile, template, body, provider, status, attempts, created_at, sent_at from sms_message
        where mobile = ? and created_at >= now() - make_interval(secs => ?)
        order by created_at desc, id desc limit ?`,
      [mobile, maxAgeSeconds, limit],
      (rows: Row[]) =>
        rows.map((r) => ({
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
    );
  }
}
