import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { type Cte, onlyWhenCte, query, type Query, type Row, statement } from '../../database/sql';

/** An `audit_log` row as written. */
export interface AuditRow {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
}

/** An audit entry as read back. */
export type AuditRecord = Omit<AuditRow, 'requestId' | 'ip'>;

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
const object = (v: unknown) => (v === null || v === undefined ? null : jsonValue<Record<string, unknown>>(v));

/** Every statement on `audit_log`. */
@Injectable()
export class AuditRepository {
  /** One entry; with `when`, only when that CTE of the caller's statement has a row. */
  insert(r: AuditRow, when?: Cte): Query<void> {
    return statement(
      `insert into audit_log (id, at, actor_type, actor_id, action, target_type, target_id, before, after, metadata, request_id, ip)
       select ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?${onlyWhenCte(when)}`,
      [r.id, r.at, r.actorType, r.actorId, r.action, r.targetType, r.targetId, json(r.before), json(r.after), json(r.metadata), r.requestId, r.ip],
    );
  }

  /** The newest entries about one target, optionally only of the given actions. */
  forTarget(type: string, id: string, limit: number, actions?: string[]): Query<AuditRecord[]> {
    return query(
      `select id, at, actor_type, actor_id, action, target_type, target_id, before, after, metadata from audit_log
        where target_type = ? and target_id = ?${actions ? ` and action in (${actions.map(() => '?').join(', ')})` : ''}
        order by at desc limit ?`,
      [type, id, ...(actions ?? []), limit],
      (rows: Row[]) =>
        rows.map((r) => ({
          id: String(r.id),
          at: r.at instanceof Date ? r.at : new Date(String(r.at)),
          actorType: String(r.actor_type),
          actorId: (r.actor_id as string | null) ?? null,
          action: String(r.action),
          targetType: (r.target_type as string | null) ?? null,
          targetId: (r.target_id as string | null) ?? null,
          before: object(r.before),
          after: object(r.after),
          metadata: object(r.metadata),
        })),
    );
  }
}
