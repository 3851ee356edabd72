import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, RequestContext, uuidv7 } from '@app/common';
import { jsonValue } from '../../database/json-value';
import { onlyWhen, type SqlStatement } from '../../database/sql-batch';
import { AuditLog } from './entities/audit-log.entity';

export interface AuditEntry {
  action: string;
  target?: { type: string; id: string | number | null };
  before?: object | null;
  after?: object | null;
  metadata?: Record<string, unknown>;
  /** Defaults to the request's authenticated actor, or `system` outside a request. */
  actor?: Actor;
}

const SECRET_KEYS = /password|secret|token|otp|^code$|hash/i;

/** Deep copy with secret-looking members replaced by "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined || depth > 8) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * Records who did what to which record. `record(em, ...)` adds the entry to the caller's
 * unit of work, so it commits (or not) together with the change it describes.
 */
@Injectable()
export class AuditService {
  record(em: EntityManager, entry: AuditEntry): AuditLog {
    const log = em.create(AuditLog, this.fields(entry));
    em.persist(log);
    return log;
  }

  /**
   * As `record`, but as one plain INSERT for a caller that writes with plain SQL in the same
   * transaction (`readThenWrite`, `composeWith`). With `when` (the name of a CTE of the
   * caller's statement) the entry is written only when that CTE has a row.
   */
  statement(entry: AuditEntry, when?: string): SqlStatement {
    const f = this.fields(entry);
    const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
    return {
      sql: `insert into audit_log (id, at, actor_type, actor_id, action, target_type, target_id, before, after, metadata, request_id, ip)
            select ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?${onlyWhen(when)}`,
      params: [uuidv7(), f.at, f.actorType, f.actorId, f.action, f.targetType, f.targetId, json(f.before), json(f.after), json(f.metadata), f.requestId, f.ip],
    };
  }

  /** The columns of an entry: its actor (the request's by default), redacted contents, the request's id and IP. */
  private fields(entry: AuditEntry) {
    const ctx = RequestContext.current();
    const actor = entry.actor ?? ctx?.actor ?? { type: 'system' as const, id: null };
    return {
      at: new Date(),
      actorType: actor.type,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id === undefined || entry.target?.id === null ? null : String(entry.target.id),
      before: (redact(entry.before) as Record<string, unknown>) ?? null,
      after: (redact(entry.after) as Record<string, unknown>) ?? null,
      metadata: (redact(entry.metadata) as Record<string, unknown>) ?? null,
      requestId: ctx?.requestId ?? null,
      ip: ctx?.ip ?? null,
    };
  }

  /** Records and flushes on its own (for events without another change, e.g. a failed login). */
  async recordNow(em: EntityManager, entry: AuditEntry): Promise<void> {
    this.record(em, entry);
    await em.flush();
  }

  /** The newest entries about one target, optionally only of the given actions. */
  async forTarget(em: EntityManager, type: string, id: string, limit = 100, actions?: string[]): Promise<AuditRecord[]> {
    const read = forTargetStatement(type, id, limit, actions);
    return auditRecords(await em.execute<Array<Record<string, unknown>>>(read.sql, read.params));
  }
}

/** An audit entry as read back. */
export type AuditRecord = Pick<AuditLog, 'id' | 'at' | 'actorType' | 'actorId' | 'action' | 'targetType' | 'targetId' | 'before' | 'after' | 'metadata'>;

/**
 * `AuditService.forTarget` as a statement, for a caller that reads it together with its own
 * reads (`readThenWrite`, `executeBatch`); `auditRecords` reads its rows.
 */
export function forTargetStatement(type: string, id: string, limit = 100, actions?: string[]): SqlStatement {
  return {
    sql: `select id, at, actor_type, actor_id, action, target_type, target_id, before, after, metadata from audit_log
           where target_type = ? and target_id = ?${actions ? ` and action in (${actions.map(() => '?').join(', ')})` : ''}
           order by at desc limit ?`,
    params: [type, id, ...(actions ?? []), limit],
  };
}

/** The rows of `forTargetStatement`, newest first. */
export function auditRecords(rows: Array<Record<string, unknown>>): AuditRecord[] {
  const object = (v: unknown) => (v === null || v === undefined ? null : jsonValue<Record<string, unknown>>(v));
  return rows.map((r) => ({
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
  }));
}
