import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, RequestContext, uuidv7 } from '@app/common';
import type { SqlStatement } from '../../database/sql-batch';
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
   * transaction (`readThenWrite`, `composeWith`).
   */
  statement(entry: AuditEntry): SqlStatement {
    const f = this.fields(entry);
    const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
    return {
      sql: `insert into audit_log (id, at, actor_type, actor_id, action, target_type, target_id, before, after, metadata, request_id, ip)
            values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?)`,
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
  async forTarget(em: EntityManager, type: string, id: string, limit = 100, actions?: string[]): Promise<AuditLog[]> {
    return em.find(
      AuditLog,
      { targetType: type, targetId: id, ...(actions ? { action: { $in: actions } } : {}) },
      { orderBy: { at: 'desc' }, limit },
    );
  }
}
